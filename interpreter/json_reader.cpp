/*
 * The JSON reader on simdjson's On-Demand API, behind a C interface: one line
 * of JSON Lines in, a generic tree out, built in the caller's arena (jr_parse).
 * It walks the whole document, so a syntax error anywhere makes the line "not
 * JSON" before the record reader (record.c) reports a single field. For the
 * record reader's fast path, jr_index hands out stage 1's token positions
 * alone: a walk that knows the record's shape checks the grammar itself
 * faster than the generic On-Demand walk. Number tokens
 * are checked against the JSON grammar here but not converted: the record
 * reader converts them exactly (big integers, 60.0 versus 60) in C.
 *
 * Error codes only, never simdjson exceptions, so this also builds with
 * -fno-exceptions; any std::bad_alloc is caught before it reaches C.
 */
#include "json_reader.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string_view>
#include <utility>

#include <simdjson.h>

static_assert(JR_PADDING >= simdjson::SIMDJSON_PADDING, "JR_PADDING must cover simdjson's padding");

namespace od = simdjson::ondemand;

namespace {

/* Children of the containers still open, reused from line to line: a container's
 * children are copied to the arena in one exact-size block when it closes, so
 * the arena never holds outgrown arrays and a line costs no heap allocation
 * once the stacks have reached their working size. */
template <typename T> struct scratch {
    T *data = nullptr;
    size_t size = 0;
    size_t cap = 0;

    scratch() = default;
    scratch(const scratch &) = delete;
    scratch &operator=(const scratch &) = delete;
    ~scratch() { std::free(data); }

    bool push(const T &item)
    {
        if (size == cap && !grow())
            return false;
        data[size++] = item;
        return true;
    }

    /* Through arena_sys_malloc so that the tests' failing allocator reaches here too. */
    bool grow()
    {
        size_t ncap = cap ? cap * 2 : 64;
        if (ncap > SIZE_MAX / sizeof(T))
            return false;
        T *n = static_cast<T *>(arena_sys_malloc(ncap * sizeof(T)));
        if (!n)
            return false;
        if (size)
            std::memcpy(static_cast<void *>(n), data, size * sizeof(T));
        std::free(data);
        data = n;
        cap = ncap;
        return true;
    }

    /* One huge line must not pin its scratch memory for the rest of the run. */
    void reset(size_t keep)
    {
        size = 0;
        if (cap > keep) {
            std::free(data);
            data = nullptr;
            cap = 0;
        }
    }
};

/* Entries the scratch stacks keep between lines; beyond this they are released. */
constexpr size_t SCRATCH_KEEP = 1 << 16;

/* Line length the parser keeps buffers for between lines. simdjson needs about
 * seven bytes per input byte, which a 50 MB line must not leave pinned. */
constexpr size_t PARSER_KEEP = 1 << 20;

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim_right(std::string_view t)
{
    while (!t.empty() && is_ws(t.back()))
        t.remove_suffix(1);
    return t;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? : simdjson only looks at the first
 * character to call a token a number, and we never ask it to convert one. */
bool json_number(std::string_view t)
{
    size_t i = 0, n = t.size();
    auto digit = [&](size_t k) { return k < n && t[k] >= '0' && t[k] <= '9'; };
    if (i < n && t[i] == '-')
        i++;
    if (!digit(i))
        return false;
    if (t[i++] != '0')
        while (digit(i))
            i++;
    if (i < n && t[i] == '.') {
        if (!digit(++i))
            return false;
        while (digit(i))
            i++;
    }
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        i++;
        if (i < n && (t[i] == '+' || t[i] == '-'))
            i++;
        if (!digit(i))
            return false;
        while (digit(i))
            i++;
    }
    return i == n;
}

} // namespace

struct jr_reader {
    od::parser parser;
    size_t max_depth;
    scratch<jr_value> values;
    scratch<jr_member> members; /* key only; the value pointer is set when the object closes */
    /* jr_index's stage 1, apart from the parser's, whose own is private to it;
     * made at the first jr_index, so a reader that only parses never has one. */
    std::unique_ptr<simdjson::internal::dom_parser_implementation> index;
};

namespace {

/* Nothing may unwind into C: simdjson allocates with new (std::nothrow) but the
 * standard library under it may still throw when exceptions are enabled. */
template <typename F> jr_status without_exceptions(F &&body)
{
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
    try {
        return body();
    } catch (...) {
        return JR_NO_MEMORY;
    }
#else
    return body();
#endif
}

/* On-Demand enforces no depth limit itself (the walk does), but in development
 * builds (-O0) it records a start position for the children of every container
 * it opens, one level below ours, in an array sized by its max depth. */
size_t simdjson_depth(size_t max_depth) { return max_depth + 1; }

/* Points doc at the line, with the parser's buffers kept to a working size. */
jr_status start(jr_reader *r, const char *line, size_t len, od::document &doc)
{
    /* Shrunk on the next ordinary line rather than right after a huge one, so a
     * run of huge lines does not reallocate for each. iterate() regrows on demand. */
    if (len <= PARSER_KEEP && r->parser.capacity() > PARSER_KEEP &&
        r->parser.allocate(PARSER_KEEP, simdjson_depth(r->max_depth)))
        return JR_NO_MEMORY;
    /* MEMALLOC, or CAPACITY for a line past simdjson's 4 GiB limit: either way the
     * line cannot be held, which is not a fault of its syntax. */
    auto e = r->parser.iterate(simdjson::padded_string_view(line, len, len + JR_PADDING)).get(doc);
    if (e)
        return e == simdjson::MEMALLOC || e == simdjson::CAPACITY ? JR_NO_MEMORY : JR_NOT_JSON;
    return JR_OK;
}

/* The walk of a line: every token checked, whatever is done with it. What is
 * done is the Sink's: it is
 * told each container as it opens (open returns a mark that close gets back),
 * each key, and each scalar (strings unescaped, numbers as written, nothing
 * for true, false and null). A Sink call that returns false stops the walk
 * with Sink::refusal. */
template <typename Sink> class walk {
public:
    walk(jr_reader &r, Sink &sink) : r_(r), sink_(sink) {}

    jr_status status() const { return status_; }

    /* A root of any kind (jr_parse). */
    bool any_root(od::document &doc, const char *line, size_t len)
    {
        od::json_type type;
        if (auto e = doc.type().get(type))
            return fail(e);
        switch (type) {
        case od::json_type::object:
            return object_root(doc);
        case od::json_type::array: {
            if (r_.max_depth < 1)
                return fail(JR_TOO_DEEP);
            od::array arr;
            if (auto e = doc.get_array().get(arr))
                return fail(e);
            return array(arr, 1) && at_end(doc);
        }
        case od::json_type::string: {
            std::string_view s;
            if (auto e = doc.get_string().get(s))
                return fail(e);
            return told(sink_.scalar(JR_STRING, s)) && at_end(doc);
        }
        default: {
            /* A root scalar is the last token, whose extent simdjson measures up to
             * the padding and whose root accessors (get_root_bool, is_root_null)
             * peek past it; scan it here and require nothing but blanks after it. */
            std::string_view first;
            if (auto e = doc.raw_json_token().get(first))
                return fail(e);
            const char *end = line + len, *p = first.data();
            while (p < end && !is_ws(*p))
                p++;
            std::string_view token(first.data(), size_t(p - first.data()));
            while (p < end && is_ws(*p))
                p++;
            if (p != end)
                return fail(JR_NOT_JSON);
            return scalar(type, token);
        }
        }
    }

private:
    jr_reader &r_;
    Sink &sink_;
    jr_status status_ = JR_OK;

    bool fail(jr_status s)
    {
        if (status_ == JR_OK)
            status_ = s;
        return false;
    }

    bool fail(simdjson::error_code e) { return fail(e == simdjson::MEMALLOC ? JR_NO_MEMORY : JR_NOT_JSON); }

    bool told(bool go) { return go || fail(Sink::refusal); }

    bool object_root(od::document &doc)
    {
        if (r_.max_depth < 1)
            return fail(JR_TOO_DEEP);
        od::object obj;
        if (auto e = doc.get_object().get(obj))
            return fail(e);
        return object(obj, 1) && at_end(doc);
    }

    /* On-Demand stops after the root value; "{} x" and "{}{}" are caught only here. */
    bool at_end(od::document &doc)
    {
        const char *rest;
        return doc.current_location().get(rest) == simdjson::OUT_OF_BOUNDS || fail(JR_NOT_JSON);
    }

    /* Numbers, true, false and null, judged on the token as written: simdjson's own
     * atom checks read past the token into bytes that are not ours to trust. */
    bool scalar(od::json_type type, std::string_view token)
    {
        switch (type) {
        case od::json_type::number:
            return json_number(token) ? told(sink_.scalar(JR_NUMBER, token)) : fail(JR_NOT_JSON);
        case od::json_type::boolean:
            if (token == "true")
                return told(sink_.scalar(JR_TRUE, {}));
            if (token == "false")
                return told(sink_.scalar(JR_FALSE, {}));
            return fail(JR_NOT_JSON);
        case od::json_type::null:
            return token == "null" ? told(sink_.scalar(JR_NULL, {})) : fail(JR_NOT_JSON);
        default:
            return fail(JR_NOT_JSON);
        }
    }

    /* depth is the nesting depth v would have if it is a container. The check comes
     * before descending, so the recursion is bounded by max_depth (itself capped). */
    bool value(od::value &v, size_t depth)
    {
        od::json_type type;
        if (auto e = v.type().get(type))
            return fail(e);
        switch (type) {
        case od::json_type::object: {
            if (depth > r_.max_depth)
                return fail(JR_TOO_DEEP);
            od::object obj;
            if (auto e = v.get_object().get(obj))
                return fail(e);
            return object(obj, depth);
        }
        case od::json_type::array: {
            if (depth > r_.max_depth)
                return fail(JR_TOO_DEEP);
            od::array arr;
            if (auto e = v.get_array().get(arr))
                return fail(e);
            return array(arr, depth);
        }
        case od::json_type::string: {
            std::string_view s;
            if (auto e = v.get_string().get(s))
                return fail(e);
            return told(sink_.scalar(JR_STRING, s));
        }
        default:
            /* Inside a container the token ends at the next structural character;
             * left unconsumed, the enclosing iterator steps over it. */
            return scalar(type, trim_right(v.raw_json_token()));
        }
    }

    bool object(od::object &obj, size_t depth)
    {
        typename Sink::mark m;
        if (!told(sink_.open(JR_OBJECT, m)))
            return false;
        for (auto field_result : obj) {
            od::field field;
            if (auto e = std::move(field_result).get(field))
                return fail(e);
            std::string_view key;
            if (auto e = field.unescaped_key().get(key))
                return fail(e);
            if (!told(sink_.key(key)) || !value(field.value(), depth + 1))
                return false;
        }
        return told(sink_.close(JR_OBJECT, m));
    }

    bool array(od::array &arr, size_t depth)
    {
        typename Sink::mark m;
        if (!told(sink_.open(JR_ARRAY, m)))
            return false;
        for (auto item_result : arr) {
            od::value item;
            if (auto e = std::move(item_result).get(item))
                return fail(e);
            if (!value(item, depth + 1))
                return false;
        }
        return told(sink_.close(JR_ARRAY, m));
    }
};

/* jr_parse's sink: the tree, built in the arena. A container's children gather
 * on the reader's scratch stacks and move to the arena in one block when it
 * closes; the root is left as the only entry of r.values. Only memory can
 * refuse. */
class tree_sink {
public:
    static constexpr jr_status refusal = JR_NO_MEMORY;
    struct mark {
        size_t values, members;
    };

    tree_sink(jr_reader &r, arena *a) : r_(r), a_(a) {}

    bool open(jr_kind, mark &m)
    {
        m = {r_.values.size, r_.members.size};
        return true;
    }

    bool key(std::string_view key)
    {
        jr_member m{copy(key), key.size(), nullptr};
        return m.key && r_.members.push(m);
    }

    bool scalar(jr_kind kind, std::string_view text)
    {
        jr_value v{};
        v.kind = kind;
        if (kind == JR_STRING || kind == JR_NUMBER) {
            v.len = text.size();
            if (!(v.text = copy(text)))
                return false;
        }
        return r_.values.push(v);
    }

    bool close(jr_kind kind, const mark &m)
    {
        size_t n = r_.values.size - m.values;
        jr_value out{};
        out.kind = kind;
        out.count = n;
        if (n && kind == JR_OBJECT) {
            /* Values and members in one block: sizes are multiples of 8, so both stay aligned. */
            static_assert(sizeof(jr_value) % alignof(jr_member) == 0, "members follow values in one block");
            if (n > SIZE_MAX / (sizeof(jr_value) + sizeof(jr_member)))
                return false;
            void *block = arena_alloc(a_, n * (sizeof(jr_value) + sizeof(jr_member)));
            if (!block)
                return false;
            jr_value *vals = static_cast<jr_value *>(block);
            jr_member *mems = reinterpret_cast<jr_member *>(vals + n);
            std::memcpy(static_cast<void *>(vals), r_.values.data + m.values, n * sizeof(jr_value));
            std::memcpy(static_cast<void *>(mems), r_.members.data + m.members, n * sizeof(jr_member));
            for (size_t i = 0; i < n; i++)
                mems[i].value = &vals[i];
            out.members = mems;
        } else if (n) {
            if (n > SIZE_MAX / sizeof(jr_value))
                return false;
            out.items = static_cast<jr_value *>(arena_alloc(a_, n * sizeof(jr_value)));
            if (!out.items)
                return false;
            std::memcpy(static_cast<void *>(out.items), r_.values.data + m.values, n * sizeof(jr_value));
        }
        r_.values.size = m.values;
        r_.members.size = m.members;
        return r_.values.push(out);
    }

private:
    jr_reader &r_;
    arena *a_;

    const char *copy(std::string_view s) { return arena_strndup(a_, s.data(), s.size()); }
};

} // namespace


extern "C" jr_reader *jr_reader_new(size_t max_depth)
{
    void *memory = arena_sys_malloc(sizeof(jr_reader));
    if (!memory)
        return nullptr;
    jr_reader *r = new (memory) jr_reader();
    r->max_depth = max_depth < size_t(JR_DEPTH_CAP) ? max_depth : size_t(JR_DEPTH_CAP);
    /* A small first capacity: iterate() grows the parser to the longest line seen,
     * keeping the depth set here. */
    jr_status s = without_exceptions([&] {
        return r->parser.allocate(4096, simdjson_depth(r->max_depth)) ? JR_NO_MEMORY : JR_OK;
    });
    if (s != JR_OK) {
        jr_reader_free(r);
        return nullptr;
    }
    return r;
}

extern "C" void jr_reader_free(jr_reader *r)
{
    if (!r)
        return;
    r->~jr_reader();
    std::free(r);
}

extern "C" jr_status jr_parse(jr_reader *r, const char *line, size_t len, arena *a, jr_value **out)
{
    return without_exceptions([&] {
        r->values.reset(SCRATCH_KEEP);
        r->members.reset(SCRATCH_KEEP);
        od::document doc;
        jr_status s = start(r, line, len, doc);
        if (s != JR_OK)
            return s;
        tree_sink tree(*r, a);
        walk<tree_sink> w(*r, tree);
        if (!w.any_root(doc, line, len))
            return w.status();
        jr_value *root = static_cast<jr_value *>(arena_alloc(a, sizeof(jr_value)));
        if (!root)
            return JR_NO_MEMORY;
        *root = r->values.data[0];
        r->values.size = 0;
        *out = root;
        return JR_OK;
    });
}


extern "C" jr_status jr_index(jr_reader *r, const char *line, size_t len, jr_tokens *out)
{
    if (len > JR_INDEX_MAX)
        return JR_NO_MEMORY;
    return without_exceptions([&] {
        /* The active implementation, as On-Demand's iterate() uses, so stage 1
         * judges the line as it does for jr_parse. */
        if (!r->index || r->index->capacity() < len) {
            size_t cap = r->index ? r->index->capacity() : 0;
            cap = cap ? cap : 4096;
            while (cap < len)
                cap *= 2;
            cap = cap < size_t(JR_INDEX_MAX) ? cap : size_t(JR_INDEX_MAX);
            simdjson::error_code e =
                r->index ? r->index->set_capacity(cap)
                         : simdjson::get_active_implementation()->create_dom_parser_implementation(cap, 1, r->index);
            if (e) {
                r->index.reset();
                return JR_NO_MEMORY;
            }
        }
        auto e = r->index->stage1(reinterpret_cast<const uint8_t *>(line), len, simdjson::stage1_mode::regular);
        if (e)
            return e == simdjson::MEMALLOC ? JR_NO_MEMORY : JR_NOT_JSON;
        out->at = r->index->structural_indexes.get();
        out->count = r->index->n_structural_indexes;
        out->max_depth = r->max_depth;
        return JR_OK;
    });
}

/* The same implementation's string parser as On-Demand's get_string, so an
 * escape is accepted and unescaped exactly as jr_parse does it. */
extern "C" bool jr_unescape(const jr_reader *r, const char *body, char *dst, size_t *len)
{
    static_assert(JR_UNESCAPE_SLACK >= simdjson::SIMDJSON_PADDING, "the unescaper writes up to a padding past the end");
    if (!r->index)
        return false;
    uint8_t *end = r->index->parse_string(reinterpret_cast<const uint8_t *>(body), reinterpret_cast<uint8_t *>(dst));
    if (!end)
        return false;
    *len = size_t(end - reinterpret_cast<uint8_t *>(dst));
    return true;
}

extern "C" bool jr_number(const char *t, size_t n)
{
    return json_number(std::string_view(t, n));
}

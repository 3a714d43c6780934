/*
 * The JSON reader on simdjson's On-Demand API, behind a C interface. It walks
 * the whole document, so any syntax error anywhere makes the line "not JSON"
 * before the record reader looks at a single field. Number tokens are checked
 * against the JSON grammar here but not converted: the record reader converts
 * them exactly (big integers, 60.0 versus 60) in C.
 */
#include "json_reader.h"

#include <cstring>
#include <new>
#include <string_view>
#include <utility>

#include <simdjson.h>

static_assert(JR_PADDING >= simdjson::SIMDJSON_PADDING, "JR_PADDING must cover simdjson's padding");

namespace od = simdjson::ondemand;

struct jr_reader {
    od::parser parser;
    size_t max_depth;
};

namespace {

struct walker {
    arena *a;
    size_t max_depth;
    jr_status status = JR_OK;

    bool fail(jr_status s)
    {
        if (status == JR_OK)
            status = s;
        return false;
    }

    bool fail(simdjson::error_code e)
    {
        return fail(e == simdjson::DEPTH_ERROR ? JR_TOO_DEEP : e == simdjson::MEMALLOC ? JR_NO_MEMORY : JR_NOT_JSON);
    }

    const char *copy(std::string_view s)
    {
        char *p = arena_strndup(a, s.data(), s.size());
        if (!p)
            fail(JR_NO_MEMORY);
        return p;
    }

    /* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
    static bool json_number(std::string_view t)
    {
        size_t i = 0, n = t.size();
        auto digit = [&](size_t k) { return k < n && t[k] >= '0' && t[k] <= '9'; };
        if (i < n && t[i] == '-')
            i++;
        if (!digit(i))
            return false;
        if (t[i] == '0')
            i++;
        else
            while (digit(i))
                i++;
        if (i < n && t[i] == '.') {
            i++;
            if (!digit(i))
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

    static std::string_view trim(std::string_view t)
    {
        while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\n' || t.back() == '\r'))
            t.remove_suffix(1);
        return t;
    }

    bool number(std::string_view token, jr_value *out)
    {
        token = trim(token);
        if (!json_number(token))
            return fail(JR_NOT_JSON);
        out->kind = JR_NUMBER;
        out->text = copy(token);
        out->len = token.size();
        return out->text != nullptr;
    }

    bool string(std::string_view s, jr_value *out)
    {
        out->kind = JR_STRING;
        out->text = copy(s);
        out->len = s.size();
        return out->text != nullptr;
    }

    /* Arena arrays that double as they fill; the outgrown copies stay in the arena until it is reset. */
    template <typename T> bool push(T *&items, size_t &count, size_t &cap, const T &item)
    {
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            T *n = static_cast<T *>(arena_alloc(a, ncap * sizeof(T)));
            if (!n)
                return fail(JR_NO_MEMORY);
            if (count)
                std::memcpy(static_cast<void *>(n), items, count * sizeof(T));
            items = n;
            cap = ncap;
        }
        items[count++] = item;
        return true;
    }

    bool object(od::object obj, size_t depth, jr_value *out)
    {
        if (depth > max_depth)
            return fail(JR_TOO_DEEP);
        out->kind = JR_OBJECT;
        size_t cap = 0;
        for (auto field_result : obj) {
            od::field field;
            if (auto e = std::move(field_result).get(field))
                return fail(e);
            std::string_view key;
            if (auto e = field.unescaped_key().get(key))
                return fail(e);
            jr_member m{copy(key), key.size(), static_cast<jr_value *>(arena_calloc(a, 1, sizeof(jr_value)))};
            if (!m.key || !m.value)
                return fail(JR_NO_MEMORY);
            if (!value(field.value(), depth, m.value) || !push(out->members, out->count, cap, m))
                return false;
        }
        return true;
    }

    bool array(od::array arr, size_t depth, jr_value *out)
    {
        if (depth > max_depth)
            return fail(JR_TOO_DEEP);
        out->kind = JR_ARRAY;
        size_t cap = 0;
        for (auto item_result : arr) {
            od::value item;
            if (auto e = std::move(item_result).get(item))
                return fail(e);
            jr_value v{};
            if (!value(item, depth, &v) || !push(out->items, out->count, cap, v))
                return false;
        }
        return true;
    }

    bool value(od::value v, size_t depth, jr_value *out)
    {
        od::json_type type;
        if (auto e = v.type().get(type))
            return fail(e);
        switch (type) {
        case od::json_type::object: {
            od::object obj;
            if (auto e = v.get_object().get(obj))
                return fail(e);
            return object(obj, depth + 1, out);
        }
        case od::json_type::array: {
            od::array arr;
            if (auto e = v.get_array().get(arr))
                return fail(e);
            return array(arr, depth + 1, out);
        }
        case od::json_type::number:
            return number(v.raw_json_token(), out);
        case od::json_type::string: {
            std::string_view s;
            if (auto e = v.get_string().get(s))
                return fail(e);
            return string(s, out);
        }
        case od::json_type::boolean: {
            bool b;
            if (auto e = v.get_bool().get(b))
                return fail(e);
            out->kind = b ? JR_TRUE : JR_FALSE;
            return true;
        }
        case od::json_type::null: {
            bool is_null = false;
            if (v.is_null().get(is_null) || !is_null)
                return fail(JR_NOT_JSON);
            out->kind = JR_NULL;
            return true;
        }
        }
        return fail(JR_NOT_JSON);
    }

    /* The root: a scalar document has its own accessors in On-Demand. */
    bool root(od::document &doc, jr_value *out)
    {
        od::json_type type;
        if (auto e = doc.type().get(type))
            return fail(e);
        switch (type) {
        case od::json_type::object: {
            od::object obj;
            if (auto e = doc.get_object().get(obj))
                return fail(e);
            if (!object(obj, 1, out))
                return false;
            break;
        }
        case od::json_type::array: {
            od::array arr;
            if (auto e = doc.get_array().get(arr))
                return fail(e);
            if (!array(arr, 1, out))
                return false;
            break;
        }
        case od::json_type::number: {
            std::string_view token;
            if (auto e = doc.raw_json_token().get(token))
                return fail(e);
            return number(token, out);
        }
        case od::json_type::string: {
            std::string_view s;
            if (auto e = doc.get_string().get(s))
                return fail(e);
            return string(s, out);
        }
        case od::json_type::boolean: {
            bool b;
            if (auto e = doc.get_bool().get(b))
                return fail(e);
            out->kind = b ? JR_TRUE : JR_FALSE;
            return true;
        }
        case od::json_type::null: {
            bool is_null = false;
            if (doc.is_null().get(is_null) || !is_null)
                return fail(JR_NOT_JSON);
            out->kind = JR_NULL;
            return true;
        }
        }
        /* Anything left after the root value ("{} x", "{}{}") is not JSON. */
        const char *rest;
        if (doc.current_location().get(rest) == simdjson::SUCCESS)
            return fail(JR_NOT_JSON);
        return true;
    }
};

} // namespace

extern "C" jr_reader *jr_reader_new(size_t max_depth)
{
    void *memory = arena_sys_malloc(sizeof(jr_reader));
    if (!memory)
        return nullptr;
    jr_reader *r = new (memory) jr_reader();
    r->max_depth = max_depth;
    /* simdjson sizes its buffers to the line on first use; its own depth limit sits one above ours. */
    if (r->parser.allocate(simdjson::SIMDJSON_PADDING, max_depth + 1) != simdjson::SUCCESS) {
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
    try {
        jr_value *root = static_cast<jr_value *>(arena_calloc(a, 1, sizeof(jr_value)));
        if (!root)
            return JR_NO_MEMORY;
        if (len > r->parser.capacity() && r->parser.allocate(len, r->max_depth + 1) != simdjson::SUCCESS)
            return JR_NO_MEMORY;
        od::document doc;
        walker w{a, r->max_depth};
        auto e = r->parser.iterate(simdjson::padded_string_view(line, len, len + JR_PADDING)).get(doc);
        if (e)
            return e == simdjson::MEMALLOC ? JR_NO_MEMORY : JR_NOT_JSON;
        if (!w.root(doc, root))
            return w.status;
        *out = root;
        return JR_OK;
    } catch (const std::bad_alloc &) {
        return JR_NO_MEMORY;
    }
}

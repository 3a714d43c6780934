/*
 * The floor of the benchmark: a parse-only pass over a JSON Lines corpus with
 * simdjson's On-Demand API. It touches every field of every record (every key
 * unescaped, every string unescaped, every number token and boolean read,
 * every array walked) and decides nothing, so its rate is the physical limit
 * of reading the input with the reader regel uses.
 *
 *   floor [--many] [FILE|-]
 *
 * By default each line is parsed on its own, as regel must (a broken line
 * gets its own error and the batch goes on); the input is read in 1 MiB
 * blocks exactly as `regel eval` reads it. --many hands whole blocks to
 * simdjson's iterate_many instead, which amortises stage 1 over many records
 * but cannot recover from a broken line; it is there to show what the
 * per-line structure costs. Prints the line count and a checksum (so that the
 * compiler cannot drop the work) to standard error.
 *
 * Which On-Demand kernel is inlined here depends on the compiler flags: with
 * Debian's defaults it is simdjson::fallback, with -march=haswell it is
 * simdjson::haswell. Stage 1 (structural indexing, UTF-8 validation) and
 * string unescaping are called through the library's runtime-dispatched
 * implementation either way; SIMDJSON_FORCE_IMPLEMENTATION=fallback in the
 * environment forces those to the scalar kernel too. The program prints the
 * two names so that a measurement says what it measured.
 */
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <utility>

#include <simdjson.h>

namespace od = simdjson::ondemand;

#define FLOOR_NAME_(x) #x
#define FLOOR_NAME(x) FLOOR_NAME_(x)

namespace {

struct counter {
    unsigned long long lines = 0, bad = 0, sum = 0;

    void touch(std::string_view s) { sum += s.size() + (s.empty() ? 0 : (unsigned char)s[0]); }

    bool value(od::value v)
    {
        od::json_type t;
        if (v.type().get(t))
            return false;
        switch (t) {
        case od::json_type::object: {
            od::object o;
            return !v.get_object().get(o) && object(o);
        }
        case od::json_type::array: {
            od::array a;
            if (v.get_array().get(a))
                return false;
            for (auto item : a) {
                od::value x;
                if (std::move(item).get(x) || !value(x))
                    return false;
            }
            return true;
        }
        case od::json_type::string: {
            std::string_view s;
            if (v.get_string().get(s))
                return false;
            touch(s);
            return true;
        }
        case od::json_type::number:
            touch(v.raw_json_token());
            return true;
        case od::json_type::boolean: {
            bool b;
            if (v.get_bool().get(b))
                return false;
            sum += b;
            return true;
        }
        case od::json_type::null: {
            bool n;
            return !v.is_null().get(n) && n;
        }
        }
        return false;
    }

    bool object(od::object o)
    {
        for (auto fr : o) {
            od::field f;
            std::string_view key;
            if (std::move(fr).get(f) || f.unescaped_key().get(key))
                return false;
            touch(key);
            if (!value(f.value()))
                return false;
        }
        return true;
    }

    void document(od::document &doc)
    {
        od::object o;
        const char *rest;
        /* Anything after the root object ("{} x") makes the line not JSON, as in regel. */
        if (doc.get_object().get(o) || !object(o) || doc.current_location().get(rest) == simdjson::SUCCESS)
            bad++;
    }
};

bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    bool many = false;
    const char *path = "-";
    for (int i = 1; i < argc; i++) {
        if (std::strcmp(argv[i], "--many") == 0)
            many = true;
        else
            path = argv[i];
    }
    FILE *in = std::strcmp(path, "-") == 0 ? stdin : std::fopen(path, "rb");
    if (!in) {
        std::perror(path);
        return 2;
    }
    const size_t block = 1 << 20;
    size_t cap = block, len = 0;
    char *buf = static_cast<char *>(std::malloc(cap + simdjson::SIMDJSON_PADDING));
    od::parser parser;
    counter c;
    for (;;) {
        size_t got = std::fread(buf + len, 1, cap - len, in);
        len += got;
        bool eof = got == 0;
        size_t start = 0;
        if (many) {
            /* Everything up to the last newline (or all of it at the end) in one stream. */
            const char *last = static_cast<const char *>(memrchr(buf, '\n', len));
            size_t end = eof ? len : last ? (size_t)(last - buf) + 1 : 0;
            if (end) {
                od::document_stream stream;
                if (!parser.iterate_many(buf, end, block).get(stream))
                    for (auto d : stream) {
                        od::document_reference doc;
                        od::object o;
                        c.lines++;
                        if (std::move(d).get(doc) || doc.get_object().get(o) || !c.object(o))
                            c.bad++;
                    }
                start = end;
            }
        } else {
            const char *nl;
            while ((nl = static_cast<const char *>(std::memchr(buf + start, '\n', len - start))) || (eof && start < len)) {
                size_t end = nl ? (size_t)(nl - buf) : len;
                size_t n = end - start;
                if (n && buf[start + n - 1] == '\r')
                    n--;
                if (!blank(buf + start, n)) {
                    c.lines++;
                    od::document doc;
                    if (parser.iterate(simdjson::padded_string_view(buf + start, n, n + simdjson::SIMDJSON_PADDING)).get(doc))
                        c.bad++;
                    else
                        c.document(doc);
                }
                start = end + 1;
                if (!nl)
                    break;
            }
        }
        if (eof)
            break;
        if (start > len)
            start = len;
        std::memmove(buf, buf + start, len - start);
        len -= start;
        if (len == cap) {
            cap *= 2;
            buf = static_cast<char *>(std::realloc(buf, cap + simdjson::SIMDJSON_PADDING));
        }
    }
    std::fprintf(stderr, "floor: %llu lines, %llu not parsed, checksum %llu (inlined On-Demand: %s, stage 1: %s)\n", c.lines,
                 c.bad, c.sum, FLOOR_NAME(SIMDJSON_BUILTIN_IMPLEMENTATION),
                 simdjson::get_active_implementation()->name().c_str());
    std::free(buf);
    if (in != stdin)
        std::fclose(in);
    return 0;
}

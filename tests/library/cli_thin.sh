#!/bin/sh
# The regel command is a thin client of libregel (issue 8): its sources
# include no header of the interpreter, only include/regel.h, their own
# (cli.h, cli_diag.h) and the system's; and the executable links the
# library target alone (the build passes what it links as the arguments).
set -u
cli=$1
shift
status=0
for f in "$cli"/*.c "$cli"/*.h; do
    bad=$(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
        grep -v -e '"regel\.h"' -e '"cli\.h"' -e '"cli_diag\.h"')
    if [ -n "$bad" ]; then
        echo "FAIL: $f includes a header that is not the library's public one:"
        printf '%s\n' "$bad" | sed 's/^/    /'
        status=1
    fi
done
if [ "$*" != "regel_static" ]; then
    echo "FAIL: regel links '$*', not libregel (regel_static) alone"
    status=1
fi
[ "$status" -eq 0 ] && echo "regel includes regel.h and links libregel only"
exit $status

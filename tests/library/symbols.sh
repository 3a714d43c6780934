#!/bin/sh
# Only the public API (regel_*) may leave libregel: every other defined
# global symbol of the shared library's dynamic table, or of the static
# archive, would be a name a program linking regel could collide with.
set -u
shared=$1 static=$2
status=0
check() {
    what=$1
    names=$2
    if [ -z "$names" ]; then
        echo "FAIL: $what exports nothing"
        status=1
        return
    fi
    leaked=$(printf '%s\n' "$names" | grep -v '^regel_')
    if [ -n "$leaked" ]; then
        echo "FAIL: $what exports symbols outside regel_*:"
        printf '%s\n' "$leaked" | sed 's/^/    /'
        status=1
    fi
}
shared_names=$(nm -D --defined-only "$shared" | awk 'NF == 3 { print $3 }')
static_names=$(nm -g --defined-only "$static" | awk 'NF == 3 { print $3 }')
check "$shared" "$shared_names"
check "$static" "$static_names"
# The header's every function is exported, so nothing the API promises is missing.
for name in $(sed -n 's/^REGEL_API [^(]*[ *]\(regel_[a-z_]*\)(.*/\1/p' "$(dirname "$0")/../../include/regel.h"); do
    printf '%s\n' "$shared_names" | grep -qx "$name" || { echo "FAIL: $shared lacks $name"; status=1; }
    printf '%s\n' "$static_names" | grep -qx "$name" || { echo "FAIL: $static lacks $name"; status=1; }
done
[ "$status" -eq 0 ] && echo "only regel_* symbols are exported"
exit $status

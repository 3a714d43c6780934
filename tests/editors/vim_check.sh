#!/bin/sh
# The Vim syntax of editors/vim over rule files: it must load without an
# error, detect the file type, and highlight every non-blank character of the
# files named on the command line (vim_check.vim) with no error group. The
# files whose names start with "bad-" in tests/editors/ must instead show the
# error group, so the check can fail; and sample.regel must be highlighted
# as expectations.tsv says.
set -u
editors=$1
shift
here=$(dirname "$0")
command -v vim > /dev/null || { echo "vim is not installed (.ci/install-deps installs vim-nox)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() {
    REGEL_VIM_REPORT=$tmp/report HOME=$tmp vim -es -N -u NONE -i NONE --not-a-term \
        --cmd "set runtimepath^=$editors/vim" -S "$here/vim_check.vim" -- "$@" > "$tmp/out" 2>&1 < /dev/null
}
run "$@"
status=$?
if [ "$status" -ne 0 ] || [ ! -f "$tmp/report" ]; then
    cat "$tmp/out"
    [ -f "$tmp/report" ] && cat "$tmp/report"
    echo "FAIL: the Vim syntax does not cover every file (vim exited $status)"
    exit 1
fi
REGEL_VIM_EXPECT=$here/expectations.tsv REGEL_VIM_REPORT=$tmp/report HOME=$tmp vim -es -N -u NONE -i NONE --not-a-term \
    --cmd "set runtimepath^=$editors/vim" -S "$here/vim_expect.vim" > "$tmp/out" 2>&1 < /dev/null
if [ $? -ne 0 ] || [ ! -f "$tmp/report" ]; then
    cat "$tmp/out" "$tmp/report" 2> /dev/null
    echo "FAIL: the Vim syntax does not highlight sample.regel as expectations.tsv says"
    exit 1
fi
for bad in "$here"/bad-*.regel; do
    run "$bad"
    if [ $? -eq 0 ] || ! grep -q "error highlighting" "$tmp/report"; then
        echo "FAIL: $bad shows no error highlighting"
        exit 1
    fi
done
echo "the Vim syntax highlights $# file(s) without an error; the bad examples show errors"

#!/bin/sh
# Not a ctest (it needs the npm registry): runs the TextMate grammar with VS
# Code's own engine (vscode-textmate and vscode-oniguruma, installed into a
# temporary directory) over rule files, and compares the scopes of every
# non-blank character with those of textmate_check.py's tokenizer, so that the
# ctest's tokenizer is known to read the grammar as editors do.
#
# usage: tests/editors/vscode_compare.sh [FILE...]   (default: the shipped rule files)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
[ $# -gt 0 ] || set -- "$root"/rulesets/*/*.regel "$here/sample.regel" "$here/bad-stray.regel"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm install --silent --no-audit --no-fund vscode-textmate@9 vscode-oniguruma@2 > /dev/null)
cp "$here/vscode_tokenize.js" "$tmp/"
node "$tmp/vscode_tokenize.js" "$root/editors/textmate/regel.tmLanguage.json" "$@" > "$tmp/vscode.json"
python3 - "$here" "$root/editors/textmate/regel.tmLanguage.json" "$tmp/vscode.json" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
import textmate_check
grammar = textmate_check.Grammar(sys.argv[2])
compared = differences = 0
for row in json.load(open(sys.argv[3], encoding='utf-8')):
    line = row['line'].rstrip('\r')
    ours, _ = textmate_check.tokenize(grammar, line)
    for i, c in enumerate(line):  # the files hold no characters beyond the BMP
        if c.isspace():
            continue
        compared += 1
        if ours[i] != row['scopes'][i]:
            differences += 1
            print(f"{row['file']}: {line!r} column {i + 1}: {ours[i]} here, {row['scopes'][i]} in VS Code")
print(f'{compared} characters compared, {differences} differ')
sys.exit(1 if differences else 0)
PY

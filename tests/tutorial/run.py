#!/usr/bin/env python3
"""Runs every shell block of docs/tutorial.md, so the tutorial cannot go stale.

usage: run.py REGEL SOURCE_ROOT TUTORIAL.md

The blocks run in order, each with `sh -e`, in a temporary directory that
holds a copy of SOURCE_ROOT/rulesets (the tutorial's commands are written as
if run from the root of a checkout), with the directory of REGEL first on
PATH. A fenced block
- ```sh            must exit 0;
- ```sh exit=N     must exit N;
- ```output        right after a sh block is what that block must print on
                   standard output, line for line; `...` in a line stands for
                   any text (counts and hashes that change with the rules).
A block fenced as bash, shell or console is an error: every command shown
must be one that is run. Other blocks (```regel, ```text) are only read.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile


def blocks(path):
    """(line number, info string, text) of every fenced block."""
    found = []
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    i = 0
    while i < len(lines):
        m = re.match(r'^```(.*)$', lines[i])
        if not m:
            i += 1
            continue
        start, info = i + 1, m.group(1).strip()
        body = []
        i += 1
        while i < len(lines) and lines[i] != '```':
            body.append(lines[i])
            i += 1
        if i == len(lines):
            raise SystemExit(f'{path}:{start}: the block is never closed')
        found.append((start, info, '\n'.join(body) + '\n'))
        i += 1
    return found


def line_matches(expected, actual):
    pattern = '.*'.join(re.escape(part) for part in expected.split('...'))
    return re.fullmatch(pattern, actual) is not None


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    regel, root, tutorial = sys.argv[1:]
    regel = os.path.abspath(regel)
    all_blocks = blocks(tutorial)
    work = tempfile.mkdtemp(prefix='regel-tutorial-')
    failures = 0
    ran = 0
    try:
        shutil.copytree(os.path.join(root, 'rulesets'), os.path.join(work, 'rulesets'))
        env = dict(os.environ, PATH=os.path.dirname(regel) + os.pathsep + os.environ.get('PATH', ''),
                   NO_COLOR='1', LC_ALL='C.UTF-8')
        for n, (line, info, text) in enumerate(all_blocks):
            words = info.split()
            kind = words[0] if words else ''
            if kind in ('bash', 'shell', 'console', 'sh-session'):
                print(f'{tutorial}:{line}: a {kind} block is not run; write it as ```sh')
                failures += 1
                continue
            if kind != 'sh':
                continue
            want_status = 0
            for w in words[1:]:
                if w.startswith('exit='):
                    want_status = int(w[5:])
            run = subprocess.run(['sh', '-e', '-c', text], cwd=work, env=env, capture_output=True,
                                 text=True, timeout=120)
            ran += 1
            problems = []
            if run.returncode != want_status:
                problems.append(f'exited {run.returncode}, expected {want_status}')
            if n + 1 < len(all_blocks) and all_blocks[n + 1][1] == 'output':
                expected = all_blocks[n + 1][2].rstrip('\n').split('\n')
                actual = run.stdout.rstrip('\n').split('\n')
                if len(expected) != len(actual) or not all(map(line_matches, expected, actual)):
                    problems.append('printed something else than the output block after it:\n'
                                    + ''.join(f'    expected | {e}\n' for e in expected)
                                    + ''.join(f'    actual   | {a}\n' for a in actual))
            if problems:
                failures += 1
                print(f'{tutorial}:{line}: the block\n' + ''.join(f'    {t}\n' for t in text.rstrip('\n').split('\n'))
                      + '  ' + '\n  '.join(problems))
                if run.stderr:
                    print('  standard error:\n' + ''.join(f'    {t}\n' for t in run.stderr.rstrip('\n').split('\n')))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if ran == 0:
        print(f'{tutorial}: no sh block to run')
        return 1
    if failures:
        print(f'{failures} block(s) of {tutorial} failed')
        return 1
    print(f'all {ran} shell blocks of {tutorial} ran as the tutorial says')
    return 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
"""Spoils the layout of rule files without changing a single token, so that
`regel fmt` can be tested on the real rule files: formatting the spoiled copy
must give back the (formatted) original byte for byte.

usage: mess.py SEED OUT_DIR FILE...

Whitespace only: indentation and the blanks between tokens are changed (never
to nothing), spaces are added inside brackets and before commas, trailing
blanks and extra blank lines are added, law-text lines are indented, and every
other file gets CRLF line ends. Strings and comments are never touched inside.
"""
import os
import random
import sys


def split_code(line):
    """The code part of a line and its comment ('' if none), respecting strings."""
    in_string = False
    i = 0
    while i < len(line):
        c = line[i]
        if in_string:
            if c == '\\':
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c == '#':
            return line[:i], line[i:]
        i += 1
    return line, ''


def spoil_code(code, rng):
    out = []
    in_string = False
    i = 0
    while i < len(code):
        c = code[i]
        if in_string:
            out.append(c)
            if c == '\\' and i + 1 < len(code):
                out.append(code[i + 1])
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
            out.append(c)
        elif c in ' \t':
            j = i
            while j < len(code) and code[j] in ' \t':
                j += 1
            out.append(rng.choice([' ', '  ', '   ', '\t', ' \t']))
            i = j
            continue
        elif c in ',)]' and rng.random() < 0.5:
            out.append(' ' + c)
        elif c in '([' and rng.random() < 0.5:
            out.append(c + ' ')
        else:
            out.append(c)
        i += 1
    return ''.join(out)


def spoil(text, rng, crlf):
    lines = []
    for line in text.split('\n')[:-1] if text.endswith('\n') else text.split('\n'):
        body = line.strip()
        indent = ' ' * rng.randrange(0, 7)
        trail = rng.choice(['', ' ', '  ', '\t'])
        if not body:
            lines.extend([trail] * rng.choice([1, 2, 3]))
        elif body.startswith('>') or body.startswith('#'):
            lines.append(indent + body + trail)
        else:
            code, comment = split_code(body)
            lines.append(indent + spoil_code(code, rng) + (rng.choice([' ', '   ', '\t']) + comment if comment else '') + trail)
    lines.extend([''] * rng.choice([0, 2]))
    end = '\r\n' if crlf else '\n'
    return end.join(lines) + end


def main():
    seed, out_dir, files = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    rng = random.Random(seed)
    for n, path in enumerate(files):
        with open(path, encoding='utf-8') as f:
            text = f.read()
        with open(os.path.join(out_dir, os.path.basename(path)), 'w', encoding='utf-8', newline='') as f:
            f.write(spoil(text, rng, crlf=n % 2 == 1))


if __name__ == '__main__':
    main()

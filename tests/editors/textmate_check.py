#!/usr/bin/env python3
"""Checks editors/textmate/regel.tmLanguage.json the way an editor uses it.

usage: textmate_check.py GRAMMAR EXPECTATIONS.tsv SAMPLE.regel BAD.regel -- FILE...

A small TextMate tokenizer (match, begin/end, captures, include of the
repository and $self; the earliest match wins, the first rule on a tie, a
region's end before its patterns) runs the grammar over every line of every
FILE, and fails when
- a regular expression does not compile;
- a non-blank character gets no scope beyond source.regel, or an
  invalid.illegal scope (a character the rule-file scanner would reject);
- a begin/end construct is still open at the end of a line (no construct of
  the language spans lines: an open one is an unterminated string).
SAMPLE.regel must be scoped as EXPECTATIONS.tsv says (LINE, TEXT, Vim group,
TextMate scope), and BAD.regel must fail, so that the check itself can fail.

The grammar keeps to regular expressions that Oniguruma (the engine of VS Code
and TextMate) and Python read alike: classes, groups, lookahead, \\b, \\d.
"""
import json
import re
import sys


class Grammar:
    def __init__(self, path):
        with open(path, encoding='utf-8') as f:
            self.raw = json.load(f)
        self.repository = self.raw.get('repository', {})
        self.errors = []
        self.compiled = {}
        self.top = self.flatten(self.raw['patterns'], set())

    def regex(self, source, where):
        if source not in self.compiled:
            try:
                self.compiled[source] = re.compile(source)
            except re.error as e:
                self.errors.append(f'{where}: {source!r} does not compile: {e}')
                self.compiled[source] = re.compile(r'(?!)')
        return self.compiled[source]

    def flatten(self, patterns, seen):
        """The rules of a pattern list, includes expanded, in order."""
        rules = []
        for p in patterns:
            if 'include' in p:
                ref = p['include']
                if ref == '$self':
                    rules.extend(self.top if hasattr(self, 'top') else [])
                    continue
                if not ref.startswith('#') or ref[1:] not in self.repository:
                    self.errors.append(f'include of unknown {ref!r}')
                    continue
                if ref in seen:
                    continue
                rules.extend(self.flatten([self.repository[ref[1:]]], seen | {ref}))
            elif 'match' in p:
                rules.append({'kind': 'match', 'regex': self.regex(p['match'], p.get('name', 'match')),
                              'name': p.get('name'), 'captures': p.get('captures', {})})
            elif 'begin' in p:
                rules.append({'kind': 'begin', 'regex': self.regex(p['begin'], p.get('name', 'begin')),
                              'end': self.regex(p['end'], p.get('name', 'end')), 'name': p.get('name'),
                              'begin_captures': p.get('beginCaptures', p.get('captures', {})),
                              'end_captures': p.get('endCaptures', p.get('captures', {})),
                              'patterns': p.get('patterns', []), 'rules': None})
            elif 'patterns' in p:
                rules.extend(self.flatten(p['patterns'], seen))
        return rules

    def region_rules(self, rule):
        if rule['rules'] is None:
            rule['rules'] = self.flatten(rule['patterns'], set())
        return rule['rules']


def paint(scopes, m, name, captures, base):
    """Adds the scopes of a match to the characters it covers."""
    for i in range(m.start(), m.end()):
        scopes[i] = base + ([name] if name else [])
    for group, capture in captures.items():
        g = int(group)
        if capture.get('name') and m.group(g) is not None:
            for i in range(m.start(g), m.end(g)):
                scopes[i] = scopes[i] + [capture['name']]


def tokenize(grammar, line):
    """Per character, its scopes (outermost first); and whether a region stayed open."""
    scopes = [[] for _ in line]
    stack = []  # open begin/end rules
    pos = 0
    while pos <= len(line):
        base = [r['name'] for r in stack if r['name']]
        rules = grammar.region_rules(stack[-1]) if stack else grammar.top
        best, best_rule, is_end = None, None, False
        if stack:
            e = stack[-1]['end'].search(line, pos)
            if e:
                best, is_end = e, True
        for rule in rules:
            m = rule['regex'].search(line, pos)
            if m and (best is None or m.start() < best.start()):
                best, best_rule, is_end = m, rule, False
        if best is None:
            for i in range(pos, len(line)):
                scopes[i] = base[:]
            break
        for i in range(pos, best.start()):
            scopes[i] = base[:]
        if is_end:
            paint(scopes, best, None, stack[-1]['end_captures'], base)
            stack.pop()
        elif best_rule['kind'] == 'begin':
            paint(scopes, best, best_rule['name'], best_rule['begin_captures'], base)
            stack.append(best_rule)
        else:
            paint(scopes, best, best_rule['name'], best_rule['captures'], base)
        if best.end() == pos and not is_end and best_rule['kind'] == 'match':
            pos += 1  # an empty match must not stall the scan
        else:
            pos = best.end() if best.end() > pos else pos + 1
    return scopes, bool(stack)


def problems(grammar, path):
    found = []
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f.read().split('\n'), 1):
            line = line.rstrip('\r')
            scopes, open_region = tokenize(grammar, line)
            for col, (c, s) in enumerate(zip(line, scopes), 1):
                if c.isspace():
                    continue
                if not s:
                    found.append(f'{path}:{n}:{col}: {c!r} has no scope')
                elif any(x.startswith('invalid') for x in s):
                    found.append(f'{path}:{n}:{col}: {c!r} is {s[-1]}')
            if open_region:
                found.append(f'{path}:{n}: a construct is still open at the end of the line')
    return found


def expectation_failures(grammar, expectations, sample):
    with open(sample, encoding='utf-8') as f:
        lines = f.read().split('\n')
    failures = []
    with open(expectations, encoding='utf-8') as f:
        for row in f:
            if not row.strip():
                continue
            lnum, text, _vim, scope = row.rstrip('\n').split('\t')
            line = lines[int(lnum) - 1]
            start = line.find(text)
            if start < 0:
                failures.append(f'line {lnum}: {text!r} not found')
                continue
            scopes, _ = tokenize(grammar, line)
            for i in range(start, start + len(text)):
                if not line[i].isspace() and not any(s.startswith(scope) for s in scopes[i]):
                    failures.append(f'line {lnum}: {text!r} is {scopes[i]}, expected {scope}')
                    break
    return failures


def main():
    args = sys.argv[1:]
    if '--' not in args or args.index('--') != 4:
        print(__doc__)
        return 2
    grammar_path, expectations, sample, bad = args[:4]
    files = args[5:]
    grammar = Grammar(grammar_path)
    if grammar.raw.get('scopeName') != 'source.regel' or 'regel' not in grammar.raw.get('fileTypes', []):
        grammar.errors.append('scopeName must be source.regel and fileTypes must name regel')
    failures = list(grammar.errors)
    for path in files:
        failures.extend(problems(grammar, path))
    failures.extend(expectation_failures(grammar, expectations, sample))
    if not problems(grammar, bad):
        failures.append(f'{bad}: the bad example shows no problem, so the check could never fail')
    for f in failures:
        print('FAIL:', f)
    if failures:
        return 1
    print(f'the TextMate grammar covers {len(files)} file(s) without an unmatched construct; '
          f'sample.regel is scoped as expected; the bad example fails')
    return 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
"""Writes direct_numbers.jsonl: LSS records whose number fields are spelt every
way a digit run can be, for the fuzz target's replay (cmake/robustness.cmake),
which decides each line with the direct reader and with the general one and
requires the same bytes. The direct reader reads a run of up to eight digits a
word at a time (record.c, short_digits) and longer runs digit by digit, and
hands any other spelling to the general path: so every length from 1 to 20
digits, each with a non-digit (valid JSON or not) at each position, leading
zeros, signs, and each field's range edges, in a field of a record and of an
item, at the end of its object and before another member.

    python3 tests/performance/make_direct_numbers.py > tests/performance/direct_numbers.jsonl
"""

HEAD = '{"id":"dn-%d","decision_date":"2024-05-02","application_date":"2024-05-02","birth_date":"1990-05-02",'
NEED = '"needs":[{"kind":"personlig_hygien","minutes_per_week":%s%s}]'


def spellings():
    digits = "9876543210" * 2
    for n in range(1, 21):
        run = digits[:n]
        yield run
        yield "1" + "0" * (n - 1)
        yield "0" + run[1:] if n > 1 else "0"
        yield "-" + run
        for k in range(n):
            for c in ".eE-+x /:;<=>?":
                yield run[:k] + c + run[k + 1:]
        yield run + ".0"
        yield run + "e0"
    yield from ["0", "-0", "3", "4", "40320", "40321", "10080", "10081", "00", "1.5", "2E1", "1e-1",
                "4095", "4096", "9999", "12345", "14096", "19999", "39999", "40319"]


def main():
    no = 0
    for s in spellings():
        for where in range(3):
            no += 1
            if where == 0:   # a record's field, before other members
                line = HEAD % no + '"granted_minutes_before":%s,"personkrets":1,"lasting":true,' % s + NEED % (1300, "")
            elif where == 1:  # a record's int field, the last member
                line = HEAD % no + '"lasting":true,' + NEED % (1300, "") + ',"personkrets":%s' % s
            else:             # an item's field, at the end of the item and before another member
                line = HEAD % no + '"personkrets":1,"lasting":true,' + NEED % (s, ',"assistants":%s' % s)
            print(line + "}")


main()

"""The tally every audit check script keeps: a check passes or fails, the
first failures are printed as they happen, and the run ends with the line
`N passed, N failed` and a status of 1 when anything failed."""

_failures = []
_passed = 0


def ok(cond, what):
    global _passed
    if cond:
        _passed += 1
        return
    _failures.append(what)
    if len(_failures) <= 15:
        print("FAIL:", what)


def finish():
    print("%d passed, %d failed" % (_passed, len(_failures)))
    return 1 if _failures else 0

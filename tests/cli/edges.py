#!/usr/bin/env python3
"""The command line at its edges: every command's usage errors and --help,
files that cannot be opened or read, results that cannot be written (a full
disk: /dev/full), decision logs that are missing, not SQLite, not a log or
damaged, replays that differ, and --diagnostics in both formats. Each case
checks the exit status (0 done, 1 some cases rejected or differing, 2 the
command could not do its work), what was written and, for a failure, the
message that says why.
    edges.py REGEL SOURCE_DIR"""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

REGEL, ROOT = sys.argv[1], sys.argv[2]
LSS = os.path.join(ROOT, "rulesets", "lss-personlig-assistans")
DECIDED = os.path.join(LSS, "examples", "spec-decided.jsonl")
ERRORS = os.path.join(LSS, "examples", "spec-errors.jsonl")
DIAG = os.path.join(ROOT, "tests", "diagnostics")
ENV = dict(os.environ, NO_COLOR="1")

failures, passed = [], 0


def ok(cond, what):
    global passed
    if cond:
        passed += 1
    else:
        failures.append(what)
        print("FAIL:", what)


def run(*args, stdin=b"", stdout=subprocess.PIPE, env=ENV):
    return subprocess.run([REGEL, *args], input=stdin, stdout=stdout, stderr=subprocess.PIPE, env=env, timeout=120)


def expect(args, status, err=None, out=None, stdin=b"", what=None):
    """`regel ARGS` exits `status`; standard error matches the regex `err`
    and standard output the regex `out` (or is empty when `out` is "")."""
    r = run(*args, stdin=stdin)
    name = what or " ".join(args)
    e, o = r.stderr.decode(errors="replace"), r.stdout.decode(errors="replace")
    ok(r.returncode == status, "%s: exit %d, expected %d (stderr %r)" % (name, r.returncode, status, e[:300]))
    if err is not None:
        ok(re.search(err, e) is not None, "%s: stderr %r does not match %r" % (name, e[:300], err))
    if out == "":
        ok(o == "", "%s: nothing on standard output, got %r" % (name, o[:200]))
    elif out is not None:
        ok(re.search(out, o) is not None, "%s: stdout %r does not match %r" % (name, o[:300], out))
    return r


def usage_errors(tmp):
    expect([], 2, err=r"^usage: regel COMMAND|usage", out="", what="no command")
    expect(["frobnicate"], 2, err=r"unknown command 'frobnicate'", out="")
    expect(["--version"], 0, out=r"^regel \d+\.\d+\.\d+\n$")
    expect(["help"], 0, out=r"usage")
    # Every command: --help on standard output, an unknown option and a wrong
    # number of arguments on standard error with status 2.
    for cmd, too_few in [("check", []), ("eval", []), ("explain", []), ("test", []), ("diff", [LSS]),
                         ("version", []), ("audit", []), ("replay", [LSS]), ("fmt", [])]:
        expect([cmd, "--help"], 0, out=r"^usage: regel " + cmd)
        expect([cmd, "--no-such-option", LSS], 2, err=r"usage: regel " + cmd, out="")
        expect([cmd, *too_few], 2, err=r"usage: regel " + cmd, out="")
    expect(["check", LSS, LSS], 2, err=r"usage: regel check", out="")
    expect(["version", LSS, LSS], 2, err=r"usage: regel version", out="")
    expect(["explain", "--lang", "de", LSS, DECIDED], 2, err=r"usage: regel explain", out="")
    expect(["audit", "--id", "a", "--rule", "b", "x.db"], 2, err=r"usage: regel audit", out="",
           what="audit with both --id and --rule")
    expect(["audit", "x.db"], 2, err=r"usage: regel audit", out="", what="audit with neither --id nor --rule")
    for bad in ["0", "1000001", "12x"]:
        expect(["eval", "--log-batch", bad, "--log", os.path.join(tmp, "b.db"), LSS, DECIDED], 2,
               err=r"--log-batch wants a number from 1 to 1000000", out="")
    ok(not os.path.exists(os.path.join(tmp, "b.db")), "a bad --log-batch makes no log")


def diagnostics_option():
    expect(["check", "--diagnostics=xml", LSS], 2, err=r"unknown diagnostics format 'xml' \(use text or json\)", out="")
    expect(["check", LSS, "--diagnostics"], 2, err=r"--diagnostics needs a format", out="")
    # The format as the next argument, and `--` ending the options.
    r = expect(["check", "--diagnostics", "json", os.path.join(DIAG, "two_inputs.regel")], 2, out="")
    lines = r.stderr.decode().splitlines()
    ok(len(lines) == 1 and json.loads(lines[0])["message"] == "a ruleset has one input declaration"
       and json.loads(lines[0])["note"]["message"] == "the first is here",
       "--diagnostics json: one object with its note, no count line: %r" % lines)
    expect(["check", "--diagnostics=text", "--", LSS], 0, err=r"^$", out=r"2020-07-01")
    expect(["check", "--diagnostics=json", "--diagnostics=text", os.path.join(DIAG, "no_input.regel")], 2,
           err=r"no_input.regel: 1 error\(s\), 0 warning\(s\)\n$", what="the last --diagnostics wins")
    # Past the error cap, JSON ends with a note that counts the rest.
    r = expect(["check", "--diagnostics=json", os.path.join(DIAG, "error_cap.regel")], 2, out="")
    objs = [json.loads(l) for l in r.stderr.decode().splitlines()]
    ok(len(objs) == 51 and all(o["severity"] == "error" for o in objs[:50])
       and objs[50]["severity"] == "note" and objs[50]["file"] is None
       and re.fullmatch(r"\d+ more error\(s\) not shown", objs[50]["message"]),
       "error cap in JSON: 50 errors and a note (%d objects, last %r)" % (len(objs), objs[-1:]))


def colour():
    """On a terminal, and only without NO_COLOR, the location is bold and
    `error` red (docs/diagnostics.md)."""
    import pty
    bad = os.path.join(DIAG, "no_input.regel")
    for no_color, coloured in [(None, True), ("1", False)]:
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        if no_color:
            env["NO_COLOR"] = no_color
        master, slave = pty.openpty()
        p = subprocess.Popen([REGEL, "check", bad], stdout=subprocess.DEVNULL, stderr=slave, env=env)
        os.close(slave)
        got = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            got += chunk
        os.close(master)
        status = p.wait()
        text = got.decode(errors="replace")
        ok(status == 2 and "this version has no input declaration" in text,
           "check on a terminal (NO_COLOR=%s): status %d, %r" % (no_color, status, text[:200]))
        ok(("\x1b[" in text) == coloured, "colour on a terminal only without NO_COLOR (NO_COLOR=%s): %r" % (no_color, text[:200]))


def files(tmp):
    missing = os.path.join(tmp, "missing")
    expect(["check", missing], 2, err=r"cannot open ruleset", out="")
    expect(["version", missing], 2, err=r"cannot open ruleset", out="")
    expect(["test", missing], 2, err=r"cannot open ruleset", out="")
    expect(["explain", missing, DECIDED], 2, err=r"cannot open ruleset", out="")
    expect(["diff", missing, LSS, DECIDED], 2, err=r"cannot open ruleset", out="")
    expect(["replay", os.path.join(tmp, "none.db"), LSS], 2, err=r"cannot open the decision log", out="")
    expect(["audit", "--id", "x", os.path.join(tmp, "none.db")], 2, err=r"cannot open the decision log", out="")
    expect(["explain", LSS, missing], 2, err=r"cannot open '.*missing': No such file", out="")
    expect(["diff", LSS, LSS, missing], 2, err=r"cannot open '.*missing': No such file", out="")
    # A directory opens but cannot be read: an I/O error, not an empty input.
    expect(["eval", LSS, tmp], 2, err=r"error reading input: Is a directory", out="")
    expect(["diff", LSS, LSS, tmp], 2, err=r"error reading input: Is a directory")
    expect(["fmt", "--check", os.path.join(LSS, "2020-07-01.regel"), missing], 2,
           err=r"regel fmt: cannot read '.*missing': No such file", out="")


def full_disk(tmp):
    """Standard output on a full disk: every command that writes results says
    it could not and exits 2."""
    with open("/dev/full", "wb") as full:
        for args in (["eval", LSS, DECIDED], ["explain", LSS, DECIDED], ["test", LSS],
                     ["diff", "--as-of-old", "2020-07-01", "--as-of-new", "2026-01-01", LSS, DECIDED],
                     ["version", LSS], ["check", LSS], ["--version"], ["help"], ["eval", "--help"]):
            r = run(*args, stdout=full)
            lines = r.stderr.decode().splitlines()
            ok(r.returncode == 2 and len(lines) == 1 and re.match(r"regel: .*(cannot write|cannot be written)", lines[0]),
               "%s > /dev/full: exit %d, expected 2 and one message (%r)" % (" ".join(args), r.returncode, r.stderr[-300:]))
        unformatted = open(os.path.join(ROOT, "tests", "fmt", "cases", "messy.regel"), "rb").read()
        r = run("fmt", "-", stdin=unformatted, stdout=full)
        ok(r.returncode == 2 and b"cannot write the output" in r.stderr, "fmt - > /dev/full: %d %r" % (r.returncode, r.stderr))


def explain_edges():
    expect(["explain", "--id", "no-such-case", LSS, DECIDED], 1, err=r"no record with the key 'no-such-case'")
    r = expect(["explain", "--lang", "en", LSS, ERRORS], 1)
    ok(re.search(r"^Case .*: could not be decided: \{", r.stdout.decode(), re.M) is not None,
       "explain of a rejected case in English: %r" % r.stdout[:200])
    r = expect(["explain", LSS, "-"], 1, stdin=b"not json\n\n")
    ok(r.stdout.decode().startswith("Ärende : kunde inte avgöras: "), "explain of a line that is not JSON, in Swedish: %r" % r.stdout[:200])


def make_log(tmp, name, records):
    db = os.path.join(tmp, name)
    src = os.path.join(tmp, name + ".jsonl")
    with open(src, "wb") as f:
        f.write(records)
    r = run("eval", "--trace", "--log", db, LSS, src)
    ok(r.returncode in (0, 1) and os.path.exists(db), "eval --log %s: %d %r" % (name, r.returncode, r.stderr[-200:]))
    return db


def decision_log(tmp):
    decided = open(DECIDED, "rb").read()
    first_id = json.loads(decided.splitlines()[0])["id"]
    # Not SQLite at all, and SQLite without the log's tables.
    junk = os.path.join(tmp, "junk.db")
    with open(junk, "wb") as f:
        f.write(b"this is not a database\n" * 100)
    expect(["replay", junk, LSS], 2, err=r"is not a decision log", out="")
    expect(["audit", "--id", first_id, junk], 2, err=r"is not a decision log", out="")
    other = os.path.join(tmp, "other.db")
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    expect(["replay", other, LSS], 2, err=r"is not a decision log", out="")
    expect(["audit", "--rule", "grant_needs", other], 2, err=r"is not a decision log", out="")
    # A log that cannot be written: its directory is missing, or it is not a log.
    r = run("eval", "--log", os.path.join(tmp, "no", "such", "dir.db"), LSS, DECIDED)
    ok(r.returncode == 2 and b"regel: " in r.stderr, "eval --log into a missing directory: %d %r" % (r.returncode, r.stderr))
    r = run("eval", "--log", junk, LSS, DECIDED)
    ok(r.returncode == 2 and b"regel: " in r.stderr, "eval --log onto a file that is not SQLite: %d %r" % (r.returncode, r.stderr))

    db = make_log(tmp, "log.db", decided + open(ERRORS, "rb").read())
    expect(["audit", "--rule", "no_such_rule", db], 1, err=r"no decision in which fired the rule 'no_such_rule'", out="")
    r = expect(["audit", "--trace", "--id", first_id, db], 0)
    got = [json.loads(l) for l in r.stdout.decode().splitlines()]
    ok(len(got) == 1 and got[0]["case_id"] == first_id and isinstance(got[0]["trace"], list),
       "audit --trace --id: one decision with its trace")
    # A rejected record has no trace: audit writes null.
    err_id = json.loads(open(ERRORS, "rb").read().splitlines()[0]).get("id")
    if isinstance(err_id, str):
        r = expect(["audit", "--trace", "--id", err_id, db], 0)
        got = [json.loads(l) for l in r.stdout.decode().splitlines()]
        ok(got and all(g["trace"] is None for g in got), "audit --trace of a rejected case: trace null (%r)" % got[:1])

    # Damage: an input changed (the result differs), a trace that is not a
    # trace, an input too long to have been kept, a case without a key.
    con = sqlite3.connect(db)
    ids = [r[0] for r in con.execute("SELECT id FROM decision WHERE trace IS NOT NULL ORDER BY id")]
    blank = [r[0] for r in con.execute("SELECT id FROM decision WHERE trace IS NULL ORDER BY id")]
    con.execute("UPDATE decision SET input = CAST(? AS BLOB) WHERE id = ?",
                (decided.splitlines()[1].decode(), ids[0]))
    con.commit()
    r = expect(["replay", db, LSS], 1)
    report = r.stdout.decode()
    ok(re.search(r"^decision %d \(case \".*\", input line 1\): result and trace differ; rules then \S+ sha256:\S+, now \S+ sha256:" % ids[0],
                 report, re.M) is not None, "replay names the decision whose input changed: %r" % report[:300])
    ok(report.endswith(": 1 differ\n"), "replay counts one difference: %r" % report[-100:])
    con.execute("UPDATE decision SET input = CAST('' AS BLOB) WHERE id = ?", (ids[1],))
    if blank:
        con.execute("UPDATE decision SET case_id = NULL, input = CAST('{\"id\":5}' AS BLOB) WHERE id = ?", (blank[0],))
    con.commit()
    r = expect(["replay", db, LSS], 1)
    report = r.stdout.decode()
    ok("1 line(s) too long to keep were not replayed\n" in report, "replay counts the line it could not keep: %r" % report[-200:])
    if blank:
        ok(re.search(r"^decision %d \(case null, " % blank[0], report, re.M) is not None,
           "replay of a decision without a case key: %r" % report[:600])
    con.execute("UPDATE decision SET trace = X'FFFFFFFF' WHERE id = ?", (ids[2],))
    con.commit()
    con.close()
    expect(["replay", db, LSS], 2, err=r"decision %d: the logged trace cannot be read" % ids[2])
    trace_case = sqlite3.connect(db).execute("SELECT case_id FROM decision WHERE id = ?", (ids[2],)).fetchone()[0]
    expect(["audit", "--trace", "--id", trace_case, db], 2, err=r"holds a trace that cannot be read")
    # A file that SQLite opens but finds damaged.
    broken = os.path.join(tmp, "broken.db")
    shutil.copy(make_log(tmp, "fine.db", decided), broken)
    with open(broken, "r+b") as f:
        f.seek(4096)
        f.write(b"\xa5" * (os.path.getsize(broken) - 4096))
    r = run("replay", broken, LSS)
    ok(r.returncode == 2 and b"regel: " in r.stderr, "replay of a damaged log: %d %r" % (r.returncode, r.stderr[-200:]))
    r = run("audit", "--rule", "grant_needs", broken)
    ok(r.returncode == 2 and b"regel: " in r.stderr, "audit of a damaged log: %d %r" % (r.returncode, r.stderr[-200:]))


def log_write_failures(tmp):
    """SQLite refusing a write (a trigger that aborts, as a full disk or a
    lock would) at each step of logging: eval says which step and exits 2,
    and a log with a schema of another version is not written into."""
    decided = DECIDED
    mini = os.path.join(ROOT, "tests", "ruletest", "mini")
    mini_case = os.path.join(tmp, "mini.jsonl")
    with open(mini_case, "w") as f:
        f.write('{"id":"m","decision_date":"2024-06-01","birth_date":"1980-01-01","tasks":[{"minutes":300}]}\n')
    # Refused while the log is opened or on the writer thread, the step and
    # SQLite's reason are given; on the writer thread, then that the log
    # could not be written.
    opening = r"%s.*refused by the test"
    writing = r"decision log: cannot log %s.*refused by the test\n.*cannot write the decision log '.*refuse-%s.db'"
    for table, message in [("run", opening % "cannot start a run"), ("ruleset", opening % "cannot record the ruleset"),
                           ("rule", opening % "cannot record the ruleset"), ("decision", writing % ("a decision", "decision")),
                           ("fired", writing % ("the fired rules", "fired")),
                           ("trace_symbol", writing % ("a trace symbol", "trace_symbol"))]:
        db = os.path.join(tmp, "refuse-%s.db" % table)
        # The log exists, made by another ruleset, so that this one is new to it.
        r = run("eval", "--log", db, mini, mini_case)
        ok(r.returncode == 0, "eval --log with the mini ruleset: %d %r" % (r.returncode, r.stderr))
        con = sqlite3.connect(db)
        con.execute("CREATE TRIGGER refuse BEFORE INSERT ON %s BEGIN SELECT RAISE(ABORT, 'refused by the test'); END" % table)
        con.commit()
        con.close()
        r = run("eval", "--trace", "--log", db, LSS, decided)
        err = r.stderr.decode()
        ok(r.returncode == 2 and re.search(message, err) is not None,
           "a log that refuses rows of %s: exit %d, %r" % (table, r.returncode, err[-300:]))
        # The log's own messages are the last word: no generic line after them.
        ok(re.search(message.split("\\n")[-1], err.splitlines()[-1]) is not None,
           "a log that refuses rows of %s ends with its own message, not %r" % (table, err.splitlines()[-1]))
        # What was refused was rolled back: only the first run's decision is there.
        kept = sqlite3.connect(db).execute("SELECT count(*) FROM decision").fetchone()[0]
        ok(kept == 1, "a log that refuses rows of %s keeps no part of the refused batch (%d decisions)" % (table, kept))
    db = os.path.join(tmp, "schema.db")
    ok(run("eval", "--log", db, LSS, decided).returncode == 0, "eval --log makes a log")
    con = sqlite3.connect(db)
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.commit()
    before = con.execute("SELECT count(*) FROM decision").fetchone()[0]
    con.close()
    expect(["eval", "--log", db, LSS, decided], 2, err=r"the log has schema version 99; this regel writes version 1")
    ok(sqlite3.connect(db).execute("SELECT count(*) FROM decision").fetchone()[0] == before,
       "nothing is written into a log of another schema version")


def log_of_every_kind(tmp):
    """A decision log of rules that read text, money, durations and decimals:
    audit gives back each trace exactly as eval wrote it, and replay finds
    nothing changed."""
    kinds = os.path.join(ROOT, "tests", "ruletest", "kinds")
    cases = os.path.join(kinds, "explain.jsonl")
    db = os.path.join(tmp, "kinds.db")
    r = run("eval", "--trace", "--log", db, kinds, cases)
    ok(r.returncode == 0, "eval --trace --log of the kinds fixture: %d %r" % (r.returncode, r.stderr))
    written = {json.loads(l)["id"]: json.loads(l)["trace"] for l in r.stdout.decode().splitlines()}
    for key, trace in written.items():
        a = expect(["audit", "--trace", "--id", key, db], 0)
        got = [json.loads(l) for l in a.stdout.decode().splitlines()]
        ok(len(got) == 1 and got[0]["trace"] == trace, "audit --trace gives back the trace of %s" % key)
    expect(["replay", db, kinds], 0, out=r"replayed 2 decision\(s\) with .*: 0 differ\n$")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        usage_errors(tmp)
        diagnostics_option()
        colour()
        files(tmp)
        full_disk(tmp)
        explain_edges()
        decision_log(tmp)
        log_write_failures(tmp)
        log_of_every_kind(tmp)
    print("%d passed, %d failed" % (passed, len(failures)))
    return 1 if failures else 0


sys.exit(main())

# No version in force on the date, not a date, wrong arguments, no file.
"$REGEL" diff --as-of-old 2023-06-01 mini claims.jsonl; echo "exit $?"
"$REGEL" diff --as-of-new 2024-13-01 mini claims.jsonl; echo "exit $?"
"$REGEL" diff mini; echo "exit $?"
"$REGEL" diff mini mini no-such.jsonl; echo "exit $?"

# A tree against itself: nothing changed, exit 0; standard input works too.
"$REGEL" diff mini mini claims.jsonl; echo "exit $?"
"$REGEL" diff --as-of-old 2025-01-01 --as-of-new 2025-12-31 mini - < claims.jsonl; echo "exit $?"

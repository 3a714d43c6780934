# Records a diff meets at its edges, in both directions between the mini
# ruleset's versions: one that only the newer version can read (a field it
# added), one without a key, one rejected on both sides, a key that is not a
# string, and a line that is not JSON.
"$REGEL" diff --as-of-old 2024-06-01 --as-of-new 2025-06-01 mini diff_edges.jsonl; echo "exit $?"
"$REGEL" diff --as-of-old 2025-06-01 --as-of-new 2024-06-01 mini diff_edges.jsonl; echo "exit $?"

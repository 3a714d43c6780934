# Every record under the 2024 version and again under the 2025 version,
# whatever its decision_date: the caseload effect of the 2025 changes.
"$REGEL" diff --as-of-old 2024-06-01 --as-of-new 2025-06-01 mini claims.jsonl; echo "exit $?"

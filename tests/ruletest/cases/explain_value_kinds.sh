# `regel explain` shows each kind of value as people read it, in both
# languages: money and decimals with a decimal comma in Swedish, durations,
# text, and an in-list in a condition that was not met ("one of").
"$REGEL" explain --lang en kinds kinds/explain.jsonl; echo "exit $?"
"$REGEL" explain kinds kinds/explain.jsonl; echo "exit $?"

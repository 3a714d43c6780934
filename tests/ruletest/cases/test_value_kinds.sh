# The report of failed expectations shows each value as the rule file writes
# it: money (below a krona, and negative), durations, decimals, text, list
# items by index, and the expected JSON as written (arrays, null).
"$REGEL" test kinds; echo "exit $?"

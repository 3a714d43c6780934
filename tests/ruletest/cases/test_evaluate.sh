# What the shipped rules never evaluate (lets, the calendar builtins, any and
# all, a table's otherwise error, a date outside the calendar, a value no rule
# gives, text in a list, decimals): every result pinned by a rule test.
"$REGEL" test --verbose evaluate; echo "exit $?"

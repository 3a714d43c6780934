# What the cases of mini/tests exercise, and what not (the 2025 night rule,
# the otherwise of the table ...), per rule file.
"$REGEL" test --coverage mini; echo "exit $?"
"$REGEL" test --coverage mini failing.regeltest | sed -n '/^coverage/,$p'

# One failure of each kind: the field, expected and actual, and the trace.
"$REGEL" test mini failing.regeltest; echo "exit $?"

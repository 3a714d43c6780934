# Mistakes in a test file are reported with file:line:col; no case runs.
"$REGEL" test mini malformed.regeltest; echo "exit $?"

# Test-file lines that look almost right are each reported with their place.
"$REGEL" test mini malformed3.regeltest; echo "exit $?"

# Every case of mini/tests passes: the closing line, exit 0; -v lists them.
"$REGEL" test mini; echo "exit $?"
"$REGEL" test -v mini/ mini/tests/allowance.regeltest; echo "exit $?"

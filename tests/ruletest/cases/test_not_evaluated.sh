# A rule expected to fire that was never evaluated: the report names the rule
# that decided its value first, or says that nothing in the case needed it.
"$REGEL" test mini failing2.regeltest; echo "exit $?"

# Performance (issue 6): parallel batches. `regel eval -j N` must write the same
# bytes for any N; the benchmark itself (bench/run.py, docs/performance.md) is a
# script, not a test, since its figures depend on the machine and its load.
add_test(NAME eval_jobs_byte_identical
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/performance/jobs_equal.sh $<TARGET_FILE:regel>
          ${CMAKE_CURRENT_SOURCE_DIR}/rulesets/lss-personlig-assistans)


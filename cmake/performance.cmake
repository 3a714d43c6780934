# Performance (issue 6): parallel batches. `regel eval -j N` must write the same
# bytes for any N; the benchmark itself (bench/run.py, docs/performance.md) is a
# script, not a test, since its figures depend on the machine and its load.
add_test(NAME eval_jobs_byte_identical
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/performance/jobs_equal.sh $<TARGET_FILE:regel>
          ${CMAKE_CURRENT_SOURCE_DIR}/rulesets/lss-personlig-assistans)

# The direct reader gives up on exactly the lines the general path rejects
# and reads the others to the same results (tests/performance/direct_reader.sh).
add_test(NAME eval_direct_reader_boundary
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/performance/direct_reader.sh $<TARGET_FILE:regel>
          ${CMAKE_CURRENT_SOURCE_DIR}/rulesets/lss-personlig-assistans)

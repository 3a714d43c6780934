# Robustness (issue 7): fuzz targets, their regression replay, coverage, and the
# limits, allocation-failure and hostile-input tests. Included by CMakeLists.txt
# after the core targets and LSS exist.

# Coverage: instrument every target (gcc --coverage); tests/coverage.sh
# configures a build with it, runs ctest and reports with gcovr.
option(REGEL_COVERAGE "Build with gcov coverage instrumentation" OFF)
if(REGEL_COVERAGE)
  # Every target of the build (the library, its other builds such as the
  # public libregel, the CLI, the tests), including those that feature files
  # included after this one define: so it runs when the directory is done.
  # Atomic counters: `regel eval -j` decides on several threads at once.
  function(regel_coverage_instrument)
    get_property(targets DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} PROPERTY BUILDSYSTEM_TARGETS)
    foreach(t ${targets})
      get_target_property(type ${t} TYPE)
      if(type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY|OBJECT_LIBRARY|EXECUTABLE)$")
        target_compile_options(${t} PRIVATE --coverage -fprofile-update=atomic -O0)
        target_compile_definitions(${t} PRIVATE REGEL_COVERAGE)
        if(NOT type STREQUAL "OBJECT_LIBRARY")
          target_link_options(${t} PRIVATE --coverage)
        endif()
        if(type STREQUAL "STATIC_LIBRARY")
          target_link_options(${t} INTERFACE --coverage)
        endif()
      endif()
    endforeach()
  endfunction()
  cmake_language(DEFER CALL regel_coverage_instrument)
endif()

# The fuzz targets' code, for libFuzzer (REGEL_FUZZ, with clang; see
# tests/fuzz/run.sh) and for the replay driver that every ctest run builds.
set(REGEL_FUZZ_DIR ${CMAKE_CURRENT_SOURCE_DIR}/tests/fuzz)
option(REGEL_FUZZ "Build the libFuzzer targets (clang)" OFF)
foreach(target rules records)
  add_executable(replay_${target} ${REGEL_FUZZ_DIR}/replay.c ${REGEL_FUZZ_DIR}/fuzz_${target}.c)
  target_link_libraries(replay_${target} PRIVATE regelcore)
  target_compile_options(replay_${target} PRIVATE ${REGEL_WARNINGS})
  target_compile_definitions(replay_${target} PRIVATE REGEL_LSS_DIR="${LSS}")
  if(REGEL_FUZZ)
    add_executable(fuzz_${target} ${REGEL_FUZZ_DIR}/fuzz_${target}.c)
    target_link_libraries(fuzz_${target} PRIVATE regelcore)
    target_compile_definitions(fuzz_${target} PRIVATE REGEL_LSS_DIR="${LSS}")
    target_link_options(fuzz_${target} PRIVATE -fsanitize=fuzzer)
  endif()
endforeach()

# Every input a fuzzer ever crashed on, and the seeds, replayed in every test run;
# direct_numbers.jsonl spells numbers every way (make_direct_numbers.py).
file(GLOB REGEL_SEED_RULES ${LSS}/*.regel ${CMAKE_CURRENT_SOURCE_DIR}/tests/diagnostics/*.regel)
add_test(NAME fuzz_regressions_rules
  COMMAND replay_rules ${REGEL_FUZZ_DIR}/regressions/rules ${REGEL_SEED_RULES})
add_test(NAME fuzz_regressions_records
  COMMAND replay_records ${REGEL_FUZZ_DIR}/regressions/records
    ${LSS}/examples/spec-decided.jsonl ${LSS}/examples/spec-errors.jsonl
    ${CMAKE_CURRENT_SOURCE_DIR}/tests/e2e/lss-bad-records.jsonl ${CMAKE_CURRENT_SOURCE_DIR}/tests/e2e/lss-boundaries.jsonl
    ${CMAKE_CURRENT_SOURCE_DIR}/tests/performance/direct_numbers.jsonl)

# Allocation failure: the LSS ruleset loaded and a few records decided with the
# Nth allocation failing, for every N.
add_executable(test_alloc_failure tests/unit/test_alloc_failure.c)
target_link_libraries(test_alloc_failure PRIVATE regelcore PkgConfig::CMOCKA)
target_compile_options(test_alloc_failure PRIVATE ${REGEL_WARNINGS})
target_compile_definitions(test_alloc_failure PRIVATE REGEL_LSS_DIR="${LSS}")
add_test(NAME unit_alloc_failure COMMAND test_alloc_failure)

# Nothing lost: hostile input line for line, -o complete or absent, the same
# bytes every run.
add_test(NAME robustness_hostile_input
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/robustness/hostile.py $<TARGET_FILE:regel> ${LSS})
add_test(NAME robustness_output_file
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/robustness/output_file.py $<TARGET_FILE:regel> ${LSS})
add_test(NAME robustness_limits
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/robustness/limits.py $<TARGET_FILE:regel> ${LSS})

# valgrind on the bad-record corpus (the examples are run by valgrind_eval_examples):
# no memory error and no leak on any error path; exit 1 is the expected status.
find_program(REGEL_VALGRIND valgrind)
if(REGEL_VALGRIND)
  add_test(NAME valgrind_eval_bad_records
    COMMAND sh -c "\"$0\" --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all -q \"$1\" eval \"$2\" \"$3\" >/dev/null; test $? -eq 1"
      ${REGEL_VALGRIND} $<TARGET_FILE:regel> ${LSS} ${CMAKE_CURRENT_SOURCE_DIR}/tests/e2e/lss-bad-records.jsonl)
endif()
# Exact arithmetic at its edges, against Python's fractions.
add_test(NAME robustness_arithmetic
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/robustness/arithmetic.py $<TARGET_FILE:regel>)

# Allocation failure at every arena allocation site (arena_set_fault): rule
# files of every kind of diagnostic, the mini and kinds rulesets with records,
# rule tests, a diff and fmt, each with the Nth arena allocation failing.
add_executable(test_alloc_sites tests/unit/test_alloc_sites.c)
target_link_libraries(test_alloc_sites PRIVATE regelcore PkgConfig::CMOCKA)
target_compile_options(test_alloc_sites PRIVATE ${REGEL_WARNINGS})
target_compile_definitions(test_alloc_sites PRIVATE REGEL_SOURCE_DIR="${CMAKE_CURRENT_SOURCE_DIR}")
add_test(NAME unit_alloc_sites COMMAND test_alloc_sites)

# The command line at its edges (issue 7, coverage): usage errors and --help
# of every command, files that cannot be opened or read, standard output on a
# full disk, damaged decision logs and replays that differ, --diagnostics in
# both formats and colour on a terminal.
add_test(NAME cli_edges
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/cli/edges.py $<TARGET_FILE:regel> ${CMAKE_CURRENT_SOURCE_DIR})

# The public API at its edges: NULL arguments, indexes past the end, values
# asked for as another kind, and diagnostics of each severity.
add_executable(test_library_api_edges tests/library/test_api_edges.c)
target_link_libraries(test_library_api_edges PRIVATE regel_shared PkgConfig::CMOCKA)
target_compile_options(test_library_api_edges PRIVATE ${REGEL_WARNINGS})
add_test(NAME library_api_edges COMMAND test_library_api_edges ${LSS} ${CMAKE_CURRENT_SOURCE_DIR}/tests/diagnostics)

# The evaluate fixture decided by `regel eval` (without a trace, on one
# thread and on two): byte for byte the results its rule tests pin.
set(REGEL_EVALUATE_FIXTURE ${CMAKE_CURRENT_SOURCE_DIR}/tests/ruletest/evaluate)
add_test(NAME e2e_evaluate_fixture
  COMMAND sh -c "\"$0\" eval \"$1\" \"$1/cases.jsonl\" 2>/dev/null | cmp - \"$1/cases.expected.jsonl\" && \"$0\" eval -j 2 \"$1\" \"$1/cases.jsonl\" 2>/dev/null | cmp - \"$1/cases.expected.jsonl\""
    $<TARGET_FILE:regel> ${REGEL_EVALUATE_FIXTURE})

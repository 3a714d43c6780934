# Auditable decisions (issue 3): traces, explanations, ruleset hashes and the
# decision log. The library hashes rule files with Nettle's SHA-256 and writes
# the decision log with SQLite; both are Debian packages (nettle-dev,
# libsqlite3-dev) installed by .ci/install-deps; the log writes
# on a thread of its own while the next batch is decided.
pkg_check_modules(NETTLE REQUIRED IMPORTED_TARGET nettle)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
find_package(Threads REQUIRED)
target_link_libraries(regelcore PUBLIC PkgConfig::NETTLE PkgConfig::SQLITE3 Threads::Threads)

set(REGEL_AUDIT_TESTS ${CMAKE_CURRENT_SOURCE_DIR}/tests/audit)

# Other features may build their own libraries from the interpreter's sources
# (cmake/library.cmake: libregel.so); those need the same two libraries. They
# are defined after this file is included, so link them once all are known.
function(regel_audit_link_libraries)
  if(TARGET regel_shared)
    target_link_libraries(regel_shared PRIVATE PkgConfig::NETTLE PkgConfig::SQLITE3 Threads::Threads)
  endif()
endfunction()
cmake_language(DEFER CALL regel_audit_link_libraries)

# Traces: schema, fired rules traced to their lines, amendments, table rows.
add_test(NAME audit_trace COMMAND ${Python3_EXECUTABLE} ${REGEL_AUDIT_TESTS}/trace_check.py
  $<TARGET_FILE:regel> ${CMAKE_CURRENT_SOURCE_DIR} 2000)
# The trace schema on its own: the checker's self-test and the shipped examples.
add_test(NAME audit_trace_schema COMMAND sh -c "\"$1\" eval --trace \"$2\" \"$2/examples/spec-decided.jsonl\" > \"$3\" && ${Python3_EXECUTABLE} \"$4/schema_check.py\" \"$5/docs/trace-schema.json\" \"$3\""
  sh $<TARGET_FILE:regel> ${LSS} ${CMAKE_CURRENT_BINARY_DIR}/audit_trace_schema.jsonl ${REGEL_AUDIT_TESTS} ${CMAKE_CURRENT_SOURCE_DIR})
add_test(NAME audit_hash COMMAND ${Python3_EXECUTABLE} ${REGEL_AUDIT_TESTS}/hash_check.py
  $<TARGET_FILE:regel> ${CMAKE_CURRENT_SOURCE_DIR})
add_test(NAME audit_log COMMAND ${Python3_EXECUTABLE} ${REGEL_AUDIT_TESTS}/log_check.py
  $<TARGET_FILE:regel> ${CMAKE_CURRENT_SOURCE_DIR})
add_test(NAME audit_log_kill9 COMMAND ${Python3_EXECUTABLE} ${REGEL_AUDIT_TESTS}/kill_check.py
  $<TARGET_FILE:regel> ${CMAKE_CURRENT_SOURCE_DIR})
add_test(NAME audit_explain COMMAND ${REGEL_AUDIT_TESTS}/explain_check.sh
  $<TARGET_FILE:regel> ${CMAKE_CURRENT_SOURCE_DIR})
add_test(NAME audit_explain_diagnostics COMMAND ${Python3_EXECUTABLE} ${REGEL_AUDIT_TESTS}/explain_errors.py
  $<TARGET_FILE:regel> ${CMAKE_CURRENT_SOURCE_DIR})
# The trace structures as C sees them, and the log's compact trace.
add_executable(test_audit_trace ${REGEL_AUDIT_TESTS}/test_trace.c)
target_link_libraries(test_audit_trace PRIVATE regelcore PkgConfig::CMOCKA)
target_compile_options(test_audit_trace PRIVATE ${REGEL_WARNINGS})
target_compile_definitions(test_audit_trace PRIVATE REGEL_AUDIT_FIXTURE="${REGEL_AUDIT_TESTS}/amended")
add_test(NAME unit_audit_trace COMMAND test_audit_trace)

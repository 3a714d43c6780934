# libregel: the interpreter as a shared and a static library behind one public
# header (include/regel.h), its installation (binary, libraries, header,
# rulesets, man page, pkg-config file), and the tests that hold it to its
# promises: only regel_* symbols leave the library, the API works from many
# threads at once, and an example program builds against the installed copy.
include(GNUInstallDirs)

set(REGEL_PUBLIC_INCLUDE ${CMAKE_CURRENT_SOURCE_DIR}/include)
# regel.c (the public API) is globbed into regelcore too, so the command line
# and the unit tests can use the API without the shared library.
target_include_directories(regelcore PUBLIC ${REGEL_PUBLIC_INCLUDE})
set_source_files_properties(${CMAKE_CURRENT_SOURCE_DIR}/interpreter/regel.c PROPERTIES
  COMPILE_DEFINITIONS REGEL_PROJECT_VERSION="${PROJECT_VERSION}")

# The library's own compilation of the same sources: position independent,
# and every symbol hidden unless regel.h marks it REGEL_API. regelcore stays as
# it is, so the command line keeps its non-PIC code.
add_library(regel_objects OBJECT ${REGEL_CORE_SOURCES} ${BISON_regel_parser_OUTPUTS} ${FLEX_regel_lexer_OUTPUTS})
# regelcore generates the parser and scanner; building it first keeps the two
# targets from running bison and flex at the same time in a parallel build.
add_dependencies(regel_objects regelcore)
set_target_properties(regel_objects PROPERTIES POSITION_INDEPENDENT_CODE ON
  C_VISIBILITY_PRESET hidden CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
target_include_directories(regel_objects PRIVATE ${REGEL_PUBLIC_INCLUDE} interpreter ${CMAKE_CURRENT_BINARY_DIR})
# Whatever regelcore links (simdjson here; other features add theirs in their
# own files, in any order), the library links too: read at generation time.
set(REGEL_CORE_DEPENDENCIES "$<TARGET_PROPERTY:regelcore,INTERFACE_LINK_LIBRARIES>")
target_link_libraries(regel_objects PRIVATE ${REGEL_CORE_DEPENDENCIES})
target_compile_options(regel_objects PRIVATE $<$<COMPILE_LANGUAGE:C>:${REGEL_WARNINGS}> $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra>)

# libregel.so: the version script is the second lock on the door, for the
# C++ template instances that -fvisibility cannot reach.
add_library(regel_shared SHARED $<TARGET_OBJECTS:regel_objects>)
target_link_libraries(regel_shared PRIVATE ${REGEL_CORE_DEPENDENCIES})
target_link_options(regel_shared PRIVATE -Wl,--version-script=${CMAKE_CURRENT_SOURCE_DIR}/cmake/libregel.map -Wl,--no-undefined)
set_target_properties(regel_shared PROPERTIES OUTPUT_NAME regel LINKER_LANGUAGE CXX
  VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}
  LINK_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/cmake/libregel.map)
target_include_directories(regel_shared INTERFACE ${REGEL_PUBLIC_INCLUDE})

# libregel.a: the objects linked into one relocatable object in which every
# symbol but regel_* is made local, so a program linking the archive cannot
# collide with the interpreter's internal names (ast_, diag_, ev_, ...).
set(REGEL_PRELINKED ${CMAKE_CURRENT_BINARY_DIR}/libregel-prelinked.o)
add_custom_command(OUTPUT ${REGEL_PRELINKED}
  COMMAND ${CMAKE_LINKER} -r -o ${REGEL_PRELINKED} $<TARGET_OBJECTS:regel_objects>
  COMMAND ${CMAKE_OBJCOPY} --wildcard --keep-global-symbol=regel_* ${REGEL_PRELINKED}
  DEPENDS regel_objects $<TARGET_OBJECTS:regel_objects>
  COMMAND_EXPAND_LISTS VERBATIM
  COMMENT "Linking the objects of libregel.a into one and hiding all but regel_*")
set_source_files_properties(${REGEL_PRELINKED} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
add_library(regel_static STATIC ${REGEL_PRELINKED})
set_target_properties(regel_static PROPERTIES OUTPUT_NAME regel LINKER_LANGUAGE C)
# What a program linking libregel.a in this build (the regel command) sees:
# the public header and the libraries the interpreter needs; never interpreter/.
target_include_directories(regel_static INTERFACE ${REGEL_PUBLIC_INCLUDE})
target_link_libraries(regel_static INTERFACE ${REGEL_CORE_DEPENDENCIES})

# ---- installation
file(RELATIVE_PATH REGEL_PC_PREFIX_FROM_PCDIR /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" REGEL_PC_PREFIX_FROM_PCDIR "${REGEL_PC_PREFIX_FROM_PCDIR}")
# regel.pc is written once every feature file has added its libraries to
# regelcore: a program linking libregel.a statically needs all of them.
function(regel_write_pkg_config)
  get_target_property(deps regelcore INTERFACE_LINK_LIBRARIES)
  set(flags "")
  foreach(dep ${deps})
    if(dep MATCHES "^PkgConfig::(.+)$")
      list(APPEND flags ${${CMAKE_MATCH_1}_LDFLAGS})
    elseif(dep STREQUAL "Threads::Threads")
      list(APPEND flags -pthread)
    elseif(NOT TARGET ${dep} AND NOT dep MATCHES "^\\$<")
      list(APPEND flags ${dep})
    endif()
  endforeach()
  list(APPEND flags -lstdc++ -lm)
  list(REMOVE_DUPLICATES flags)
  list(JOIN flags " " REGEL_PC_LIBS_PRIVATE)
  configure_file(${CMAKE_CURRENT_SOURCE_DIR}/cmake/regel.pc.in ${CMAKE_CURRENT_BINARY_DIR}/regel.pc @ONLY)
endfunction()
cmake_language(DEFER CALL regel_write_pkg_config)
install(TARGETS regel RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS regel_shared regel_static
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES include/regel.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/regel.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
install(FILES docs/regel.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(DIRECTORY rulesets/ DESTINATION ${CMAKE_INSTALL_DATADIR}/regel/rulesets)
install(DIRECTORY editors/ DESTINATION ${CMAKE_INSTALL_DATADIR}/regel/editors)

# ---- tests
# Only regel_* may leave either library.
add_test(NAME library_symbols COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/library/symbols.sh
  $<TARGET_FILE:regel_shared> $<TARGET_FILE:regel_static>)
# The command line is a client of the library: regel.h is the only header of
# the interpreter it includes, libregel.a the only library it links.
add_test(NAME library_cli_thin_client COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/library/cli_thin.sh
  ${CMAKE_CURRENT_SOURCE_DIR}/interpreter/cli "$<TARGET_PROPERTY:regel,LINK_LIBRARIES>")
# The API, against the shared library as a client links it.
add_executable(test_library_api tests/library/test_api.c)
target_link_libraries(test_library_api PRIVATE regel_shared PkgConfig::CMOCKA)
target_compile_options(test_library_api PRIVATE ${REGEL_WARNINGS})
add_test(NAME library_api COMMAND test_library_api $<TARGET_FILE:regel> ${LSS} ${LSS}/examples/spec-decided.jsonl
  ${LSS}/examples/spec-errors.jsonl ${CMAKE_CURRENT_SOURCE_DIR}/tests/diagnostics/unknown_name_hint.regel)
# The stream-level API the command line is built on: eval streams, limits,
# version accessors, diagnostic counts and JSON, the formatter, the log.
add_executable(test_library_streams tests/library/test_streams.c)
target_link_libraries(test_library_streams PRIVATE regel_shared PkgConfig::CMOCKA)
target_compile_options(test_library_streams PRIVATE ${REGEL_WARNINGS})
add_test(NAME library_streams COMMAND test_library_streams ${LSS} ${LSS}/examples/spec-decided.jsonl
  ${LSS}/examples/spec-errors.jsonl ${CMAKE_CURRENT_SOURCE_DIR}/tests/diagnostics/error_cap.regel
  ${CMAKE_CURRENT_SOURCE_DIR}/tests/fmt/cases/messy.regel ${CMAKE_CURRENT_SOURCE_DIR}/tests/fmt/cases/messy.expected
  ${CMAKE_CURRENT_BINARY_DIR})
# Many threads on one ruleset give what one thread gives, record for record.
find_package(Threads REQUIRED)
add_executable(test_library_threads tests/library/test_threads.c)
target_link_libraries(test_library_threads PRIVATE regel_shared Threads::Threads)
target_compile_options(test_library_threads PRIVATE ${REGEL_WARNINGS})
add_test(NAME library_threads COMMAND test_library_threads ${LSS} ${CMAKE_CURRENT_SOURCE_DIR}/tests/e2e/lss-boundaries.jsonl
  ${CMAKE_CURRENT_SOURCE_DIR}/tests/e2e/lss-bad-records.jsonl)
# Records given as jansson objects, where jansson is installed.
pkg_check_modules(JANSSON IMPORTED_TARGET jansson)
if(JANSSON_FOUND)
  add_executable(test_library_jansson tests/library/test_jansson.c)
  target_link_libraries(test_library_jansson PRIVATE regel_shared PkgConfig::JANSSON)
  target_compile_options(test_library_jansson PRIVATE ${REGEL_WARNINGS})
  add_test(NAME library_jansson COMMAND test_library_jansson ${LSS} ${LSS}/examples/spec-decided.jsonl)
endif()
# The issue's acceptance test: install into a fresh prefix, build
# examples/embed.c with pkg-config against the installed library (shared and
# static), and check that it decides as `regel eval` does.
add_test(NAME library_installed_embed COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/library/embed.sh
  ${CMAKE_COMMAND} ${CMAKE_BINARY_DIR} ${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_C_COMPILER})
if(REGEL_SANITIZE)
  set_tests_properties(library_installed_embed PROPERTIES ENVIRONMENT "REGEL_EMBED_CFLAGS=-fsanitize=address,undefined")
endif()

# ---- the formatter
# Golden cases: tests/fmt/cases/NAME.regel formats to NAME.expected, which is a fixed point.
file(GLOB REGEL_FMT_CASES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/tests/fmt/cases/*.regel)
foreach(case ${REGEL_FMT_CASES})
  get_filename_component(name ${case} NAME_WE)
  add_test(NAME fmt_${name} COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/fmt/run.sh $<TARGET_FILE:regel> ${case})
endforeach()
# Every shipped rule file is formatted (CI fails otherwise), each its own test
# so that a failure names the file; and the command of the issue, as written.
file(GLOB_RECURSE REGEL_SHIPPED_RULE_FILES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/rulesets/*.regel)
foreach(rule_file ${REGEL_SHIPPED_RULE_FILES})
  file(RELATIVE_PATH rel ${CMAKE_CURRENT_SOURCE_DIR}/rulesets ${rule_file})
  string(REGEX REPLACE "[/.]" "_" rel ${rel})
  add_test(NAME fmt_check_${rel} COMMAND regel fmt --check ${rule_file})
endforeach()
add_test(NAME fmt_check_rulesets_glob COMMAND sh -c "\"$1\" fmt --check rulesets/**/*" sh $<TARGET_FILE:regel>
  WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
# Spoiled copies of the shipped files format back to them, byte for byte.
add_test(NAME fmt_shipped_roundtrip COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/fmt/shipped.sh $<TARGET_FILE:regel> ${LSS})

# ---- editor support
# Both grammars over every shipped rule file, the sample of every construct
# and the formatter's odd inputs: no character left unhighlighted or marked
# as an error, no construct left open; the bad example must fail.
file(GLOB REGEL_FMT_GOOD_CASES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/tests/fmt/cases/*.regel)
list(FILTER REGEL_FMT_GOOD_CASES EXCLUDE REGEX "/broken-[^/]*$")
set(REGEL_HIGHLIGHTED ${REGEL_SHIPPED_RULE_FILES} ${CMAKE_CURRENT_SOURCE_DIR}/tests/editors/sample.regel ${REGEL_FMT_GOOD_CASES})
add_test(NAME editors_vim COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/editors/vim_check.sh
  ${CMAKE_CURRENT_SOURCE_DIR}/editors ${REGEL_HIGHLIGHTED})
add_test(NAME editors_textmate COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/editors/textmate_check.py
  ${CMAKE_CURRENT_SOURCE_DIR}/editors/textmate/regel.tmLanguage.json ${CMAKE_CURRENT_SOURCE_DIR}/tests/editors/expectations.tsv
  ${CMAKE_CURRENT_SOURCE_DIR}/tests/editors/sample.regel ${CMAKE_CURRENT_SOURCE_DIR}/tests/editors/bad-stray.regel
  -- ${REGEL_HIGHLIGHTED})

# ---- the manual and the tutorial
add_test(NAME manual_page COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/manual/man.sh $<TARGET_FILE:regel>
  ${CMAKE_CURRENT_SOURCE_DIR}/docs/regel.1)
# Every shell block of the tutorial, run in a temporary copy of rulesets/.
add_test(NAME tutorial COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/tutorial/run.py
  $<TARGET_FILE:regel> ${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/docs/tutorial.md)

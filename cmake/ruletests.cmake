# Regression across rule versions (issue 4): rule tests, coverage and version
# diffs. Included by CMakeLists.txt after the core targets and LSS exist.

# `regel test` on every shipped ruleset; one without tests beside its rules
# fails, as `regel test` finds no test files.
file(GLOB REGEL_SHIPPED_RULESETS LIST_DIRECTORIES true ${CMAKE_CURRENT_SOURCE_DIR}/rulesets/*)
foreach(ruleset ${REGEL_SHIPPED_RULESETS})
  if(IS_DIRECTORY ${ruleset})
    get_filename_component(name ${ruleset} NAME)
    add_test(NAME ruletest_${name} COMMAND regel test ${ruleset})
  endif()
endforeach()

# Golden cases of `regel test` and `regel diff` on a small made-up ruleset
# (tests/ruletest/mini): reports, diagnostics, coverage, diffs.
set(REGEL_RULETEST_DIR ${CMAKE_CURRENT_SOURCE_DIR}/tests/ruletest)
file(GLOB REGEL_RULETEST_CASES ${REGEL_RULETEST_DIR}/cases/*.sh)
foreach(case ${REGEL_RULETEST_CASES})
  get_filename_component(name ${case} NAME_WE)
  add_test(NAME ruletest_${name} COMMAND ${REGEL_RULETEST_DIR}/run.sh $<TARGET_FILE:regel> ${name})
endforeach()

# A replaced rule with `before` moves there (language.md, §6); reserved words
# as field names, in declarations and expressions (§2.2).
add_test(NAME ruletest_placement COMMAND regel test ${REGEL_RULETEST_DIR}/placement)
add_test(NAME ruletest_names COMMAND regel test ${REGEL_RULETEST_DIR}/names)

# `regel diff` of the LSS ruleset against itself changes nothing, and against
# a copy with one number changed it reports exactly the records whose `regel
# eval` results differ.
add_test(NAME diff_lss_self COMMAND ${REGEL_RULETEST_DIR}/diff_matches_eval.sh $<TARGET_FILE:regel> ${LSS})
add_test(NAME diff_lss_threshold COMMAND ${REGEL_RULETEST_DIR}/diff_matches_eval.sh $<TARGET_FILE:regel> ${LSS}
  2020-07-01.regel "s|= 20 h/week|= 21 h/week|")
add_test(NAME diff_lss_age_limit COMMAND ${REGEL_RULETEST_DIR}/diff_matches_eval.sh $<TARGET_FILE:regel> ${LSS}
  2023-01-01.regel "s|= 66 years|= 65 years|")
add_test(NAME diff_lss_table COMMAND ${REGEL_RULETEST_DIR}/diff_matches_eval.sh $<TARGET_FILE:regel> ${LSS}
  2025-01-01.regel "s|1.25 h/day|1.5 h/day|")

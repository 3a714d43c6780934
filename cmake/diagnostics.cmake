# Diagnostics (issue 5): golden tests of rulesets with several versions (a
# directory tests/diagnostics/NAME/ beside NAME.expected; the single-file
# cases NAME.regel are added by CMakeLists.txt), a check that --strict turns
# warnings into errors, and a short seeded run of the damage script (the full
# run is `tests/damage.py build/regel rulesets/lss-personlig-assistans`).
set(REGEL_DIAG_DIR ${CMAKE_CURRENT_SOURCE_DIR}/tests/diagnostics)
file(GLOB REGEL_DIAG_EXPECTED ${REGEL_DIAG_DIR}/*.expected)
foreach(expected ${REGEL_DIAG_EXPECTED})
  get_filename_component(name ${expected} NAME_WE)
  if(IS_DIRECTORY ${REGEL_DIAG_DIR}/${name})
    add_test(NAME diagnostics_${name} COMMAND ${REGEL_DIAG_DIR}/run.sh $<TARGET_FILE:regel> ${REGEL_DIAG_DIR}/${name})
  endif()
endforeach()

# The shipped ruleset has no warnings either.
add_test(NAME check_lss_strict COMMAND regel check --strict ${LSS})

# Damage the shipped rule files in 150 seeded ways; the first diagnostic must
# land within two lines of the damage in at least 90 % of the runs, and no
# run may crash or hang.
add_test(NAME diagnostics_damage_sample
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/damage.py $<TARGET_FILE:regel> ${LSS} --runs 150 --seed 7)

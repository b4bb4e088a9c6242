# Every tests/unit/test_*.c is one cmocka program and one ctest test.
pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)

set(TEST_ENV "DUIKOU_SOURCE_DIR=${CMAKE_SOURCE_DIR};DUIKOU_BIN=$<TARGET_FILE:duikou>")
if(DUIKOU_SANITIZE)
  list(APPEND TEST_ENV "ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:verify_asan_link_order=0"
                       "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
endif()

file(GLOB UNIT_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/unit/test_*.c)
foreach(src ${UNIT_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_link_libraries(${name} PRIVATE duikou_lib PkgConfig::CMOCKA)
  add_test(NAME unit/${name} COMMAND ${name} WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
  set_tests_properties(unit/${name} PROPERTIES ENVIRONMENT "${TEST_ENV}")
endforeach()

# CLI tests: shell scripts driving the real binary.
file(GLOB CLI_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/cli/test_*.sh)
foreach(script ${CLI_TESTS})
  get_filename_component(name ${script} NAME_WE)
  add_test(NAME cli/${name} COMMAND bash ${script} WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
  set_tests_properties(cli/${name} PROPERTIES ENVIRONMENT "${TEST_ENV}")
endforeach()

# Fuzz corpora are replayed on every test run through a plain driver (no libFuzzer needed).
file(GLOB FUZZ_TARGETS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_*.c)
foreach(src ${FUZZ_TARGETS})
  get_filename_component(name ${src} NAME_WE)
  string(REPLACE "fuzz_" "" target ${name})
  add_executable(replay_${target} ${src} ${CMAKE_SOURCE_DIR}/tests/fuzz/replay.c)
  target_link_libraries(replay_${target} PRIVATE duikou_lib)
  add_test(NAME fuzz/${target} COMMAND replay_${target} ${CMAKE_SOURCE_DIR}/tests/fuzz/corpus/${target})
  set_tests_properties(fuzz/${target} PROPERTIES ENVIRONMENT "${TEST_ENV}")
  if(DUIKOU_FUZZ)
    add_executable(fuzz_${target} ${src})
    target_compile_options(fuzz_${target} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(fuzz_${target} PRIVATE duikou_lib -fsanitize=fuzzer)
  endif()
endforeach()

# API and other Node tests: each tests/api/*.test.mjs against a real server (node:test).
find_program(NODE node)
file(GLOB API_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/api/*.test.mjs)
foreach(script ${API_TESTS})
  get_filename_component(name ${script} NAME_WE)
  add_test(NAME api/${name} COMMAND ${NODE} --test ${script} WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(api/${name} PROPERTIES ENVIRONMENT "${TEST_ENV}" TIMEOUT 600)
endforeach()

# Browser tests: each tests/browser/*.test.mjs drives Debian's chromium through playwright-core
# against a real server (label "browser": `ctest -L browser` runs them alone). Screenshots go
# to <build dir>/screenshots.
file(GLOB BROWSER_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/browser/*.test.mjs)
foreach(script ${BROWSER_TESTS})
  get_filename_component(name ${script} NAME_WE)
  add_test(NAME browser/${name} COMMAND ${NODE} --test ${script} WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(browser/${name} PROPERTIES
    ENVIRONMENT "${TEST_ENV};DUIKOU_SCREENSHOTS=${CMAKE_BINARY_DIR}/screenshots"
    TIMEOUT 600 LABELS browser)
endforeach()

# The date logic at the hours where the UTC day and China's day differ, at the end of a month
# and at the end of a year: tests/time/at.sh moves every clock of the suite and of the servers
# it starts (libfaketime), so these fail at once if a test or a page takes the UTC day or the
# machine's zone for today. The whole API and browser suites under faketime: docs/time.md.
# `make run` builds this tree too and installs no test tools: without faketime the build goes
# on and these tests fail when run (at.sh cannot start), so `make test` never passes without.
find_program(FAKETIME faketime)
if(NOT FAKETIME)
  message(WARNING "faketime is missing: the time/ tests will fail (scripts/deps.sh --test installs it)")
endif()
foreach(run "web_work_plan|23:30 UTC|utc_2330"
            "web_work|Dec 31 16:30 UTC|new_year_in_china"
            "web_work|23:30 UTC|utc_2330"
            "web_dashboard|Jun 30 15:30 UTC|last_day_of_june_in_china"
            "core|00:30 UTC|utc_0030"
            "reporting|Dec 31 16:30 UTC|new_year_in_china"
            "inbox|Jan 31 23:30 UTC|first_of_february_in_china"
            "circulars|Jan 2 00:30 UTC|before_december_is_due"
            "mail|23:30 UTC|utc_2330"
            "web_demo|Dec 31 23:40 UTC|new_years_eve"
            "events|23:30 UTC|utc_2330")
  string(REPLACE "|" ";" parts "${run}")
  list(GET parts 0 suite)
  list(GET parts 1 when)
  list(GET parts 2 label)
  add_test(NAME time/${suite}@${label}
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/time/at.sh "${when}" ${NODE} --test
                   ${CMAKE_SOURCE_DIR}/tests/api/${suite}.test.mjs
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(time/${suite}@${label} PROPERTIES ENVIRONMENT "${TEST_ENV}" TIMEOUT 600)
endforeach()


# No request may read more rows than it returns plus a constant: every statement the server
# prepares during the API and browser tests is logged (DUIKOU_SQL_LOG) and, after them,
# EXPLAINed against a scale-1 database; a full scan of report, review, audit, work_item or
# session fails (tests/explain/explain.c).
set(SQL_LOG ${CMAKE_BINARY_DIR}/sql-statements.log)
add_executable(explain ${CMAKE_SOURCE_DIR}/tests/explain/explain.c)
target_link_libraries(explain PRIVATE duikou_lib)
add_test(NAME sql/reset COMMAND ${CMAKE_COMMAND} -E rm -f ${SQL_LOG})
set_tests_properties(sql/reset PROPERTIES FIXTURES_SETUP sql_log)
get_property(ALL_TESTS DIRECTORY PROPERTY TESTS)
set(LOGGING_TESTS "")
foreach(t ${ALL_TESTS})
  if(t MATCHES "^(api|browser|time)/")
    list(APPEND LOGGING_TESTS ${t})
    get_test_property(${t} ENVIRONMENT env)
    # DUIKOU_CACHE_VERIFY: every answer the rendered-answer cache gives is rendered again and
    # compared (http/cache.c); a difference aborts the server, so the test fails.
    set_tests_properties(${t} PROPERTIES ENVIRONMENT
                         "${env};DUIKOU_SQL_LOG=${SQL_LOG};DUIKOU_CACHE_VERIFY=1"
                                         FIXTURES_REQUIRED sql_log)
  endif()
endforeach()
add_test(NAME sql/explain
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/explain/run.sh $<TARGET_FILE:duikou>
                 $<TARGET_FILE:explain> ${SQL_LOG}
         WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
set_tests_properties(sql/explain PROPERTIES ENVIRONMENT "${TEST_ENV}" DEPENDS "${LOGGING_TESTS}"
                                            FIXTURES_REQUIRED sql_log TIMEOUT 600)

# Every tests/unit/test_*.c is one cmocka program and one ctest test.
pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)

set(TEST_ENV "DUIKOU_SOURCE_DIR=${CMAKE_SOURCE_DIR};DUIKOU_BIN=$<TARGET_FILE:duikou>")
if(DUIKOU_SANITIZE)
  list(APPEND TEST_ENV "ASAN_OPTIONS=detect_leaks=1:abort_on_error=1"
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

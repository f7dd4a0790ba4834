# Helpers that give every folder the same build rules: combo_cc_library, combo_cc_test,
# combo_cc_binary and combo_cc_benchmark. Each takes explicit SRCS/HDRS lists and DEPS.

set(COMBO_WARNING_FLAGS
    -Wall
    -Wextra
    -Wpedantic
    -Wshadow
    -Wnon-virtual-dtor
    -Wimplicit-fallthrough
    -Wunused
    -Wnewline-eof)
if(COMBO_WERROR)
  list(APPEND COMBO_WARNING_FLAGS -Werror)
endif()

set(COMBO_SANITIZER_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer
                          -fno-sanitize-recover=undefined)

# Applies the project's compile options to one target.
function(_combo_target_options target)
  target_compile_options(${target} PRIVATE ${COMBO_WARNING_FLAGS})
  if(COMBO_SANITIZE)
    target_compile_options(${target} PRIVATE ${COMBO_SANITIZER_FLAGS})
    target_link_options(${target} PRIVATE ${COMBO_SANITIZER_FLAGS})
  endif()
endfunction()

# combo_cc_library(<name> SRCS <files> HDRS <files> DEPS <targets> [COPTS <flags>])
# Defines combo_<name> with alias combo::<name>. A library without sources is an INTERFACE one.
function(combo_cc_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;HDRS;DEPS;COPTS" ${ARGN})
  set(target combo_${name})
  if(ARG_SRCS)
    add_library(${target} STATIC ${ARG_SRCS} ${ARG_HDRS})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(${target} PUBLIC ${ARG_DEPS})
    _combo_target_options(${target})
    if(ARG_COPTS)
      target_compile_options(${target} PRIVATE ${ARG_COPTS})
    endif()
    if(COMBO_SANITIZE)
      target_link_options(${target} INTERFACE ${COMBO_SANITIZER_FLAGS})
    endif()
  else()
    add_library(${target} INTERFACE ${ARG_HDRS})
    target_include_directories(${target} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(${target} INTERFACE ${ARG_DEPS})
  endif()
  add_library(combo::${name} ALIAS ${target})
endfunction()

# combo_cc_test(<name> SRCS <files> DEPS <targets> [LABELS <labels>] [COPTS <flags>])
# A GoogleTest program; each test case becomes one CTest test, discovered when CTest runs.
function(combo_cc_test name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;LABELS;COPTS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  _combo_target_options(${name})
  if(ARG_COPTS)
    target_compile_options(${name} PRIVATE ${ARG_COPTS})
  endif()
  set(labels unit)
  if(ARG_LABELS)
    set(labels ${ARG_LABELS})
  endif()
  # Parametrized tests keep their gtest names (suffix /ParamName) rather than a dump of the value.
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST NO_PRETTY_VALUES PROPERTIES LABELS "${labels}")
endfunction()

# combo_cc_binary(<name> SRCS <files> DEPS <targets> [COPTS <flags>])
function(combo_cc_binary name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;COPTS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  _combo_target_options(${name})
  if(ARG_COPTS)
    target_compile_options(${name} PRIVATE ${ARG_COPTS})
  endif()
endfunction()

# combo_cc_benchmark(<name> SRCS <files> DEPS <targets>)
# A Google Benchmark program. CTest runs it once in a very short form (label bench-smoke) so a
# benchmark that no longer runs is noticed; its timings are never checked by a test.
function(combo_cc_benchmark name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark_main)
  _combo_target_options(${name})
  add_test(NAME ${name}.smoke COMMAND ${name} --benchmark_min_time=0.001)
  set_tests_properties(${name}.smoke PROPERTIES LABELS bench-smoke)
endfunction()

# ASan + UBSan for the whole project when MENTORLINK_SANITIZE is on.
# clang's UBSan "function" check misfires on C++20 coroutines, so clang builds drop it.
function(mentorlink_set_sanitizers target)
  if(NOT MENTORLINK_SANITIZE)
    return()
  endif()
  set(flags -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    list(APPEND flags -fno-sanitize=function)
  endif()
  target_compile_options(${target} INTERFACE ${flags})
  target_link_options(${target} INTERFACE ${flags})
endfunction()

# libstdc++'s own precondition checks (an empty optional dereferenced, an index out of range) in
# debug and sanitizer builds of mentorlink's code: what is silent undefined behaviour at -O2
# aborts there instead (SECURITY.md attack 21).
function(mentorlink_set_library_assertions target)
  target_compile_definitions(${target} INTERFACE
    $<$<OR:$<CONFIG:Debug>,$<BOOL:${MENTORLINK_SANITIZE}>>:_GLIBCXX_ASSERTIONS>)
endfunction()

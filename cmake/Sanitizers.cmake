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

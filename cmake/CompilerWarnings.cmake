# Warnings for mentorlink's own code. Third-party headers are included as SYSTEM and stay quiet.
# -Wnull-dereference is left out: at -O2, GCC 12 reports it inside inlined Boost.Asio code.
function(mentorlink_set_warnings target)
  target_compile_options(${target} INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
  if(MENTORLINK_WARNINGS_AS_ERRORS)
    target_compile_options(${target} INTERFACE -Werror)
  endif()
endfunction()

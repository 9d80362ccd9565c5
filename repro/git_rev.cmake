# Writes OUT, a header that defines VDL_GIT_REV as the source tree's git
# revision ("+dirty" when tracked files differ from it), at every build:
# settings.txt must name the code that produced the numbers, not the
# revision the build folder was configured at. OUT is rewritten only when its
# text changes, so an unchanged revision recompiles nothing. Run as
# cmake -DSRC=dir -DOUT=file -P git_rev.cmake.
execute_process(COMMAND git rev-parse --short HEAD WORKING_DIRECTORY ${SRC}
  OUTPUT_VARIABLE rev OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE failed)
if(failed OR NOT rev)
  set(text "/* no git revision: not built from a git checkout */\n")
else()
  execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY ${SRC}
    OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(changes)
    set(rev "${rev}+dirty")
  endif()
  set(text "#define VDL_GIT_REV \"${rev}\"\n")
endif()
set(old "")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT old STREQUAL text)
  file(WRITE ${OUT} "${text}")
endif()

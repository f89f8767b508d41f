# gdb-autoload: the documented start in a build tree,
#   gdb -x gdbext/elfld.py --args build/bin/elfld-run PROG
# prints no auto-load warning (nothing named bin/elfld-run-gdb.py beside the built loader, which GDB would
# decline outside its safe path with an 11-line warning at every start), and the extension works; loading
# it twice (-x and a later `source`) leaves one set of commands and one hook.
# Run with: cmake -DGDB=... -DLOADER=.../bin/elfld-run -DPROG=... -DEXT=.../gdbext/elfld.py -P autoload.cmake
get_filename_component(bindir ${LOADER} DIRECTORY)
if(EXISTS ${bindir}/elfld-run-gdb.py)
  message(FATAL_ERROR "FAIL: ${bindir}/elfld-run-gdb.py exists: GDB would warn that it declines it")
endif()
message("ok    nothing beside the built loader for GDB to decline")
# -nx: the user's own gdbinit aside; GDB's default auto-load settings stay in force
execute_process(
  COMMAND ${GDB} -nx -batch -x ${EXT} -ex "source ${EXT}" -ex "elfld break-stage relocated"
          -ex "run" -ex "elfld stage" -ex "info breakpoints" -ex "maint info breakpoints" -ex "kill"
          --args ${LOADER} ${PROG}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 50)
message("${out}${err}")
foreach(bad "declined" "auto-load" "Traceback" "[Ee]rror")
  if("${out}${err}" MATCHES "${bad}")
    message(FATAL_ERROR "FAIL: gdb printed /${bad}/")
  endif()
  message("ok    no /${bad}/")
endforeach()
foreach(want "elfld break-stage 1: stage relocated" "stopped at stage relocated" "stage relocated \\(4 of 8\\)")
  if(NOT "${out}${err}" MATCHES "${want}")
    message(FATAL_ERROR "FAIL: gdb output does not match /${want}/")
  endif()
  message("ok    /${want}/")
endforeach()
# one internal breakpoint on the hook, not one per load of the script
string(REGEX MATCHALL "\n-[0-9]+ +breakpoint +keep [^\n]*elfld_debug_hook" hooks "${out}")
list(LENGTH hooks nhooks)
if(NOT nhooks EQUAL 1)
  message(FATAL_ERROR "FAIL: ${nhooks} breakpoints on elfld_debug_hook after loading the extension twice")
endif()
message("ok    one hook breakpoint after loading the extension twice")

# gdb-autoload: GDB loads bin/elfld-run-gdb.py by itself once bin/ is in the auto-load safe path:
#   gdb -iex 'add-auto-load-safe-path BINDIR' --args elfld-run PROG
# Run with: cmake -DGDB=... -DLOADER=.../bin/elfld-run -DPROG=... -P autoload.cmake
get_filename_component(bindir ${LOADER} DIRECTORY)
if(NOT EXISTS ${bindir}/elfld-run-gdb.py)
  message(FATAL_ERROR "FAIL: ${bindir}/elfld-run-gdb.py is missing (the build copies gdbext/elfld.py there)")
endif()
execute_process(
  COMMAND ${GDB} -nx -batch -iex "add-auto-load-safe-path ${bindir}"
          -ex "info auto-load python-scripts" -ex "elfld break-stage relocated"
          -ex "run" -ex "elfld stage" -ex "kill"
          --args ${LOADER} ${PROG}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 50)
message("${out}${err}")
foreach(want "Yes[ \t]+[^\n]*elfld-run-gdb\\.py" "elfld break-stage 1: stage relocated"
        "stopped at stage relocated" "stage relocated \\(4 of 8\\)")
  if(NOT "${out}${err}" MATCHES "${want}")
    message(FATAL_ERROR "FAIL: gdb output does not match /${want}/")
  endif()
  message("ok    /${want}/")
endforeach()
# and without the safe path, GDB declines it (the extension is not there)
execute_process(
  COMMAND ${GDB} -nx -batch -iex "set auto-load safe-path /nonexistent" -ex "help elfld" --args ${LOADER} ${PROG}
  OUTPUT_VARIABLE out2 ERROR_VARIABLE err2 TIMEOUT 50)
if(NOT "${out2}${err2}" MATCHES "declined")
  message(FATAL_ERROR "FAIL: without the safe path GDB should decline the script:\n${out2}${err2}")
endif()
message("ok    declined outside the safe path")

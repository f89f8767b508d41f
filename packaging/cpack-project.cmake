# Read by cpack when it makes the package, after building (CPACK_PROJECT_CONFIG_FILE): the package depends
# on exactly the libc6 whose layouts elfld-run carries. The build-id glibc-layout recorded must be the
# installed libc.so.6's, or the package would claim a libc6 that elfld-run refuses.
if(CPACK_GENERATOR STREQUAL "DEB")
  file(STRINGS "${CPACK_ELFLD_LAYOUT_HEADER}" built REGEX "GLIBC_LAYOUT_LIBC_BUILD_ID")
  string(REGEX MATCH "[0-9a-f]+\"$" built "${built}")
  string(REPLACE "\"" "" built "${built}")
  execute_process(COMMAND readelf -n /lib/x86_64-linux-gnu/libc.so.6 OUTPUT_VARIABLE notes)
  string(REGEX MATCH "Build ID: ([0-9a-f]+)" _ "${notes}")
  if(NOT built OR NOT built STREQUAL CMAKE_MATCH_1)
    message(FATAL_ERROR "elfld-run was built for libc.so.6 build-id '${built}', this system has "
      "'${CMAKE_MATCH_1}' (libc6 upgraded since?): rebuild (cmake --build) before packaging")
  endif()
  execute_process(COMMAND dpkg-query -W -f=\${Version} libc6 OUTPUT_VARIABLE libc6 RESULT_VARIABLE rc)
  if(rc OR NOT libc6)
    message(FATAL_ERROR "cannot read libc6's version (dpkg-query -W libc6)")
  endif()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "python3, libc6 (= ${libc6})")
endif()

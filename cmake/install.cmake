# cmake --install: the engine's headers (include/vdl), its static and shared
# libraries, the vdl command and its fetch-mnist script, a CMake
# package (find_package(vdl): vdl::vdl static, vdl::vdl_shared, vdl::headers
# for plugins) and a pkg-config file (vdl.pc).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

vdl_add_engine(vdl_shared SHARED)
set_target_properties(vdl_shared PROPERTIES OUTPUT_NAME vdl VERSION ${PROJECT_VERSION}
  SOVERSION ${PROJECT_VERSION_MAJOR})

set(VDL_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR}/vdl)
set(VDL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/vdl)
file(GLOB VDL_PUBLIC_HEADERS ${PROJECT_SOURCE_DIR}/core/vdl*.h)
install(FILES ${VDL_PUBLIC_HEADERS} ${PROJECT_SOURCE_DIR}/ops/vdl_ops.h
  ${PROJECT_SOURCE_DIR}/plugins/vdl_plugin.h DESTINATION ${VDL_INCLUDEDIR})

install(TARGETS vdl vdl_shared vdl_headers EXPORT vdlTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${VDL_INCLUDEDIR})
install(TARGETS vdl_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# `vdl data fetch` runs this; the installed vdl looks for it in ../share/vdl.
install(PROGRAMS ${PROJECT_SOURCE_DIR}/scripts/fetch-mnist DESTINATION ${CMAKE_INSTALL_DATADIR}/vdl)

# The CMake package. The engine links OpenMP when it was built with it, so
# its users need OpenMP's imported target too.
install(EXPORT vdlTargets NAMESPACE vdl:: DESTINATION ${VDL_CMAKEDIR})
set(VDL_NEEDS_OPENMP OFF)
if(OpenMP_C_FOUND)
  set(VDL_NEEDS_OPENMP ON)
endif()
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/vdlConfig.cmake.in
  ${PROJECT_BINARY_DIR}/vdlConfig.cmake INSTALL_DESTINATION ${VDL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/vdlConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/vdlConfig.cmake ${PROJECT_BINARY_DIR}/vdlConfigVersion.cmake
  DESTINATION ${VDL_CMAKEDIR})

# pkg-config: Cflags alone are what a plugin needs; Libs link the engine.
# The prefix is found from the file's own place, so --prefix works.
file(RELATIVE_PATH VDL_PC_TO_PREFIX /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
string(REGEX REPLACE "/$" "" VDL_PC_TO_PREFIX "${VDL_PC_TO_PREFIX}")
set(VDL_PC_LIBS_PRIVATE "-lm")
if(CMAKE_DL_LIBS)
  string(APPEND VDL_PC_LIBS_PRIVATE " -l${CMAKE_DL_LIBS}")
endif()
if(OpenMP_C_FOUND)
  string(APPEND VDL_PC_LIBS_PRIVATE " ${OpenMP_C_FLAGS}")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/vdl.pc.in ${PROJECT_BINARY_DIR}/vdl.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/vdl.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

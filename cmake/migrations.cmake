# edgefn_migrations: the repo's migrations/ folder (drizzle-kit layout) compiled into a static
# library, for every target (native and wasm), so migrating needs no filesystem. The source is
# regenerated whenever a migration file changes; adding a file re-globs (CONFIGURE_DEPENDS).
set(EDGEFN_MIGRATIONS_DIR "${PROJECT_SOURCE_DIR}/migrations")
file(GLOB edgefn_migration_files CONFIGURE_DEPENDS
  "${EDGEFN_MIGRATIONS_DIR}/*.sql" "${EDGEFN_MIGRATIONS_DIR}/meta/*.json")
set(edgefn_migrations_cpp "${CMAKE_BINARY_DIR}/generated/edgefn_migrations.cpp")
add_custom_command(
  OUTPUT "${edgefn_migrations_cpp}"
  COMMAND "${CMAKE_COMMAND}" "-DMIGRATIONS_DIR=${EDGEFN_MIGRATIONS_DIR}"
          "-DOUTPUT=${edgefn_migrations_cpp}" -P "${PROJECT_SOURCE_DIR}/cmake/embed_migrations.cmake"
  DEPENDS ${edgefn_migration_files} "${PROJECT_SOURCE_DIR}/cmake/embed_migrations.cmake"
  COMMENT "Embedding migrations/"
  VERBATIM)
add_library(edgefn_migrations STATIC "${edgefn_migrations_cpp}")
target_link_libraries(edgefn_migrations PUBLIC edgefn_core PRIVATE edgefn_warnings)
target_compile_options(edgefn_migrations PRIVATE -fno-exceptions -fno-rtti)
set_target_properties(edgefn_migrations PROPERTIES POSITION_INDEPENDENT_CODE ON)

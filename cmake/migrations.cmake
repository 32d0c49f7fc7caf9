# edgefn_embed_migrations(TARGET DIR): a drizzle-kit migrations folder (0.x or 1.0 layout) compiled into a static
# library defining edgefn::migrate::embedded_files() (migrate/embedded.h), so a binary can
# migrate without the folder. The source is regenerated whenever a migration file changes;
# adding a file re-globs (CONFIGURE_DEPENDS). Native CLI only: the wasm module carries none.
set(EDGEFN_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}" CACHE INTERNAL "edgefn cmake/ folder")
function(edgefn_embed_migrations target dir)
  file(GLOB files CONFIGURE_DEPENDS "${dir}/*.sql" "${dir}/meta/*.json"
       "${dir}/*/migration.sql" "${dir}/*/snapshot.json")  # drizzle-kit 1.0's folder layout
  set(cpp "${CMAKE_CURRENT_BINARY_DIR}/generated/${target}.cpp")
  add_custom_command(
    OUTPUT "${cpp}"
    COMMAND "${CMAKE_COMMAND}" "-DMIGRATIONS_DIR=${dir}" "-DOUTPUT=${cpp}"
            -P "${EDGEFN_CMAKE_DIR}/embed_migrations.cmake"
    DEPENDS ${files} "${EDGEFN_CMAKE_DIR}/embed_migrations.cmake"
    COMMENT "Embedding ${dir}"
    VERBATIM)
  add_library(${target} STATIC "${cpp}")
  target_link_libraries(${target} PUBLIC edgefn_core PRIVATE edgefn_warnings)
  target_compile_options(${target} PRIVATE -fno-exceptions -fno-rtti)
endfunction()

# edgefn_add_app(NAME
#                SOURCES <app sources: schema, routes, handlers, seed; no main>
#                MAIN <main.cpp of the native binary>
#                [MIGRATIONS <dir>]      default: <app dir>/migrations
#                [INCLUDE_ROOT <dir>])   default: the parent of the app dir ("<name>/x.h" includes)
#
# Builds, per preset:
#   native: build/<preset>/apps/<name>/<name>   the app's CLI (serve, request, migrate, seed, db,
#           token, sql) with its migrations embedded; target <name>
#   wasm:   build/wasm/apps/<name>/<name>.wasm  the module its wrangler.toml bundles (target
#           <name>_wasm) and <name>_testhooks.wasm (tests only: traps on demand)
# Used by apps/*/CMakeLists.txt here and by projects made with `edgefn new`.
function(edgefn_add_app name)
  cmake_parse_arguments(arg "" "MAIN;MIGRATIONS;INCLUDE_ROOT" "SOURCES" ${ARGN})
  if(NOT arg_MIGRATIONS)
    set(arg_MIGRATIONS "${CMAKE_CURRENT_SOURCE_DIR}/migrations")
  endif()
  if(NOT arg_INCLUDE_ROOT)
    get_filename_component(arg_INCLUDE_ROOT "${CMAKE_CURRENT_SOURCE_DIR}/.." ABSOLUTE)
  endif()
  add_library(${name}_app STATIC ${arg_SOURCES})
  target_include_directories(${name}_app PUBLIC "${arg_INCLUDE_ROOT}")
  target_link_libraries(${name}_app PUBLIC edgefn_core PRIVATE edgefn_warnings)
  target_compile_options(${name}_app PRIVATE -fno-exceptions -fno-rtti)
  if(EDGEFN_WASM)
    edgefn_wasm_module(${name}_wasm ${name} ${name}_app)
    edgefn_wasm_module(${name}_wasm_testhooks ${name}_testhooks ${name}_app EDGEFN_TEST_HOOKS=1)
    return()
  endif()
  edgefn_embed_migrations(${name}_migrations "${arg_MIGRATIONS}")
  add_executable(${name} ${arg_MAIN})
  target_link_libraries(${name} PRIVATE ${name}_app ${name}_migrations edgefn_app_cli edgefn_warnings)
  target_compile_definitions(${name} PRIVATE EDGEFN_APP_NAME="${name}"
                                             EDGEFN_APP_MIGRATIONS_DIR="${arg_MIGRATIONS}")
endfunction()

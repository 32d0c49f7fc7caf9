#include "src/app.h"

#include "api/entry.h"
#include "src/handlers.h"
#include "src/schema.h"

namespace {{name}} {
namespace {

namespace api = edgefn::api;
using api::auth_mode;
using edgefn::exchange::pool;

constexpr api::table_doc k_note = api::table_of<notes_table>("Note");
// drizzle-zod style: the insert schema (title required; body, done optional) and the update
// schema (every field optional, at least one), minus the server-set columns.
constexpr api::body_def k_create{k_note, db::body_mode::insert, server_set};
constexpr api::body_def k_update{k_note, db::body_mode::update, server_set};
constexpr api::query_param_def k_list_query[] = {
    {"limit", R"({"type":"integer","minimum":1,"maximum":100,"default":50})"},
};

// Who may call what: reads are public, writes need a valid bearer token (401 otherwise). Make a
// route `auth_mode::required` to close it, `optional` to accept both. Reads use the `cached`
// pool (a host may answer them from its cache; writes to `notes` drop those entries).
constexpr api::route_def k_routes[] = {
    {.method = "GET", .path = "/notes", .auth = auth_mode::none, .pool = pool::cached,
     .handler = list_notes, .operation_id = "listNotes", .summary = "The newest notes first",
     .response = api::rows_of<notes_table>("Note"), .query = k_list_query},
    {.method = "GET", .path = "/notes/:id{id}", .auth = auth_mode::none, .pool = pool::cached,
     .handler = get_note, .not_found = "note not found", .operation_id = "getNote", .summary = "One note",
     .response = api::row_of<notes_table>("Note")},
    {.method = "POST", .path = "/notes", .auth = auth_mode::required, .pool = pool::direct,
     .handler = create_note, .operation_id = "createNote", .summary = "Create a note", .body = k_create,
     .response = api::row_of<notes_table>("Note", 201, "the created note (Location: /notes/{id})")},
    {.method = "PATCH", .path = "/notes/:id{id}", .auth = auth_mode::required, .pool = pool::direct,
     .handler = update_note, .not_found = "note not found", .operation_id = "updateNote",
     .summary = "Change some fields of a note", .body = k_update,
     .response = api::row_of<notes_table>("Note", 200, "the updated note")},
    {.method = "DELETE", .path = "/notes/:id{id}", .auth = auth_mode::required, .pool = pool::direct,
     .handler = delete_note, .not_found = "note not found", .operation_id = "deleteNote",
     .summary = "Delete a note", .response = api::row_of<notes_table>("Note", 200, "the deleted note")},
};

constexpr api::app_spec k_app{
    .title = "{{name}} API",
    .version = "0.1.0",
    .description = "Notes: reads are public, writes need a bearer token. Errors use "
                   "{\"error\":{\"code\",\"message\",\"fields\"?}}; every response carries X-Request-Id.",
    .routes = k_routes,
};

}  // namespace

const api::app_spec& app() { return k_app; }

}  // namespace {{name}}

namespace edgefn::api {
const app_spec& app_entry() { return {{name}}::app(); }
}  // namespace edgefn::api

#pragma once
// The {{name}} API's handlers: one coroutine per route, each issuing exactly one SQL statement
// (one round trip to the database). The framework has already authenticated the caller (per the
// route table in app.cpp), parsed the typed path parameters and set CORS and request ids.

#include "api/app.h"

namespace {{name}} {

using edgefn::api::route_call;
using edgefn::exchange::response;
using edgefn::exchange::task;

/// GET /notes?limit=1..100 (default 50) -> 200 [note...], newest first; 400 for a bad limit.
[[nodiscard]] task<response> list_notes(route_call& call);
/// GET /notes/:id -> 200 note, or 404.
[[nodiscard]] task<response> get_note(route_call& call);
/// POST /notes {title, body?, done?} -> 201 note + Location, or 400 (field errors)/413/415.
[[nodiscard]] task<response> create_note(route_call& call);
/// PATCH /notes/:id {title?, body?, done?} (at least one) -> 200 note, or 400/404.
[[nodiscard]] task<response> update_note(route_call& call);
/// DELETE /notes/:id -> 200 the deleted note, or 404.
[[nodiscard]] task<response> delete_note(route_call& call);

}  // namespace {{name}}

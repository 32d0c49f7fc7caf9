#pragma once
// The catalog's handlers. Reads are public and on the `cached` pool (the guide's GET /authors and
// GET /books/:authorId, plus GET /authors/:id with its books in ONE statement: a left join,
// Drizzle's `with` in spirit); writes need a token and go to `direct`. Each handler issues one
// statement; constraint violations come back as 400/409 naming the field (src/api/sql.h).

#include "api/app.h"

namespace edgefn::catalog {

using api::route_call;
using exchange::response;
using exchange::task;

/// GET /authors -> 200 [author...] (by id).
[[nodiscard]] task<response> list_authors(route_call& call);
/// GET /authors/:id -> 200 author + "books": [book...] (by id), or 404.
[[nodiscard]] task<response> get_author(route_call& call);
/// POST /authors -> 201 author (+ Location).
[[nodiscard]] task<response> create_author(route_call& call);
/// PUT /authors/:id (partial) -> 200 author, or 404.
[[nodiscard]] task<response> update_author(route_call& call);
/// DELETE /authors/:id -> 200 the deleted author, 404, or 409 while books reference it.
[[nodiscard]] task<response> delete_author(route_call& call);

/// GET /books/:authorId -> 200 [book...] of that author (by id; [] for an unknown author).
[[nodiscard]] task<response> books_by_author(route_call& call);
/// POST /books -> 201 book, or 400 naming authorId when no such author exists.
[[nodiscard]] task<response> create_book(route_call& call);
/// PUT /books/:id (partial) -> 200 book, 404, or 400 naming authorId.
[[nodiscard]] task<response> update_book(route_call& call);
/// DELETE /books/:id -> 200 the deleted book, or 404.
[[nodiscard]] task<response> delete_book(route_call& call);

}  // namespace edgefn::catalog

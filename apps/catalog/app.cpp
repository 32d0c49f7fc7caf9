#include "catalog/app.h"

#include "api/entry.h"
#include "catalog/handlers.h"
#include "catalog/schema.h"

namespace edgefn::catalog {
namespace {

using api::auth_mode;
using exchange::pool;

constexpr api::table_doc k_author = api::table_of<authors_table>("Author");
constexpr api::table_doc k_book = api::table_of<books_table>("Book");
constexpr api::body_def k_author_insert{k_author, db::body_mode::insert, server_set};
constexpr api::body_def k_author_update{k_author, db::body_mode::update, server_set};
constexpr api::body_def k_book_insert{k_book, db::body_mode::insert, server_set};
constexpr api::body_def k_book_update{k_book, db::body_mode::update, server_set};

constexpr api::response_def k_author_with_books{200, "the author with its books", api::response_shape::row, k_author,
                                                {}, {}, k_book, "books"};

constexpr api::route_def k_routes[] = {
    {.method = "GET", .path = "/authors", .auth = auth_mode::none, .pool = pool::cached, .handler = list_authors,
     .operation_id = "listAuthors", .summary = "Every author", .response = api::rows_of<authors_table>("Author")},
    {.method = "POST", .path = "/authors", .auth = auth_mode::required, .pool = pool::direct, .handler = create_author,
     .operation_id = "createAuthor", .summary = "Add an author", .body = k_author_insert,
     .response = api::row_of<authors_table>("Author", 201, "the created author")},
    {.method = "GET", .path = "/authors/:id{id}", .auth = auth_mode::none, .pool = pool::cached, .handler = get_author,
     .not_found = "author not found", .operation_id = "getAuthor",
     .summary = "An author with its books (one round trip)", .response = k_author_with_books},
    {.method = "PUT", .path = "/authors/:id{id}", .auth = auth_mode::required, .pool = pool::direct,
     .handler = update_author, .not_found = "author not found", .operation_id = "updateAuthor",
     .summary = "Change an author", .body = k_author_update,
     .response = api::row_of<authors_table>("Author", 200, "the updated author")},
    {.method = "DELETE", .path = "/authors/:id{id}", .auth = auth_mode::required, .pool = pool::direct,
     .handler = delete_author, .not_found = "author not found", .operation_id = "deleteAuthor",
     .summary = "Delete an author without books (409 while books reference it)",
     .response = api::row_of<authors_table>("Author", 200, "the deleted author")},
    {.method = "GET", .path = "/books/:authorId{int}", .auth = auth_mode::none, .pool = pool::cached,
     .handler = books_by_author, .operation_id = "booksByAuthor", .summary = "The books of an author",
     .response = api::rows_of<books_table>("Book")},
    {.method = "POST", .path = "/books", .auth = auth_mode::required, .pool = pool::direct, .handler = create_book,
     .operation_id = "createBook", .summary = "Add a book (authorId must name an author)", .body = k_book_insert,
     .response = api::row_of<books_table>("Book", 201, "the created book")},
    {.method = "PUT", .path = "/books/:id{id}", .auth = auth_mode::required, .pool = pool::direct,
     .handler = update_book, .not_found = "book not found", .operation_id = "updateBook", .summary = "Change a book",
     .body = k_book_update, .response = api::row_of<books_table>("Book", 200, "the updated book")},
    {.method = "DELETE", .path = "/books/:id{id}", .auth = auth_mode::required, .pool = pool::direct,
     .handler = delete_book, .not_found = "book not found", .operation_id = "deleteBook", .summary = "Delete a book",
     .response = api::row_of<books_table>("Book", 200, "the deleted book")},
};

constexpr api::app_spec k_app{
    .title = "edgefn catalog API",
    .version = "1.0.0",
    .description = "The Neon + Drizzle guide's authors and books. Reads are public; writes need a bearer token.",
    .routes = k_routes,
};

}  // namespace

const api::app_spec& app() { return k_app; }

}  // namespace edgefn::catalog

namespace edgefn::api {
const app_spec& app_entry() { return catalog::app(); }
}  // namespace edgefn::api

#pragma once
// `<app> db studio`: a local web UI over an app's tables, served by the app's binary on
// 127.0.0.1 through the shared HTTP server (http/server.h). Every request needs the token
// (studio/access.h); the database is reached as the app reaches it, through Neon's /sql over
// the native transport (so the local gateway and a real Neon branch work alike).
//
//   GET    /                      the page (one embedded HTML file: studio/page.html)
//   GET    /api/meta              the app's tables and columns, the environment, writable
//   GET    /api/rows?table=T&limit=&offset=&sort=C&dir=asc|desc&col=C&op=OP&val=V...
//                                 one page and the matching row count (filters: col/op/val
//                                 triples, see studio/queries.h)
//   POST   /api/rows?table=T      insert the JSON body (the table's insert schema)
//   PATCH  /api/rows?table=T&key.C=V...  update the row with that primary key (update schema)
//   DELETE /api/rows?table=T&key.C=V...  delete it
//   POST   /api/sql               {"sql": "..."}: one statement, the console
// Bodies are validated by the core's body validation (api/body.h): 413, 415, 400 with a message
// per field. Writes are refused (403) when not `writable`; the console then runs its statement
// in a read-only transaction, so Postgres itself refuses any write.

#include <cstdint>
#include <mutex>
#include <span>
#include <string>

#include "db/table.h"
#include "http/server.h"
#include "neon/client.h"
#include "transport/curl_transport.h"

namespace edgefn::studio {

struct studio_config {
  std::string app_name;
  std::span<const db::table_info> tables;  ///< static storage
  std::string environment;                 ///< shown in the page ("" = development)
  bool writable = true;                    ///< false: inserts, updates and deletes get 403
  std::string token;                       ///< see access.h
};

/// Answers the studio's requests. Thread-safe: statements go out one at a time.
class studio_service {
 public:
  studio_service(studio_config config, neon::client client);

  /// Sets the port the server listens on (the Host header must name it).
  void set_port(std::uint16_t port) { port_ = port; }
  /// Answers one request (403 without the token or with a foreign Host).
  [[nodiscard]] httpd::response handle(const httpd::request& req);

 private:
  [[nodiscard]] httpd::response route(const httpd::request& req);
  [[nodiscard]] httpd::response meta() const;
  [[nodiscard]] httpd::response rows(const httpd::request& req);
  [[nodiscard]] httpd::response write(const httpd::request& req);
  [[nodiscard]] httpd::response console(const httpd::request& req);
  [[nodiscard]] const db::table_info* find_table(std::string_view name) const;

  studio_config config_;
  std::uint16_t port_ = 0;
  std::mutex mu_;  ///< guards transport_ and client_
  native::curl_transport transport_;
  neon::client client_;
};

/// The embedded page (studio/page.html).
[[nodiscard]] std::string_view page_html() noexcept;

}  // namespace edgefn::studio

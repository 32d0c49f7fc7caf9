#pragma once
// A scripted host for the API's unit tests: drives an exchange::engine running the wardrobe
// handler, answers each action with a test-provided function, records actions and log lines.

#include <functional>
#include <string>
#include <vector>

#include "api/app.h"
#include "wardrobe/app.h"
#include "auth/base64.h"
#include "exchange/engine.h"

namespace edgefn::testing {

constexpr std::int64_t k_now_ms = 1'800'000'000'000;

/// An HS256-shaped token whose "signature" is the bytes "good" (the fake verifier accepts
/// exactly that) or anything else.
inline std::string fake_token(const std::string& sub, std::string_view sig = "good",
                              std::int64_t exp = k_now_ms / 1000 + 600) {
  return auth::base64url_encode(R"({"alg":"HS256","typ":"JWT"})") + "." +
         auth::base64url_encode("{\"sub\":\"" + sub + "\",\"exp\":" + std::to_string(exp) + "}") + "." +
         auth::base64url_encode(sig);
}

/// A Neon result body for `items` rows (each row: 8 JSON values in column order).
inline std::string items_body(const std::vector<std::string>& rows, std::string_view command = "SELECT") {
  auto f = [](const char* name, int oid) {
    return std::string(R"({"name":")") + name + R"(","dataTypeID":)" + std::to_string(oid) +
           R"(,"tableID":0,"columnID":0,"dataTypeSize":-1,"dataTypeModifier":-1,"format":"text"})";
  };
  std::string body = "{\"command\":\"" + std::string(command) + "\",\"rowCount\":" + std::to_string(rows.size()) +
                     ",\"fields\":[" + f("id", 23) + "," + f("user_id", 25) + "," + f("name", 1043) + "," +
                     f("size", 1043) + "," + f("type", 1043) + "," + f("color", 1043) + "," +
                     f("created_at", 1114) + "," + f("image_url", 25) + "],\"rows\":[";
  for (std::size_t i = 0; i < rows.size(); ++i) body += (i ? "," : "") + rows[i];
  return body + "],\"rowAsArray\":true}";
}

/// A row of `items`; its image is `image_url`, by default under the owner's prefix
/// (users/<user>/<id>.png).
inline std::string item_row(int id, const std::string& user = "kp_abc123",
                            const std::string& created = "2026-11-22 05:04:03.123456",
                            std::string image_url = {}) {
  if (image_url.empty()) image_url = "https://img.example/users/" + user + "/" + std::to_string(id) + ".png";
  return "[\"" + std::to_string(id) + "\",\"" + user + "\",\"Shirt\",\"M\",\"top\",\"blue\",\"" + created +
         "\",\"" + image_url + "\"]";
}

/// The result of `select pg_current_wal_insert_lsn()::text`.
inline const std::string k_lsn_result =
    R"({"command":"SELECT","rowCount":1,"fields":[{"name":"pg_current_wal_insert_lsn","dataTypeID":25,"tableID":0,)"
    R"("columnID":0,"dataTypeSize":-1,"dataTypeModifier":-1,"format":"text"}],"rows":[["0/1A2B3C"]],"rowAsArray":true})";

class fake_host {
 public:
  using answer_fn = std::function<exchange::action_result(const exchange::action&)>;

  explicit fake_host(api::config cfg = default_config()) : engine_(std::move(*api::make_handler(wardrobe::app(), std::move(cfg)))) {}

  static api::config default_config() {
    api::config c;
    c.auth_dev_hs256 = true;
    c.cors_origins = {"https://app.example"};
    return c;
  }

  /// The default answers: signatures valid iff the bytes are "good"; SQL -> `sql_body`.
  answer_fn answer = [this](const exchange::action& a) {
    exchange::action_result r;
    r.id = a.id;
    if (auto* v = std::get_if<exchange::signature_check>(&a.body)) r.valid = v->signature == "good";
    if (auto* s = std::get_if<exchange::sql_call>(&a.body)) {
      r.http_status = sql_status;
      // A write is sent as a batch with the WAL position query (api/sql.h): answer like Neon.
      const bool batch = !s->writes.empty() && sql_status == 200;
      r.body.append(batch ? "{\"results\":[" + sql_body + "," + k_lsn_result + "]}" : sql_body);
    }
    return r;
  };
  std::string sql_body = items_body({});
  int sql_status = 200;

  exchange::response run(const std::string& method, const std::string& target,
                         http::header_list headers = {}, const std::string& body = {}) {
    exchange::request req;
    req.method = method;
    req.target = target;
    req.headers = std::move(headers);
    req.body.append(body);
    actions.clear();
    logs.clear();
    engine_.start(std::move(req), "req-1", k_now_ms);
    for (;;) {
      std::vector<exchange::action_result> results;
      while (auto a = engine_.next_action()) {
        if (a->kind() == exchange::action_kind::log) {
          logs.push_back(std::get<exchange::log_line>(a->body).line);
          continue;
        }
        results.push_back(answer(*a));
        actions.push_back(std::move(*a));
      }
      if (auto f = engine_.next_response()) return std::move(f->resp);
      if (results.empty()) return exchange::response{-1, {}, "stuck"};
      for (auto& r : results) engine_.complete(std::move(r), k_now_ms + 7);
    }
  }

  /// Runs with a valid bearer token for `sub`.
  exchange::response authed(const std::string& method, const std::string& target,
                            const std::string& body = {}, const std::string& sub = "kp_abc123") {
    http::header_list h{{"Authorization", "Bearer " + fake_token(sub)}};
    if (!body.empty()) h.emplace_back("Content-Type", "application/json");
    return run(method, target, std::move(h), body);
  }

  std::vector<exchange::action> actions;
  std::vector<std::string> logs;

 private:
  exchange::engine engine_;
};

inline std::string header(const exchange::response& r, std::string_view name) {
  const std::string* v = http::find_header(r.headers, name);
  return v ? *v : std::string("<absent>");
}

}  // namespace edgefn::testing

#include "gateway/ws_relay.h"

#include <cstdio>
#include <memory>

#include "gateway/error_body.h"
#include "gateway/ws_session.h"
#include "gateway/ws_target.h"

namespace edgefn::gateway {
namespace {

http_response error_reply(const sql_error& e) {
  http_response r;
  r.status = e.status;
  r.headers = {{"Content-Type", "application/json"}};
  if (e.retry_after_s > 0) r.headers.emplace_back("Retry-After", std::to_string(e.retry_after_s));
  r.body = e.body;
  return r;
}

}  // namespace

http_response ws_relay::handle(const http_request& request) {
  if (!is_websocket_upgrade(request)) {
    return error_reply(proxy_error(
        400, "expected a WebSocket upgrade (the Postgres wire protocol for Pool/Client); "
             "queries over HTTP go to POST /sql"));
  }
  const auto target = resolve_relay_target(request.target, config_.pg_host, config_.pg_port);
  if (!target) return error_reply(proxy_error(400, target.error().message));
  if (active_.fetch_add(1) >= config_.max_connections) {
    active_.fetch_sub(1);
    return error_reply(unavailable_error("too many WebSocket connections"));
  }
  auto session = std::make_shared<ws_session>(config_, request, [this] { active_.fetch_sub(1); });
  std::string error;
  if (!session->connect(*target, error)) {
    if (config_.log_requests) std::fprintf(stderr, "WS %s: %s\n", "upgrade", error.c_str());
    return error_reply(unavailable_error(error));
  }
  http_response r;
  r.status = 101;
  r.take_over = [session](httpd::taken_connection taken) { session->start(std::move(taken)); };
  return r;
}

}  // namespace edgefn::gateway

#include "server/api_server.h"

#include <random>
#include <unordered_map>

#include "api/body.h"
#include "api/cors.h"
#include "api/errors.h"

namespace edgefn::server {
namespace {

constexpr auto k_reply_timeout = std::chrono::seconds(90);

http_response to_http_response(exchange::response r) {
  http_response out;
  out.status = r.status;
  out.headers = std::move(r.headers);
  out.body = std::move(r.body);
  return out;
}

/// An id for requests the server rejects before the core sees them (random, 16 hex digits).
std::string server_request_id() {
  static thread_local std::mt19937_64 gen{std::random_device{}()};
  static constexpr char digits[] = "0123456789abcdef";
  std::uint64_t v = gen();
  std::string out(16, '0');
  for (auto& c : out) {
    c = digits[v & 15];
    v >>= 4;
  }
  return out;
}

/// A reply the server gives without the core (a refusal, the reply deadline): `r` with a request
/// id and CORS as the core applies it, so that a page reads it rather than a network error (the
/// core never saw the request: only its Origin is known here).
http_response own_reply(exchange::response r, std::string_view origin, const std::vector<std::string>& cors_origins) {
  r.headers.emplace_back("X-Request-Id", server_request_id());
  if (!origin.empty()) {
    exchange::request seen;
    seen.headers.emplace_back("origin", std::string(origin));
    api::decorate(r, seen, cors_origins);
  }
  return to_http_response(std::move(r));
}

/// `lines` (lowercase names) with the lines of one name combined (see to_exchange_request).
http::header_list combined_fields(const std::vector<std::pair<std::string, std::string>>& lines) {
  http::header_list out;
  out.reserve(lines.size());
  std::unordered_map<std::string_view, std::size_t> at;  // name -> index in `out`
  for (const auto& [name, value] : lines) {
    const auto [it, first] = at.try_emplace(name, out.size());
    if (first) {
      out.emplace_back(name, value);
      continue;
    }
    std::string& joined = out[it->second].second;
    joined += name == "cookie" ? "; " : ", ";
    joined += value;
  }
  return out;
}

}  // namespace

exchange::request to_exchange_request(const http_request& req) {
  exchange::request out;
  out.method = req.method;
  out.target = req.target;
  out.headers = combined_fields(req.headers);
  out.body.append(req.body);
  return out;
}

api_server::api_server(std::unique_ptr<host::host> h, http_config config)
    : host_(std::move(h)),
      http_(std::move(config), [this](const http_request& req, const client_link& link) { return handle(req, link); }) {
  http_.set_error_responder([max_body = host_->max_body_bytes(), origins = host_->cors_origins()](
                                int status, std::string_view message, std::string_view origin) {
    // Any other status is the HTTP layer refusing the message itself (400, 431): `message` names
    // what was wrong with it.
    auto r = status == 503   ? api::error_response(api::error_code::service_unavailable, "the server is busy")
             : status == 500 ? api::error_response(api::error_code::internal, "internal error")
             : status == 413 ? api::body_too_large(max_body)
                             : api::error_response(api::error_code::bad_request, message);
    r.status = status;
    return own_reply(std::move(r), origin, origins);
  });
}

api_server::~api_server() { stop(); }

void api_server::start() {
  loop_thread_ = std::thread([this] { loop(); });
  http_.start();
}

void api_server::stop() {
  http_.stop();
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (loop_thread_.joinable()) loop_thread_.join();
}

http_response api_server::handle(const http_request& req, const client_link&) {
  auto j = std::make_unique<job>();
  j->req = to_exchange_request(req);
  auto reply = j->reply.get_future();
  auto gone = j->client_gone;
  {
    std::lock_guard lock(mu_);
    inbox_.push_back(std::move(j));
  }
  cv_.notify_all();
  // A request received whole runs to completion whatever its client does meanwhile (a client
  // that half-closed after sending still reads the reply; cancelling could stop an exchange
  // between its writes): only the reply deadline gives up on it.
  const auto deadline = std::chrono::steady_clock::now() + k_reply_timeout;
  while (reply.wait_for(std::chrono::milliseconds(250)) != std::future_status::ready) {
    if (std::chrono::steady_clock::now() >= deadline) {
      gone->store(true);  // the loop cancels the exchange; nobody reads this reply
      const std::string* origin = req.header("origin");
      return own_reply(api::error_response(api::error_code::service_unavailable, "timed out"),
                       origin ? std::string_view(*origin) : std::string_view(), host_->cors_origins());
    }
  }
  return to_http_response(reply.get());
}

void api_server::cancel_abandoned() {
  std::erase_if(running_, [this](const running& r) {
    if (!r.client_gone->load()) return false;
    host_->cancel(r.id);
    return true;
  });
}

void api_server::loop() {
  for (;;) {
    std::deque<std::unique_ptr<job>> jobs;
    {
      std::unique_lock lock(mu_);
      if (host_->active() == 0)
        cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stopping_ || !inbox_.empty(); });
      if (stopping_ && inbox_.empty() && host_->active() == 0) return;
      jobs.swap(inbox_);
    }
    for (auto& j : jobs) {
      auto reply = std::make_shared<std::promise<exchange::response>>(std::move(j->reply));
      auto gone = j->client_gone;
      auto finished = std::make_shared<bool>(false);
      const auto id = host_->submit(std::move(j->req), [reply, finished](exchange::response r) {
        *finished = true;
        reply->set_value(std::move(r));
      });
      if (!*finished) running_.push_back({id, std::move(gone)});
    }
    std::erase_if(running_, [this](const running& r) { return !host_->is_active(r.id); });
    cancel_abandoned();
    // Short slices: new requests from connection threads are picked up within ~2 ms.
    if (host_->active() > 0) host_->poll(std::chrono::milliseconds(2));
  }
}

}  // namespace edgefn::server

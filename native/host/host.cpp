#include "host/host.h"

#include <cstdio>
#include <random>

#include "api/app.h"
#include "host/jws_crypto.h"
#include "host/object_store.h"

namespace edgefn::host {
namespace {

constexpr std::int64_t k_jwks_ttl_ms = 300'000;
constexpr std::int64_t k_jwks_refresh_min_ms = 30'000;  ///< refetch on an unknown kid at most this often

exchange::outcome outcome_of(native::transport_failure f) {
  switch (f) {
    case native::transport_failure::none: return exchange::outcome::ok;
    case native::transport_failure::dns: return exchange::outcome::failed_dns;
    case native::transport_failure::connect: return exchange::outcome::failed_connect;
    case native::transport_failure::tls: return exchange::outcome::failed_tls;
    case native::transport_failure::timeout: return exchange::outcome::failed_timeout;
    case native::transport_failure::other: return exchange::outcome::failed;
  }
  return exchange::outcome::failed;
}

exchange::action_result from_transport(exchange::action_id id, native::transport_result&& tr) {
  exchange::action_result r;
  r.id = id;
  r.status = outcome_of(tr.failure);
  r.detail = std::move(tr.failure_detail);
  r.http_status = tr.response.status;
  r.body = std::move(tr.response.body);
  return r;
}

std::chrono::milliseconds deadline_of(const exchange::sql_call& call) {
  return std::chrono::milliseconds(call.timeout_ms);
}

exchange::action_result ok_result(exchange::action_id id, int status, std::string_view body) {
  exchange::action_result r;
  r.id = id;
  r.http_status = status;
  r.body.append(body);
  return r;
}

std::string hex64(std::uint64_t v) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = digits[v & 15];
  return out;
}

}  // namespace

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

result<std::unique_ptr<host>> host::create(const api::app_spec& app, host_config config,
                                           native::transport_options transport) {
  auto target = neon::make_target(config.database);
  if (!target) return fail(errc::invalid_argument, target.error().message);
  std::optional<neon::target> replica;
  if (!config.read_database.connection_string.empty()) {
    auto read = neon::make_target(config.read_database);
    if (!read) return fail(errc::invalid_argument, "DATABASE_URL_READ: " + read.error().message);
    replica = std::move(*read);
  }
  config.api.read_replica = replica.has_value();
  auto handler = api::make_handler(app, config.api);
  if (!handler) return std::move(handler).error();
  return std::unique_ptr<host>(new host(std::move(config), std::move(*target), std::move(replica),
                                        std::move(*handler), std::move(transport)));
}

host::host(host_config config, neon::target target, std::optional<neon::target> replica,
           exchange::handler handler, native::transport_options transport)
    : config_(std::move(config)), target_(std::move(target)), replica_(std::move(replica)),
      engine_(std::move(handler)), transport_(std::move(transport)),
      cache_(cache_options{.max_bytes = config_.cache_max_bytes,
                           .max_entry_bytes = config_.cache_max_entry_bytes}),
      log_([](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); }) {
  std::random_device rd;
  request_salt_ = (std::uint64_t(rd()) << 32) ^ rd();
}

host::~host() {
  for (auto& w : workers_)
    if (w.thread.joinable()) w.thread.join();
}

exchange::exchange_id host::submit(exchange::request req, done_fn done) {
  std::string rid = api::choose_request_id(req, hex64(request_salt_ ^ (next_request_++ * 0x9e3779b97f4a7c15ull)));
  const auto id = engine_.start(std::move(req), std::move(rid), now_ms());
  waiting_.emplace(id, std::move(done));
  pump();
  return id;
}

void host::cancel(exchange::exchange_id id) {
  engine_.cancel(id);
  waiting_.erase(id);
}

void host::pump() {
  for (;;) {
    bool progressed = false;
    while (auto a = engine_.next_action()) {
      perform(std::move(*a));
      progressed = true;
    }
    if (!ready_.empty()) {
      auto r = std::move(ready_.front());
      ready_.pop_front();
      engine_.complete(std::move(r), now_ms());
      continue;
    }
    while (auto f = engine_.next_response()) {
      progressed = true;
      auto it = waiting_.find(f->exchange);
      if (it == waiting_.end()) continue;
      auto done = std::move(it->second);
      waiting_.erase(it);
      done(std::move(f->resp));
    }
    if (!progressed) return;
  }
}

void host::perform(exchange::action a) {
  switch (a.kind()) {
    case exchange::action_kind::sql:
      return perform_sql(a.id, std::move(std::get<exchange::sql_call>(a.body)));
    case exchange::action_kind::verify_signature: {
      const auto& v = std::get<exchange::signature_check>(a.body);
      exchange::action_result r;
      r.id = a.id;
      r.valid = verify_jws(v.alg, v.key, v.signing_input, v.signature, config_.dev_secret);
      ready_.push_back(std::move(r));
      return;
    }
    case exchange::action_kind::fetch_jwks:
      return perform_jwks(a.id, std::get<exchange::jwks_fetch>(a.body));
    case exchange::action_kind::delete_object:
      return perform_delete(a.id, std::move(std::get<exchange::object_delete>(a.body).key));
    case exchange::action_kind::log:
      if (log_) log_(std::get<exchange::log_line>(a.body).line);
      return;
  }
}

exchange::db_target host::target_of(const exchange::sql_call& call) const {
  return call.replica && replica_ ? exchange::db_target::replica : exchange::db_target::primary;
}

http::request host::sql_request(const exchange::sql_call& call) const {
  const neon::target& to = target_of(call) == exchange::db_target::replica ? *replica_ : target_;
  http::request req;
  req.method = "POST";
  req.url = to.url;
  for (const auto& [k, v] : to.headers)
    if (http::iequals(k, "Neon-Connection-String") || http::iequals(k, "Authorization"))
      req.headers.emplace_back(k, v);
  for (const auto& h : call.headers) req.headers.push_back(h);
  req.headers.emplace_back("Content-Type", "application/json");
  req.body = call.body;
  return req;
}

std::string host::cache_key(const exchange::sql_call& call) const {
  const auto& c = target_.connection;
  std::string key = c.user + "@" + c.host + ":" + std::to_string(c.port.value_or(5432)) + "/" + c.database;
  for (const auto& [k, v] : call.headers) key += "\n" + k + ": " + v;
  key += "\n\n" + call.body;
  return key;
}

void host::perform_sql(exchange::action_id id, exchange::sql_call call) {
  if (!call.writes.empty()) cache_.invalidate(call.writes);
  const bool use_cache = call.target_pool == exchange::pool::cached && call.cacheable;
  std::string key = use_cache ? cache_key(call) : std::string();
  if (use_cache) {
    auto hit = cache_.lookup(key, now_ms(), call.after_lsn);
    if (hit.state != sql_cache::freshness::miss) {
      ++cache_hits_;
      auto r = ok_result(id, hit.status, hit.body);
      r.cache = hit.state == sql_cache::freshness::fresh ? exchange::cache_status::hit : exchange::cache_status::stale;
      ready_.push_back(std::move(r));
      if (hit.state == sql_cache::freshness::stale) refresh(std::move(key), std::move(call));
      return;
    }
  }
  ++sql_sent_;
  auto ticket = cache_.begin(call.reads);
  http::request req = sql_request(call);
  transport_.submit(std::move(req), [this, id, use_cache, key = std::move(key), reads = call.reads,
                                     writes = call.writes, ticket, floor = call.after_lsn,
                                     served = target_of(call)](native::transport_result&& tr) {
    if (!writes.empty()) cache_.invalidate(writes);
    if (use_cache && tr.failure == native::transport_failure::none)
      cache_.store(key, reads, ticket, tr.response.status, std::string(tr.response.body.view()), now_ms(), floor);
    auto r = from_transport(id, std::move(tr));
    r.cache = use_cache ? exchange::cache_status::miss : exchange::cache_status::bypass;
    r.target = served;
    ready_.push_back(std::move(r));
  }, deadline_of(call));
}

void host::refresh(std::string key, exchange::sql_call call) {
  ++sql_sent_;
  auto ticket = cache_.begin(call.reads);
  transport_.submit(sql_request(call), [this, key = std::move(key), reads = call.reads,
                                        ticket, floor = call.after_lsn](native::transport_result&& tr) {
    if (tr.failure == native::transport_failure::none)
      cache_.store(key, reads, ticket, tr.response.status, std::string(tr.response.body.view()), now_ms(), floor);
  }, deadline_of(call));
}

void host::perform_jwks(exchange::action_id id, const exchange::jwks_fetch& fetch) {
  const std::string& url = fetch.url;
  auto it = jwks_.find(url);
  const std::int64_t max_age = fetch.refresh ? k_jwks_refresh_min_ms : k_jwks_ttl_ms;
  if (it != jwks_.end() && now_ms() - it->second.fetched_ms < max_age) {
    ready_.push_back(ok_result(id, 200, it->second.body));
    return;
  }
  // A fetch of this URL under way answers this action too: concurrent requests of a cold
  // host, or a burst of unknown kids, cost the issuer one request.
  auto [waiting, first] = jwks_waiting_.try_emplace(url);
  waiting->second.push_back(id);
  if (!first) return;
  http::request req;
  req.method = "GET";
  req.url = url;
  req.headers.emplace_back("Accept", "application/json");
  transport_.submit(std::move(req), [this, url](native::transport_result&& tr) {
    if (tr.failure == native::transport_failure::none && tr.response.status == 200)
      jwks_[url] = jwks_entry{std::string(tr.response.body.view()), now_ms()};
    auto node = jwks_waiting_.extract(url);
    if (node.empty()) return;
    exchange::action_result r = from_transport(0, std::move(tr));
    for (exchange::action_id waiter : node.mapped()) {
      ready_.push_back(r);
      ready_.back().id = waiter;
    }
  });
}

void host::perform_delete(exchange::action_id id, std::string key) {
  auto finish = [id](delete_outcome d) {
    exchange::action_result r;
    r.id = id;
    r.status = d.ok ? exchange::outcome::ok : exchange::outcome::failed;
    r.detail = std::move(d.detail);
    return r;
  };
  if (!uses_s3(config_.images)) {
    ready_.push_back(finish(delete_object(config_.images, key)));
    return;
  }
  auto finished = std::make_shared<std::atomic<bool>>(false);
  std::thread t([this, images = config_.images, key = std::move(key), finish, finished] {
    auto r = finish(delete_s3(images, key));
    std::lock_guard lock(posted_mu_);
    posted_.push_back(std::move(r));
    finished->store(true);
    posted_cv_.notify_all();
  });
  workers_.push_back(worker{std::move(t), std::move(finished)});
}

void host::drain_posted() {
  {
    std::lock_guard lock(posted_mu_);
    for (auto& r : posted_) ready_.push_back(std::move(r));
    posted_.clear();
  }
  // Join the delete threads that are done (they only post one result, then exit).
  std::erase_if(workers_, [](worker& w) {
    if (!w.finished->load()) return false;
    w.thread.join();
    return true;
  });
}

bool host::poll(std::chrono::milliseconds timeout) {
  drain_posted();
  pump();
  if (transport_.in_flight() > 0) {
    transport_.run_once(timeout);
  } else if (engine_.active() > 0 && ready_.empty()) {
    std::unique_lock lock(posted_mu_);
    posted_cv_.wait_for(lock, timeout, [this] { return !posted_.empty(); });
  }
  drain_posted();
  pump();
  return engine_.active() > 0;
}

exchange::response host::run(exchange::request req) {
  std::optional<exchange::response> out;
  submit(std::move(req), [&out](exchange::response r) { out = std::move(r); });
  while (!out) poll(std::chrono::milliseconds(50));
  return std::move(*out);
}

}  // namespace edgefn::host

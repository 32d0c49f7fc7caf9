#pragma once
// The native host: drives one exchange::engine running an app and performs its
// actions — SQL over the libcurl multi transport (the `cached` pool answered from sql_cache
// when the core marks a read cacheable; reads the core marks for the replica sent to
// DATABASE_URL_READ when it is set), signature checks with OpenSSL, JWKS fetches (cached
// 5 minutes), image deletes (local directory inline; S3 on a worker thread), log lines to a
// sink (stderr by default). Many exchanges run at once: every pending action is started
// before the host waits, and completions are fed back as they arrive.
//
// Threading: a host is used from one thread (submit/poll/run). Only S3 deletes run on other
// threads; they post their results back through a mutex-protected queue.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "exchange/engine.h"
#include "api/route.h"
#include "config/app_config.h"
#include "host/sql_cache.h"
#include "neon/request.h"
#include "transport/curl_transport.h"

namespace edgefn::host {

using native::host_config;
using native::images_config;

/// Host time: milliseconds since the Unix epoch.
[[nodiscard]] std::int64_t now_ms();

class host {
 public:
  using done_fn = std::function<void(exchange::response)>;
  using log_sink = std::function<void(const std::string& line)>;

  /// A host serving `app` (static storage). Errors: an unusable database config (see
  /// neon::make_target), a malformed route table.
  [[nodiscard]] static result<std::unique_ptr<host>> create(const api::app_spec& app, host_config config,
                                                            native::transport_options transport = {});
  ~host();
  host(const host&) = delete;
  host& operator=(const host&) = delete;

  /// Starts an exchange; `done` runs (on this thread, inside poll/run) with the response.
  exchange::exchange_id submit(exchange::request req, done_fn done);
  /// Drops an exchange whose client went away: `done` never runs; in-flight actions finish
  /// but their results are ignored (an SQL write already sent still happens).
  void cancel(exchange::exchange_id id);
  /// Performs pending work for at most `timeout`; returns whether exchanges are still active.
  bool poll(std::chrono::milliseconds timeout);
  /// Runs one exchange to completion (what `edgefn request` does).
  [[nodiscard]] exchange::response run(exchange::request req);

  /// Where log lines go (default: one line each on stderr).
  void set_log_sink(log_sink sink) { log_ = std::move(sink); }
  [[nodiscard]] std::size_t active() const noexcept { return engine_.active(); }
  /// The largest request body a route reads (MAX_BODY_BYTES): an HTTP layer must read at least
  /// one byte more of a body for the core to answer 413.
  [[nodiscard]] std::size_t max_body_bytes() const noexcept { return config_.api.max_body_bytes; }
  /// The app's CORS_ORIGINS (the server's own rejections carry CORS headers as the core's do).
  [[nodiscard]] const std::vector<std::string>& cors_origins() const noexcept { return config_.api.cors_origins; }
  /// True while exchange `id` has not finished or been cancelled.
  [[nodiscard]] bool is_active(exchange::exchange_id id) const { return waiting_.count(id) != 0; }
  /// Counters for tests: SQL actions sent to a database (primary or replica) / answered by
  /// the cache.
  [[nodiscard]] std::uint64_t sql_sent() const noexcept { return sql_sent_; }
  [[nodiscard]] std::uint64_t sql_cache_hits() const noexcept { return cache_hits_; }

 private:
  host(host_config config, neon::target target, std::optional<neon::target> replica,
       exchange::handler handler, native::transport_options transport);
  void pump();
  void perform(exchange::action a);
  void perform_sql(exchange::action_id id, exchange::sql_call call);
  void perform_jwks(exchange::action_id id, const exchange::jwks_fetch& fetch);
  void perform_delete(exchange::action_id id, std::string key);
  [[nodiscard]] http::request sql_request(const exchange::sql_call& call) const;
  /// The database `call` goes to: the replica when it is marked for one and there is one.
  [[nodiscard]] exchange::db_target target_of(const exchange::sql_call& call) const;
  [[nodiscard]] std::string cache_key(const exchange::sql_call& call) const;
  void refresh(std::string key, exchange::sql_call call);
  void drain_posted();

  host_config config_;
  neon::target target_;
  std::optional<neon::target> replica_;  ///< DATABASE_URL_READ
  exchange::engine engine_;
  native::curl_transport transport_;
  sql_cache cache_;
  struct jwks_entry {
    std::string body;
    std::int64_t fetched_ms;
  };
  std::map<std::string, jwks_entry> jwks_;
  /// JWKS fetches under way, by URL, with the actions waiting for each (one fetch for all).
  std::map<std::string, std::vector<exchange::action_id>> jwks_waiting_;
  std::map<exchange::exchange_id, done_fn> waiting_;
  std::deque<exchange::action_result> ready_;
  log_sink log_;
  std::uint64_t next_request_ = 1;
  std::uint64_t request_salt_ = 0;
  std::uint64_t sql_sent_ = 0;
  std::uint64_t cache_hits_ = 0;
  // results posted by worker threads (S3 deletes)
  std::mutex posted_mu_;
  std::condition_variable posted_cv_;
  std::vector<exchange::action_result> posted_;
  struct worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> finished;
  };
  std::vector<worker> workers_;  ///< S3 deletes in flight or not yet joined
};

}  // namespace edgefn::host

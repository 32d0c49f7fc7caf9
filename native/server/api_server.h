#pragma once
// `edgefn serve`: the HTTP server (server/http_server.h: an event loop, keep-alive, handlers
// on a bounded worker pool) in front of ONE host loop thread that owns the exchange engine and
// the libcurl multi transport. Worker threads hand requests to the host loop and wait for
// their response; the host loop runs every in-flight exchange concurrently.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "host/host.h"
#include "server/http_server.h"

namespace edgefn::server {

class api_server {
 public:
  api_server(std::unique_ptr<host::host> h, http_config config);
  ~api_server();
  api_server(const api_server&) = delete;
  api_server& operator=(const api_server&) = delete;

  /// Binds; false with `error` filled on failure.
  bool listen(std::string& error) { return http_.listen(error); }
  [[nodiscard]] std::uint16_t port() const { return http_.port(); }
  /// Starts the host loop and serves on background threads.
  void start();
  /// Stops serving and the loop (in-flight exchanges finish first, up to the server's wait).
  void stop();

 private:
  struct job {
    exchange::request req;
    std::promise<exchange::response> reply;
    std::shared_ptr<std::atomic<bool>> client_gone = std::make_shared<std::atomic<bool>>(false);
  };
  struct running {
    exchange::exchange_id id;
    std::shared_ptr<std::atomic<bool>> client_gone;
  };
  http_response handle(const http_request& req, const client_link& link);
  void cancel_abandoned();
  void loop();

  std::unique_ptr<host::host> host_;
  http_server http_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<job>> inbox_;
  bool stopping_ = false;
  std::thread loop_thread_;
  std::vector<running> running_;  ///< loop thread only
};

/// Converts the server's request into the core's, its headers as a Worker's Fetch API hands them
/// over (HTTP/1.1 and HTTP/2 alike): names lowercased, and the field lines of one name combined
/// into one value at the first one's place, joined by ", " in order (`cookie` by "; ", as RFC
/// 9113 §8.2.3 has HTTP/2 do). Otherwise the core, which reads the first, and the Worker would
/// see different requests (two Authorization lines: the first token, or a malformed one).
[[nodiscard]] exchange::request to_exchange_request(const http_request& req);

}  // namespace edgefn::server

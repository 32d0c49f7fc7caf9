#pragma once
// The native HTTP host for the core: libcurl's multi interface. One multi handle per
// transport; easy handles are kept per endpoint (scheme://host:port) and reused, so
// connections stay alive between requests (HTTP/2 where the server offers it over TLS).

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "http/message.h"

namespace edgefn::native {

/// Why a request produced no HTTP response at all.
enum class transport_failure : std::uint8_t { none, dns, connect, tls, timeout, other };

[[nodiscard]] const char* to_string(transport_failure f) noexcept;

struct transport_options {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{30000};
  bool verify_tls = true;  ///< never turn off outside tests against a local endpoint
  std::string user_agent = "edgefn/0.1";
};

/// The outcome of one request: a response (failure == none) or a transport failure with a
/// human-readable detail (libcurl's message; it never contains request headers or bodies).
struct transport_result {
  transport_failure failure = transport_failure::none;
  std::string failure_detail;
  http::response response;
};

class curl_transport {
 public:
  using completion = std::function<void(transport_result&&)>;

  explicit curl_transport(transport_options options = {});
  ~curl_transport();
  curl_transport(const curl_transport&) = delete;
  curl_transport& operator=(const curl_transport&) = delete;

  /// Queues `request`. `done` runs on the thread that calls run()/run_once(), exactly once.
  /// `timeout` (when non-zero) replaces options.total_timeout for this request: past it the
  /// transfer is aborted (its connection closed) and reported as transport_failure::timeout.
  void submit(http::request request, completion done,
              std::chrono::milliseconds timeout = std::chrono::milliseconds(0));

  /// Drives transfers for at most `timeout`; returns the number still in flight.
  int run_once(std::chrono::milliseconds timeout);

  /// Drives transfers until none are in flight.
  void run();

  /// Performs one request and waits for it (other queued transfers progress meanwhile).
  [[nodiscard]] transport_result perform(http::request request);

  [[nodiscard]] int in_flight() const noexcept { return static_cast<int>(transfers_.size()); }

 private:
  struct transfer;
  void* acquire_handle(const std::string& endpoint);
  void release_handle(const std::string& endpoint, void* easy);
  void finish(void* easy, int curl_code);

  transport_options options_;
  void* multi_ = nullptr;
  std::map<void*, std::unique_ptr<transfer>> transfers_;
  std::map<std::string, std::vector<void*>> idle_handles_;
};

/// scheme://host[:port] of a URL (the key easy handles are reused under).
[[nodiscard]] std::string endpoint_of(const std::string& url);

}  // namespace edgefn::native

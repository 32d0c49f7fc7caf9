#pragma once
// A slowloris for server tests: many connections that each send a request head one byte at a
// time and never finish it, all driven by one background thread.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <thread>
#include <vector>

namespace edgefn::testing {

class slow_clients {
 public:
  /// Connects `count` sockets to 127.0.0.1:`port` and starts dripping one byte on each every
  /// `interval`.
  slow_clients(int port, std::size_t count, std::chrono::milliseconds interval);
  /// Stops dripping and closes every socket.
  ~slow_clients();
  slow_clients(const slow_clients&) = delete;
  slow_clients& operator=(const slow_clients&) = delete;

  /// Sockets that connected.
  [[nodiscard]] std::size_t connected() const { return fds_.size(); }
  /// Bytes dripped so far, all sockets together.
  [[nodiscard]] std::size_t dripped() const { return dripped_.load(); }
  /// Connected sockets that the server has neither closed nor answered.
  [[nodiscard]] std::size_t still_waiting() const;

 private:
  void drip(std::chrono::milliseconds interval);

  std::vector<int> fds_;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> dripped_{0};
  std::thread dripper_;
};

}  // namespace edgefn::testing

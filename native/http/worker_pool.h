#pragma once
// The threads that run the server's (blocking) request handlers: a bounded queue in front of
// at most `max_threads` threads, started on demand and ended after a second without work. The event loop never blocks on a handler;
// a request that finds the queue full is answered 503 by the loop instead.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

namespace edgefn::httpd {

class worker_pool {
 public:
  /// Up to `max_threads` threads (at least 1) and `max_queued` jobs waiting for one.
  worker_pool(std::size_t max_threads, std::size_t max_queued);
  /// Runs the queued jobs, then joins the threads.
  ~worker_pool();
  worker_pool(const worker_pool&) = delete;
  worker_pool& operator=(const worker_pool&) = delete;

  /// Queues `job`; false (and `job` is dropped) when the queue is full or the pool stopped.
  [[nodiscard]] bool try_submit(std::function<void()> job);
  /// Jobs queued or running now.
  [[nodiscard]] std::size_t pending() const;
  /// Runs what is queued, then joins every thread; later submissions are refused.
  void stop();

 private:
  void work(std::list<std::thread>::iterator self);
  /// Joins the threads that ended for lack of work (they have returned or are returning).
  void join_finished();

  std::size_t max_threads_;
  std::size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::list<std::thread> threads_;
  std::vector<std::thread> finished_;
  std::size_t idle_ = 0;
  std::size_t running_ = 0;
  bool stopping_ = false;
};

}  // namespace edgefn::httpd

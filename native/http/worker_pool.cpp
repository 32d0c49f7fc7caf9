#include "http/worker_pool.h"

#include <algorithm>
#include <chrono>

namespace edgefn::httpd {
namespace {

/// An idle thread ends after this long without a job.
constexpr auto k_idle_exit = std::chrono::seconds(1);

}  // namespace

worker_pool::worker_pool(std::size_t max_threads, std::size_t max_queued)
    : max_threads_(std::max<std::size_t>(1, max_threads)), max_queued_(max_queued) {}

worker_pool::~worker_pool() { stop(); }

bool worker_pool::try_submit(std::function<void()> job) {
  join_finished();
  std::lock_guard lock(mu_);
  if (stopping_) return false;
  // Jobs beyond the idle threads wait in the queue; the queue bound counts only those.
  const std::size_t waiting = queue_.size() + 1;
  if (waiting > idle_ && threads_.size() < max_threads_) {
    auto it = threads_.emplace(threads_.end());
    *it = std::thread([this, it] { work(it); });
    ++idle_;  // the new thread counts as idle until it takes a job
  } else if (waiting > idle_ + max_queued_) {
    return false;
  }
  queue_.push_back(std::move(job));
  cv_.notify_one();
  return true;
}

std::size_t worker_pool::pending() const {
  std::lock_guard lock(mu_);
  return queue_.size() + running_;
}

void worker_pool::work(std::list<std::thread>::iterator self) {
  std::unique_lock lock(mu_);
  for (;;) {
    const bool woken =
        cv_.wait_for(lock, k_idle_exit, [this] { return stopping_ || !queue_.empty(); });
    if (!woken && !stopping_) {  // idle for a while: end, leaving the handle to be joined
      finished_.push_back(std::move(*self));
      threads_.erase(self);
      --idle_;
      return;
    }
    if (queue_.empty()) return;  // stopping, nothing left
    auto job = std::move(queue_.front());
    queue_.pop_front();
    --idle_;
    ++running_;
    lock.unlock();
    job();
    job = nullptr;  // release what the job holds before counting it done
    lock.lock();
    --running_;
    ++idle_;
  }
}

void worker_pool::join_finished() {
  std::vector<std::thread> done;
  {
    std::lock_guard lock(mu_);
    done.swap(finished_);
  }
  for (auto& t : done) t.join();
}

void worker_pool::stop() {
  std::list<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  cv_.notify_all();
  for (auto& t : threads) t.join();
  join_finished();
}

}  // namespace edgefn::httpd

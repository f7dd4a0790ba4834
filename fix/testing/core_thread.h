// CoreThread (test double of the daemon's core thread): an Asio io_context run by one thread of
// its own, so posted tasks run one at a time, in the order they were posted, as in the daemon.
// Tests and the load generator give its Post as the gateway's Executor and its io_context to
// core-thread FIX sockets. With `busy_poll` the thread never sleeps (the daemon's
// `daemon.busy_poll`). Post, Dispatch and RunAndWait are thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <thread>

#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"

namespace combo::fix::testing {

class CoreThread {
 public:
  explicit CoreThread(bool busy_poll = false);
  // Runs the tasks already posted, then stops.
  ~CoreThread();

  CoreThread(const CoreThread&) = delete;
  CoreThread& operator=(const CoreThread&) = delete;

  void Post(std::function<void()> task);
  // The daemon's gateway executor: runs `task` at once when called on the core thread, else
  // posts it.
  void Dispatch(std::function<void()> task);
  bool OnThisThread() { return io_.get_executor().running_in_this_thread(); }
  // Runs `task` on the core thread after everything posted before it, and returns when it ran.
  void RunAndWait(std::function<void()> task);
  boost::asio::io_context& io() { return io_; }

 private:
  void Run();

  const bool busy_poll_;
  boost::asio::io_context io_{1};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace combo::fix::testing

// CoreThread (test double of the daemon's core thread): runs posted tasks one at a time, in the
// order they were posted, on one thread of its own. Tests and the load generator give its
// Post as the gateway's Executor, as the daemon gives a post to its io_context.
// Post and RunAndWait are thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace combo::fix::testing {

class CoreThread {
 public:
  CoreThread();
  // Runs the tasks already posted, then stops.
  ~CoreThread();

  CoreThread(const CoreThread&) = delete;
  CoreThread& operator=(const CoreThread&) = delete;

  void Post(std::function<void()> task);
  // Runs `task` on the core thread after everything posted before it, and returns when it ran.
  void RunAndWait(std::function<void()> task);

 private:
  void Run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace combo::fix::testing

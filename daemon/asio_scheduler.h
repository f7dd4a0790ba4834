// AsioScheduler: the daemon's real-time Scheduler, on the core thread's io_context.
//
// Timers keep the project-wide ordering (core::TimerQueue: due time, then scheduling order);
// one steady_timer is armed for the earliest of them, so thousands of pending leg timeouts cost
// one Asio timer. Now() is the injected clock (the wall clock in production).
// Not thread-safe: call it only from the thread running the io_context (post to it otherwise).
#pragma once

#include <optional>

#include "boost/asio/io_context.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/steady_timer.hpp"
#include "core/clock.h"
#include "core/scheduler.h"
#include "core/timer_queue.h"

namespace combo::daemon {

class AsioScheduler final : public core::Scheduler {
 public:
  AsioScheduler(boost::asio::io_context& io, const core::Clock& clock);
  AsioScheduler(const AsioScheduler&) = delete;
  AsioScheduler& operator=(const AsioScheduler&) = delete;

  core::Timestamp Now() const override { return clock_.Now(); }
  core::TimerId ScheduleAt(core::Timestamp when, Callback callback) override;
  bool Cancel(core::TimerId id) override { return timers_.Cancel(id); }

  size_t pending() const { return timers_.size(); }

 private:
  // Arms the Asio timer for the earliest pending timer, or leaves it idle when none is, so an
  // io_context with nothing else to do can return from run().
  void Arm();
  void RunDue();

  const core::Clock& clock_;
  boost::asio::steady_timer timer_;
  core::TimerQueue timers_;
  core::Timestamp armed_for_ = core::Timestamp::Max();
  // While RunDue runs: the time its pass runs timers up to.
  std::optional<core::Timestamp> pass_time_;
  // A re-arm is posted and has not run yet.
  bool rearm_posted_ = false;
};

}  // namespace combo::daemon

#include "daemon/asio_scheduler.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace combo::daemon {

AsioScheduler::AsioScheduler(boost::asio::io_context& io, const core::Clock& clock)
    : clock_(clock), timer_(io) {}

core::TimerId AsioScheduler::ScheduleAt(core::Timestamp when, Callback callback) {
  // A callback of the running pass that schedules for "now" (its clock has moved on since the
  // pass began) joins the pass instead of waiting for the next trip through Asio (a timer
  // re-armed, an epoll wake-up, whatever else is queued): the router's tick processing, for one,
  // runs right after the market-data update that caused it.
  if (pass_time_.has_value() && when > *pass_time_ && when <= clock_.Now()) when = *pass_time_;
  const core::TimerId id = timers_.Push(when, std::move(callback));
  // Arming the Asio timer is a system call or two (timerfd): do it once per handler, not once
  // per timer. A pass arms for its successor when it ends; any other handler (a socket read, say)
  // gets one re-arm, run as soon as it returns, whatever it scheduled.
  if (when < armed_for_ && !pass_time_.has_value() && !rearm_posted_) {
    rearm_posted_ = true;
    boost::asio::post(timer_.get_executor(), [this] {
      rearm_posted_ = false;
      if (timers_.NextDue() < armed_for_) Arm();
    });
  }
  return id;
}

void AsioScheduler::Arm() {
  const core::Timestamp next = timers_.NextDue();
  armed_for_ = next;
  if (next == core::Timestamp::Max()) {
    timer_.cancel();
    return;
  }
  const int64_t delay_ns = std::max<int64_t>(0, (next - clock_.Now()).nanoseconds());
  // Re-arming aborts the previous wait; its handler sees operation_aborted and does nothing.
  timer_.expires_after(std::chrono::nanoseconds(delay_ns));
  timer_.async_wait([this](const boost::system::error_code& error) {
    if (error == boost::asio::error::operation_aborted) return;
    RunDue();
  });
}

void AsioScheduler::RunDue() {
  armed_for_ = core::Timestamp::Max();
  const core::Timestamp now = clock_.Now();
  pass_time_ = now;
  // Timers that callbacks schedule for now or earlier run in this pass, after those already due.
  while (auto due = timers_.PopDue(now)) std::move(due->callback)();
  pass_time_.reset();
  Arm();
}

}  // namespace combo::daemon

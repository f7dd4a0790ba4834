#include "daemon/asio_scheduler.h"

#include <string>
#include <vector>

#include "boost/asio/io_context.hpp"
#include "boost/asio/post.hpp"
#include "gtest/gtest.h"

namespace combo::daemon {
namespace {

using core::Duration;

// These run on the real clock: a few milliseconds each. Order, never timing, is checked.
class AsioSchedulerTest : public ::testing::Test {
 protected:
  boost::asio::io_context io_;
  core::WallClock clock_;
  AsioScheduler scheduler_{io_, clock_};
};

TEST_F(AsioSchedulerTest, TimersRunInDueTimeThenSchedulingOrder) {
  std::vector<std::string> ran;
  const core::Timestamp base = scheduler_.Now();
  scheduler_.ScheduleAt(base + Duration::Milliseconds(3), [&] { ran.push_back("late"); });
  scheduler_.ScheduleAt(base + Duration::Milliseconds(1), [&] { ran.push_back("first"); });
  scheduler_.ScheduleAt(base + Duration::Milliseconds(1), [&] { ran.push_back("second"); });
  io_.run();
  EXPECT_EQ(ran, (std::vector<std::string>{"first", "second", "late"}));
  EXPECT_EQ(scheduler_.pending(), 0u);
}

TEST_F(AsioSchedulerTest, CancelledTimerNeverRunsAndRunReturnsWhenIdle) {
  int ran = 0;
  core::TimerId id = scheduler_.ScheduleAfter(Duration::Milliseconds(1), [&] { ++ran; });
  EXPECT_TRUE(scheduler_.Cancel(id));
  scheduler_.ScheduleAfter(Duration::Milliseconds(2), [&] { ran += 10; });
  io_.run();
  EXPECT_EQ(ran, 10);
}

TEST_F(AsioSchedulerTest, CallbacksMayScheduleEarlierTimersAndCancelOthers) {
  std::vector<std::string> ran;
  core::TimerId victim =
      scheduler_.ScheduleAfter(Duration::Milliseconds(5), [&] { ran.push_back("victim"); });
  scheduler_.ScheduleAfter(Duration::Milliseconds(1), [&] {
    ran.push_back("outer");
    scheduler_.Cancel(victim);
    scheduler_.ScheduleAfter(Duration::Zero(), [&] { ran.push_back("inner-now"); });
    scheduler_.ScheduleAfter(Duration::Milliseconds(1), [&] { ran.push_back("inner-later"); });
  });
  io_.run();
  EXPECT_EQ(ran, (std::vector<std::string>{"outer", "inner-now", "inner-later"}));
}

// The router schedules its tick processing for "now" from a market-data callback: it runs in
// the same pass, before anything else queued on the io_context, not a trip through Asio later.
TEST_F(AsioSchedulerTest, ATimerACallbackSchedulesForNowJoinsTheRunningPass) {
  std::vector<std::string> ran;
  scheduler_.ScheduleAfter(Duration::Milliseconds(1), [&] {
    ran.push_back("update");
    boost::asio::post(io_, [&] { ran.push_back("queued handler"); });
    scheduler_.ScheduleAt(scheduler_.Now(), [&] { ran.push_back("tick processing"); });
  });
  io_.run();
  EXPECT_EQ(ran, (std::vector<std::string>{"update", "tick processing", "queued handler"}));
}

// A socket handler schedules outside any pass: the Asio timer is re-armed for the new earliest
// timer once the handler returns (not once per timer), and not left armed for the later one.
TEST_F(AsioSchedulerTest, TimersAHandlerSchedulesAreArmedForTheEarliestWhenItReturns) {
  std::vector<std::string> ran;
  const core::TimerId far =
      scheduler_.ScheduleAfter(Duration::Seconds(3600), [&] { ran.push_back("far"); });
  boost::asio::post(io_, [&] {
    scheduler_.ScheduleAfter(Duration::Milliseconds(2), [&] {
      ran.push_back("second");
      scheduler_.Cancel(far);  // nothing left: run_for returns
    });
    scheduler_.ScheduleAfter(Duration::Milliseconds(1), [&] { ran.push_back("first"); });
    scheduler_.ScheduleAfter(Duration::Zero(), [&] { ran.push_back("now"); });
  });
  // Generous: armed for the hour, the three would not run within the minute.
  io_.run_for(std::chrono::seconds(60));
  EXPECT_EQ(ran, (std::vector<std::string>{"now", "first", "second"}));
}

TEST_F(AsioSchedulerTest, ATimerInThePastRunsPromptly) {
  bool ran = false;
  scheduler_.ScheduleAt(scheduler_.Now() - Duration::Seconds(10), [&] { ran = true; });
  io_.run();
  EXPECT_TRUE(ran);
}

}  // namespace
}  // namespace combo::daemon

#include "core/simulated_time.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace combo::core {
namespace {

const Timestamp kStart = Timestamp::FromUtc(2026, 11, 20, 14, 22, 27);

TEST(SimulatedTime, TimeMovesOnlyWhenTold) {
  SimulatedTime time(kStart);
  EXPECT_EQ(time.Now(), kStart);
  EXPECT_EQ(time.Now(), kStart);
  time.AdvanceBy(Duration::Milliseconds(40));
  EXPECT_EQ(time.Now(), kStart + Duration::Milliseconds(40));
}

TEST(SimulatedTime, TimersRunInDueTimeOrder) {
  SimulatedTime time(kStart);
  std::vector<std::string> ran;
  time.ScheduleAfter(Duration::Milliseconds(30), [&] { ran.push_back("c"); });
  time.ScheduleAfter(Duration::Milliseconds(10), [&] { ran.push_back("a"); });
  time.ScheduleAfter(Duration::Milliseconds(20), [&] { ran.push_back("b"); });
  EXPECT_EQ(time.AdvanceBy(Duration::Milliseconds(30)), 3);
  EXPECT_EQ(ran, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(SimulatedTime, TimersDueAtTheSameTimeRunInSchedulingOrder) {
  SimulatedTime time(kStart);
  std::vector<int> ran;
  for (int i = 0; i < 100; ++i) {
    time.ScheduleAt(kStart + Duration::Seconds(1), [&ran, i] { ran.push_back(i); });
  }
  time.RunUntilIdle();
  ASSERT_EQ(ran.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(ran[static_cast<size_t>(i)], i);
}

TEST(SimulatedTime, NowIsTheTimersDueTimeWhileItRuns) {
  SimulatedTime time(kStart);
  Timestamp seen;
  time.ScheduleAfter(Duration::Milliseconds(200), [&] { seen = time.Now(); });
  time.AdvanceBy(Duration::Seconds(5));
  EXPECT_EQ(seen, kStart + Duration::Milliseconds(200));
  EXPECT_EQ(time.Now(), kStart + Duration::Seconds(5));
}

TEST(SimulatedTime, AdvanceStopsBeforeTimersDueLater) {
  SimulatedTime time(kStart);
  int ran = 0;
  time.ScheduleAfter(Duration::Milliseconds(100), [&] { ++ran; });
  time.ScheduleAfter(Duration::Milliseconds(101), [&] { ++ran; });
  time.AdvanceBy(Duration::Milliseconds(100));
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(time.pending(), 1u);
}

TEST(SimulatedTime, CancelledTimerNeverRuns) {
  SimulatedTime time(kStart);
  int ran = 0;
  TimerId id = time.ScheduleAfter(Duration::Seconds(1), [&] { ++ran; });
  EXPECT_TRUE(time.Cancel(id));
  EXPECT_FALSE(time.Cancel(id));
  time.RunUntilIdle();
  EXPECT_EQ(ran, 0);
  EXPECT_EQ(time.pending(), 0u);
}

TEST(SimulatedTime, CancelOfARunTimerReturnsFalse) {
  SimulatedTime time(kStart);
  TimerId id = time.ScheduleAfter(Duration::Seconds(1), [] {});
  time.RunUntilIdle();
  EXPECT_FALSE(time.Cancel(id));
  EXPECT_FALSE(time.Cancel(TimerId{}));
}

TEST(SimulatedTime, CallbackMayScheduleTimersThatRunInTheSameAdvance) {
  SimulatedTime time(kStart);
  std::vector<std::string> ran;
  time.ScheduleAfter(Duration::Milliseconds(10), [&] {
    ran.push_back("first");
    // Due now: runs after timers already due at this instant, within the same advance.
    time.ScheduleAfter(Duration::Zero(), [&] { ran.push_back("zero-delay"); });
    time.ScheduleAfter(Duration::Milliseconds(5), [&] { ran.push_back("later"); });
  });
  time.ScheduleAfter(Duration::Milliseconds(10), [&] { ran.push_back("second"); });
  time.AdvanceBy(Duration::Milliseconds(15));
  EXPECT_EQ(ran, (std::vector<std::string>{"first", "second", "zero-delay", "later"}));
}

TEST(SimulatedTime, CallbackMayCancelAnotherPendingTimer) {
  SimulatedTime time(kStart);
  int ran = 0;
  TimerId victim = time.ScheduleAfter(Duration::Milliseconds(20), [&] { ++ran; });
  time.ScheduleAfter(Duration::Milliseconds(10), [&] { EXPECT_TRUE(time.Cancel(victim)); });
  time.RunUntilIdle();
  EXPECT_EQ(ran, 0);
}

TEST(SimulatedTime, CallbackCancellingItselfIsHarmless) {
  SimulatedTime time(kStart);
  TimerId self;
  int ran = 0;
  self = time.ScheduleAfter(Duration::Milliseconds(10), [&] {
    ++ran;
    EXPECT_FALSE(time.Cancel(self));
  });
  time.RunUntilIdle();
  EXPECT_EQ(ran, 1);
}

TEST(SimulatedTime, TimerInThePastRunsAtNowNeverMovingTimeBackwards) {
  SimulatedTime time(kStart);
  time.AdvanceBy(Duration::Seconds(10));
  Timestamp seen;
  time.ScheduleAt(kStart, [&] { seen = time.Now(); });
  time.RunUntilIdle();
  EXPECT_EQ(seen, kStart + Duration::Seconds(10));
  time.AdvanceTo(kStart);
  EXPECT_EQ(time.Now(), kStart + Duration::Seconds(10));
}

TEST(SimulatedTime, RunUntilIdleStopsAtTheGuardForSelfReschedulingTimers) {
  SimulatedTime time(kStart);
  int ticks = 0;
  std::function<void()> tick = [&] {
    ++ticks;
    time.ScheduleAfter(Duration::Seconds(1), [&] { tick(); });
  };
  time.ScheduleAfter(Duration::Seconds(1), [&] { tick(); });
  EXPECT_EQ(time.RunUntilIdle(50), 50);
  EXPECT_EQ(ticks, 50);
  EXPECT_EQ(time.Now(), kStart + Duration::Seconds(50));
}

TEST(SimulatedTime, NextDueSkipsCancelledTimers) {
  SimulatedTime time(kStart);
  TimerId early = time.ScheduleAfter(Duration::Seconds(1), [] {});
  time.ScheduleAfter(Duration::Seconds(2), [] {});
  time.Cancel(early);
  EXPECT_EQ(time.NextDue(), kStart + Duration::Seconds(2));
  time.RunUntilIdle();
  EXPECT_EQ(time.NextDue(), Timestamp::Max());
}

TEST(SimulatedTime, MoveOnlyCallbacksAreAccepted) {
  SimulatedTime time(kStart);
  auto payload = std::make_unique<int>(7);
  int seen = 0;
  time.ScheduleAfter(Duration::Seconds(1), [&seen, p = std::move(payload)] { seen = *p; });
  time.RunUntilIdle();
  EXPECT_EQ(seen, 7);
}

}  // namespace
}  // namespace combo::core

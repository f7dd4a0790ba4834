#include "stack/leg_in_tracker.h"

#include <vector>

#include "gtest/gtest.h"

namespace combo::stack {
namespace {

// The engine's stand-in: remembers who it reports to, refuses orders it already works.
class FakeEngine final : public router::LegInEngine {
 public:
  absl::Status Start(const router::LegInOrder& order, router::LegInListener* reports_to) override {
    if (refuse_next) {
      refuse_next = false;
      return absl::FailedPreconditionError("refused");
    }
    listener = reports_to;
    started.push_back(order.order);
    return absl::OkStatus();
  }
  absl::Status Cancel(core::OrderId order) override {
    cancelled.push_back(order);
    return absl::OkStatus();
  }
  absl::Status StopAfterSlice(core::OrderId order) override {
    stopped_after_slice.push_back(order);
    return absl::OkStatus();
  }

  const router::LegInPolicy& policy() const override { return policy_; }

  router::LegInPolicy policy_;
  bool refuse_next = false;
  router::LegInListener* listener = nullptr;
  std::vector<core::OrderId> started;
  std::vector<core::OrderId> cancelled;
  std::vector<core::OrderId> stopped_after_slice;
};

class RouterSide final : public router::LegInListener {
 public:
  void OnLegInUnits(const router::LegInUnits& e) override { units += e.units.value(); }
  void OnLegInFailed(const router::LegInFailure&) override { ++failed; }
  void OnLegInFinished(const router::LegInDone&) override { ++finished; }
  int64_t units = 0;
  int failed = 0;
  int finished = 0;
};

router::LegInUnits Units(uint64_t order, int64_t units) {
  router::LegInUnits event;
  event.order = core::OrderId(order);
  event.units = core::Quantity(units);
  return event;
}

router::LegInFailure Failure(uint64_t order, int64_t units_left) {
  router::LegInFailure event;
  event.order = core::OrderId(order);
  event.units_left = core::Quantity(units_left);
  return event;
}

router::LegInDone Done(uint64_t order, int64_t units_left) {
  router::LegInDone event;
  event.order = core::OrderId(order);
  event.units_left = core::Quantity(units_left);
  return event;
}

router::LegInOrder Work(uint64_t id) {
  router::LegInOrder order;
  order.order = core::OrderId(id);
  order.combo = core::ComboId(1);
  order.units = core::Quantity(3);
  return order;
}

TEST(LegInTrackerTest, KnowsWhatWorksAndSaysWhenTheLastLegInEnds) {
  FakeEngine engine;
  LegInTracker tracker(engine);
  RouterSide router;
  int idle = 0;
  tracker.SetIdleCallback([&] { ++idle; });
  ASSERT_TRUE(tracker.Start(Work(1), &router).ok());
  ASSERT_TRUE(tracker.Start(Work(2), &router).ok());
  EXPECT_EQ(engine.listener, &tracker);
  EXPECT_EQ(tracker.working(), 2u);

  engine.listener->OnLegInUnits(Units(1, 2));
  EXPECT_EQ(router.units, 2);
  EXPECT_EQ(tracker.working(), 2u);
  engine.listener->OnLegInFailed(Failure(1, 1));
  EXPECT_EQ(router.failed, 1);
  EXPECT_EQ(idle, 0);
  ASSERT_TRUE(tracker.Cancel(core::OrderId(2)).ok());
  EXPECT_EQ(engine.cancelled, std::vector<core::OrderId>{core::OrderId(2)});
  ASSERT_TRUE(tracker.StopAfterSlice(core::OrderId(2)).ok());
  EXPECT_EQ(engine.stopped_after_slice, std::vector<core::OrderId>{core::OrderId(2)});
  engine.listener->OnLegInFinished(Done(2, 3));
  EXPECT_EQ(router.finished, 1);
  EXPECT_EQ(tracker.working(), 0u);
  EXPECT_EQ(idle, 1);
}

TEST(LegInTrackerTest, ALegInTheEngineRefusedIsNotWorking) {
  FakeEngine engine;
  LegInTracker tracker(engine);
  RouterSide router;
  engine.refuse_next = true;
  EXPECT_FALSE(tracker.Start(Work(1), &router).ok());
  EXPECT_EQ(tracker.working(), 0u);
}

TEST(LegInTrackerTest, TheRouterMayStartTheNextLegInFromInsideTheFailureReport) {
  FakeEngine engine;
  LegInTracker tracker(engine);
  struct Restarter final : router::LegInListener {
    LegInTracker* tracker = nullptr;
    void OnLegInUnits(const router::LegInUnits&) override {}
    void OnLegInFailed(const router::LegInFailure& e) override {
      ASSERT_TRUE(tracker->Start(Work(e.order.value()), this).ok());
    }
    void OnLegInFinished(const router::LegInDone&) override {}
  } restarter;
  restarter.tracker = &tracker;
  ASSERT_TRUE(tracker.Start(Work(7), &restarter).ok());
  engine.listener->OnLegInFailed(Failure(7, 3));
  EXPECT_EQ(tracker.working(), 1u);
  EXPECT_EQ(engine.started.size(), 2u);
}

TEST(LegInTrackerTest, TalliesEachLegInByHowItEnded) {
  FakeEngine engine;
  LegInTracker tracker(engine);
  RouterSide router;
  engine.refuse_next = true;
  EXPECT_FALSE(tracker.Start(Work(9), &router).ok());
  for (uint64_t order : {1, 2, 3}) ASSERT_TRUE(tracker.Start(Work(order), &router).ok());
  engine.listener->OnLegInUnits(Units(1, 3));
  engine.listener->OnLegInFinished(Done(1, 0));
  engine.listener->OnLegInUnits(Units(2, 1));
  router::LegInFailure failure = Failure(2, 2);
  failure.cause = router::LegInEnd::kLegFailed;
  engine.listener->OnLegInFailed(failure);
  router::LegInDone stopped = Done(3, 3);
  stopped.cause = router::LegInEnd::kCancelled;
  engine.listener->OnLegInFinished(stopped);
  // A report for an order the tracker does not know counts nowhere.
  engine.listener->OnLegInFinished(Done(42, 0));

  LegInTally expected;
  expected.attempts = 3;
  expected.successes = 1;
  expected.failures = 1;
  expected.stopped = 1;
  expected.units = 4;
  expected.ends = {{router::LegInEnd::kCompleted, 1},
                   {router::LegInEnd::kLegFailed, 1},
                   {router::LegInEnd::kCancelled, 1}};
  EXPECT_EQ(tracker.tally(), expected);
}

}  // namespace
}  // namespace combo::stack

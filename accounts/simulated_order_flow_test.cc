#include "accounts/simulated_order_flow.h"

#include <set>

#include "gtest/gtest.h"

namespace combo::accounts {
namespace {

TEST(SimulatedOrderFlowTest, SameSeedGivesTheSameStream) {
  SimulatedOrderFlow a(42, CommissionSchedule{});
  SimulatedOrderFlow b(42, CommissionSchedule{});
  SimulatedOrderFlow c(43, CommissionSchedule{});
  bool differs = false;
  for (int i = 0; i < 300; ++i) {
    const JournalEvent event = a.Next();
    ASSERT_TRUE(event == b.Next()) << "event " << i;
    differs = differs || !(event == c.Next());
  }
  EXPECT_TRUE(differs);
}

TEST(SimulatedOrderFlowTest, StreamCoversEveryEventKindAndReconciles) {
  SimulatedOrderFlow flow(7, CommissionSchedule{});
  std::set<EventKind> kinds;
  std::set<ErrorBookingKind> bookings;
  for (int i = 0; i < 3000; ++i) {
    const JournalEvent event = flow.Next();
    kinds.insert(KindOf(event));
    if (const auto* b = std::get_if<ErrorAccountBooking>(&event)) bookings.insert(b->kind);
  }
  EXPECT_EQ(kinds.size(), 7u);
  EXPECT_EQ(bookings.size(), 2u);
  EXPECT_TRUE(flow.model().Reconcile().ok()) << flow.model().Reconcile();
}

}  // namespace
}  // namespace combo::accounts

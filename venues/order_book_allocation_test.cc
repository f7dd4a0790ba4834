// The order book's steady-state hot paths allocate nothing: the benchmark workload (passive add
// and cancel; aggressive fill and replenishing add) run after a warm-up, counting every global
// operator new in this program.
#include "gtest/gtest.h"
#include "venues/allocation_counter.h"
#include "venues/order_book_workload.h"

namespace combo::venues {
namespace {

TEST(OrderBookAllocationTest, AddAndCancelAllocateNothingInSteadyState) {
  for (AllocationRule rule : {AllocationRule::kPriceTime, AllocationRule::kSeed001Options}) {
    OrderBookWorkload workload(rule);
    for (int i = 0; i < 10'000; ++i) workload.AddThenCancel();
    const int64_t before = HeapAllocations();
    for (int i = 0; i < 100'000; ++i) workload.AddThenCancel();
    EXPECT_EQ(HeapAllocations() - before, 0) << ToString(rule);
    EXPECT_EQ(workload.book().order_count(), 1000u);
  }
}

TEST(OrderBookAllocationTest, AggressiveFillAndReplenishAllocateNothingInSteadyState) {
  for (AllocationRule rule : {AllocationRule::kPriceTime, AllocationRule::kSeed001Options}) {
    OrderBookWorkload workload(rule);
    for (int i = 0; i < 10'000; ++i) workload.FillThenReplenish();
    const int64_t before = HeapAllocations();
    const int64_t filled_before = workload.events().last_quantity();
    for (int i = 0; i < 100'000; ++i) workload.FillThenReplenish();
    EXPECT_EQ(HeapAllocations() - before, 0) << ToString(rule);
    // Every aggressive order filled its whole quantity.
    EXPECT_EQ(workload.events().last_quantity() - filled_before,
              100'000 * OrderBookWorkload::kOrderQuantity);
    EXPECT_EQ(workload.book().order_count(), 1000u);
  }
}

}  // namespace
}  // namespace combo::venues

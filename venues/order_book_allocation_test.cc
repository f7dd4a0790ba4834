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

// With the seed 001 market-maker rules on, a quote's tick-worse renewal and step-up reuse the
// book's storage: a primary market maker's bid exhausted by a market sell is renewed a tick
// worse, traded, stepped up, then cancelled, over and over.
TEST(OrderBookAllocationTest, TickWorseAndStepUpAllocateNothingInSteadyState) {
  OrderBookConfig config;
  config.instrument = core::InstrumentId(1);
  config.allocation = AllocationRule::kSeed001Options;
  config.market_maker.minimum_market_size = core::Quantity(10);
  config.market_maker.step_up_budget = core::Quantity(1'000'000'000);
  config.market_maker.professional_availability = QuoteAvailability{50, core::Quantity(20)};
  config.market_maker.tick_worse_sizes = {core::Quantity(12), core::Quantity(30)};
  DiscardingBookEvents events;
  OrderBook book(config, &events);
  BookOrder quote;
  quote.owner = core::ParticipantId(1);
  quote.role = ParticipantRole::kPrimaryMarketMaker;
  quote.instrument = config.instrument;
  quote.side = core::Side::kBuy;
  quote.limit_price = core::Price::FromParts(1, 0);
  quote.quantity = core::Quantity(20);
  BookOrder sell;
  sell.owner = core::ParticipantId(2);
  sell.role = ParticipantRole::kCustomer;
  sell.instrument = config.instrument;
  sell.side = core::Side::kSell;
  sell.type = OrderType::kMarket;
  sell.quantity = core::Quantity(25);
  sell.time_in_force = TimeInForce::kImmediateOrCancel;
  const auto cycle = [&](uint64_t tag) {
    quote.tag = tag;
    const AddResult rested = book.Add(quote);
    sell.tag = tag + 1;
    book.Add(sell);  // 20 at 1.00, renewed 12 at 0.99, 5 of them traded, 7 stepped up to 10
    book.Cancel(rested.handle);
  };
  for (uint64_t i = 0; i < 1'000; ++i) cycle(2 * i + 1);
  const int64_t before = HeapAllocations();
  const int64_t traded_before = events.last_quantity();
  for (uint64_t i = 1'000; i < 101'000; ++i) cycle(2 * i + 1);
  EXPECT_EQ(HeapAllocations() - before, 0);
  EXPECT_EQ(events.last_quantity() - traded_before, 100'000 * 25);
  EXPECT_EQ(book.order_count(), 0u);
}

}  // namespace
}  // namespace combo::venues

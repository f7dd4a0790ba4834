// One test per order-book rule, and seed 001's allocation examples with the seed's own numbers.
#include "venues/order_book.h"

#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "venues/order_book_test_util.h"

namespace combo::venues {
namespace {

using core::Price;
using core::Quantity;
using core::Side;
using testing::AllOrNone;
using testing::Cents;
using ::testing::ElementsAre;
using testing::Fills;
using testing::Limit;
using testing::Market;
using ::testing::Pair;
using testing::RecordedCancel;
using testing::RecordingEvents;
using testing::Sixteenths;
using testing::WithTif;

constexpr auto kCustomer = ParticipantRole::kCustomer;
constexpr auto kPro = ParticipantRole::kProfessional;
constexpr auto kPmm = ParticipantRole::kPrimaryMarketMaker;

OrderBookConfig PriceTimeConfig() {
  OrderBookConfig config;
  config.instrument = core::InstrumentId(1);
  config.tick_rule = core::TickRule::Uniform(Cents(1));
  return config;
}

OrderBookConfig SeedConfig() {
  OrderBookConfig config;
  config.instrument = core::InstrumentId(1);
  config.tick_rule = core::TickRule::Uniform(Sixteenths(1));
  config.allocation = AllocationRule::kSeed001Options;
  return config;
}

class OrderBookTest : public ::testing::Test {
 protected:
  RecordingEvents events_;
  OrderBook book_{PriceTimeConfig(), &events_};
};

TEST_F(OrderBookTest, OffTickOrderIsRejectedAndBookUnchanged) {
  book_.Add(Limit(1, 1, Side::kBuy, Cents(1000), 10));
  events_.Clear();
  const AddResult result = book_.Add(Limit(2, 2, Side::kSell, Price::FromRaw(10'005'000'000), 5));
  ASSERT_TRUE(result.rejection.has_value());
  EXPECT_EQ(result.rejection->code, RejectCode::kOffTick);
  EXPECT_THAT(result.rejection->reason, ::testing::HasSubstr("10.005"));
  EXPECT_THAT(result.rejection->reason, ::testing::HasSubstr("0.01"));
  EXPECT_TRUE(events_.trades.empty());
  EXPECT_TRUE(events_.levels.empty());
  EXPECT_EQ(book_.order_count(), 1u);
  EXPECT_EQ(book_.Best(Side::kBuy)->quantity, Quantity(10));
}

TEST_F(OrderBookTest, ZeroOrNegativeQuantityIsRejectedAndBookUnchanged) {
  for (int64_t quantity : {0, -5}) {
    const AddResult result = book_.Add(Limit(1, 1, Side::kBuy, Cents(1000), quantity));
    ASSERT_TRUE(result.rejection.has_value());
    EXPECT_EQ(result.rejection->code, RejectCode::kInvalidQuantity);
    EXPECT_THAT(result.rejection->reason, ::testing::HasSubstr("not positive"));
  }
  EXPECT_EQ(book_.order_count(), 0u);
  EXPECT_TRUE(book_.Top().empty());
  EXPECT_EQ(book_.sequence(), 0u);
}

TEST_F(OrderBookTest, OrderForAnotherInstrumentIsRejected) {
  BookOrder order = Limit(1, 1, Side::kBuy, Cents(1000), 10);
  order.instrument = core::InstrumentId(2);
  const AddResult result = book_.Add(order);
  ASSERT_TRUE(result.rejection.has_value());
  EXPECT_EQ(result.rejection->code, RejectCode::kUnlistedInstrument);
  EXPECT_EQ(book_.order_count(), 0u);
}

TEST_F(OrderBookTest, NonMarketableLimitOrderRests) {
  book_.Add(Limit(1, 1, Side::kBuy, Cents(1000), 10));
  const AddResult result = book_.Add(Limit(2, 2, Side::kSell, Cents(1001), 7));
  EXPECT_TRUE(events_.trades.empty());
  EXPECT_EQ(result.resting, Quantity(7));
  EXPECT_TRUE(result.handle.valid());
  const core::TopOfBook top = book_.Top();
  EXPECT_EQ(top.bid, (core::PriceLevel{Cents(1000), Quantity(10)}));
  EXPECT_EQ(top.ask, (core::PriceLevel{Cents(1001), Quantity(7)}));
}

// Seed 001 EX-R1: best bid 4 for 20; a sell 10 @ 3.50 trades 10 @ 4.
TEST_F(OrderBookTest, CrossingLimitTradesAtRestingPrice) {
  book_.Add(Limit(1, 1, Side::kBuy, Cents(400), 20));
  const AddResult result = book_.Add(Limit(2, 2, Side::kSell, Cents(350), 10));
  ASSERT_EQ(events_.trades.size(), 1u);
  EXPECT_EQ(events_.trades[0].price, Cents(400));
  EXPECT_EQ(events_.trades[0].quantity, Quantity(10));
  EXPECT_EQ(result.filled, Quantity(10));
  EXPECT_EQ(book_.Best(Side::kBuy), (core::PriceLevel{Cents(400), Quantity(10)}));
}

TEST_F(OrderBookTest, AggressiveOrderSweepsLevelsBestFirstAndRestsRemainder) {
  book_.Add(Limit(1, 1, Side::kSell, Cents(101), 5));
  book_.Add(Limit(2, 1, Side::kSell, Cents(103), 5));
  book_.Add(Limit(3, 1, Side::kSell, Cents(102), 5));
  const AddResult result = book_.Add(Limit(4, 2, Side::kBuy, Cents(102), 12));
  ASSERT_EQ(events_.trades.size(), 2u);
  EXPECT_EQ(events_.trades[0].price, Cents(101));
  EXPECT_EQ(events_.trades[1].price, Cents(102));
  EXPECT_EQ(result.filled, Quantity(10));
  EXPECT_EQ(result.resting, Quantity(2));
  EXPECT_EQ(book_.Best(Side::kBuy), (core::PriceLevel{Cents(102), Quantity(2)}));
  EXPECT_EQ(book_.Best(Side::kSell), (core::PriceLevel{Cents(103), Quantity(5)}));
}

TEST_F(OrderBookTest, EarlierOrderAtSamePriceFillsFirst) {
  book_.Add(Limit(1, 1, Side::kSell, Cents(100), 5));
  book_.Add(Limit(2, 2, Side::kSell, Cents(100), 5));
  book_.Add(Limit(3, 3, Side::kBuy, Cents(100), 7));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(1, 5), Pair(2, 2)));
}

TEST_F(OrderBookTest, PartialFillLeavesRestingRemainder) {
  const OrderHandle handle = book_.Add(Limit(1, 1, Side::kSell, Cents(100), 10)).handle;
  book_.Add(Limit(2, 2, Side::kBuy, Cents(100), 4));
  ASSERT_EQ(events_.trades.size(), 1u);
  EXPECT_EQ(events_.trades[0].resting_leaves, Quantity(6));
  EXPECT_EQ(events_.trades[0].incoming_leaves, Quantity(0));
  EXPECT_EQ(book_.Find(handle)->leaves, Quantity(6));
}

TEST_F(OrderBookTest, MarketOrderSweepsAndCancelsWhatItCannotFill) {
  book_.Add(Limit(1, 1, Side::kBuy, Cents(100), 5));
  book_.Add(Limit(2, 1, Side::kBuy, Cents(90), 5));
  const AddResult result = book_.Add(Market(3, 2, Side::kSell, 12));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(1, 5), Pair(2, 5)));
  EXPECT_EQ(result.filled, Quantity(10));
  EXPECT_EQ(result.resting, Quantity(0));
  EXPECT_THAT(events_.cancels, ElementsAre(RecordedCancel{3, CancelReason::kImmediateOrCancel, 2}));
  EXPECT_TRUE(book_.Top().empty());
}

TEST_F(OrderBookTest, ImmediateOrCancelRemainderIsCancelled) {
  book_.Add(Limit(1, 1, Side::kSell, Cents(100), 3));
  const AddResult result =
      book_.Add(WithTif(Limit(2, 2, Side::kBuy, Cents(100), 10), TimeInForce::kImmediateOrCancel));
  EXPECT_EQ(result.filled, Quantity(3));
  EXPECT_FALSE(result.handle.valid());
  EXPECT_THAT(events_.cancels, ElementsAre(RecordedCancel{2, CancelReason::kImmediateOrCancel, 7}));
  EXPECT_FALSE(book_.Best(Side::kBuy).has_value());
}

TEST_F(OrderBookTest, FillOrKillThatCannotFillWholeTradesNothing) {
  book_.Add(Limit(1, 1, Side::kSell, Cents(100), 3));
  book_.Add(Limit(2, 1, Side::kSell, Cents(101), 3));
  events_.Clear();
  const AddResult result =
      book_.Add(WithTif(Limit(3, 2, Side::kBuy, Cents(101), 7), TimeInForce::kFillOrKill));
  EXPECT_EQ(result.filled, Quantity(0));
  EXPECT_TRUE(events_.trades.empty());
  EXPECT_TRUE(events_.levels.empty());
  EXPECT_THAT(events_.cancels, ElementsAre(RecordedCancel{3, CancelReason::kFillOrKill, 7}));
  EXPECT_EQ(book_.order_count(), 2u);
}

TEST_F(OrderBookTest, FillOrKillThatCanFillWholeSweeps) {
  book_.Add(Limit(1, 1, Side::kSell, Cents(100), 3));
  book_.Add(Limit(2, 1, Side::kSell, Cents(101), 3));
  const AddResult result =
      book_.Add(WithTif(Limit(3, 2, Side::kBuy, Cents(101), 6), TimeInForce::kFillOrKill));
  EXPECT_EQ(result.filled, Quantity(6));
  EXPECT_TRUE(events_.cancels.empty());
  EXPECT_TRUE(book_.Top().empty());
}

TEST_F(OrderBookTest, AllOrNoneOrderRestsUndisplayedUntilItCanFillWhole) {
  book_.Add(Limit(1, 1, Side::kSell, Cents(100), 3));
  const AddResult result = book_.Add(AllOrNone(Limit(2, 2, Side::kBuy, Cents(100), 5)));
  EXPECT_TRUE(events_.trades.empty());
  EXPECT_EQ(result.resting, Quantity(5));
  // Not displayed: the bid side shows nothing.
  EXPECT_FALSE(book_.Best(Side::kBuy).has_value());
  EXPECT_EQ(book_.order_count(), 2u);
  // A sell of 5 fills it whole.
  book_.Add(Limit(3, 3, Side::kSell, Cents(100), 5));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(2, 5)));
}

TEST_F(OrderBookTest, RestingAllOrNoneIsPassedOverByTooSmallOrder) {
  book_.Add(AllOrNone(Limit(1, 1, Side::kSell, Cents(100), 10)));
  book_.Add(Limit(2, 1, Side::kSell, Cents(100), 4));
  book_.Add(Limit(3, 2, Side::kBuy, Cents(100), 6));
  // The AON order (earlier) needs 10; the 6 trades 4 with the later order and rests 2.
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(2, 4)));
  EXPECT_EQ(book_.Best(Side::kBuy), (core::PriceLevel{Cents(100), Quantity(2)}));
}

TEST_F(OrderBookTest, CancelRemovesRestingOrder) {
  const OrderHandle handle = book_.Add(Limit(1, 1, Side::kBuy, Cents(100), 10)).handle;
  EXPECT_EQ(book_.Cancel(handle), Quantity(10));
  EXPECT_TRUE(book_.Top().empty());
  EXPECT_EQ(book_.order_count(), 0u);
  EXPECT_FALSE(book_.Cancel(handle).has_value());
}

TEST_F(OrderBookTest, QuantityDecreaseKeepsTimePriority) {
  const OrderHandle first = book_.Add(Limit(1, 1, Side::kSell, Cents(100), 10)).handle;
  book_.Add(Limit(2, 2, Side::kSell, Cents(100), 10));
  const ReplaceResult result = book_.Replace(first, Cents(100), Quantity(4));
  EXPECT_EQ(result.priority, QueuePriority::kKept);
  EXPECT_EQ(book_.Best(Side::kSell)->quantity, Quantity(14));
  book_.Add(Limit(3, 3, Side::kBuy, Cents(100), 5));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(1, 4), Pair(2, 1)));
}

TEST_F(OrderBookTest, QuantityIncreaseLosesTimePriority) {
  const OrderHandle first = book_.Add(Limit(1, 1, Side::kSell, Cents(100), 10)).handle;
  book_.Add(Limit(2, 2, Side::kSell, Cents(100), 10));
  const ReplaceResult result = book_.Replace(first, Cents(100), Quantity(11));
  EXPECT_EQ(result.priority, QueuePriority::kLost);
  book_.Add(Limit(3, 3, Side::kBuy, Cents(100), 12));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(2, 10), Pair(1, 2)));
}

// Automated order protection's venue-initiated reprice (seed 004 spec 6.1): the order takes its
// original time with it to the new level.
TEST_F(OrderBookTest, VenueRepriceKeepsTimePriorityAtTheNewLevel) {
  const OrderHandle first = book_.Add(Limit(1, 1, Side::kSell, Cents(100), 10)).handle;
  book_.Add(Limit(2, 2, Side::kSell, Cents(101), 10));
  book_.Add(Limit(3, 3, Side::kSell, Cents(101), 10));
  const OrderHandle fourth = book_.Add(Limit(4, 4, Side::kSell, Cents(100), 10)).handle;
  // Order 1 (oldest) moves up behind nothing: it goes ahead of orders 2 and 3 at 1.01.
  const ReplaceResult result = book_.RepriceKeepingTime(first, Cents(101));
  EXPECT_EQ(result.priority, QueuePriority::kKept);
  EXPECT_EQ(result.resting, Quantity(10));
  // Order 4 (newest) moves up too: it goes behind all three.
  book_.RepriceKeepingTime(fourth, Cents(101));
  EXPECT_EQ(book_.Best(Side::kSell), (core::PriceLevel{Cents(101), Quantity(40)}));
  book_.Add(Limit(5, 5, Side::kBuy, Cents(101), 35));
  EXPECT_THAT(Fills(events_.trades),
              ElementsAre(Pair(1, 10), Pair(2, 10), Pair(3, 10), Pair(4, 5)));
}

TEST_F(OrderBookTest, VenueRepriceThatCrossesTradesAtTheRestingPrice) {
  book_.Add(Limit(1, 1, Side::kBuy, Cents(99), 5));
  const OrderHandle offer = book_.Add(Limit(2, 2, Side::kSell, Cents(101), 10)).handle;
  const ReplaceResult result = book_.RepriceKeepingTime(offer, Cents(99));
  EXPECT_EQ(result.filled, Quantity(5));
  EXPECT_EQ(result.resting, Quantity(5));
  ASSERT_EQ(events_.trades.size(), 1u);
  EXPECT_EQ(events_.trades[0].price, Cents(99));
  // Off the tick: rejected, nothing changes.
  EXPECT_TRUE(
      book_.RepriceKeepingTime(offer, Cents(99) + core::Price::FromRaw(1)).rejection.has_value());
  EXPECT_EQ(book_.Best(Side::kSell), (core::PriceLevel{Cents(99), Quantity(5)}));
}

TEST_F(OrderBookTest, PriceChangeLosesTimePriority) {
  const OrderHandle first = book_.Add(Limit(1, 1, Side::kSell, Cents(100), 10)).handle;
  book_.Add(Limit(2, 2, Side::kSell, Cents(101), 10));
  // Away and back: the order is now behind order 2 at 1.01.
  book_.Replace(first, Cents(101), Quantity(10));
  EXPECT_EQ(book_.Best(Side::kSell), (core::PriceLevel{Cents(101), Quantity(20)}));
  book_.Add(Limit(3, 3, Side::kBuy, Cents(101), 12));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(2, 10), Pair(1, 2)));
}

TEST_F(OrderBookTest, ReplaceToCrossingPriceTradesAtOnce) {
  book_.Add(Limit(1, 1, Side::kSell, Cents(101), 4));
  const OrderHandle bid = book_.Add(Limit(2, 2, Side::kBuy, Cents(100), 10)).handle;
  const ReplaceResult result = book_.Replace(bid, Cents(101), Quantity(10));
  EXPECT_EQ(result.filled, Quantity(4));
  EXPECT_EQ(result.resting, Quantity(6));
  EXPECT_EQ(events_.trades.at(0).incoming_tag, 2u);
  EXPECT_EQ(events_.trades.at(0).price, Cents(101));
  EXPECT_EQ(book_.Find(bid)->leaves, Quantity(6));
  EXPECT_EQ(book_.Best(Side::kBuy), (core::PriceLevel{Cents(101), Quantity(6)}));
}

TEST_F(OrderBookTest, InvalidReplaceIsRejectedAndBookUnchanged) {
  const OrderHandle handle = book_.Add(Limit(1, 1, Side::kSell, Cents(100), 10)).handle;
  events_.Clear();
  const ReplaceResult off_tick = book_.Replace(handle, Price::FromRaw(1'001'000'000), Quantity(5));
  ASSERT_TRUE(off_tick.rejection.has_value());
  EXPECT_EQ(off_tick.rejection->code, RejectCode::kOffTick);
  const ReplaceResult zero = book_.Replace(handle, Cents(100), Quantity(0));
  ASSERT_TRUE(zero.rejection.has_value());
  EXPECT_EQ(zero.rejection->code, RejectCode::kInvalidQuantity);
  EXPECT_TRUE(events_.levels.empty());
  EXPECT_EQ(book_.Find(handle)->leaves, Quantity(10));
  const ReplaceResult unknown = book_.Replace(OrderHandle{99}, Cents(100), Quantity(1));
  ASSERT_TRUE(unknown.rejection.has_value());
  EXPECT_EQ(unknown.rejection->code, RejectCode::kUnknownOrder);
}

TEST_F(OrderBookTest, SelfTradePreventionCancelsRestingOrderOfSameOwner) {
  book_.Add(Limit(1, 7, Side::kSell, Cents(100), 5));
  book_.Add(Limit(2, 8, Side::kSell, Cents(100), 5));
  book_.Add(Limit(3, 7, Side::kBuy, Cents(100), 5));
  EXPECT_THAT(events_.cancels,
              ElementsAre(RecordedCancel{1, CancelReason::kSelfTradePrevention, 5}));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(2, 5)));
  EXPECT_TRUE(book_.Top().empty());
}

TEST_F(OrderBookTest, BestBidOfferAndDepth) {
  book_.Add(Limit(1, 1, Side::kBuy, Cents(99), 5));
  book_.Add(Limit(2, 1, Side::kBuy, Cents(98), 6));
  book_.Add(Limit(3, 1, Side::kBuy, Cents(99), 1));
  book_.Add(Limit(4, 1, Side::kBuy, Cents(97), 7));
  book_.Add(Limit(5, 2, Side::kSell, Cents(101), 8));
  book_.Add(Limit(6, 2, Side::kSell, Cents(102), 9));
  const core::Depth depth = book_.GetDepth(2);
  EXPECT_THAT(depth.bids, ElementsAre(core::PriceLevel{Cents(99), Quantity(6)},
                                      core::PriceLevel{Cents(98), Quantity(6)}));
  EXPECT_THAT(depth.asks, ElementsAre(core::PriceLevel{Cents(101), Quantity(8)},
                                      core::PriceLevel{Cents(102), Quantity(9)}));
  EXPECT_EQ(book_.Top().bid, (core::PriceLevel{Cents(99), Quantity(6)}));
}

TEST_F(OrderBookTest, LevelUpdatesAreNumberedAndRebuildTheBook) {
  book_.Add(Limit(1, 1, Side::kSell, Cents(101), 5));
  book_.Add(Limit(2, 1, Side::kSell, Cents(102), 5));
  book_.Add(Limit(3, 2, Side::kBuy, Cents(102), 7));
  // The sweep removed 1.01, reduced 1.02 to 3 and created no bid (fully filled).
  ASSERT_EQ(events_.levels.size(), 4u);
  for (size_t i = 0; i < events_.levels.size(); ++i) {
    EXPECT_EQ(events_.levels[i].sequence, i + 1);
  }
  EXPECT_EQ(events_.levels[2].price, Cents(101));
  EXPECT_EQ(events_.levels[2].quantity, 0);
  EXPECT_EQ(events_.levels[3].price, Cents(102));
  EXPECT_EQ(events_.levels[3].quantity, 3);
  EXPECT_TRUE(events_.rebuilt_bids.empty());
  EXPECT_EQ(events_.rebuilt_asks, (std::map<Price, int64_t>{{Cents(102), 3}}));
  EXPECT_EQ(book_.sequence(), 4u);
}

TEST_F(OrderBookTest, DayOrdersExpireAtEndOfDayAndGoodTillCancelStays) {
  book_.Add(Limit(1, 1, Side::kBuy, Cents(99), 5));
  book_.Add(WithTif(Limit(2, 1, Side::kBuy, Cents(98), 5), TimeInForce::kGoodTillCancel));
  book_.ExpireDayOrders();
  EXPECT_THAT(events_.cancels, ElementsAre(RecordedCancel{1, CancelReason::kEndOfDay, 5}));
  EXPECT_EQ(book_.Best(Side::kBuy), (core::PriceLevel{Cents(98), Quantity(5)}));
}

// Seed 001: owners of the tables' participants.
constexpr uint32_t kCus = 1;
constexpr uint32_t kPro1 = 2;
constexpr uint32_t kPro2 = 3;
constexpr uint32_t kPro3 = 4;
constexpr uint32_t kPmmOwner = 5;
constexpr uint32_t kIncoming = 9;

class Seed001AllocationTest : public ::testing::Test {
 protected:
  // Table I: bids 3 (PRO#1 10, PMM 10), 2 1/2 (CUS 10, PRO#1 20); offers 3 1/2 (CUS 10, PRO#1 5,
  // PMM 20), 3 3/4 (PRO#1 10). Tags are 100 + row.
  void LoadTableI() {
    book_.Add(Limit(101, kPro1, Side::kBuy, Sixteenths(48), 10, kPro));
    book_.Add(Limit(102, kPmmOwner, Side::kBuy, Sixteenths(48), 10, kPmm));
    book_.Add(Limit(103, kCus, Side::kBuy, Sixteenths(40), 10, kCustomer));
    book_.Add(Limit(104, kPro1, Side::kBuy, Sixteenths(40), 20, kPro));
    book_.Add(Limit(105, kCus, Side::kSell, Sixteenths(56), 10, kCustomer));
    book_.Add(Limit(106, kPro1, Side::kSell, Sixteenths(56), 5, kPro));
    book_.Add(Limit(107, kPmmOwner, Side::kSell, Sixteenths(56), 20, kPmm));
    book_.Add(Limit(108, kPro1, Side::kSell, Sixteenths(60), 10, kPro));
    events_.Clear();
  }

  RecordingEvents events_;
  OrderBook book_{SeedConfig(), &events_};
};

// EX-R1 under the seed allocation as well: the trade is at the book's price, 4.
TEST_F(Seed001AllocationTest, ExR1CrossingLimitTradesAtBookPrice) {
  book_.Add(Limit(1, kPro1, Side::kBuy, Sixteenths(64), 20, kPro));
  book_.Add(Limit(2, kIncoming, Side::kSell, Sixteenths(56), 10, kCustomer));
  ASSERT_EQ(events_.trades.size(), 1u);
  EXPECT_EQ(events_.trades[0].price, Sixteenths(64));
  EXPECT_EQ(events_.trades[0].quantity, Quantity(10));
}

// EX-R2 (Ex. 1): buy 4 @ 3 1/2 trades 4 with the customer, who keeps 6.
TEST_F(Seed001AllocationTest, ExR2CustomerTradesFirst) {
  LoadTableI();
  book_.Add(Limit(1, kIncoming, Side::kBuy, Sixteenths(56), 4, kPro));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(105, 4)));
  EXPECT_EQ(events_.trades[0].resting_leaves, Quantity(6));
}

// EX-R3 (Ex. 2): buy 30 @ 3 1/2: customer 10, then 20 by Eq. 1 with X = max(60%, 80%): PMM 16,
// PRO#1 4.
TEST_F(Seed001AllocationTest, ExR3PrimaryMarketMakerShareByEquationOne) {
  LoadTableI();
  book_.Add(Limit(1, kIncoming, Side::kBuy, Sixteenths(56), 30, kPro));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(105, 10), Pair(107, 16), Pair(106, 4)));
}

// EX-R4 (Ex. 3): sell 16 @ 3: no customer; X = max(60%, 50%) of 16 = 9.6, rounded up: PMM 10,
// PRO#1 6.
TEST_F(Seed001AllocationTest, ExR4ShareIsRoundedUp) {
  LoadTableI();
  book_.Add(Limit(1, kIncoming, Side::kSell, Sixteenths(48), 16, kPro));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(102, 10), Pair(101, 6)));
}

// EX-R5 (Ex. 4), Table II offers: 2 1/2: PRO#1 10 (earlier), PRO#2 20, PMM 20. Customer buy 10:
// Eq. 2 gives PMM 4; the 6 left pro rata, larger first: PRO#2 4, PRO#1 2.
TEST_F(Seed001AllocationTest, ExR5ProRataLargestFirst) {
  book_.Add(Limit(201, kPro1, Side::kSell, Sixteenths(40), 10, kPro));
  book_.Add(Limit(202, kPro2, Side::kSell, Sixteenths(40), 20, kPro));
  book_.Add(Limit(203, kPmmOwner, Side::kSell, Sixteenths(40), 20, kPmm));
  book_.Add(Limit(204, kCus, Side::kSell, Sixteenths(44), 10, kCustomer));
  book_.Add(Limit(205, kPro1, Side::kSell, Sixteenths(44), 10, kPro));
  book_.Add(Limit(206, kPmmOwner, Side::kSell, Sixteenths(44), 10, kPmm));
  events_.Clear();
  book_.Add(Limit(1, kIncoming, Side::kBuy, Sixteenths(40), 10, kCustomer));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(203, 4), Pair(202, 4), Pair(201, 2)));
}

// EX-R6 (Ex. 5), Table III bids at 3: CUS 3, PRO#1 20, PRO#2 20, PRO#3 10 (time order), PMM 10.
// Customer sell 49: CUS 3; Eq. 3 gives 14 but the PMM bids only 10; then PRO#1 15 (tied with
// PRO#2, earlier), PRO#2 14, PRO#3 7.
TEST_F(Seed001AllocationTest, ExR6PrimaryMarketMakerCappedAtItsSize) {
  book_.Add(Limit(301, kCus, Side::kBuy, Sixteenths(48), 3, kCustomer));
  book_.Add(Limit(302, kPro1, Side::kBuy, Sixteenths(48), 20, kPro));
  book_.Add(Limit(303, kPro2, Side::kBuy, Sixteenths(48), 20, kPro));
  book_.Add(Limit(304, kPro3, Side::kBuy, Sixteenths(48), 10, kPro));
  book_.Add(Limit(305, kPmmOwner, Side::kBuy, Sixteenths(48), 10, kPmm));
  book_.Add(Limit(306, kCus, Side::kBuy, Sixteenths(40), 10, kCustomer));
  book_.Add(Limit(307, kPro1, Side::kBuy, Sixteenths(40), 20, kPro));
  events_.Clear();
  book_.Add(Limit(1, kIncoming, Side::kSell, Sixteenths(48), 49, kCustomer));
  EXPECT_THAT(Fills(events_.trades),
              ElementsAre(Pair(301, 3), Pair(305, 10), Pair(302, 15), Pair(303, 14), Pair(304, 7)));
  // 63 at 3 less the 49 traded.
  EXPECT_EQ(book_.Best(Side::kBuy), (core::PriceLevel{Sixteenths(48), Quantity(14)}));
}

// R31: an order below the small-order size gives the PMM everything after the customers.
TEST_F(Seed001AllocationTest, SmallOrderGoesToPrimaryMarketMakerAfterCustomers) {
  LoadTableI();
  // Sell 4 @ 3: no customer at 3; PRO#1 (earlier) would get a share under Eq. 1, but 4 < 5.
  book_.Add(Limit(1, kIncoming, Side::kSell, Sixteenths(48), 4, kPro));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(102, 4)));
}

// R38: without a PMM quote the balance is pure pro-rata (R37).
TEST_F(Seed001AllocationTest, WithoutPrimaryMarketMakerBalanceIsProRata) {
  book_.Add(Limit(1, kPro1, Side::kSell, Sixteenths(40), 10, kPro));
  book_.Add(Limit(2, kPro2, Side::kSell, Sixteenths(40), 30, kPro));
  book_.Add(Limit(3, kIncoming, Side::kBuy, Sixteenths(40), 10, kCustomer));
  // PRO#2: ceil(10 x 30/40) = 8; PRO#1: ceil(2 x 10/10) = 2.
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(2, 8), Pair(1, 2)));
}

// R38: a PMM alone among the professionals takes the whole balance up to its size.
TEST_F(Seed001AllocationTest, PrimaryMarketMakerAloneTakesBalance) {
  book_.Add(Limit(1, kCus, Side::kSell, Sixteenths(40), 2, kCustomer));
  book_.Add(Limit(2, kPmmOwner, Side::kSell, Sixteenths(40), 30, kPmm));
  book_.Add(Limit(3, kIncoming, Side::kBuy, Sixteenths(40), 20, kPro));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(1, 2), Pair(2, 18)));
}

TEST_F(Seed001AllocationTest, RestingAllOrNoneFromProfessionalIsRejected) {
  const AddResult result =
      book_.Add(AllOrNone(Limit(1, kPro1, Side::kSell, Sixteenths(40), 10, kPro)));
  ASSERT_TRUE(result.rejection.has_value());
  EXPECT_EQ(result.rejection->code, RejectCode::kUnsupportedCondition);
  EXPECT_EQ(book_.order_count(), 0u);
}

}  // namespace
}  // namespace combo::venues

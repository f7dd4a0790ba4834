// Seed 001 Part A market-maker rules in the leg book (venues/market_maker_rules.h), each worked
// example with the seed's own numbers (spec/seed-001.md section 3).
#include "venues/market_maker_rules.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "venues/order_book.h"
#include "venues/order_book_test_util.h"

namespace combo::venues {
namespace {

using core::Price;
using core::Quantity;
using core::Side;
using ::testing::ElementsAre;
using testing::Fills;
using testing::Limit;
using testing::Market;
using ::testing::Pair;
using testing::RecordedCancel;
using testing::RecordedRestatement;
using testing::RecordingEvents;
using testing::Sixteenths;
using testing::WithTif;

constexpr ParticipantRole kCustomer = ParticipantRole::kCustomer;
constexpr ParticipantRole kPro = ParticipantRole::kProfessional;
constexpr ParticipantRole kCmm = ParticipantRole::kMarketMaker;
constexpr ParticipantRole kPmm = ParticipantRole::kPrimaryMarketMaker;
constexpr ParticipantRole kFarmm = ParticipantRole::kFarAwayMarketMaker;

constexpr uint32_t kCus = 1;
constexpr uint32_t kPro1 = 2;
constexpr uint32_t kCmmOwner = 3;
constexpr uint32_t kPmmOwner = 5;
constexpr uint32_t kIncoming = 9;

Price Eighths(int64_t eighths) { return Sixteenths(2 * eighths); }

// R49: the text's increments, 1/16 below 3 and 1/8 from 3 up.
core::TickRule SeedTicks() {
  const core::TickBand above[] = {{Sixteenths(48), Eighths(1)}};
  return *core::TickRule::Create(Sixteenths(1), above);
}

// Table IV without its initial size: 1 tick worse 10, 2 ticks 30, 3 ticks 0, 4-7 ticks 60,
// 8 ticks 100.
std::vector<Quantity> TableIV() {
  return {Quantity(10), Quantity(30), Quantity(0),  Quantity(60),
          Quantity(60), Quantity(60), Quantity(60), Quantity(100)};
}

OrderBookConfig RulesConfig(MarketMakerRules rules,
                            AllocationRule allocation = AllocationRule::kSeed001Options) {
  OrderBookConfig config;
  config.instrument = core::InstrumentId(1);
  config.tick_rule = SeedTicks();
  config.allocation = allocation;
  config.market_maker = std::move(rules);
  return config;
}

MarketMakerRules TickWorseOnly() {
  MarketMakerRules rules;
  rules.tick_worse_sizes = TableIV();
  return rules;
}

TEST(MarketMakerRulesTest, DefaultRulesAreOff) { EXPECT_FALSE(MarketMakerRules{}.any()); }

TEST(MarketMakerRulesTest, ValidationNamesTheRule) {
  MarketMakerRules rules;
  rules.professional_availability = QuoteAvailability{120, Quantity(20)};
  EXPECT_THAT(std::string(ValidateMarketMakerRules(rules).message()),
              ::testing::HasSubstr("professional availability 120% is outside 0..100 (R39)"));
  rules = MarketMakerRules{};
  rules.tick_worse_sizes = {Quantity(0), Quantity(0)};
  EXPECT_THAT(std::string(ValidateMarketMakerRules(rules).message()),
              ::testing::HasSubstr("no positive size"));
  rules = MarketMakerRules{};
  rules.minimum_market_size = Quantity(-1);
  EXPECT_FALSE(ValidateMarketMakerRules(rules).ok());
  EXPECT_TRUE(ValidateMarketMakerRules(TickWorseOnly()).ok());
}

// EX-R0: a PMM quote to buy 60 @ 4; professionals: the lesser of 50% or 20 contracts; FARMM:
// the lesser of 25% or 35. Professionals may execute 20, FARMM 15.
TEST(MarketMakerRulesTest, ExR0QuoteSizeParameterTable) {
  const QuoteAvailability professional{50, Quantity(20)};
  const QuoteAvailability farmm{25, Quantity(35)};
  EXPECT_EQ(AvailableSize(professional, Quantity(60)), Quantity(20));
  EXPECT_EQ(AvailableSize(farmm, Quantity(60)), Quantity(15));
}

class QuoteRulesTest : public ::testing::Test {
 protected:
  void Make(MarketMakerRules rules, AllocationRule allocation = AllocationRule::kSeed001Options) {
    book_ = std::make_unique<OrderBook>(RulesConfig(std::move(rules), allocation), &events_);
  }
  OrderBook& book() { return *book_; }

  RecordingEvents events_;
  std::unique_ptr<OrderBook> book_;
};

// EX-R7, Tables IV and V: bids at 3: CUS 3, PMM 30. A customer market sell 40: CUS 3 and PMM 30
// trade @ 3; the exhausted quote is replaced by PMM bid 10 @ 2 15/16, and the remaining 7 trade
// against it there; the PMM rests 3 @ 2 15/16.
TEST_F(QuoteRulesTest, ExR7TickWorseTablesIVAndV) {
  Make(TickWorseOnly());
  book().Add(Limit(1, kCus, Side::kBuy, Sixteenths(48), 3, kCustomer));
  book().Add(Limit(2, kPmmOwner, Side::kBuy, Sixteenths(48), 30, kPmm));
  events_.Clear();
  book().Add(Market(10, kIncoming, Side::kSell, 40, kCustomer));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(1, 3), Pair(2, 30), Pair(2, 7)));
  EXPECT_EQ(events_.trades[1].price, Sixteenths(48));
  EXPECT_EQ(events_.trades[1].resting_leaves, Quantity(10));  // renewed, still open
  EXPECT_EQ(events_.trades[2].price, Sixteenths(47));
  EXPECT_EQ(events_.trades[2].resting_leaves, Quantity(3));
  EXPECT_THAT(events_.restatements,
              ElementsAre(RecordedRestatement{2, RestatementReason::kTickWorse, Sixteenths(47), 10,
                                              QueuePriority::kLost}));
  EXPECT_TRUE(events_.cancels.empty());
  ASSERT_TRUE(book().Best(Side::kBuy).has_value());
  EXPECT_EQ(book().Best(Side::kBuy)->price, Sixteenths(47));
  EXPECT_EQ(book().Best(Side::kBuy)->quantity, Quantity(3));
  // The level updates rebuild the same book: nothing at 3, 3 at 2 15/16.
  EXPECT_EQ(events_.rebuilt_bids.count(Sixteenths(48)), 0u);
  EXPECT_EQ(events_.rebuilt_bids.at(Sixteenths(47)), 3);
}

// R42 / E-R5: each tick-worse uses the next table level; Table IV's "3 ticks worse: 0" is skipped
// (the quote moves one tick further, to the 4-ticks level); past the table the quote is gone.
TEST_F(QuoteRulesTest, TickWorseWalksTableIVSkippingTheZeroLevel) {
  MarketMakerRules rules;
  rules.tick_worse_sizes = {Quantity(10), Quantity(30), Quantity(0), Quantity(60)};
  Make(rules);
  book().Add(Limit(2, kPmmOwner, Side::kBuy, Sixteenths(48), 30, kPmm));
  events_.Clear();
  book().Add(Market(10, kIncoming, Side::kSell, 30 + 10 + 30, kCustomer));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(2, 30), Pair(2, 10), Pair(2, 30)));
  ASSERT_EQ(events_.restatements.size(), 3u);
  EXPECT_EQ(events_.restatements[0].price, Sixteenths(47));
  EXPECT_EQ(events_.restatements[1].price, Sixteenths(46));
  EXPECT_EQ(events_.restatements[1].leaves, 30);
  // 3 ticks worse has no contracts: the quote goes on to 4 ticks worse, 2 3/4, with 60.
  EXPECT_EQ(events_.restatements[2].price, Sixteenths(44));
  EXPECT_EQ(events_.restatements[2].leaves, 60);
  EXPECT_EQ(book().Best(Side::kBuy)->quantity, Quantity(60));
  events_.Clear();
  book().Add(Market(11, kIncoming, Side::kSell, 70, kCustomer));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(2, 60)));
  EXPECT_EQ(events_.trades[0].resting_leaves, Quantity(0));  // the table is used up
  EXPECT_TRUE(events_.restatements.empty());
  EXPECT_EQ(book().order_count(), 0u);
}

// EX-R8, Table VI (offers): 3 1/2: PRO#1 (a CMM quote) 30, PMM 30; 3 5/8: CUS 5. Both quoters
// have Table IV. A customer market buy 75: PMM 30 and PRO#1 30 @ 3 1/2; tick-worse enters PMM 10
// and PRO#1 10 @ 3 5/8; CUS 5 @ 3 5/8; the last 10 by Eq. 1, max(60%, 10/20): PMM 6, PRO#1 4.
TEST_F(QuoteRulesTest, ExR8TickWorseWithTwoQuotersTableVI) {
  Make(TickWorseOnly());
  book().Add(Limit(11, kCmmOwner, Side::kSell, Eighths(28), 30, kCmm));
  book().Add(Limit(12, kPmmOwner, Side::kSell, Eighths(28), 30, kPmm));
  book().Add(Limit(13, kCus, Side::kSell, Eighths(29), 5, kCustomer));
  events_.Clear();
  book().Add(Market(20, kIncoming, Side::kBuy, 75, kCustomer));
  EXPECT_THAT(Fills(events_.trades),
              ElementsAre(Pair(12, 30), Pair(11, 30), Pair(13, 5), Pair(12, 6), Pair(11, 4)));
  for (int i : {2, 3, 4}) EXPECT_EQ(events_.trades[i].price, Eighths(29));
  EXPECT_THAT(events_.restatements,
              ElementsAre(RecordedRestatement{12, RestatementReason::kTickWorse, Eighths(29), 10,
                                              QueuePriority::kLost},
                          RecordedRestatement{11, RestatementReason::kTickWorse, Eighths(29), 10,
                                              QueuePriority::kLost}));
  // Resting: PMM 4, PRO#1 6 @ 3 5/8.
  EXPECT_EQ(book().Best(Side::kSell)->price, Eighths(29));
  EXPECT_EQ(book().Best(Side::kSell)->quantity, Quantity(10));
  EXPECT_EQ(events_.trades[3].resting_leaves, Quantity(4));
  EXPECT_EQ(events_.trades[4].resting_leaves, Quantity(6));
}

// EX-R9, Tables IX -> X (bids, X = 10): 3: PMM 10; 2 1/2: CUS 10, PRO 20. A market sell 6
// trades 6 with the PMM, leaving 4; Q = 10 - 4 = 6 <= Z = 7, so the PMM is stepped up by 6 to
// 10 @ 3 and Z becomes 1 (Table X is Table IX again).
TEST_F(QuoteRulesTest, ExR9StepUpTablesIXToX) {
  MarketMakerRules rules = TickWorseOnly();
  rules.minimum_market_size = Quantity(10);
  rules.step_up_budget = Quantity(7);
  Make(rules);
  book().Add(Limit(1, kPmmOwner, Side::kBuy, Sixteenths(48), 10, kPmm));
  book().Add(Limit(2, kCus, Side::kBuy, Sixteenths(40), 10, kCustomer));
  book().Add(Limit(3, kPro1, Side::kBuy, Sixteenths(40), 20, kPro));
  events_.Clear();
  book().Add(Market(10, kIncoming, Side::kSell, 6, kCustomer));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(1, 6)));
  EXPECT_THAT(events_.restatements,
              ElementsAre(RecordedRestatement{1, RestatementReason::kStepUp, Sixteenths(48), 10,
                                              QueuePriority::kKept}));
  EXPECT_EQ(book().Best(Side::kBuy)->price, Sixteenths(48));
  EXPECT_EQ(book().Best(Side::kBuy)->quantity, Quantity(10));
  // Z = 1 is left: the next shortfall of 6 is more than the budget, so the quote ticks worse.
  events_.Clear();
  book().Add(Market(11, kIncoming, Side::kSell, 6, kCustomer));
  ASSERT_EQ(events_.restatements.size(), 1u);
  EXPECT_EQ(events_.restatements[0].reason, RestatementReason::kTickWorse);
}

// EX-R9's counter-case: with Z = 5, Q = 6 > Z, so tick-worse starts: the PMM's 4 @ 3 are replaced
// by the first Table IV level, 10 @ 2 15/16.
TEST_F(QuoteRulesTest, ExR9TickWorseWhenTheShortfallExceedsZ) {
  MarketMakerRules rules = TickWorseOnly();
  rules.minimum_market_size = Quantity(10);
  rules.step_up_budget = Quantity(5);
  Make(rules);
  book().Add(Limit(1, kPmmOwner, Side::kBuy, Sixteenths(48), 10, kPmm));
  book().Add(Limit(2, kCus, Side::kBuy, Sixteenths(40), 10, kCustomer));
  book().Add(Limit(3, kPro1, Side::kBuy, Sixteenths(40), 20, kPro));
  events_.Clear();
  book().Add(Market(10, kIncoming, Side::kSell, 6, kCustomer));
  EXPECT_THAT(events_.restatements,
              ElementsAre(RecordedRestatement{1, RestatementReason::kTickWorse, Sixteenths(47), 10,
                                              QueuePriority::kLost}));
  EXPECT_EQ(book().Best(Side::kBuy)->price, Sixteenths(47));
  EXPECT_EQ(book().Best(Side::kBuy)->quantity, Quantity(10));
}

// EX-R10 (e): a quote below X that becomes the best bid (here when the professional order beside
// it is cancelled) is stepped up.
TEST_F(QuoteRulesTest, ExR10eQuoteBelowXBecomingBestIsSteppedUp) {
  MarketMakerRules rules = TickWorseOnly();
  rules.minimum_market_size = Quantity(10);
  rules.step_up_budget = Quantity(7);
  Make(rules);
  const AddResult pro = book().Add(Limit(2, kPro1, Side::kBuy, Sixteenths(48), 10, kPro));
  book().Add(Limit(1, kCmmOwner, Side::kBuy, Sixteenths(48), 6, kCmm));
  events_.Clear();
  book().Cancel(pro.handle);
  EXPECT_THAT(events_.restatements,
              ElementsAre(RecordedRestatement{1, RestatementReason::kStepUp, Sixteenths(48), 10,
                                              QueuePriority::kKept}));
  EXPECT_EQ(book().Best(Side::kBuy)->quantity, Quantity(10));
}

// EX-R10, Tables VII and VIII (X = 10), R34 derive-or-trade. Table VIII: bids 3: CUS 3, PRO 10,
// PMM 30; 2 1/4: CUS 10; offers 3 1/4: 30 (the PMM's here), 3 1/2: 20. Table VII is the PMM's
// derive matrix Y: 1/16 -> 9, 1/8 -> 7, 3/16 -> 4, 1/4 -> 2.
class DeriveOrTradeTest : public QuoteRulesTest {
 protected:
  static constexpr uint64_t kCus3 = 1;
  static constexpr uint64_t kPro10 = 2;
  static constexpr uint64_t kPmmBid = 3;
  static constexpr uint64_t kCus10 = 4;
  static constexpr uint64_t kPmmOffer = 5;
  static constexpr uint64_t kNew = 10;

  void SetUp() override {
    MarketMakerRules rules;
    rules.minimum_market_size = Quantity(10);
    rules.derive_matrix = {{Sixteenths(1), Quantity(9)},
                           {Sixteenths(2), Quantity(7)},
                           {Sixteenths(3), Quantity(4)},
                           {Sixteenths(4), Quantity(2)}};
    Make(rules);
  }
  // Table VIII; `first_at_3` is the 3 contracts ahead at 3 (the customer's, or a professional's).
  void TableVIII(ParticipantRole first_at_3 = kCustomer) {
    book().Add(Limit(kPmmOffer, kPmmOwner, Side::kSell, Sixteenths(52), 30, kPmm));
    book().Add(Limit(6, kPro1, Side::kSell, Sixteenths(56), 20, kPro));
    // The PRO's 10 first: a professional's 3 opening the side would be deleted (R33).
    book().Add(Limit(kPro10, kPro1, Side::kBuy, Sixteenths(48), 10, kPro));
    book().Add(Limit(kCus3, first_at_3 == kCustomer ? kCus : 7, Side::kBuy, Sixteenths(48), 3,
                     first_at_3));
    book().Add(Limit(kPmmBid, kPmmOwner, Side::kBuy, Sixteenths(48), 30, kPmm));
    book().Add(Limit(kCus10, kCus, Side::kBuy, Sixteenths(36), 10, kCustomer));
    ASSERT_EQ(book().Best(Side::kBuy)->quantity, Quantity(43));
    events_.Clear();
  }
  // EX-R10 (b): a customer buys 4 @ 3 1/8, and the PMM is derived 6 there.
  void CustomerImprovesBy4() {
    const AddResult added = book().Add(Limit(kNew, 8, Side::kBuy, Sixteenths(50), 4, kCustomer));
    ASSERT_EQ(added.resting, Quantity(4));
    events_.Clear();
  }
};

TEST(MarketMakerRulesTest, R34DeriveLimitTableVII) {
  MarketMakerRules rules;
  rules.minimum_market_size = Quantity(10);
  rules.derive_matrix = {{Sixteenths(1), Quantity(9)},
                         {Sixteenths(2), Quantity(7)},
                         {Sixteenths(3), Quantity(4)},
                         {Sixteenths(4), Quantity(2)}};
  ASSERT_TRUE(ValidateMarketMakerRules(rules).ok());
  EXPECT_EQ(DeriveLimit(rules, Sixteenths(1)), Quantity(9));
  EXPECT_EQ(DeriveLimit(rules, Sixteenths(2)), Quantity(7));
  EXPECT_EQ(DeriveLimit(rules, Sixteenths(4)), Quantity(2));
  EXPECT_EQ(DeriveLimit(rules, Sixteenths(5)), Quantity(0));
  rules.minimum_market_size = Quantity(0);
  EXPECT_THAT(std::string(ValidateMarketMakerRules(rules).message()),
              ::testing::HasSubstr("needs a minimum market size"));
  rules.minimum_market_size = Quantity(10);
  rules.derive_matrix[1].improvement = Sixteenths(1);
  EXPECT_THAT(std::string(ValidateMarketMakerRules(rules).message()),
              ::testing::HasSubstr("is not above the previous row's"));
}

// (a) A customer buy 2 @ 3 1/8 improves the bid by 1/8: Y = 7 and X - 2 = 8 > 7, so it trades
// 2 against the PMM @ 3 1/8; the best bid stays 3.
TEST_F(DeriveOrTradeTest, ExR10aShortfallAboveYTradesAgainstThePmm) {
  TableVIII();
  const AddResult added = book().Add(Limit(kNew, 8, Side::kBuy, Sixteenths(50), 2, kCustomer));
  EXPECT_EQ(added.filled, Quantity(2));
  EXPECT_FALSE(added.handle.valid());
  ASSERT_THAT(Fills(events_.trades), ElementsAre(Pair(kPmmOffer, 2)));
  EXPECT_EQ(events_.trades[0].price, Sixteenths(50));
  EXPECT_EQ(events_.trades[0].incoming_tag, kNew);
  EXPECT_EQ(events_.trades[0].resting_leaves, Quantity(30));  // the quote keeps its size
  EXPECT_THAT(events_.derive_or_trade, ElementsAre(DeriveOrTradeOutcome::kTraded));
  EXPECT_EQ(book().Best(Side::kBuy)->price, Sixteenths(48));
  EXPECT_EQ(book().Best(Side::kBuy)->quantity, Quantity(43));
  EXPECT_EQ(book().Best(Side::kSell)->quantity, Quantity(30));
}

// (b) A customer buy 4 @ 3 1/8: X - 4 = 6 <= 7, so the PMM is derived a bid for 6 @ 3 1/8 (10 at
// the new best).
TEST_F(DeriveOrTradeTest, ExR10bShortfallWithinYDerivesAPmmOrder) {
  TableVIII();
  const AddResult added = book().Add(Limit(kNew, 8, Side::kBuy, Sixteenths(50), 4, kCustomer));
  EXPECT_EQ(added.resting, Quantity(4));
  EXPECT_TRUE(events_.trades.empty());
  EXPECT_THAT(events_.derive_or_trade, ElementsAre(DeriveOrTradeOutcome::kDerived));
  EXPECT_EQ(book().Best(Side::kBuy)->price, Sixteenths(50));
  EXPECT_EQ(book().Best(Side::kBuy)->quantity, Quantity(10));
}

// (b1) Then the customer's 4 is fully executed: the derived order is deleted and the book
// returns to Table VIII.
TEST_F(DeriveOrTradeTest, ExR10b1CustomerFilledRemovesTheDerivedOrder) {
  TableVIII();
  CustomerImprovesBy4();
  book().Add(Market(20, kIncoming, Side::kSell, 4, kCustomer));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(kNew, 4)));
  EXPECT_EQ(book().Best(Side::kBuy)->price, Sixteenths(48));
  EXPECT_EQ(book().Best(Side::kBuy)->quantity, Quantity(43));
  EXPECT_EQ(book().order_count(), 6u);
}

// (b2) Then the customer's order is reduced to 2 by an execution: X - 2 = 8 > 7, so the
// remaining 2 trade against the PMM @ 3 1/8.
TEST_F(DeriveOrTradeTest, ExR10b2PartialFillTradesTheBalanceAgainstThePmm) {
  TableVIII();
  CustomerImprovesBy4();
  book().Add(Market(20, kIncoming, Side::kSell, 2, kCustomer));
  ASSERT_THAT(Fills(events_.trades), ElementsAre(Pair(kNew, 2), Pair(kNew, 2)));
  EXPECT_EQ(events_.trades[1].incoming_tag, kPmmOffer);
  EXPECT_EQ(events_.trades[1].incoming_side, Side::kSell);
  // The derived order (counted when it was derived) gives way to the trade.
  EXPECT_THAT(events_.derive_or_trade, ElementsAre(DeriveOrTradeOutcome::kTraded));
  EXPECT_EQ(events_.trades[1].price, Sixteenths(50));
  EXPECT_EQ(events_.trades[1].resting_leaves, Quantity(0));
  EXPECT_EQ(book().Best(Side::kBuy)->price, Sixteenths(48));
  EXPECT_EQ(book().Best(Side::kBuy)->quantity, Quantity(43));
}

// E-R4: orders joining at the derived order's price shrink it (to nothing at X); when the best
// falls below X again with the customer's order there, derive-or-trade starts again.
TEST_F(DeriveOrTradeTest, R34JoinersShrinkAndCancelRemovesTheDerivedOrder) {
  TableVIII();
  CustomerImprovesBy4();
  book().Add(Limit(21, kPro1, Side::kBuy, Sixteenths(50), 3, kPro));
  EXPECT_EQ(book().Best(Side::kBuy)->quantity, Quantity(10));  // 4 + 3 + derived 3
  const AddResult joiner = book().Add(Limit(22, kCus, Side::kBuy, Sixteenths(50), 5, kCustomer));
  EXPECT_EQ(book().Best(Side::kBuy)->quantity, Quantity(12));  // no derived order left
  book().Cancel(joiner.handle);
  EXPECT_EQ(book().Best(Side::kBuy)->quantity, Quantity(10));    // 4 + 3 + derived 3 again
  book().Add(Market(23, kIncoming, Side::kSell, 4, kCustomer));  // the customer's 4 fills
  EXPECT_EQ(book().Best(Side::kBuy)->price, Sixteenths(48));     // the PRO's 3 is deleted (d)
  EXPECT_EQ(book().Best(Side::kBuy)->quantity, Quantity(43));
}

// (c) Table VIII, then the PRO order is cancelled and the PMM moves its quote to 2 1/4: the bid
// at 3 is CUS 3 only, so the PMM is derived 7 @ 3; its fills are reported on the PMM's quote.
TEST_F(DeriveOrTradeTest, ExR10cBestFallingBelowXDerivesForTheCustomer) {
  TableVIII();
  OrderHandle pro;
  OrderHandle pmm;
  // Handles by the order the fixture added them in (pool indices).
  pro.index = 2;
  pmm.index = 4;
  ASSERT_EQ(book().Find(pro)->tag, kPro10);
  ASSERT_EQ(book().Find(pmm)->tag, kPmmBid);
  book().Cancel(pro);
  book().Replace(pmm, Sixteenths(36), Quantity(30));
  EXPECT_EQ(book().Best(Side::kBuy)->price, Sixteenths(48));
  EXPECT_EQ(book().Best(Side::kBuy)->quantity, Quantity(10));  // CUS 3 + derived 7
  events_.Clear();
  book().Add(Market(20, kIncoming, Side::kSell, 10, kCustomer));
  ASSERT_THAT(Fills(events_.trades), ElementsAre(Pair(kCus3, 3), Pair(kPmmBid, 7)));
  EXPECT_EQ(events_.trades[1].price, Sixteenths(48));
  EXPECT_EQ(events_.trades[1].resting_leaves, Quantity(30));  // the quote at 2 1/4 stays open
  EXPECT_EQ(book().Best(Side::kBuy)->price, Sixteenths(36));
  EXPECT_EQ(book().Best(Side::kBuy)->quantity, Quantity(40));
}

// (d) The same way, a professional's 3 left as the best bid is deleted.
TEST_F(DeriveOrTradeTest, ExR10dProfessionalBelowXBecomingBestIsDeleted) {
  TableVIII(kPro);
  OrderHandle pro;
  OrderHandle pmm;
  pro.index = 2;
  pmm.index = 4;
  book().Cancel(pro);
  book().Replace(pmm, Sixteenths(36), Quantity(30));
  EXPECT_THAT(events_.cancels,
              ElementsAre(RecordedCancel{kCus3, CancelReason::kBelowMinimumMarketSize, 3}));
  EXPECT_EQ(book().Best(Side::kBuy)->price, Sixteenths(36));
  EXPECT_EQ(book().Best(Side::kBuy)->quantity, Quantity(40));
}

// R32/R33 (Fig. 3b/3c), X = 10: an order that cannot trade and improves the best price is stored
// with 10 or more; below 10 a professional order or a quote is deleted. Not improving, it is
// stored whatever its size. (A public customer's goes to derive-or-trade, R34, when the venue has
// a derive matrix; without one it is stored.)
TEST_F(QuoteRulesTest, R33MarketImprovingOrdersBelowMinimumSize) {
  MarketMakerRules rules;
  rules.minimum_market_size = Quantity(10);
  Make(rules);
  book().Add(Limit(1, kPro1, Side::kBuy, Sixteenths(44), 10, kPro));
  events_.Clear();
  const AddResult small_pro = book().Add(Limit(2, kPro1, Side::kBuy, Sixteenths(45), 5, kPro));
  const AddResult small_quote =
      book().Add(Limit(3, kCmmOwner, Side::kBuy, Sixteenths(45), 9, kCmm));
  EXPECT_FALSE(small_pro.handle.valid());
  EXPECT_FALSE(small_quote.handle.valid());
  EXPECT_THAT(events_.cancels,
              ElementsAre(RecordedCancel{2, CancelReason::kBelowMinimumMarketSize, 5},
                          RecordedCancel{3, CancelReason::kBelowMinimumMarketSize, 9}));
  EXPECT_TRUE(book().Add(Limit(4, kPro1, Side::kBuy, Sixteenths(44), 5, kPro)).handle.valid());
  EXPECT_TRUE(book().Add(Limit(5, kCus, Side::kBuy, Sixteenths(45), 5, kCustomer)).handle.valid());
  EXPECT_TRUE(book().Add(Limit(6, kPro1, Side::kBuy, Sixteenths(46), 10, kPro)).handle.valid());
  // An empty side: the first order sets the market, so below X it is deleted too.
  EXPECT_FALSE(book().Add(Limit(7, kPro1, Side::kSell, Sixteenths(56), 5, kPro)).handle.valid());
  EXPECT_EQ(book().Best(Side::kBuy)->price, Sixteenths(46));
}

// R35: a professional limit order that cannot trade entirely within two trading increments of the
// best offer is deleted, and none of it trades. Offers: 3 1/16 x 10, 3 1/8 x 10, 3 1/4 x 10
// (tick 1/16 throughout here): the band's edge is 3 1/16 + 2 ticks = 3 3/16.
TEST_F(QuoteRulesTest, R35ProfessionalLimitOrderBand) {
  MarketMakerRules rules;
  rules.professional_band_ticks = 2;
  OrderBookConfig config = RulesConfig(rules);
  config.tick_rule = core::TickRule::Uniform(Sixteenths(1));
  book_ = std::make_unique<OrderBook>(config, &events_);
  book().Add(Limit(1, kPro1, Side::kSell, Sixteenths(49), 10, kPro));
  book().Add(Limit(2, kPro1, Side::kSell, Sixteenths(50), 10, kPro));
  book().Add(Limit(3, kPro1, Side::kSell, Sixteenths(52), 10, kPro));
  events_.Clear();
  // 25 @ 3 1/4 reaches beyond 3 3/16, and within the band only 20 can trade: deleted whole.
  const AddResult deleted = book().Add(Limit(10, kIncoming, Side::kBuy, Sixteenths(52), 25, kPro));
  EXPECT_FALSE(deleted.handle.valid());
  EXPECT_TRUE(events_.trades.empty());
  EXPECT_THAT(events_.cancels,
              ElementsAre(RecordedCancel{10, CancelReason::kProfessionalBand, 25}));
  EXPECT_EQ(book().order_count(), 3u);
  // A public customer's order is not held to the band.
  events_.Clear();
  book().Add(WithTif(Limit(11, kCus, Side::kBuy, Sixteenths(52), 25, kCustomer),
                     TimeInForce::kImmediateOrCancel));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(1, 10), Pair(2, 10), Pair(3, 5)));
}

TEST_F(QuoteRulesTest, R35OrdersThatFillWithinTheBandOrStayInsideItTrade) {
  MarketMakerRules rules;
  rules.professional_band_ticks = 2;
  OrderBookConfig config = RulesConfig(rules);
  config.tick_rule = core::TickRule::Uniform(Sixteenths(1));
  book_ = std::make_unique<OrderBook>(config, &events_);
  book().Add(Limit(1, kPro1, Side::kSell, Sixteenths(49), 10, kPro));
  book().Add(Limit(2, kPro1, Side::kSell, Sixteenths(50), 10, kPro));
  book().Add(Limit(3, kPro1, Side::kSell, Sixteenths(52), 10, kPro));
  events_.Clear();
  // Beyond the band but filled whole within it.
  book().Add(Limit(10, kIncoming, Side::kBuy, Sixteenths(60), 15, kPro));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(1, 10), Pair(2, 5)));
  // Inside the band: an ordinary limit order that trades what it can and rests the rest.
  events_.Clear();
  const AddResult inside = book().Add(Limit(11, kIncoming, Side::kBuy, Sixteenths(50), 8, kPro));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(2, 5)));
  EXPECT_EQ(inside.resting, Quantity(3));
}

// R39 / EX-R0 in the book: the PMM bids 60 @ 4 with professionals limited to min(50%, 20) and
// FARMM orders to min(25%, 35). A professional selling 30 trades 20; the quote's professional
// availability is then used up while the order wants more at 4, so tick-worse starts (R39 -> R42).
TEST_F(QuoteRulesTest, ExR0ProfessionalsTradeTwentyThenTheQuoteTicksWorse) {
  MarketMakerRules rules = TickWorseOnly();
  rules.professional_availability = QuoteAvailability{50, Quantity(20)};
  rules.farmm_availability = QuoteAvailability{25, Quantity(35)};
  Make(rules);
  book().Add(Limit(1, kPmmOwner, Side::kBuy, Sixteenths(64), 60, kPmm));
  events_.Clear();
  book().Add(WithTif(Limit(10, kIncoming, Side::kSell, Sixteenths(64), 30, kPro),
                     TimeInForce::kImmediateOrCancel));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(1, 20)));
  EXPECT_THAT(events_.restatements,
              ElementsAre(RecordedRestatement{1, RestatementReason::kTickWorse, Eighths(31), 10,
                                              QueuePriority::kLost}));
  EXPECT_THAT(events_.cancels,
              ElementsAre(RecordedCancel{10, CancelReason::kImmediateOrCancel, 10}));
}

TEST_F(QuoteRulesTest, ExR0FarmmOrdersTradeFifteen) {
  MarketMakerRules rules = TickWorseOnly();
  rules.professional_availability = QuoteAvailability{50, Quantity(20)};
  rules.farmm_availability = QuoteAvailability{25, Quantity(35)};
  Make(rules);
  book().Add(Limit(1, kPmmOwner, Side::kBuy, Sixteenths(64), 60, kPmm));
  events_.Clear();
  book().Add(WithTif(Limit(10, kIncoming, Side::kSell, Sixteenths(64), 30, kFarmm),
                     TimeInForce::kImmediateOrCancel));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(1, 15)));
  // A fill-or-kill professional order of 25 cannot have more than 20: killed, nothing trades.
  Make(rules);
  book().Add(Limit(1, kPmmOwner, Side::kBuy, Sixteenths(64), 60, kPmm));
  events_.Clear();
  book().Add(WithTif(Limit(11, kIncoming, Side::kSell, Sixteenths(64), 25, kPro),
                     TimeInForce::kFillOrKill));
  EXPECT_TRUE(events_.trades.empty());
  EXPECT_THAT(events_.cancels, ElementsAre(RecordedCancel{11, CancelReason::kFillOrKill, 25}));
}

// EX-R0: with the quote's size reduced to 15, no order type can execute more than 15.
TEST_F(QuoteRulesTest, ExR0QuoteReducedToFifteenCapsEveryOrderType) {
  MarketMakerRules rules = TickWorseOnly();
  rules.professional_availability = QuoteAvailability{50, Quantity(20)};
  rules.farmm_availability = QuoteAvailability{25, Quantity(35)};
  for (ParticipantRole role : {kPro, kFarmm, kCustomer}) {
    Make(rules);
    const AddResult quote = book().Add(Limit(1, kPmmOwner, Side::kBuy, Sixteenths(64), 60, kPmm));
    ASSERT_FALSE(book().Replace(quote.handle, Sixteenths(64), Quantity(15)).rejection.has_value());
    events_.Clear();
    book().Add(WithTif(Limit(10, kIncoming, Side::kSell, Sixteenths(64), 30, role),
                       TimeInForce::kImmediateOrCancel));
    EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(1, 15))) << ToString(role);
  }
}

// R39 under price-time allocation as well: availability is a property of the quote.
TEST_F(QuoteRulesTest, AvailabilityAppliesUnderPriceTime) {
  MarketMakerRules rules = TickWorseOnly();
  rules.professional_availability = QuoteAvailability{50, Quantity(20)};
  Make(rules, AllocationRule::kPriceTime);
  book().Add(Limit(1, kPmmOwner, Side::kBuy, Sixteenths(64), 60, kPmm));
  book().Add(Limit(2, kPro1, Side::kBuy, Sixteenths(64), 5, kPro));
  events_.Clear();
  book().Add(WithTif(Limit(10, kIncoming, Side::kSell, Sixteenths(64), 30, kPro),
                     TimeInForce::kImmediateOrCancel));
  EXPECT_THAT(Fills(events_.trades), ElementsAre(Pair(1, 20), Pair(2, 5)));
  ASSERT_EQ(events_.restatements.size(), 1u);
  EXPECT_EQ(events_.restatements[0].price, Eighths(31));
}

}  // namespace
}  // namespace combo::venues

// Seed 001 Part A's leg-book processes as pure rules, with the seed's own numbers: Table XI
// (EX-R11), the single-price search of the fast market and the opening (R46, R47), the block
// execution (EX-R12, EX-R13) and facilitation (R48).
#include <map>
#include <vector>

#include "gtest/gtest.h"
#include "venues/leg_processes/away_market.h"
#include "venues/leg_processes/block_cross.h"
#include "venues/leg_processes/leg_process_config.h"
#include "venues/leg_processes/single_price_auction.h"

namespace combo::venues::leg_processes {
namespace {

using core::Price;
using core::Quantity;
using core::Side;

// Eighths and sixteenths as the seed writes them: Frac(3, 7, 8) is 3 7/8.
Price Frac(int64_t whole, int64_t numerator = 0, int64_t denominator = 1) {
  return Price::FromParts(whole, 1'000'000'000 * numerator / denominator);
}
Price Cents(int64_t cents) { return Price::FromRaw(cents * 10'000'000); }

AuctionOrder Limit(uint64_t key, Side side, Price price, int64_t quantity,
                   ParticipantRole role = ParticipantRole::kProfessional, uint32_t owner = 0) {
  AuctionOrder order;
  order.key = key;
  order.side = side;
  order.limit = price;
  order.quantity = Quantity(quantity);
  order.role = role;
  order.owner = core::ParticipantId(owner == 0 ? static_cast<uint32_t>(key) : owner);
  return order;
}
AuctionOrder Market(uint64_t key, Side side, int64_t quantity) {
  AuctionOrder order = Limit(key, side, Price(), quantity);
  order.type = OrderType::kMarket;
  return order;
}

// The contracts each key trades, summed over the trades.
std::map<uint64_t, int64_t> Traded(const std::vector<AuctionTrade>& trades) {
  std::map<uint64_t, int64_t> traded;
  for (const AuctionTrade& trade : trades) {
    traded[trade.buy_key] += trade.quantity.value();
    traded[trade.sell_key] += trade.quantity.value();
  }
  return traded;
}

TEST(AwayMarketTable, ExR11TableXiSizesByHowMuchBetterTheAwayMarketIs) {
  const std::vector<AwayMatchRow> table = SeedAwayMatchTable();
  EXPECT_TRUE(ValidateAwayMatchTable(table).ok());
  EXPECT_EQ(AwayMatchSize(table, Frac(0, 1, 16)), Quantity(15));
  EXPECT_EQ(AwayMatchSize(table, Frac(0, 1, 8)), Quantity(10));
  EXPECT_EQ(AwayMatchSize(table, Frac(0, 3, 16)), Quantity(5));
  EXPECT_EQ(AwayMatchSize(table, Frac(0, 1, 4)), Quantity(2));
  EXPECT_EQ(AwayMatchSize(table, Frac(0, 5, 16)), Quantity(1));
  EXPECT_EQ(AwayMatchSize(table, Frac(0, 3, 8)), Quantity(1));
  EXPECT_EQ(AwayMatchSize(table, Frac(0, 7, 16)), Quantity(0));
  EXPECT_EQ(AwayMatchSize(table, Frac(1)), Quantity(0));  // beyond the table: nothing
  EXPECT_EQ(AwayMatchSize(table, Cents(5)), Quantity(15));
}

TEST(AwayMarketTable, R28AwayIsBetterOnlyWhenItImprovesOnTheVenue) {
  EXPECT_TRUE(AwayIsBetter(Side::kBuy, Frac(4, 1, 4), Frac(4, 1, 8)));
  EXPECT_FALSE(AwayIsBetter(Side::kBuy, Frac(4, 1, 4), Frac(4, 1, 4)));  // as good: trade here
  EXPECT_TRUE(AwayIsBetter(Side::kSell, Frac(4), Frac(4, 1, 8)));
  EXPECT_FALSE(AwayIsBetter(Side::kSell, Frac(4), std::nullopt));
}

TEST(AwayMarketTable, ABadTableIsRefusedWithTheRow) {
  std::vector<AwayMatchRow> table = SeedAwayMatchTable();
  table[2].difference = table[1].difference;
  const absl::Status status = ValidateAwayMatchTable(table);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("row 3"), std::string::npos) << status.message();
}

TEST(LegProcessesConfig, ExR15TableXiiDelaysAreTheDefaults) {
  const FastMarketConfig fast;
  ASSERT_EQ(fast.level_delays.size(), 5u);
  EXPECT_EQ(fast.level_delays[0], core::Duration::Seconds(20));
  EXPECT_EQ(fast.level_delays[4], core::Duration::Seconds(60));
  LegProcessesConfig config;
  config.block.facilitation_percent = 101;
  EXPECT_FALSE(ValidateLegProcessesConfig(config).ok());
}

// R46: one price maximises the volume.
TEST(SinglePriceAuction, R46TheOnePriceThatTradesTheMostWins) {
  const core::TickRule tick(Cents(5));
  const std::vector<AuctionOrder> orders = {
      Limit(1, Side::kBuy, Cents(320), 10), Limit(2, Side::kBuy, Cents(310), 20),
      Limit(3, Side::kSell, Cents(300), 15), Limit(4, Side::kSell, Cents(315), 30)};
  const AuctionPrice price = FindAuctionPrice(orders, {&tick, std::nullopt, false});
  ASSERT_EQ(price.result, AuctionResult::kTrade);
  // 3.10: buys 30, sells 15 -> 15; 3.00: 15; 3.15: buys 10 -> 10; 3.20: 10. 3.00 and 3.10 tie.
  // Two ticks apart: the midpoint 3.05 (buys 30, sells 15).
  EXPECT_EQ(price.price, Cents(305));
  EXPECT_EQ(price.volume, Quantity(15));
}

// R46: two prices trade the same maximum; the spread between them decides.
struct TieCase {
  int64_t high_cents;
  int64_t tick_cents;
  std::optional<core::OptionRight> right;
  int64_t expected_cents;
};

TEST(SinglePriceAuction, R46TwoPriceTiesFollowTheTickCountAndTheRight) {
  // Buy 10 at H, sell 10 at 3.00: every price from 3.00 to H trades 10.
  const std::vector<TieCase> cases = {
      {320, 5, core::OptionRight::kCall, 310},   // 4 ticks, even: the midpoint
      {320, 20, core::OptionRight::kPut, 300},   // 1 tick: a put at the lower price
      {320, 20, core::OptionRight::kCall, 320},  // 1 tick: a call at the higher price
      {315, 5, core::OptionRight::kPut, 305},    // 3 ticks: N = 1, a put at L + 1 tick
      {315, 5, core::OptionRight::kCall, 310},   // 3 ticks: a call at H - 1 tick
      {325, 5, core::OptionRight::kPut, 315},    // 5 ticks: N = 3 (the flagged rule), L + 3
      {325, 5, core::OptionRight::kCall, 310},   // and H - 3
      {315, 5, std::nullopt, 305},               // not an option: midpoint rounded down
  };
  for (const TieCase& c : cases) {
    const core::TickRule tick(Cents(c.tick_cents));
    const std::vector<AuctionOrder> orders = {Limit(1, Side::kBuy, Cents(c.high_cents), 10),
                                              Limit(2, Side::kSell, Cents(300), 10)};
    const AuctionPrice price = FindAuctionPrice(orders, {&tick, c.right, false});
    ASSERT_EQ(price.result, AuctionResult::kTrade);
    EXPECT_EQ(price.price, Cents(c.expected_cents))
        << "high " << c.high_cents << " tick " << c.tick_cents;
  }
}

TEST(SinglePriceAuction, R46TheScanStopsAtThePrimaryMarketMakersBid) {
  const core::TickRule tick(Cents(5));
  // The PMM bids 3.20; the 3.10 bid below it is not a candidate price. Offers 3.00 and 3.15.
  const std::vector<AuctionOrder> orders = {
      Limit(1, Side::kBuy, Cents(320), 10, ParticipantRole::kPrimaryMarketMaker),
      Limit(2, Side::kBuy, Cents(310), 40), Limit(3, Side::kSell, Cents(300), 5),
      Limit(4, Side::kSell, Cents(315), 5)};
  const AuctionPrice price = FindAuctionPrice(orders, {&tick, std::nullopt, false});
  ASSERT_EQ(price.result, AuctionResult::kTrade);
  // Candidates 3.20 (10 vs 10), 3.00 (50 vs 5), 3.15 (10 vs 10): 3.15 and 3.20 tie, 1 tick.
  EXPECT_EQ(price.price, Cents(315));
}

TEST(SinglePriceAuction, R47TheOpeningFailsWhenAMarketOrderWouldBeLeftUnexecuted) {
  const core::TickRule tick(Cents(5));
  const std::vector<AuctionOrder> orders = {Market(1, Side::kBuy, 20),
                                            Limit(2, Side::kSell, Cents(300), 10)};
  const AuctionPrice opening = FindAuctionPrice(orders, {&tick, std::nullopt, true});
  EXPECT_EQ(opening.result, AuctionResult::kFailed);
  EXPECT_NE(opening.reason.find("a market buy order would be left unexecuted"), std::string::npos)
      << opening.reason;
  // The fast market trades what it can.
  const AuctionPrice fast = FindAuctionPrice(orders, {&tick, std::nullopt, false});
  EXPECT_EQ(fast.result, AuctionResult::kTrade);
  EXPECT_EQ(fast.volume, Quantity(10));
}

TEST(SinglePriceAuction, R47ALimitLeftWithNothingToTradeAgainstDoesNotStopTheOpening) {
  const core::TickRule tick(Cents(10));
  // 3.20 and 3.30 both trade 20; a non-option takes 3.20. 10 of the buy at 3.30 is left, but no
  // sell is left for it: it is not marketable (R27) and the series opens.
  const std::vector<AuctionOrder> orders = {Limit(1, Side::kBuy, Cents(330), 30),
                                            Limit(2, Side::kSell, Cents(300), 10),
                                            Limit(3, Side::kSell, Cents(320), 10)};
  const AuctionPrice opening = FindAuctionPrice(orders, {&tick, std::nullopt, true});
  EXPECT_EQ(opening.result, AuctionResult::kTrade);
  EXPECT_EQ(opening.price, Cents(320));
  EXPECT_EQ(opening.volume, Quantity(20));
}

TEST(SinglePriceAuction, R47AnOpeningWithNothingCrossingOpensWithoutATrade) {
  const core::TickRule tick(Cents(5));
  const std::vector<AuctionOrder> orders = {Limit(1, Side::kBuy, Cents(300), 10),
                                            Limit(2, Side::kSell, Cents(310), 10)};
  EXPECT_EQ(FindAuctionPrice(orders, {&tick, std::nullopt, true}).result, AuctionResult::kNoCross);
}

TEST(SinglePriceAuction, CrossAtSharesTheLastLevelCustomersFirst) {
  // Sells: 5 at 3.00 (better priced, fills first), then 3.05: professional 20 then customer 10.
  // The buy of 15 at 3.05: 5 from 3.00, then the customer's 10 ahead of the earlier professional.
  const std::vector<AuctionOrder> orders = {
      Limit(1, Side::kSell, Cents(300), 5), Limit(2, Side::kSell, Cents(305), 20),
      Limit(3, Side::kSell, Cents(305), 10, ParticipantRole::kCustomer),
      Limit(4, Side::kBuy, Cents(305), 15)};
  const std::vector<AuctionTrade> trades =
      CrossAt(orders, Cents(305), {AllocationRule::kSeed001Options, {}});
  std::map<uint64_t, int64_t> traded = Traded(trades);
  EXPECT_EQ(traded[1], 5);
  EXPECT_EQ(traded[2], 0);
  EXPECT_EQ(traded[3], 10);
  EXPECT_EQ(traded[4], 15);
}

// EX-R12 (Tables XIII and XIV): an EAM's block to buy 500 at 2 1/2; the PMM responds 250 and
// PRO#1 210 within M = 30 s.
TEST(BlockCross, ExR12BlockBuy500ExecutesAtTwoAndAHalfCustomerFirst) {
  const uint32_t kCus = 10, kPro1 = 11, kPro2 = 12, kPmm = 13;
  const std::vector<AuctionOrder> contra = {
      // Table XIII, offer side, in time order.
      Limit(1, Side::kSell, Frac(2, 1, 2), 10, ParticipantRole::kCustomer, kCus),
      Limit(2, Side::kSell, Frac(2, 1, 2), 10, ParticipantRole::kProfessional, kPro1),
      Limit(3, Side::kSell, Frac(2, 1, 2), 20, ParticipantRole::kProfessional, kPro2),
      Limit(4, Side::kSell, Frac(2, 1, 2), 20, ParticipantRole::kPrimaryMarketMaker, kPmm),
      Limit(5, Side::kSell, Frac(2, 3, 4), 10, ParticipantRole::kProfessional, kPro1),
      Limit(6, Side::kSell, Frac(2, 3, 4), 10, ParticipantRole::kPrimaryMarketMaker, kPmm),
      // The responses (S656).
      Limit(7, Side::kSell, Frac(2, 1, 2), 250, ParticipantRole::kPrimaryMarketMaker, kPmm),
      Limit(8, Side::kSell, Frac(2, 1, 2), 210, ParticipantRole::kProfessional, kPro1)};
  BlockTerms block;
  block.order = Limit(100, Side::kBuy, Frac(2, 1, 2), 500, ParticipantRole::kProfessional, 99);
  EXPECT_EQ(BlockExecutionPrice(block.order, contra, false), Frac(2, 1, 2));
  const std::optional<BlockOutcome> outcome =
      CrossBlock(block, contra, {AllocationRule::kSeed001Options, {}});
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->price, Frac(2, 1, 2));
  // Nothing trades at S665 (no one is priced better); the customer's 10 trade first (S666).
  ASSERT_FALSE(outcome->trades.empty());
  EXPECT_EQ(outcome->trades.front().sell_key, 1u);
  EXPECT_EQ(outcome->trades.front().quantity, Quantity(10));
  std::map<uint64_t, int64_t> traded = Traded(outcome->trades);
  EXPECT_EQ(traded[100], 500);
  // [derived] the other 490 by Fig. 4(b), Eq. 2-3: the PMM max(30%, 270/510) = 260; PRO#1 211;
  // PRO#2 19 (spec EX-R12); nothing at 2 3/4.
  EXPECT_EQ(traded[4] + traded[7], 260);
  EXPECT_EQ(traded[2] + traded[8], 211);
  EXPECT_EQ(traded[3], 19);
  EXPECT_EQ(traded[5] + traded[6], 0);
}

// EX-R13 (Table XV): a block to sell 75 at 3 3/4.
TEST(BlockCross, ExR13BlockSell75ExecutesAtThreeSevenEighths) {
  const std::vector<AuctionOrder> contra = {
      Limit(1, Side::kBuy, Frac(4), 10),                                              // book order
      Limit(2, Side::kBuy, Frac(3, 7, 8), 20, ParticipantRole::kPrimaryMarketMaker),  // quote
      Limit(3, Side::kBuy, Frac(3, 3, 4), 10, ParticipantRole::kCustomer),  // customer order
      Limit(4, Side::kBuy, Frac(3, 7, 8), 50),                              // response
      Limit(5, Side::kBuy, Frac(3, 3, 4), 10)};                             // response
  BlockTerms block;
  block.order = Limit(100, Side::kSell, Frac(3, 3, 4), 75);
  const std::optional<BlockOutcome> outcome =
      CrossBlock(block, contra, {AllocationRule::kSeed001Options, {}});
  ASSERT_TRUE(outcome.has_value());
  // The highest price at which all 75 can trade.
  EXPECT_EQ(outcome->price, Frac(3, 7, 8));
  // The buy at 4 executes at 3 7/8 first (S669).
  EXPECT_EQ(outcome->trades.front().buy_key, 1u);
  EXPECT_EQ(outcome->trades.front().quantity, Quantity(10));
  std::map<uint64_t, int64_t> traded = Traded(outcome->trades);
  // [derived] Eq. 1 on the other 65: max(60%, 20/70) = 39, capped at the PMM's 20; responder 45.
  EXPECT_EQ(traded[2], 20);
  EXPECT_EQ(traded[4], 45);
  EXPECT_EQ(traded[3] + traded[5], 0);  // the bids at 3 3/4 do not trade
  EXPECT_EQ(traded[100], 75);
}

TEST(BlockCross, R48AFillOrKillBlockWithTooLittleInterestDoesNotTrade) {
  const std::vector<AuctionOrder> contra = {Limit(1, Side::kSell, Frac(2, 1, 2), 40)};
  BlockTerms block;
  block.order = Limit(100, Side::kBuy, Frac(2, 1, 2), 500);
  block.fill_or_kill = true;
  EXPECT_FALSE(CrossBlock(block, contra, {}).has_value());
  block.fill_or_kill = false;  // otherwise what there is trades at the block's price
  const std::optional<BlockOutcome> partial = CrossBlock(block, contra, {});
  ASSERT_TRUE(partial.has_value());
  EXPECT_EQ(Traded(partial->trades)[100], 40);
}

TEST(BlockCross, R48AFacilitationOrderAlwaysFillsInFull) {
  const std::vector<AuctionOrder> contra = {
      Limit(1, Side::kSell, Frac(2, 1, 2), 10, ParticipantRole::kCustomer),
      Limit(2, Side::kSell, Frac(2, 1, 2), 20)};
  BlockTerms block;
  block.order = Limit(100, Side::kBuy, Frac(2, 1, 2), 100);
  block.facilitation_percent = 40;
  const std::optional<BlockOutcome> outcome = CrossBlock(block, contra, {});
  ASSERT_TRUE(outcome.has_value());
  // 40 to the facilitating member first, 30 from the others, the last 30 to the member again.
  EXPECT_EQ(Traded(outcome->trades)[100], 30);
  EXPECT_EQ(outcome->facilitated, Quantity(70));
}

}  // namespace
}  // namespace combo::venues::leg_processes

#include "pricing/implied_price.h"

#include <optional>

#include "gtest/gtest.h"
#include "pricing/test_market.h"

namespace combo::pricing {
namespace {

using core::PriceLevel;
using core::Quantity;
using core::Side;
using core::VenueId;
using testing::P;
using testing::Quote;
using testing::Spec;

std::optional<PriceLevel> Level(std::string_view price, int64_t size) {
  return PriceLevel{P(price), Quantity(size)};
}

class ImpliedPriceTest : public ::testing::Test {
 protected:
  void SetUp() override { Reset(FeeMode::kIgnoreFees, VenueFees{}); }

  void Reset(FeeMode mode, VenueFees fees) {
    market_.emplace(*LegMarket::Create(catalog_, {VenueId(1), VenueId(2)}, std::move(fees), mode));
    sequence_ = 0;
  }

  void Q(uint32_t venue, core::InstrumentId instrument, std::string_view bid, int64_t bid_size,
         std::string_view ask, int64_t ask_size) {
    const absl::StatusOr<LegApplyResult> applied =
        market_->Apply(Quote(venue, instrument, ++sequence_, bid, bid_size, ask, ask_size));
    ASSERT_TRUE(applied.ok()) << applied.status();
  }

  ComboTerms Terms(std::initializer_list<core::ComboLeg> legs) {
    return *ComboTerms::Create(Spec(legs), catalog_);
  }

  core::TopOfBook Implied(std::initializer_list<core::ComboLeg> legs) {
    return ImpliedQuote(Terms(legs), *market_);
  }

  // The standard option quotes of the tables, all at venue 1.
  void QuoteCalls() {
    Q(1, testing::kC450, "5.00", 10, "5.20", 20);
    Q(1, testing::kC460, "2.00", 30, "2.10", 5);
    Q(1, testing::kC470, "0.80", 8, "0.90", 12);
  }

  const core::InstrumentCatalog catalog_ = testing::MakeCatalog();
  std::optional<LegMarket> market_;
  uint64_t sequence_ = 0;
};

// +1 C450 -1 C460. ask = 5.20 - 2.00 = 3.20, size min(20, 30) = 20;
// bid = 5.00 - 2.10 = 2.90, size min(10, 5) = 5.
TEST_F(ImpliedPriceTest, VerticalBuysAtBuyLegAskAndSellLegBid) {
  QuoteCalls();
  const core::TopOfBook quote =
      Implied({{testing::kC450, 1, Side::kBuy}, {testing::kC460, 1, Side::kSell}});
  EXPECT_EQ(quote.ask, Level("3.20", 20));
  EXPECT_EQ(quote.bid, Level("2.90", 5));
}

// +1 C450 -2 C460 +1 C470. ask = 5.20 - 2 x 2.00 + 0.90 = 2.10, size min(20, 30/2, 12) = 12;
// bid = 5.00 - 2 x 2.10 + 0.80 = 1.60, size min(10, floor(5/2), 8) = 2.
TEST_F(ImpliedPriceTest, ButterflyWeighsTheBodyTwiceAndFloorsItsSize) {
  QuoteCalls();
  const core::TopOfBook quote = Implied({{testing::kC450, 1, Side::kBuy},
                                         {testing::kC460, 2, Side::kSell},
                                         {testing::kC470, 1, Side::kBuy}});
  EXPECT_EQ(quote.ask, Level("2.10", 12));
  EXPECT_EQ(quote.bid, Level("1.60", 2));
}

// +100 SPY -1 C450: combo multiplier 100, weights 1 and 1.
// ask = 450.00 - 5.00 = 445.00, size min(300/100, 10) = 3;
// bid = 449.90 - 5.20 = 444.70, size min(500/100, 20) = 5.
TEST_F(ImpliedPriceTest, BuyWriteCountsSharesInHundreds) {
  Q(1, testing::kSpy, "449.90", 500, "450.00", 300);
  Q(1, testing::kC450, "5.00", 10, "5.20", 20);
  const core::TopOfBook quote =
      Implied({{testing::kSpy, 100, Side::kBuy}, {testing::kC450, 1, Side::kSell}});
  EXPECT_EQ(quote.ask, Level("445.00", 3));
  EXPECT_EQ(quote.bid, Level("444.70", 5));
}

// +1 C450 -2 C460. ask = 5.20 - 2 x 2.00 = 1.20, size min(20, 30/2) = 15;
// bid = 5.00 - 2 x 2.10 = 0.80, size min(10, floor(5/2)) = 2.
TEST_F(ImpliedPriceTest, RatioSpreadWeighsTheSoldLegByItsRatio) {
  QuoteCalls();
  const core::TopOfBook quote =
      Implied({{testing::kC450, 1, Side::kBuy}, {testing::kC460, 2, Side::kSell}});
  EXPECT_EQ(quote.ask, Level("1.20", 15));
  EXPECT_EQ(quote.bid, Level("0.80", 2));
}

// -1 ESZ6 +1 ESH7 (both 50): ask = -4500.00 + 4550.75 = 50.75, size min(10, 9) = 9;
// bid = -4500.25 + 4550.50 = 50.25, size min(12, 7) = 7.
TEST_F(ImpliedPriceTest, FuturesCalendarSellsNearBuysFar) {
  Q(1, testing::kEsDec, "4500.00", 10, "4500.25", 12);
  Q(1, testing::kEsMar, "4550.50", 7, "4550.75", 9);
  const core::TopOfBook quote =
      Implied({{testing::kEsDec, 1, Side::kSell}, {testing::kEsMar, 1, Side::kBuy}});
  EXPECT_EQ(quote.ask, Level("50.75", 9));
  EXPECT_EQ(quote.bid, Level("50.25", 7));
}

// +1 C450 (100) -1 F2500 (2500): multiplier 100, future weight 25.
// ask = 2.60 - 25 x 75.10 = -1874.90, size min(40, 3) = 3;
// bid = 2.50 - 25 x 75.12 = -1875.50, size min(40, 2) = 2. Both are credits.
TEST_F(ImpliedPriceTest, OptionVersusFutureWeighsTheFutureByMultiplierRatio) {
  Q(1, testing::kC450, "2.50", 40, "2.60", 40);
  Q(1, testing::kFut2500, "75.10", 3, "75.12", 2);
  const core::TopOfBook quote =
      Implied({{testing::kC450, 1, Side::kBuy}, {testing::kFut2500, 1, Side::kSell}});
  EXPECT_EQ(quote.ask, Level("-1874.90", 3));
  EXPECT_EQ(quote.bid, Level("-1875.50", 2));
}

// +1 C460 -1 C450 (a bear call spread bought): ask = 2.10 - 5.00 = -2.90, bid = 2.00 - 5.20 =
// -3.20. Negative prices are credits, kept exactly.
TEST_F(ImpliedPriceTest, CreditSpreadHasNegativePrices) {
  QuoteCalls();
  const core::TopOfBook quote =
      Implied({{testing::kC460, 1, Side::kBuy}, {testing::kC450, 1, Side::kSell}});
  EXPECT_EQ(quote.ask, Level("-2.90", 5));
  EXPECT_EQ(quote.bid, Level("-3.20", 20));
}

TEST_F(ImpliedPriceTest, LegWithoutQuoteGivesNoImpliedPriceNeverZero) {
  Q(1, testing::kC450, "5.00", 10, "5.20", 20);
  // C460 never quoted.
  core::TopOfBook quote =
      Implied({{testing::kC450, 1, Side::kBuy}, {testing::kC460, 1, Side::kSell}});
  EXPECT_FALSE(quote.bid.has_value());
  EXPECT_FALSE(quote.ask.has_value());
  // C460 bid only: the ask (which sells C460 at its bid) exists; the bid (which buys C460 at
  // its ask) does not.
  Q(1, testing::kC460, "2.00", 30, "", 0);
  quote = Implied({{testing::kC450, 1, Side::kBuy}, {testing::kC460, 1, Side::kSell}});
  EXPECT_EQ(quote.ask, Level("3.20", 20));
  EXPECT_FALSE(quote.bid.has_value());
}

TEST_F(ImpliedPriceTest, LessThanOneWholeUnitGivesNoImpliedLevel) {
  Q(1, testing::kSpy, "449.90", 50, "450.00", 99);
  Q(1, testing::kC450, "5.00", 10, "5.20", 20);
  const core::TopOfBook quote =
      Implied({{testing::kSpy, 100, Side::kBuy}, {testing::kC450, 1, Side::kSell}});
  EXPECT_FALSE(quote.ask.has_value());
  EXPECT_FALSE(quote.bid.has_value());
}

// C450: venue 1 5.00/5.20, venue 2 5.25/5.30: consolidated bid 5.25 (venue 2) is above the
// consolidated ask 5.20 (venue 1). The implied price uses both as they are; a crossed
// consolidated market is an opportunity for the router, not an error.
TEST_F(ImpliedPriceTest, CrossedLegMarketIsPricedAsQuoted) {
  Q(1, testing::kC450, "5.00", 10, "5.20", 20);
  Q(2, testing::kC450, "5.25", 4, "5.30", 6);
  Q(1, testing::kC460, "2.00", 30, "2.10", 5);
  EXPECT_EQ(market_->Consolidated(testing::kC450).bid, Level("5.25", 4));
  EXPECT_EQ(market_->Consolidated(testing::kC450).ask, Level("5.20", 20));
  const core::TopOfBook quote =
      Implied({{testing::kC450, 1, Side::kBuy}, {testing::kC460, 1, Side::kSell}});
  // ask = 5.20 - 2.00 = 3.20; bid = 5.25 - 2.10 = 3.15, size min(4, 5) = 4.
  EXPECT_EQ(quote.ask, Level("3.20", 20));
  EXPECT_EQ(quote.bid, Level("3.15", 4));
}

// Venue 2 bids C450 at venue 1's ask: a locked consolidated market; the locked combo prices
// 5.20 - 2.00 = 3.20 on the ask and 5.20 - 2.10 = 3.10 on the bid.
TEST_F(ImpliedPriceTest, LockedLegMarketIsPricedAsQuoted) {
  Q(1, testing::kC450, "5.00", 10, "5.20", 20);
  Q(2, testing::kC450, "5.20", 7, "5.30", 6);
  Q(1, testing::kC460, "2.00", 30, "2.10", 5);
  const core::TopOfBook quote =
      Implied({{testing::kC450, 1, Side::kBuy}, {testing::kC460, 1, Side::kSell}});
  EXPECT_EQ(quote.ask, Level("3.20", 20));
  EXPECT_EQ(quote.bid, Level("3.10", 5));
}

// Equal asks on two venues: the consolidated size is their sum, and the leg plan takes the
// larger level first, then (equal sizes) the lower venue id.
TEST_F(ImpliedPriceTest, EqualPricesOnTwoVenuesTieBreakLargerSizeThenLowerVenue) {
  Q(1, testing::kC450, "5.00", 10, "5.20", 20);
  Q(2, testing::kC450, "5.00", 10, "5.20", 30);
  Q(1, testing::kC460, "2.00", 60, "2.10", 5);
  EXPECT_EQ(market_->Consolidated(testing::kC450).ask, Level("5.20", 50));
  const ComboTerms terms =
      Terms({{testing::kC450, 1, Side::kBuy}, {testing::kC460, 1, Side::kSell}});
  EXPECT_EQ(ImpliedQuote(terms, *market_).ask, Level("3.20", 50));

  absl::StatusOr<ImpliedFill> fill = ImpliedForQuantity(terms, *market_, Side::kBuy, Quantity(40));
  ASSERT_TRUE(fill.ok()) << fill.status();
  ASSERT_EQ(fill->legs[0].allocations.size(), 2u);
  EXPECT_EQ(fill->legs[0].allocations[0],
            (LegAllocation{VenueId(2), 0, P("5.20"), P("5.20"), Quantity(30)}));
  EXPECT_EQ(fill->legs[0].allocations[1],
            (LegAllocation{VenueId(1), 0, P("5.20"), P("5.20"), Quantity(10)}));

  // The bids tie on price and size (10 and 10): venue 1 first.
  fill = ImpliedForQuantity(terms, *market_, Side::kSell, Quantity(5));
  ASSERT_TRUE(fill.ok()) << fill.status();
  ASSERT_EQ(fill->legs[0].allocations.size(), 1u);
  EXPECT_EQ(fill->legs[0].allocations[0].venue, VenueId(1));
  EXPECT_EQ(fill->legs[0].side, Side::kSell);
  EXPECT_EQ(fill->legs[1].side, Side::kBuy);
}

// Depth: C450 asks venue 1 5.20 x 10, 5.30 x 20; venue 2 5.25 x 5. C460 bids venue 1 2.00 x 30.
// Buying 15 verticals: C450 10 @ 5.20 (v1 L0) + 5 @ 5.25 (v2 L0) = 7825.00;
// C460 15 @ 2.00 = 3000.00; value 4825.00; price 4825 / (15 x 100) = 3.21666..., rounded up
// (a buy's limit check must not pass on a rounded-down price) to 3.216666667.
TEST_F(ImpliedPriceTest, DepthAwarePriceIsTotalOverQuantityOverMultiplierRoundedAgainstTrader) {
  ASSERT_TRUE(market_
                  ->Reset(VenueId(1), testing::kC450, 1,
                          core::Depth{{{P("5.00"), Quantity(10)}},
                                      {{P("5.20"), Quantity(10)}, {P("5.30"), Quantity(20)}}})
                  .ok());
  ASSERT_TRUE(market_
                  ->Reset(VenueId(2), testing::kC450, 1,
                          core::Depth{{{P("4.90"), Quantity(3)}}, {{P("5.25"), Quantity(5)}}})
                  .ok());
  ASSERT_TRUE(market_
                  ->Reset(VenueId(1), testing::kC460, 1,
                          core::Depth{{{P("2.00"), Quantity(30)}}, {{P("2.10"), Quantity(5)}}})
                  .ok());
  const ComboTerms terms =
      Terms({{testing::kC450, 1, Side::kBuy}, {testing::kC460, 1, Side::kSell}});
  absl::StatusOr<ImpliedFill> fill = ImpliedForQuantity(terms, *market_, Side::kBuy, Quantity(15));
  ASSERT_TRUE(fill.ok()) << fill.status();
  EXPECT_EQ(fill->value, core::Money::FromPrice(P("4825")));
  EXPECT_EQ(fill->price, P("3.216666667"));
  ASSERT_EQ(fill->legs.size(), 2u);
  EXPECT_EQ(fill->legs[0].quantity, Quantity(15));
  ASSERT_EQ(fill->legs[0].allocations.size(), 2u);
  EXPECT_EQ(fill->legs[0].allocations[0],
            (LegAllocation{VenueId(1), 0, P("5.20"), P("5.20"), Quantity(10)}));
  EXPECT_EQ(fill->legs[0].allocations[1],
            (LegAllocation{VenueId(2), 0, P("5.25"), P("5.25"), Quantity(5)}));

  // 25 units reach venue 1's second level: 10 @ 5.20 + 5 @ 5.25 + 10 @ 5.30 = 13125.00, minus
  // C460 25 @ 2.00 = 5000.00: 8125 / 2500 = 3.25 exactly.
  fill = ImpliedForQuantity(terms, *market_, Side::kBuy, Quantity(25));
  ASSERT_TRUE(fill.ok()) << fill.status();
  EXPECT_EQ(fill->price, P("3.25"));
  EXPECT_EQ(fill->legs[0].allocations[2],
            (LegAllocation{VenueId(1), 1, P("5.30"), P("5.30"), Quantity(10)}));

  // Selling 3 verticals: C450 3 @ 5.00, C460 bought 3 @ 2.10: (1500 - 630) / 300 = 2.90.
  // Selling 13: C450 10 @ 5.00 + 3 @ 4.90 = 6470; C460 5 @ 2.10 then no more asks: too little.
  fill = ImpliedForQuantity(terms, *market_, Side::kSell, Quantity(3));
  ASSERT_TRUE(fill.ok()) << fill.status();
  EXPECT_EQ(fill->price, P("2.90"));
  fill = ImpliedForQuantity(terms, *market_, Side::kSell, Quantity(13));
  ASSERT_FALSE(fill.ok());
  EXPECT_EQ(fill.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(fill.status().message().find("instrument 11: the books hold 5 to buy"),
            std::string::npos)
      << fill.status();
}

// Selling rounds down: C450 bids 5.00 x 1 and 4.99 x 2 sell 3 units (with C460 bought at
// 2.10): (500 + 998 - 630) / 300 = 2.8933..., rounded down to 2.893333333.
TEST_F(ImpliedPriceTest, DepthAwareSellRoundsDown) {
  ASSERT_TRUE(market_
                  ->Reset(VenueId(1), testing::kC450, 1,
                          core::Depth{{{P("5.00"), Quantity(1)}, {P("4.99"), Quantity(2)}}, {}})
                  .ok());
  ASSERT_TRUE(
      market_->Reset(VenueId(1), testing::kC460, 1, core::Depth{{}, {{P("2.10"), Quantity(5)}}})
          .ok());
  const ComboTerms terms =
      Terms({{testing::kC450, 1, Side::kBuy}, {testing::kC460, 1, Side::kSell}});
  const absl::StatusOr<ImpliedFill> fill =
      ImpliedForQuantity(terms, *market_, Side::kSell, Quantity(3));
  ASSERT_TRUE(fill.ok()) << fill.status();
  EXPECT_EQ(fill->price, P("2.893333333"));
}

TEST_F(ImpliedPriceTest, DepthAwareRefusesNonPositiveQuantity) {
  QuoteCalls();
  const ComboTerms terms =
      Terms({{testing::kC450, 1, Side::kBuy}, {testing::kC460, 1, Side::kSell}});
  EXPECT_EQ(ImpliedForQuantity(terms, *market_, Side::kBuy, Quantity(0)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Fee-aware: taker fee per option contract 0.50 at venue 1 (0.005 per price unit) and 0.30 at
// venue 2 (0.003). C450 asks 5.20 on both: net 5.205 and 5.203, so venue 2 alone is the best
// consolidated ask. C460 bid 2.00 at venue 1 nets 1.995. Implied ask = 5.203 - 1.995 = 3.208.
TEST_F(ImpliedPriceTest, FeeAwareModePricesEachLegNetOfItsVenueTakerFee) {
  VenueFees fees;
  ASSERT_TRUE(fees.Set(VenueId(1), core::AssetClass::kOption, {P("0"), P("0.50")}).ok());
  ASSERT_TRUE(fees.Set(VenueId(2), core::AssetClass::kOption, {P("0"), P("0.30")}).ok());
  Reset(FeeMode::kNetOfTakerFees, std::move(fees));
  Q(1, testing::kC450, "5.00", 10, "5.20", 20);
  Q(2, testing::kC450, "4.90", 10, "5.20", 30);
  Q(1, testing::kC460, "2.00", 60, "2.10", 5);
  EXPECT_EQ(market_->Consolidated(testing::kC450).ask, Level("5.203", 30));
  EXPECT_EQ(market_->Consolidated(testing::kC450).bid, Level("4.995", 10));
  const ComboTerms terms =
      Terms({{testing::kC450, 1, Side::kBuy}, {testing::kC460, 1, Side::kSell}});
  EXPECT_EQ(ImpliedQuote(terms, *market_).ask, Level("3.208", 30));
  // bid = 4.995 - 2.105 = 2.89.
  EXPECT_EQ(ImpliedQuote(terms, *market_).bid, Level("2.89", 5));

  // The plan walks by net price: venue 2 (5.203) then venue 1 (5.205).
  const absl::StatusOr<ImpliedFill> fill =
      ImpliedForQuantity(terms, *market_, Side::kBuy, Quantity(35));
  ASSERT_TRUE(fill.ok()) << fill.status();
  EXPECT_EQ(fill->legs[0].allocations[0],
            (LegAllocation{VenueId(2), 0, P("5.20"), P("5.203"), Quantity(30)}));
  EXPECT_EQ(fill->legs[0].allocations[1],
            (LegAllocation{VenueId(1), 0, P("5.20"), P("5.205"), Quantity(5)}));
  // (30 x 5.203 + 5 x 5.205 - 35 x 1.995) x 100 / (35 x 100) = (156.09 + 26.025 - 69.825) / 35
  // = 112.29 / 35 = 3.2082857..., rounded up.
  EXPECT_EQ(fill->price, P("3.208285715"));
}

TEST(LegMarketTest, RefusesBadVenueLists) {
  const core::InstrumentCatalog catalog = testing::MakeCatalog();
  EXPECT_FALSE(LegMarket::Create(catalog, {}, {}, FeeMode::kIgnoreFees).ok());
  const absl::StatusOr<LegMarket> duplicated =
      LegMarket::Create(catalog, {VenueId(1), VenueId(1)}, {}, FeeMode::kIgnoreFees);
  ASSERT_FALSE(duplicated.ok());
  EXPECT_NE(duplicated.status().message().find("venue 1 is listed twice"), std::string::npos);
}

TEST(LegMarketTest, LevelUpdatesBuildDepthBestFirst) {
  const core::InstrumentCatalog catalog = testing::MakeCatalog();
  LegMarket market = *LegMarket::Create(catalog, {VenueId(1)}, {}, FeeMode::kIgnoreFees);
  auto level = [&](uint64_t seq, Side side, std::string_view price, int64_t size,
                   core::TopOfBook top) {
    core::LegBookUpdate u;
    u.venue = VenueId(1);
    u.instrument = testing::kC450;
    u.sequence = seq;
    u.side = side;
    u.price = P(price);
    u.quantity = Quantity(size);
    u.top = top;
    return market.Apply(u).status();
  };
  core::TopOfBook top;
  top.ask = PriceLevel{P("5.30"), Quantity(4)};
  ASSERT_TRUE(level(1, Side::kSell, "5.30", 4, top).ok());
  ASSERT_TRUE(level(2, Side::kSell, "5.50", 6, top).ok());
  top.ask = PriceLevel{P("5.20"), Quantity(2)};
  ASSERT_TRUE(level(3, Side::kSell, "5.20", 2, top).ok());
  EXPECT_EQ(market.VenueDepth(VenueId(1), testing::kC450).asks,
            (std::vector<PriceLevel>{
                {P("5.20"), Quantity(2)}, {P("5.30"), Quantity(4)}, {P("5.50"), Quantity(6)}}));
  // Removing 5.30 (quantity zero) keeps the others.
  ASSERT_TRUE(level(4, Side::kSell, "5.30", 0, top).ok());
  EXPECT_EQ(market.VenueDepth(VenueId(1), testing::kC450).asks,
            (std::vector<PriceLevel>{{P("5.20"), Quantity(2)}, {P("5.50"), Quantity(6)}}));
}

TEST(LegMarketTest, BadUpdatesAreRefusedAndChangeNothing) {
  const core::InstrumentCatalog catalog = testing::MakeCatalog();
  LegMarket market = *LegMarket::Create(catalog, {VenueId(1)}, {}, FeeMode::kIgnoreFees);
  ASSERT_TRUE(market.Apply(Quote(1, testing::kC450, 5, "5.00", 10, "5.20", 20)).ok());
  const core::TopOfBook before = market.Consolidated(testing::kC450);

  absl::Status s = market.Apply(Quote(1, testing::kC450, 5, "5.10", 10, "5.20", 20)).status();
  EXPECT_NE(s.message().find("sequence 5 is not after the last applied 5"), std::string::npos) << s;
  s = market.Apply(Quote(3, testing::kC450, 6, "5.10", 10, "5.20", 20)).status();
  EXPECT_NE(s.message().find("venue 3 is not one the router may use"), std::string::npos) << s;
  s = market.Apply(Quote(1, core::InstrumentId(999), 6, "5.10", 10, "5.20", 20)).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
  s = market.Apply(Quote(1, testing::kC450, 6, "5.30", 10, "5.20", 20)).status();
  EXPECT_NE(s.message().find("its own book is crossed"), std::string::npos) << s;
  s = market.Apply(Quote(1, testing::kC450, 6, "5.10", 0, "5.20", 20)).status();
  EXPECT_NE(s.message().find("bid has size 0"), std::string::npos) << s;
  core::LegBookUpdate negative = Quote(1, testing::kC450, 6, "5.10", 10, "5.20", 20);
  negative.quantity = Quantity(-1);
  s = market.Apply(negative).status();
  EXPECT_NE(s.message().find("negative"), std::string::npos) << s;
  s = market
          .Reset(VenueId(1), testing::kC450, 6,
                 core::Depth{{{P("5.00"), Quantity(1)}, {P("5.05"), Quantity(1)}}, {}})
          .status();
  EXPECT_NE(s.message().find("strictly best first"), std::string::npos) << s;

  EXPECT_EQ(market.Consolidated(testing::kC450), before);
  EXPECT_FALSE(market.Find(core::InstrumentId(999)).has_value());
  // The next good sequence is still 6.
  EXPECT_TRUE(market.Apply(Quote(1, testing::kC450, 6, "5.10", 10, "5.20", 20)).ok());
}

}  // namespace
}  // namespace combo::pricing

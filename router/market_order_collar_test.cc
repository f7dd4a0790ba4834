// The market order collar (docs/ROUTER.md "Immediate orders"): best price at arrival, on the
// combo's tick, plus (buy) or minus (sell) the larger of its ticks and its basis points.
#include "router/market_order_collar.h"

#include "gtest/gtest.h"

namespace combo::router {
namespace {

core::Price Cents(int64_t cents) { return core::Price::FromRaw(cents * 10'000'000); }

TEST(MarketOrderCollarTest, BuyLimitIsTheAskPlusTheTicksWhenTheyAreWider) {
  // Seed 003's combo: ask 84.45; 10 ticks of 0.01, no basis points.
  const MarketOrderCollar collar{10, 0};
  absl::StatusOr<CollaredLimit> limit =
      CollarLimit(collar, core::Side::kBuy, Cents(8445), Cents(1));
  ASSERT_TRUE(limit.ok()) << limit.status();
  EXPECT_EQ(limit->width, Cents(10));
  EXPECT_EQ(limit->limit, Cents(8455));
}

TEST(MarketOrderCollarTest, BasisPointsRoundDownToTheTickAndWinWhenWider) {
  const MarketOrderCollar collar{10, 100};
  absl::StatusOr<CollaredLimit> limit =
      CollarLimit(collar, core::Side::kBuy, Cents(8445), Cents(1));
  ASSERT_TRUE(limit.ok()) << limit.status();
  EXPECT_EQ(limit->width, Cents(84));  // 0.8445 rounded down to 0.84
  EXPECT_EQ(limit->limit, Cents(8529));
}

TEST(MarketOrderCollarTest, SellLimitIsTheBidMinusTheWidth) {
  const MarketOrderCollar collar{5, 0};
  absl::StatusOr<CollaredLimit> limit =
      CollarLimit(collar, core::Side::kSell, Cents(8440), Cents(5));
  ASSERT_TRUE(limit.ok()) << limit.status();
  EXPECT_EQ(limit->width, Cents(25));
  EXPECT_EQ(limit->limit, Cents(8415));
}

TEST(MarketOrderCollarTest, CreditPricesCountTheirMagnitude) {
  // A credit spread bid -2.00: 1000 basis points (10%) of 2.00 is 0.20.
  const MarketOrderCollar collar{0, 1000};
  absl::StatusOr<CollaredLimit> limit =
      CollarLimit(collar, core::Side::kSell, Cents(-200), Cents(1));
  ASSERT_TRUE(limit.ok()) << limit.status();
  EXPECT_EQ(limit->width, Cents(20));
  EXPECT_EQ(limit->limit, Cents(-220));
}

TEST(MarketOrderCollarTest, AnOffTickBestIsTakenFromTheTickThatStillReachesIt) {
  // A coarser configured combo tick (0.05) than the market's price (84.43): a buy collars from
  // 84.45, a sell from 84.40, so the best price itself stays within the limit.
  const MarketOrderCollar collar{0, 0};
  EXPECT_EQ(CollarLimit(collar, core::Side::kBuy, Cents(8443), Cents(5))->limit, Cents(8445));
  EXPECT_EQ(CollarLimit(collar, core::Side::kSell, Cents(8443), Cents(5))->limit, Cents(8440));
}

TEST(MarketOrderCollarTest, ValidationNamesTheField) {
  EXPECT_TRUE(ValidateMarketOrderCollar(MarketOrderCollar{}).ok());
  EXPECT_TRUE(ValidateMarketOrderCollar(MarketOrderCollar{0, 0}).ok());
  const absl::Status ticks = ValidateMarketOrderCollar(MarketOrderCollar{-1, 0});
  EXPECT_EQ(ticks.message(), "router market_order_collar.ticks must not be negative, got -1");
  const absl::Status bp = ValidateMarketOrderCollar(MarketOrderCollar{0, 10'001});
  EXPECT_EQ(bp.message(),
            "router market_order_collar.basis_points must be from 0 to 10000, got 10001");
}

TEST(MarketOrderCollarTest, PricesOutOfRangeFailInsteadOfWrapping) {
  const MarketOrderCollar collar{10, 0};
  EXPECT_FALSE(CollarLimit(collar, core::Side::kBuy, core::Price::Max() - Cents(1), Cents(1)).ok());
}

}  // namespace
}  // namespace combo::router

// The protected-order loop with the seed's worked examples (spec E1-E5, E8-E10, E13).
#include "venues/aop/protection.h"

#include <vector>

#include "gtest/gtest.h"
#include "venues/aop/thirty_seconds.h"

namespace combo::venues::aop {
namespace {

using core::Price;
using core::PriceLevel;
using core::Quantity;
using core::Side;

Price P(std::string_view text) { return Price::Parse(text).value(); }
Price T(std::string_view text) { return ParseThirtySeconds(text).value(); }
PriceLevel L(std::string_view price, int64_t quantity) { return {P(price), Quantity(quantity)}; }

const core::Timestamp kNow = core::Timestamp::FromUtc(2026, 1, 2, 14, 30, 0);

// E1: the offer stack of the seed, with the [RECON] positions 4-5 (1535 in total).
std::vector<PriceLevel> SeedOfferStack() {
  return {L("99.00", 100), L("99.10", 90), L("99.15", 75), L("99.20", 600), L("99.25", 670)};
}

ProtectionConfig AwpOn() {
  ProtectionConfig config;
  config.awp_enabled = true;
  config.awp_tick = P("0.01");
  config.awp_rounding = core::RoundingMode::kHalfUp;
  return config;
}

TEST(ProtectionTest, E1CumulativeAwpOfTheStackRoundsToTheSeedFigures) {
  const std::vector<PriceLevel> stack = SeedOfferStack();
  const auto awp = [&](int64_t q) {
    return AverageWeightedPrice(stack, Quantity(q), 5, P("0.01"), core::RoundingMode::kHalfUp);
  };
  EXPECT_EQ(awp(100), P("99.00"));
  EXPECT_EQ(awp(190), P("99.05"));  // 18819/190 = 99.0474
  EXPECT_EQ(awp(265), P("99.08"));  // E2: 26255.25/265 = 99.0764
  int64_t total = 0;
  for (const PriceLevel& level : stack) total += level.quantity.value();
  EXPECT_EQ(total, 1535);
}

TEST(ProtectionTest, E2AwpIsExactBeforeRoundingAndTheModeIsNamed) {
  const std::vector<PriceLevel> stack = SeedOfferStack();
  // Exact at the finest grid: 26255.25 / 265 rounded to 1e-9.
  EXPECT_EQ(AverageWeightedPrice(stack, Quantity(250), 5, Price::FromRaw(1),
                                 core::RoundingMode::kHalfEven),
            P("99.072"));
  // A client-favourable rounding (down for a bid) gives 99.07 for 265, not the seed's 99.08.
  EXPECT_EQ(AverageWeightedPrice(stack, Quantity(265), 5, P("0.01"), core::RoundingMode::kDown),
            P("99.07"));
}

TEST(ProtectionTest, E3AwpOf250Is99072AndProtectsTheBidAt9907) {
  const std::vector<PriceLevel> stack = SeedOfferStack();
  ProtectedOrder order = ProtectedOrder::Create(Side::kBuy, P("99.11"), Quantity(250));
  const std::optional<Reprice> reprice = OnQuote(order, ContraMarket{stack}, AwpOn(), kNow);
  ASSERT_TRUE(reprice.has_value());
  EXPECT_EQ(reprice->to, P("99.07"));
  EXPECT_EQ(reprice->basis, ProtectionBasis::kAwp);
  EXPECT_EQ(order.level, P("99.07"));
  EXPECT_TRUE(order.aop_flag);
  EXPECT_EQ(RestatementReasonFor(reprice->basis), RestatementReason::kAopAwp);
}

TEST(ProtectionTest, E3WithoutAwpASmallTopDoesNotProtect) {
  const std::vector<PriceLevel> stack = SeedOfferStack();
  ProtectedOrder order = ProtectedOrder::Create(Side::kBuy, P("99.11"), Quantity(250));
  EXPECT_FALSE(OnQuote(order, ContraMarket{stack}, ProtectionConfig{}, kNow).has_value());
  EXPECT_EQ(order.level, P("99.11"));
  EXPECT_FALSE(order.aop_flag);
}

TEST(ProtectionTest, E4AwpNotComputableFallsThroughToWaitForFollow) {
  const std::vector<PriceLevel> stack = SeedOfferStack();
  EXPECT_FALSE(
      AverageWeightedPrice(stack, Quantity(2000), 5, P("0.01"), core::RoundingMode::kHalfUp)
          .has_value());
  ProtectedOrder order = ProtectedOrder::Create(Side::kBuy, P("99.11"), Quantity(2000));
  EXPECT_FALSE(OnQuote(order, ContraMarket{stack}, AwpOn(), kNow).has_value());
  EXPECT_FALSE(order.aop_flag);
  // Armed WFF and the contra at or through its level: protect to the TPIM offer 99.00.
  order.wff = true;
  order.wff_level = P("99.00");
  const std::optional<Reprice> reprice = OnQuote(order, ContraMarket{stack}, AwpOn(), kNow);
  ASSERT_TRUE(reprice.has_value());
  EXPECT_EQ(reprice->to, P("99.00"));
  EXPECT_EQ(reprice->basis, ProtectionBasis::kWaitForFollow);
}

TEST(ProtectionTest, E5WaitForFollowProtectsOnAFollowQuoteSmallerThanTheOrder) {
  ProtectionConfig config;  // AWP off (the seed's outcome needs it)
  ProtectedOrder order = ProtectedOrder::Create(Side::kBuy, P("99.12"), Quantity(100));
  const std::vector<PriceLevel> seq1 = {L("99.25", 65)};
  EXPECT_FALSE(OnQuote(order, ContraMarket{seq1}, config, kNow).has_value());
  const std::vector<PriceLevel> seq2 = {L("99.08", 15)};  // [RECON]: inverted, too small
  EXPECT_FALSE(OnQuote(order, ContraMarket{seq2}, config, kNow).has_value());
  EXPECT_FALSE(order.wff);
  // Seq 3: trade 99.08 x 15 through the bid, smaller than the order: arms WFF (state OFF A).
  EXPECT_FALSE(OnTrade(order, P("99.08"), Quantity(15), ContraMarket{seq2}, config, kNow));
  EXPECT_TRUE(order.wff);
  EXPECT_EQ(order.wff_level, P("99.08"));
  EXPECT_FALSE(order.aop_flag);
  // Seq 4: offer 99.08 x 50 (< 100) follows: protect to 99.08.
  const std::vector<PriceLevel> seq4 = {L("99.08", 50)};
  const std::optional<Reprice> reprice = OnQuote(order, ContraMarket{seq4}, config, kNow);
  ASSERT_TRUE(reprice.has_value());
  EXPECT_EQ(order.level, P("99.08"));
  EXPECT_EQ(reprice->basis, ProtectionBasis::kWaitForFollow);
  EXPECT_TRUE(order.aop_flag);
  EXPECT_FALSE(order.wff);
}

TEST(ProtectionTest, E5aWithoutTheTradeTheFollowQuoteDoesNotProtect) {
  ProtectedOrder order = ProtectedOrder::Create(Side::kBuy, P("99.12"), Quantity(100));
  const std::vector<PriceLevel> seq4 = {L("99.08", 50)};
  EXPECT_FALSE(OnQuote(order, ContraMarket{seq4}, ProtectionConfig{}, kNow).has_value());
  EXPECT_EQ(order.level, P("99.12"));
}

TEST(ProtectionTest, E5bAFollowQuoteAboveTheTradePriceDoesNotProtect) {
  ProtectedOrder order = ProtectedOrder::Create(Side::kBuy, P("99.12"), Quantity(100));
  const std::vector<PriceLevel> none;
  OnTrade(order, P("99.08"), Quantity(15), ContraMarket{none}, ProtectionConfig{}, kNow);
  const std::vector<PriceLevel> follow = {L("99.10", 50)};
  EXPECT_FALSE(OnQuote(order, ContraMarket{follow}, ProtectionConfig{}, kNow).has_value());
  // With a client tolerance of 0.02 the same quote is close enough.
  ProtectionConfig tolerant;
  tolerant.wff_tolerance = P("0.02");
  const std::optional<Reprice> reprice = OnQuote(order, ContraMarket{follow}, tolerant, kNow);
  ASSERT_TRUE(reprice.has_value());
  EXPECT_EQ(reprice->to, P("99.10"));
}

TEST(ProtectionTest, E5cATradeOfTheFullSizeProtectsAtTheTradePrice) {
  ProtectedOrder order = ProtectedOrder::Create(Side::kBuy, P("99.12"), Quantity(100));
  const std::vector<PriceLevel> contra = {L("99.09", 10)};
  const std::optional<Reprice> reprice =
      OnTrade(order, P("99.08"), Quantity(100), ContraMarket{contra}, ProtectionConfig{}, kNow);
  ASSERT_TRUE(reprice.has_value());
  EXPECT_EQ(order.level, P("99.08"));
  EXPECT_EQ(reprice->basis, ProtectionBasis::kTrade);
  // CONTRA_TOP protects to the resting contra instead.
  ProtectedOrder other = ProtectedOrder::Create(Side::kBuy, P("99.12"), Quantity(100));
  ProtectionConfig contra_top;
  contra_top.active_level = ActiveProtectLevel::kContraTop;
  ASSERT_TRUE(OnTrade(other, P("99.08"), Quantity(100), ContraMarket{contra}, contra_top, kNow));
  EXPECT_EQ(other.level, P("99.09"));
}

TEST(ProtectionTest, WaitForFollowExpiresAfterItsMaximumAge) {
  ProtectionConfig config;
  config.wff_max_age = core::Duration::Seconds(1);
  ProtectedOrder order = ProtectedOrder::Create(Side::kBuy, P("99.12"), Quantity(100));
  const std::vector<PriceLevel> none;
  OnTrade(order, P("99.08"), Quantity(15), ContraMarket{none}, config, kNow);
  const std::vector<PriceLevel> follow = {L("99.08", 50)};
  EXPECT_FALSE(
      OnQuote(order, ContraMarket{follow}, config, kNow + core::Duration::Seconds(2)).has_value());
  EXPECT_FALSE(order.wff);
}

TEST(ProtectionTest, ATradeAtTheLevelIsNoInversionButClearsWaitForFollow) {
  ProtectedOrder order = ProtectedOrder::Create(Side::kBuy, P("99.12"), Quantity(100));
  const std::vector<PriceLevel> none;
  OnTrade(order, P("99.08"), Quantity(15), ContraMarket{none}, ProtectionConfig{}, kNow);
  EXPECT_TRUE(order.wff);
  EXPECT_FALSE(
      OnTrade(order, P("99.12"), Quantity(500), ContraMarket{none}, ProtectionConfig{}, kNow));
  EXPECT_FALSE(order.wff);
  EXPECT_FALSE(order.aop_flag);
}

TEST(ProtectionTest, E8AClientInsideTheMarketIsNotTouched) {
  ProtectedOrder order = ProtectedOrder::Create(Side::kBuy, T("99-266"), Quantity(1));
  const std::vector<PriceLevel> offers = {{T("99-27"), Quantity(5)}};
  EXPECT_FALSE(OnQuote(order, ContraMarket{offers}, ProtectionConfig{}, kNow).has_value());
  EXPECT_EQ(order.level, T("99-266"));
}

TEST(ProtectionTest, E9AnInvertedOfferProtectsTheBidTo99Dash26Plus) {
  ProtectedOrder order = ProtectedOrder::Create(Side::kBuy, T("99-266"), Quantity(1));
  const std::vector<PriceLevel> offers = {{T("99-26+"), Quantity(5)}};
  const std::optional<Reprice> reprice =
      OnQuote(order, ContraMarket{offers}, ProtectionConfig{}, kNow);
  ASSERT_TRUE(reprice.has_value());
  EXPECT_EQ(order.level, P("99.828125"));
  EXPECT_EQ(reprice->basis, ProtectionBasis::kTopOfBook);
  // The improvement is a quarter of a 32nd: $78.125 per $1mm face.
  EXPECT_EQ(order.original - order.level, P("0.0078125"));
}

TEST(ProtectionTest, E10UnprotectGoesBackToTheExactOriginal99Dash266) {
  ProtectedOrder order = ProtectedOrder::Create(Side::kBuy, T("99-266"), Quantity(1));
  const std::vector<PriceLevel> inverted = {{T("99-26+"), Quantity(5)}};
  ASSERT_TRUE(OnQuote(order, ContraMarket{inverted}, ProtectionConfig{}, kNow));
  const std::vector<PriceLevel> backed_away = {{T("99-27"), Quantity(5)}};
  const std::optional<Reprice> reprice =
      OnQuote(order, ContraMarket{backed_away}, ProtectionConfig{}, kNow);
  ASSERT_TRUE(reprice.has_value());
  EXPECT_EQ(reprice->basis, ProtectionBasis::kUnprotect);
  EXPECT_EQ(order.level, T("99-266"));  // min(99-266, 99-27)
  EXPECT_FALSE(order.aop_flag);
  EXPECT_EQ(RestatementReasonFor(reprice->basis), RestatementReason::kAopUnprotect);
}

TEST(ProtectionTest, E13RatchetAndUnprotectSteps) {
  ProtectionConfig config;
  ProtectedOrder order = ProtectedOrder::Create(Side::kBuy, P("99.11"), Quantity(100));
  std::vector<PriceLevel> offers = {L("99.00", 100)};
  ASSERT_TRUE(OnQuote(order, ContraMarket{offers}, config, kNow));
  EXPECT_EQ(order.level, P("99.00"));
  EXPECT_EQ(order.basis, ProtectionBasis::kTopOfBook);
  // At the contra: nothing to do (R31).
  EXPECT_FALSE(OnQuote(order, ContraMarket{offers}, config, kNow).has_value());
  offers = {L("98.95", 200)};
  ASSERT_TRUE(OnQuote(order, ContraMarket{offers}, config, kNow));
  EXPECT_EQ(order.level, P("98.95"));
  offers = {L("99.05", 10)};
  ASSERT_TRUE(OnQuote(order, ContraMarket{offers}, config, kNow));
  EXPECT_EQ(order.level, P("99.05"));
  EXPECT_TRUE(order.aop_flag);
  offers = {L("99.20", 10)};
  ASSERT_TRUE(OnQuote(order, ContraMarket{offers}, config, kNow));
  EXPECT_EQ(order.level, P("99.11"));
  EXPECT_FALSE(order.aop_flag);
}

TEST(ProtectionTest, E13MirrorOfferIsProtectedUpAndBackToTheOriginal) {
  ProtectionConfig config;
  ProtectedOrder order = ProtectedOrder::Create(Side::kSell, P("99.00"), Quantity(100));
  std::vector<PriceLevel> bids = {L("99.10", 100)};
  ASSERT_TRUE(OnQuote(order, ContraMarket{bids}, config, kNow));
  EXPECT_EQ(order.level, P("99.10"));
  bids = {L("98.90", 100)};
  ASSERT_TRUE(OnQuote(order, ContraMarket{bids}, config, kNow));
  EXPECT_EQ(order.level, P("99.00"));
  EXPECT_FALSE(order.aop_flag);
}

TEST(ProtectionTest, UnprotectOfAnAwpProtectedOrderRecomputesTheAwp) {
  ProtectedOrder order = ProtectedOrder::Create(Side::kBuy, P("99.11"), Quantity(250));
  std::vector<PriceLevel> stack = SeedOfferStack();
  ASSERT_TRUE(OnQuote(order, ContraMarket{stack}, AwpOn(), kNow));
  ASSERT_EQ(order.level, P("99.07"));
  // The top moves 99.00 -> 99.02: the top-only rule would give 99.02, below the AWP.
  stack[0] = L("99.02", 100);
  ASSERT_TRUE(OnQuote(order, ContraMarket{stack}, AwpOn(), kNow));
  // (100 x 99.02 + 90 x 99.10 + 60 x 99.15) / 250 = 99.08 to the cent.
  EXPECT_EQ(order.level, P("99.08"));
}

TEST(ProtectionTest, AwpWorseThanTheLevelNeverProtects) {
  // R38 guard: an AWP above the bid would push the client through its own limit.
  ProtectedOrder order = ProtectedOrder::Create(Side::kBuy, P("99.05"), Quantity(250));
  const std::vector<PriceLevel> stack = SeedOfferStack();
  EXPECT_FALSE(OnQuote(order, ContraMarket{stack}, AwpOn(), kNow).has_value());
  EXPECT_EQ(order.level, P("99.05"));
}

TEST(ProtectionTest, LeavesQuantityDecidesTheSizeTest) {
  // B1: 100 ordered, 60 filled; an offer of 50 through the level protects (50 >= 40).
  ProtectedOrder order = ProtectedOrder::Create(Side::kBuy, P("99.11"), Quantity(100));
  order.leaves = Quantity(40);
  const std::vector<PriceLevel> offers = {L("99.00", 50)};
  ASSERT_TRUE(OnQuote(order, ContraMarket{offers}, ProtectionConfig{}, kNow));
  EXPECT_EQ(order.level, P("99.00"));
}

TEST(ProtectionTest, AnEmptyContraIsNoInformation) {
  ProtectedOrder order = ProtectedOrder::Create(Side::kBuy, P("99.11"), Quantity(100));
  const std::vector<PriceLevel> offers = {L("99.00", 100)};
  ASSERT_TRUE(OnQuote(order, ContraMarket{offers}, ProtectionConfig{}, kNow));
  const std::vector<PriceLevel> empty;
  EXPECT_FALSE(OnQuote(order, ContraMarket{empty}, ProtectionConfig{}, kNow).has_value());
  EXPECT_EQ(order.level, P("99.00"));
  ProtectionConfig revert;
  revert.empty_contra = EmptyContraPolicy::kUnprotectToOriginal;
  ASSERT_TRUE(OnQuote(order, ContraMarket{empty}, revert, kNow));
  EXPECT_EQ(order.level, P("99.11"));
}

TEST(ProtectionTest, ALockedContraIsNotAnInversion) {
  ProtectedOrder order = ProtectedOrder::Create(Side::kBuy, P("99.11"), Quantity(100));
  const std::vector<PriceLevel> offers = {L("99.11", 500)};
  EXPECT_FALSE(OnQuote(order, ContraMarket{offers}, ProtectionConfig{}, kNow).has_value());
}

TEST(ProtectionTest, ValidateRejectsABadConfig) {
  ProtectionConfig config;
  config.awp_tick = Price::Zero();
  EXPECT_NE(ValidateProtectionConfig(config).message().find("AWP tick"), std::string_view::npos);
  config = ProtectionConfig{};
  config.wff_tolerance = P("-0.01");
  EXPECT_FALSE(ValidateProtectionConfig(config).ok());
  EXPECT_TRUE(ValidateProtectionConfig(ProtectionConfig{}).ok());
}

}  // namespace
}  // namespace combo::venues::aop

#include "pricing/delta.h"

#include <cmath>
#include <limits>

#include "gtest/gtest.h"
#include "pricing/test_market.h"

namespace combo::pricing {
namespace {

using core::OptionRight;
using testing::P;

// S = K = 100, T = 1, vol 20%, r 5%: d1 = (0 + (0.05 + 0.02)) / 0.2 = 0.35, N(0.35) = 0.636831.
TEST(BlackScholesDeltaTest, AtTheMoneyCallAndPutMatchHandComputedValues) {
  EXPECT_NEAR(BlackScholesDelta(OptionRight::kCall, 100, 100, 1, 0.2, 0.05), 0.636831, 1e-6);
  EXPECT_NEAR(BlackScholesDelta(OptionRight::kPut, 100, 100, 1, 0.2, 0.05), -0.363169, 1e-6);
}

// S 110, K 100, T 0.5, vol 30%, r 0: ln(1.1) = 0.0953102; (0 + 0.045) x 0.5 = 0.0225;
// d1 = 0.1178102 / (0.3 x 0.7071068 = 0.2121320) = 0.5553625; N(0.5553625) = 0.710677.
TEST(BlackScholesDeltaTest, InTheMoneyCall) {
  EXPECT_NEAR(BlackScholesDelta(OptionRight::kCall, 110, 100, 0.5, 0.3, 0.0), 0.710677, 1e-6);
}

TEST(YearsToExpiryTest, CountsToTheEndOfTheExpiryDay) {
  // 2026-12-17 00:00 UTC to the end of 2026-12-18: two days.
  const core::Timestamp now = core::Timestamp::FromUtc(2026, 12, 17, 0, 0, 0);
  EXPECT_NEAR(YearsToExpiry(now, testing::kDec), 2.0 / 365.0, 1e-12);
}

class DeltaModelTest : public ::testing::Test {
 protected:
  const core::InstrumentCatalog catalog_ = testing::MakeCatalog();
  DeltaModel model_;
};

TEST_F(DeltaModelTest, StockEtfAndFutureHaveDeltaOne) {
  const core::Timestamp now = core::Timestamp::FromUtc(2026, 6, 1, 0, 0, 0);
  EXPECT_EQ(*model_.Delta(*catalog_.Find(testing::kSpy), P("450"), now), 1.0);
  EXPECT_EQ(*model_.Delta(*catalog_.Find(testing::kQqq), P("380"), now), 1.0);
  EXPECT_EQ(*model_.Delta(*catalog_.Find(testing::kEsDec), P("4500"), now), 1.0);
}

TEST_F(DeltaModelTest, OptionDeltaUsesItsUnderlyingsVolatilityAndRate) {
  ASSERT_TRUE(model_.SetUnderlying("SPY", {0.2, 0.05}).ok());
  // One year (365 days) before the end of the expiry day.
  const core::Timestamp now = core::Timestamp::FromUtc(2025, 12, 19, 0, 0, 0);
  const double call = *model_.Delta(*catalog_.Find(testing::kC450), P("450"), now);
  const double put = *model_.Delta(*catalog_.Find(testing::kP450), P("450"), now);
  EXPECT_NEAR(call, 0.636831, 1e-6);
  EXPECT_NEAR(put, -0.363169, 1e-6);
}

TEST_F(DeltaModelTest, ExpiredOptionHasIntrinsicDelta) {
  ASSERT_TRUE(model_.SetUnderlying("SPY", {0.2, 0.05}).ok());
  const core::Timestamp after = core::Timestamp::FromUtc(2026, 12, 20, 0, 0, 0);
  const core::Instrument& call = *catalog_.Find(testing::kC450);
  const core::Instrument& put = *catalog_.Find(testing::kP450);
  EXPECT_EQ(*model_.Delta(call, P("455"), after), 1.0);
  EXPECT_EQ(*model_.Delta(call, P("445"), after), 0.0);
  EXPECT_EQ(*model_.Delta(call, P("450"), after), 0.5);
  EXPECT_EQ(*model_.Delta(put, P("445"), after), -1.0);
  EXPECT_EQ(*model_.Delta(put, P("450"), after), -0.5);
}

TEST_F(DeltaModelTest, MissingParametersAndBadInputsAreErrors) {
  const core::Timestamp now = core::Timestamp::FromUtc(2026, 6, 1, 0, 0, 0);
  const absl::StatusOr<double> missing =
      model_.Delta(*catalog_.Find(testing::kC450), P("450"), now);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("no volatility and rate configured for underlying SPY"),
            std::string::npos)
      << missing.status();
  EXPECT_FALSE(model_.Delta(*catalog_.Find(testing::kSpy), P("0"), now).ok());
  EXPECT_FALSE(model_.SetUnderlying("SPY", {0.0, 0.05}).ok());
  EXPECT_FALSE(model_.SetUnderlying("SPY", {std::nan(""), 0.05}).ok());
  EXPECT_FALSE(model_.SetUnderlying("SPY", {0.2, 2.0}).ok());
  EXPECT_FALSE(model_.SetUnderlying("", {0.2, 0.05}).ok());
  // The refused settings changed nothing: SPY still has no parameters.
  EXPECT_FALSE(model_.Delta(*catalog_.Find(testing::kC450), P("450"), now).ok());
}

// 0.636831 x 100 x 2 x 450.00 = 57314.79; a sold leg is negative.
TEST(DollarDeltaTest, IsDeltaTimesMultiplierTimesRatioTimesUnderlyingPriceSigned) {
  EXPECT_NEAR(DollarDelta(0.636831, 100, 2, core::Side::kBuy, P("450")), 57314.79, 1e-6);
  EXPECT_NEAR(DollarDelta(0.636831, 100, 2, core::Side::kSell, P("450")), -57314.79, 1e-6);
  // 100 shares of stock at 450: 45000.
  EXPECT_NEAR(DollarDelta(1.0, 1, 100, core::Side::kBuy, P("450")), 45000.0, 1e-9);
}

// A 0.20-wide quote on a 0.5-delta option is 0.40 of underlying; on a 0.1-delta option 2.00,
// so the far-from-the-money leg ranks as the wider one.
TEST(DeltaAdjustedSpreadTest, DividesTheSpreadByAbsoluteDelta) {
  EXPECT_NEAR(DeltaAdjustedSpread(P("5.00"), P("5.20"), 0.5), 0.40, 1e-12);
  EXPECT_NEAR(DeltaAdjustedSpread(P("0.10"), P("0.30"), -0.1), 2.00, 1e-12);
  EXPECT_EQ(DeltaAdjustedSpread(P("0.10"), P("0.30"), 0.0),
            std::numeric_limits<double>::infinity());
}

}  // namespace
}  // namespace combo::pricing

#include "venues/market_sim/fair_value.h"

#include <cmath>

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace combo::venues::market_sim {
namespace {

core::Instrument Option(core::OptionRight right, int64_t strike, absl::CivilDay expiry) {
  core::InstrumentDefinition definition;
  definition.id = core::InstrumentId(7);
  definition.symbol = "XYZ OPT";
  definition.asset_class = core::AssetClass::kOption;
  definition.underlying = "XYZ";
  definition.multiplier = 100;
  definition.option = core::OptionTerms{right, core::Price::FromParts(strike, 0), expiry};
  return core::Instrument::Create(definition).value();
}

TEST(FairValueTest, BlackScholesMatchesTheTextbookValue) {
  // Hull's classic example: S = 100, K = 100, T = 1, sigma = 20%, r = 5% gives 10.4506.
  EXPECT_NEAR(BlackScholesPrice(core::OptionRight::kCall, 100, 100, 1, 0.2, 0.05), 10.4506, 1e-4);
  EXPECT_NEAR(BlackScholesPrice(core::OptionRight::kPut, 100, 100, 1, 0.2, 0.05), 5.5735, 1e-4);
}

TEST(FairValueTest, CallAndPutSatisfyParity) {
  const double call = BlackScholesPrice(core::OptionRight::kCall, 103, 95, 0.4, 0.35, 0.03);
  const double put = BlackScholesPrice(core::OptionRight::kPut, 103, 95, 0.4, 0.35, 0.03);
  EXPECT_NEAR(call - put, 103 - 95 * std::exp(-0.03 * 0.4), 1e-9);
}

TEST(FairValueTest, OptionAtExpiryIsWorthItsIntrinsicValue) {
  const core::Instrument call = Option(core::OptionRight::kCall, 95, absl::CivilDay(2026, 1, 1));
  const core::Timestamp after = core::Timestamp::FromUtc(2026, 1, 2, 14, 30, 0);
  EXPECT_DOUBLE_EQ(FairValue(call, 100, {0.3, 0.05}, after).value(), 5.0);
  const core::Instrument put = Option(core::OptionRight::kPut, 95, absl::CivilDay(2026, 1, 1));
  EXPECT_DOUBLE_EQ(FairValue(put, 100, {0.3, 0.05}, after).value(), 0.0);
}

TEST(FairValueTest, FutureIsValuedByCostOfCarry) {
  core::InstrumentDefinition definition;
  definition.id = core::InstrumentId(2);
  definition.symbol = "XYZ-H26";
  definition.asset_class = core::AssetClass::kFuture;
  definition.underlying = "XYZ";
  definition.expiry = absl::CivilDay(2027, 1, 1);
  const core::Instrument future = core::Instrument::Create(definition).value();
  const core::Timestamp now = core::Timestamp::FromUtc(2026, 1, 1, 0, 0, 0);
  const double years = pricing::YearsToExpiry(now, absl::CivilDay(2027, 1, 1));
  EXPECT_NEAR(FairValue(future, 100, {0.3, 0.05}, now).value(), 100 * std::exp(0.05 * years), 1e-9);
  EXPECT_GT(FairValue(future, 100, {0.3, 0.05}, now).value(), 105.0);
}

TEST(FairValueTest, StockIsItsUnderlying) {
  core::InstrumentDefinition definition;
  definition.id = core::InstrumentId(1);
  definition.symbol = "XYZ";
  definition.underlying = "XYZ";
  const core::Instrument stock = core::Instrument::Create(definition).value();
  EXPECT_DOUBLE_EQ(FairValue(stock, 101.25, {}, core::Timestamp()).value(), 101.25);
}

TEST(FairValueTest, NonPositiveUnderlyingIsAnError) {
  const core::Instrument call = Option(core::OptionRight::kCall, 95, absl::CivilDay(2027, 1, 1));
  absl::StatusOr<double> value = FairValue(call, 0, {0.3, 0.05}, core::Timestamp());
  ASSERT_FALSE(value.ok());
  EXPECT_NE(value.status().message().find("not positive"), std::string_view::npos);
}

}  // namespace
}  // namespace combo::venues::market_sim

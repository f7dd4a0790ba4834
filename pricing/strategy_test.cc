#include "pricing/strategy.h"

#include <string>

#include "gtest/gtest.h"
#include "pricing/combo_terms.h"
#include "pricing/test_market.h"

namespace combo::pricing {
namespace {

using core::OptionRight;
using testing::P;

class StrategyTest : public ::testing::Test {
 protected:
  // The legs as "+1 #10 / -1 #11".
  std::string Build(Strategy strategy, const StrategyParameters& p) {
    const absl::StatusOr<core::ComboSpec> spec = BuildStrategy(strategy, p, catalog_);
    if (!spec.ok()) return std::string(spec.status().message());
    return spec->ToString();
  }

  StrategyParameters Params(std::initializer_list<std::string_view> strikes,
                            std::optional<OptionRight> right = std::nullopt) {
    StrategyParameters p;
    p.underlying = "SPY";
    p.right = right;
    for (std::string_view k : strikes) p.strikes.push_back(P(k));
    p.expiries = {testing::kDec};
    return p;
  }

  const core::InstrumentCatalog catalog_ = testing::MakeCatalog();
};

TEST(StrategyNameTest, ParsesNamesInAnySpellingAndRefusesUnknownOnes) {
  EXPECT_EQ(*ParseStrategy("iron condor"), Strategy::kIronCondor);
  EXPECT_EQ(*ParseStrategy("Iron_Condor"), Strategy::kIronCondor);
  EXPECT_EQ(*ParseStrategy("buywrite"), Strategy::kBuyWrite);
  EXPECT_EQ(*ParseStrategy("RATIO-SPREAD"), Strategy::kRatioSpread);
  for (Strategy s : AllStrategies()) EXPECT_EQ(*ParseStrategy(ToString(s)), s);
  EXPECT_EQ(AllStrategies().size(), 17u);
  const absl::StatusOr<Strategy> unknown = ParseStrategy("jade lizard");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("unknown strategy \"jade lizard\"; known: vertical"),
            std::string::npos)
      << unknown.status();
}

TEST_F(StrategyTest, EveryTemplateBuildsItsLegs) {
  EXPECT_EQ(Build(Strategy::kVertical, Params({"450", "460"}, OptionRight::kCall)),
            "+1 #10 / -1 #11");
  EXPECT_EQ(Build(Strategy::kVertical, Params({"460", "450"}, OptionRight::kPut)),
            "+1 #22 / -1 #21");
  StrategyParameters calendar = Params({"450"}, OptionRight::kCall);
  calendar.expiries = {testing::kDec, testing::kMar};
  EXPECT_EQ(Build(Strategy::kCalendar, calendar), "-1 #10 / +1 #15");
  StrategyParameters futures_calendar;
  futures_calendar.underlying = "ES";
  futures_calendar.expiries = {testing::kDec, testing::kMar};
  EXPECT_EQ(Build(Strategy::kCalendar, futures_calendar), "-1 #30 / +1 #31");
  StrategyParameters diagonal = Params({"450", "460"}, OptionRight::kCall);
  diagonal.expiries = {testing::kDec, testing::kMar};
  EXPECT_EQ(Build(Strategy::kDiagonal, diagonal), "-1 #10 / +1 #16");
  EXPECT_EQ(Build(Strategy::kStraddle, Params({"450"})), "+1 #10 / +1 #21");
  EXPECT_EQ(Build(Strategy::kStrangle, Params({"440", "460"})), "+1 #20 / +1 #11");
  EXPECT_EQ(Build(Strategy::kButterfly, Params({"450", "460", "470"}, OptionRight::kCall)),
            "+1 #10 / -2 #11 / +1 #12");
  EXPECT_EQ(Build(Strategy::kCondor, Params({"440", "450", "460", "470"}, OptionRight::kCall)),
            "+1 #9 / -1 #10 / -1 #11 / +1 #12");
  EXPECT_EQ(Build(Strategy::kIronCondor, Params({"440", "450", "460", "470"})),
            "+1 #20 / -1 #21 / -1 #11 / +1 #12");
  EXPECT_EQ(Build(Strategy::kIronButterfly, Params({"440", "450", "460"})),
            "+1 #20 / -1 #21 / -1 #10 / +1 #11");
  EXPECT_EQ(Build(Strategy::kCollar, Params({"440", "460"})), "+100 #1 / +1 #20 / -1 #11");
  EXPECT_EQ(Build(Strategy::kRiskReversal, Params({"440", "460"})), "+1 #11 / -1 #20");
  EXPECT_EQ(Build(Strategy::kConversion, Params({"450"})), "+100 #1 / +1 #21 / -1 #10");
  EXPECT_EQ(Build(Strategy::kReversal, Params({"450"})), "-100 #1 / -1 #21 / +1 #10");
  EXPECT_EQ(Build(Strategy::kSyntheticLong, Params({"450"})), "+1 #10 / -1 #21");
  EXPECT_EQ(Build(Strategy::kSyntheticShort, Params({"450"})), "-1 #10 / +1 #21");
  EXPECT_EQ(Build(Strategy::kBuyWrite, Params({"450"})), "+100 #1 / -1 #10");
  StrategyParameters ratio = Params({"450", "460"}, OptionRight::kCall);
  ratio.bought_ratio = 1;
  ratio.sold_ratio = 2;
  EXPECT_EQ(Build(Strategy::kRatioSpread, ratio), "+1 #10 / -2 #11");
}

TEST_F(StrategyTest, BuyWriteIsSeedExampleE3WithMultiplierOneHundred) {
  const absl::StatusOr<core::ComboSpec> spec =
      BuildStrategy(Strategy::kBuyWrite, Params({"450"}), catalog_);
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(*ComboMultiplier(*spec, catalog_), 100);
  StrategyParameters odd_lot = Params({"450"});
  odd_lot.shares = 50;
  EXPECT_EQ(Build(Strategy::kBuyWrite, odd_lot), "+50 #1 / -1 #10");
}

TEST_F(StrategyTest, ParameterErrorsSayWhatIsWrong) {
  auto error = [&](Strategy s, const StrategyParameters& p) { return Build(s, p); };
  EXPECT_EQ(error(Strategy::kVertical, Params({"450"}, OptionRight::kCall)),
            "vertical: needs 2 strikes {bought, sold}, got 1");
  EXPECT_EQ(error(Strategy::kVertical, Params({"450", "460"})),
            "vertical: needs an option right (call or put)");
  EXPECT_EQ(error(Strategy::kVertical, Params({"450", "450"}, OptionRight::kCall)),
            "vertical: the bought and sold strikes must differ");
  EXPECT_EQ(error(Strategy::kStraddle, Params({"450"}, OptionRight::kCall)),
            "straddle: takes no option right: its legs' rights are fixed by the strategy");
  EXPECT_EQ(error(Strategy::kStrangle, Params({"460", "440"})),
            "strangle: strikes must be strictly ascending (put strike below call strike); 460 "
            "is not below 440");
  EXPECT_EQ(error(Strategy::kButterfly, Params({"440", "450", "470"}, OptionRight::kCall)),
            "butterfly: wings must be equal: 10 below and 20 above");
  EXPECT_EQ(error(Strategy::kStraddle, Params({"455"})),
            "straddle: no SPY call expiring 2026-12-18 at strike 455 in the catalog");
  StrategyParameters calendar = Params({"450"}, OptionRight::kCall);
  calendar.expiries = {testing::kMar, testing::kDec};
  EXPECT_EQ(error(Strategy::kCalendar, calendar),
            "calendar: the near expiry 2027-03-19 must be before the far expiry 2026-12-18");
  calendar.expiries = {testing::kDec};
  EXPECT_EQ(error(Strategy::kCalendar, calendar), "calendar: needs 2 expiries {near, far}, got 1");
  StrategyParameters ratio = Params({"450", "460"}, OptionRight::kCall);
  EXPECT_EQ(error(Strategy::kRatioSpread, ratio),
            "ratio spread: needs the bought and sold ratios (e.g. 1 and 2)");
  ratio.bought_ratio = 2;
  ratio.sold_ratio = 2;
  EXPECT_EQ(error(Strategy::kRatioSpread, ratio),
            "ratio spread: the bought and sold ratios must differ (equal ratios: a vertical)");
  StrategyParameters with_ratio = Params({"450", "460"}, OptionRight::kCall);
  with_ratio.sold_ratio = 2;
  EXPECT_EQ(error(Strategy::kVertical, with_ratio),
            "vertical: takes no bought/sold ratios (only a ratio spread does)");
  StrategyParameters shares = Params({"450"});
  shares.shares = 100;
  EXPECT_EQ(error(Strategy::kStraddle, shares),
            "straddle: takes no share count: it has no stock leg");
  shares.shares = 0;
  EXPECT_EQ(error(Strategy::kBuyWrite, shares),
            "buy-write: shares per contract must be at least 1, got 0");
  StrategyParameters no_stock = Params({"450"});
  no_stock.underlying = "ES";
  EXPECT_EQ(error(Strategy::kBuyWrite, no_stock),
            "buy-write: no ES call expiring 2026-12-18 at strike 450 in the catalog");
  StrategyParameters nothing;
  EXPECT_EQ(error(Strategy::kStraddle, nothing), "straddle: needs an underlying");
  EXPECT_EQ(error(Strategy::kStraddle, Params({"-450"})), "straddle: strike -450 must be positive");
}

}  // namespace
}  // namespace combo::pricing

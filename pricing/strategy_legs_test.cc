#include "pricing/strategy_legs.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "pricing/test_market.h"

namespace combo::pricing {
namespace {

using core::Side;
using namespace testing;  // NOLINT: the test market's instrument ids

// A leg as a client names it: instrument, and ratio and side when given.
NamedLeg Leg(core::InstrumentId id, std::optional<int64_t> ratio = std::nullopt,
             std::optional<Side> side = std::nullopt) {
  return NamedLeg{id, ratio, side};
}

class StrategyLegsTest : public ::testing::Test {
 protected:
  // The matched legs as "+1 #10 / -2 #11", or the error's message.
  std::string Match(Strategy strategy, const std::vector<NamedLeg>& legs,
                    std::string_view underlying = "SPY") {
    const absl::StatusOr<core::ComboSpec> spec =
        MatchStrategy(strategy, underlying, legs, catalog_);
    if (!spec.ok()) return std::string(spec.status().message());
    return spec->ToString();
  }

  const core::InstrumentCatalog catalog_ = MakeCatalog();
};

TEST_F(StrategyLegsTest, R3TheTemplateCompletesRatiosAndSidesTheClientLeftOut) {
  EXPECT_EQ(Match(Strategy::kButterfly, {Leg(kC450), Leg(kC460), Leg(kC470)}),
            "+1 #10 / -2 #11 / +1 #12");
  // Legs in any order: the template's order comes back.
  EXPECT_EQ(Match(Strategy::kIronCondor, {Leg(kC470), Leg(kP440), Leg(kC460), Leg(kP450)}),
            "+1 #20 / -1 #21 / -1 #11 / +1 #12");
  EXPECT_EQ(Match(Strategy::kStraddle, {Leg(kP450), Leg(kC450)}), "+1 #10 / +1 #21");
  EXPECT_EQ(Match(Strategy::kRiskReversal, {Leg(kC460), Leg(kP440)}), "+1 #11 / -1 #20");
  // The stock leg's share count defaults to the option's multiplier.
  EXPECT_EQ(Match(Strategy::kBuyWrite, {Leg(kSpy), Leg(kC460)}), "+100 #1 / -1 #11");
  EXPECT_EQ(Match(Strategy::kCalendar, {Leg(kC450Mar), Leg(kC450)}), "-1 #10 / +1 #15");
  EXPECT_EQ(Match(Strategy::kCalendar, {Leg(kEsDec), Leg(kEsMar)}, "ES"), "-1 #30 / +1 #31");
  EXPECT_EQ(Match(Strategy::kDiagonal, {Leg(kC460Mar), Leg(kC450)}), "-1 #10 / +1 #16");
}

TEST_F(StrategyLegsTest, R3SidesAndRatiosGivenAreCheckedAndSoldFormsMirror) {
  // A vertical's sides say which strike is bought: a bear call spread buys the higher one.
  EXPECT_EQ(Match(Strategy::kVertical, {Leg(kC450, 1, Side::kSell), Leg(kC460, 1, Side::kBuy)}),
            "+1 #11 / -1 #10");
  // Without sides, the first leg given is the bought one.
  EXPECT_EQ(Match(Strategy::kVertical, {Leg(kC460), Leg(kC450)}), "+1 #11 / -1 #10");
  // A short butterfly: every side the template's opposite.
  EXPECT_EQ(Match(Strategy::kButterfly, {Leg(kC450, 1, Side::kSell), Leg(kC460, 2, Side::kBuy),
                                         Leg(kC470, 1, Side::kSell)}),
            "-1 #10 / +2 #11 / -1 #12");
  EXPECT_EQ(Match(Strategy::kRatioSpread, {Leg(kC450, 1, Side::kBuy), Leg(kC460, 2, Side::kSell)}),
            "+1 #10 / -2 #11");
  EXPECT_EQ(Match(Strategy::kCollar, {Leg(kSpy, 50), Leg(kP440), Leg(kC460)}),
            "+50 #1 / +1 #20 / -1 #11");
}

TEST_F(StrategyLegsTest, R3LegsThatDoNotFitTheTemplateAreRefusedWithTheReason) {
  EXPECT_EQ(Match(Strategy::kButterfly, {Leg(kC440), Leg(kC450), Leg(kC470)}),
            "butterfly: wings must be equal: 10 below and 20 above");
  EXPECT_EQ(Match(Strategy::kButterfly, {Leg(kC450), Leg(kC460, 1), Leg(kC470)}),
            "butterfly: leg 2 (SPY C 460 DEC) has ratio 1 where the butterfly has 2 (its legs: "
            "SPY C 450 DEC +1 / SPY C 460 DEC -2 / SPY C 470 DEC +1)");
  EXPECT_EQ(Match(Strategy::kButterfly, {Leg(kC450, 1, Side::kBuy), Leg(kC460, 2, Side::kBuy),
                                         Leg(kC470, 1, Side::kBuy)}),
            "butterfly: the legs' sides fit neither the bought nor the sold butterfly (its legs: "
            "SPY C 450 DEC +1 / SPY C 460 DEC -2 / SPY C 470 DEC +1)");
  EXPECT_EQ(Match(Strategy::kVertical, {Leg(kC450), Leg(kP460)}),
            "vertical: its option legs must all be calls or all be puts");
  EXPECT_EQ(Match(Strategy::kStraddle, {Leg(kC450), Leg(kP460)}),
            "straddle: needs 1 strike {K}, got 2");
  EXPECT_EQ(Match(Strategy::kBuyWrite, {Leg(kSpy), Leg(kC460), Leg(kC470)}),
            "buy-write: needs 1 strike {call strike}, got 2");
  EXPECT_EQ(Match(Strategy::kStraddle, {Leg(kC450), Leg(kP450), Leg(kSpy)}),
            "straddle: leg 3 (SPY) is not a leg of the straddle (its legs: SPY C 450 DEC +1 / "
            "SPY P 450 DEC +1)");
  EXPECT_EQ(Match(Strategy::kStraddle, {Leg(kC450), Leg(kC450)}),
            "straddle: leg 2 (SPY C 450 DEC) repeats leg 1");
  EXPECT_EQ(Match(Strategy::kStraddle, {Leg(kC450), Leg(kQqq)}),
            "straddle: leg 2 (QQQ) is not on SPY");
  EXPECT_EQ(Match(Strategy::kStraddle, {Leg(kC450)}, ""), "straddle: needs an underlying");
}

}  // namespace
}  // namespace combo::pricing

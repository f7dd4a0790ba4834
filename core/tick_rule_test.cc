#include "core/tick_rule.h"

#include <string>

#include "gtest/gtest.h"

namespace combo::core {
namespace {

Price P(std::string_view text) { return *Price::Parse(text); }

// A penny-pilot option class: 0.01 below 3.00, 0.05 from 3.00.
TickRule PennyPilot() { return *TickRule::Parse("0.01<3.00;0.05"); }

TEST(TickRule, ABoundaryBelongsToTheBandAboveIt) {
  const TickRule rule = PennyPilot();
  EXPECT_EQ(rule.TickAt(P("2.99")), P("0.01"));
  EXPECT_EQ(rule.TickAt(P("3.00")), P("0.05"));
  EXPECT_EQ(rule.TickAt(P("3.05")), P("0.05"));
  EXPECT_EQ(rule.TickAt(P("0")), P("0.01"));
}

TEST(TickRule, APriceIsOnTheTickOfTheBandThatHoldsIt) {
  const TickRule rule = PennyPilot();
  EXPECT_TRUE(rule.IsOnTick(P("2.97")));
  EXPECT_TRUE(rule.IsOnTick(P("2.99")));
  EXPECT_TRUE(rule.IsOnTick(P("3.00")));
  EXPECT_TRUE(rule.IsOnTick(P("3.05")));
  EXPECT_FALSE(rule.IsOnTick(P("3.02")));
  EXPECT_FALSE(rule.IsOnTick(P("3.01")));
  EXPECT_FALSE(rule.IsOnTick(P("2.995")));
}

TEST(TickRule, TheFirstBandReachesBelowZero) {
  const TickRule rule = PennyPilot();
  EXPECT_EQ(rule.TickAt(P("-5")), P("0.01"));
  EXPECT_TRUE(rule.IsOnTick(P("-0.03")));
  EXPECT_EQ(*rule.Round(P("-0.035"), RoundingMode::kDown), P("-0.04"));
}

TEST(TickRule, RoundsDownForBuysAndUpForSellsOnTheBandOfThePrice) {
  const TickRule rule = PennyPilot();
  EXPECT_EQ(*rule.Round(P("3.02"), RoundingMode::kDown), P("3.00"));
  EXPECT_EQ(*rule.Round(P("3.02"), RoundingMode::kUp), P("3.05"));
  EXPECT_EQ(*rule.Round(P("2.995"), RoundingMode::kDown), P("2.99"));
  // Rounding up from just below the boundary lands on it, not on 3.05.
  EXPECT_EQ(*rule.Round(P("2.995"), RoundingMode::kUp), P("3.00"));
  EXPECT_EQ(*rule.Round(P("3.05"), RoundingMode::kUp), P("3.05"));
  EXPECT_EQ(*rule.Round(P("3.05"), RoundingMode::kDown), P("3.05"));
}

TEST(TickRule, RoundsToTheNearestOnTheRule) {
  const TickRule rule = PennyPilot();
  EXPECT_EQ(*rule.Round(P("3.02"), RoundingMode::kHalfUp), P("3.00"));
  EXPECT_EQ(*rule.Round(P("3.03"), RoundingMode::kHalfUp), P("3.05"));
  EXPECT_EQ(*rule.Round(P("3.025"), RoundingMode::kHalfUp), P("3.05"));
  // 3.025 is halfway between 3.00 (60 ticks of 0.05, even) and 3.05.
  EXPECT_EQ(*rule.Round(P("3.025"), RoundingMode::kHalfEven), P("3.00"));
  EXPECT_EQ(*rule.Round(P("3.075"), RoundingMode::kHalfEven), P("3.10"));
  EXPECT_EQ(*rule.Round(P("3.02"), RoundingMode::kTowardZero), P("3.00"));
  EXPECT_EQ(*rule.Round(P("3.02"), RoundingMode::kAwayFromZero), P("3.05"));
  // A uniform rule rounds as Price::RoundToTick does.
  const TickRule cents = TickRule::Uniform(P("0.01"));
  for (const char* text : {"1.005", "1.015", "-1.005", "-1.015", "0.004"}) {
    for (RoundingMode mode :
         {RoundingMode::kDown, RoundingMode::kUp, RoundingMode::kTowardZero,
          RoundingMode::kAwayFromZero, RoundingMode::kHalfUp, RoundingMode::kHalfEven}) {
      EXPECT_EQ(*cents.Round(P(text), mode), *P(text).RoundToTick(P("0.01"), mode))
          << text << " " << ToString(mode);
    }
  }
}

TEST(TickRule, StepsOneTickAcrossABoundaryUpAndDown) {
  const TickRule rule = PennyPilot();
  EXPECT_EQ(*rule.NextAbove(P("2.99")), P("3.00"));
  EXPECT_EQ(*rule.NextAbove(P("3.00")), P("3.05"));
  EXPECT_EQ(*rule.NextBelow(P("3.05")), P("3.00"));
  EXPECT_EQ(*rule.NextBelow(P("3.00")), P("2.99"));
  // From a price off the rule: the nearest on-rule price strictly beyond it.
  EXPECT_EQ(*rule.NextAbove(P("3.02")), P("3.05"));
  EXPECT_EQ(*rule.NextBelow(P("3.02")), P("3.00"));
  EXPECT_EQ(*rule.NextAbove(P("2.995")), P("3.00"));
  EXPECT_EQ(*rule.NextBelow(P("2.995")), P("2.99"));
}

TEST(TickRule, RunsEndAtTheBoundary) {
  const TickRule rule = PennyPilot();
  const TickRun up = rule.RunAbove(P("2.95"));
  EXPECT_EQ(up.tick, P("0.01"));
  EXPECT_EQ(up.end, P("3.00"));
  const TickRun down = rule.RunBelow(P("3.00"));
  EXPECT_EQ(down.tick, P("0.01"));
  EXPECT_EQ(down.end, std::nullopt);
  const TickRun above = rule.RunAbove(P("3.00"));
  EXPECT_EQ(above.tick, P("0.05"));
  EXPECT_EQ(above.end, std::nullopt);
  const TickRun below = rule.RunBelow(P("3.10"));
  EXPECT_EQ(below.tick, P("0.05"));
  EXPECT_EQ(below.end, P("3.00"));
}

// Seed 001 R49 (EX-R7, EX-R8): 1/16 below 3, 1/8 from 3. One tick worse than a bid at 3 is
// 2 15/16; one tick worse than an offer at 3 1/2 is 3 5/8.
TEST(TickRule, Seed001R49SixteenthsBelowThreeEighthsFromThree) {
  const TickRule rule = *TickRule::Parse("0.0625<3;0.125");
  EXPECT_EQ(*rule.NextBelow(P("3")), P("2.9375"));
  EXPECT_EQ(*rule.NextAbove(P("3.5")), P("3.625"));
  EXPECT_EQ(*rule.NextAbove(P("2.9375")), P("3"));
  EXPECT_FALSE(rule.IsOnTick(P("3.0625")));
  EXPECT_EQ(rule.FinestTick(), P("0.0625"));
}

TEST(TickRule, TheFinestTickDividesEveryOnRulePrice) {
  EXPECT_EQ(PennyPilot().FinestTick(), P("0.01"));
  EXPECT_EQ(TickRule::Parse("0.02<3.00;0.03")->FinestTick(), P("0.01"));
  EXPECT_EQ(TickRule::Uniform(P("0.25")).FinestTick(), P("0.25"));
}

TEST(TickRule, TextFormRoundTrips) {
  EXPECT_EQ(PennyPilot().ToString(), "0.01<3;0.05");
  EXPECT_EQ(*TickRule::Parse(PennyPilot().ToString()), PennyPilot());
  EXPECT_EQ(*TickRule::Parse("0.25"), TickRule::Uniform(P("0.25")));
  EXPECT_TRUE(TickRule::Parse("0.25")->is_uniform());
  const TickRule shares = *TickRule::Parse("0.0001<1;0.01");
  EXPECT_EQ(shares.bands().size(), 2u);
  EXPECT_EQ(*TickRule::Parse("0.01<3;0.05<100;0.10"),
            *TickRule::Create(P("0.01"),
                              std::vector<TickBand>{{P("3"), P("0.05")}, {P("100"), P("0.10")}}));
}

std::string ParseError(std::string_view text) {
  absl::StatusOr<TickRule> rule = TickRule::Parse(text);
  return rule.ok() ? "accepted" : std::string(rule.status().message());
}

TEST(TickRule, RefusesBandsThatDoNotCoverEveryPrice) {
  EXPECT_NE(ParseError("0.01<3.00").find("do not cover prices from 3 up"), std::string::npos);
  EXPECT_NE(ParseError("0.01;0.05").find("has no upper boundary but is not the last"),
            std::string::npos);
  EXPECT_NE(ParseError("").find("empty tick rule"), std::string::npos);
}

TEST(TickRule, RefusesUnsortedBands) {
  EXPECT_NE(ParseError("0.01<5.00;0.05<3.00;0.10").find("ascending order"), std::string::npos);
  EXPECT_NE(ParseError("0.01<3.00;0.05<3.00;0.10").find("ascending order"), std::string::npos);
}

TEST(TickRule, RefusesABoundaryOffEitherBandsTick) {
  EXPECT_NE(ParseError("0.01<3.02;0.05").find("not on the ticks of both bands"), std::string::npos);
  EXPECT_NE(ParseError("0.05<3.01;0.01").find("not on the ticks of both bands"), std::string::npos);
}

TEST(TickRule, RefusesANonPriceOrANonPositiveTick) {
  EXPECT_NE(ParseError("abc").find("tick \"abc\" is not a price"), std::string::npos);
  EXPECT_NE(ParseError("0.01<x;0.05").find("boundary \"x\" is not a price"), std::string::npos);
  EXPECT_NE(ParseError("0").find("tick 0 is not positive"), std::string::npos);
  EXPECT_NE(ParseError("0.01<3;-0.05").find("not positive"), std::string::npos);
  EXPECT_FALSE(TickRule::Uniform(P("0")).Validate().ok());
}

}  // namespace
}  // namespace combo::core

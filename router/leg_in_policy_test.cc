#include "router/leg_in_policy.h"

#include "gtest/gtest.h"

namespace combo::router {
namespace {

TEST(LegInPolicyTest, DefaultsValidateAndFollowTheSeed) {
  LegInPolicy policy;
  EXPECT_TRUE(ValidateLegInPolicy(policy).ok());
  EXPECT_EQ(policy.mode, LegInMode::kAggressive);
  EXPECT_EQ(policy.failures_before_defensive, 3);    // R25's example
  EXPECT_EQ(policy.always_defensive_above_legs, 2);  // R26
  EXPECT_EQ(policy.defensive_ticks, 1);              // R25 decision
  ASSERT_EQ(policy.ranking.size(), 5u);
  EXPECT_EQ(policy.ranking.front(), LegRankKey::kDeskPreference);
}

TEST(LegInPolicyTest, RepeatedRankingKeyIsRefusedNamingIt) {
  LegInPolicy policy;
  policy.ranking = {LegRankKey::kVenueSpeed, LegRankKey::kVenueSpeed};
  absl::Status status = ValidateLegInPolicy(policy);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("venue_speed twice"), std::string_view::npos);
}

TEST(LegInPolicyTest, EachOutOfRangeFieldIsRefusedNamingTheField) {
  struct Case {
    const char* field;
    void (*breaks)(LegInPolicy&);
  };
  const Case cases[] = {
      {"ranking", [](LegInPolicy& p) { p.ranking.clear(); }},
      {"similar_delta_tolerance", [](LegInPolicy& p) { p.similar_delta_tolerance = -0.1; }},
      {"defensive_ticks", [](LegInPolicy& p) { p.defensive_ticks = 0; }},
      {"failures_before_defensive", [](LegInPolicy& p) { p.failures_before_defensive = -1; }},
      {"always_defensive_above_legs", [](LegInPolicy& p) { p.always_defensive_above_legs = -1; }},
      {"max_failures_per_order", [](LegInPolicy& p) { p.max_failures_per_order = -1; }},
      {"max_units_per_slice", [](LegInPolicy& p) { p.max_units_per_slice = core::Quantity(0); }},
      {"displayed_size_percent", [](LegInPolicy& p) { p.displayed_size_percent = 101; }},
      {"leg_timeout", [](LegInPolicy& p) { p.leg_timeout = core::Duration::Zero(); }},
      {"max_leg_resubmits", [](LegInPolicy& p) { p.max_leg_resubmits = -1; }},
      {"leg_resubmit_delay",
       [](LegInPolicy& p) { p.leg_resubmit_delay = core::Duration::Milliseconds(-1); }},
      {"max_leg_reroutes", [](LegInPolicy& p) { p.max_leg_reroutes = -1; }},
  };
  for (const Case& c : cases) {
    LegInPolicy policy;
    c.breaks(policy);
    absl::Status status = ValidateLegInPolicy(policy);
    EXPECT_FALSE(status.ok()) << c.field;
    EXPECT_NE(status.message().find(c.field), std::string_view::npos) << status.message();
  }
}

TEST(LegInPolicyTest, ConfigSpellingsRoundTripAndUnknownOnesListWhatIsAccepted) {
  for (LegRankKey key : LegInPolicy{}.ranking) {
    auto parsed = ParseLegRankKey(ToString(key));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, key);
  }
  EXPECT_EQ(*ParseLegInMode("defensive"), LegInMode::kDefensive);
  EXPECT_EQ(*ParseLegOrderType("ioc"), LegOrderType::kImmediateOrCancel);
  auto bad = ParseLegInMode("timid");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("aggressive or defensive"), std::string_view::npos);
  EXPECT_FALSE(ParseLegOrderType("fok").ok());
  EXPECT_FALSE(ParseLegRankKey("gamma").ok());
}

}  // namespace
}  // namespace combo::router

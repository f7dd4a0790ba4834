#include "router/leg_ranking.h"

#include <limits>
#include <vector>

#include "gtest/gtest.h"

namespace combo::router {
namespace {

TEST(LegRanking, DeskPreferenceGoesFirstAndUnlistedLegsLast) {
  LegInPolicy policy;
  std::vector<LegFacts> legs(3);
  legs[1].desk_preference = 0;
  legs[2].desk_preference = 1;
  EXPECT_EQ(RankLegs(policy, legs), (std::vector<size_t>{1, 2, 0}));
}

TEST(LegRanking, HighestAbsoluteDeltaGoesFirstWithoutADeskPreference) {
  LegInPolicy policy;
  std::vector<LegFacts> legs(2);
  legs[0].absolute_delta = 0.3;
  legs[1].absolute_delta = 0.8;
  EXPECT_EQ(RankLegs(policy, legs), (std::vector<size_t>{1, 0}));
}

TEST(LegRanking, SimilarDeltasAreDecidedByVenueSpeed) {
  LegInPolicy policy;
  policy.similar_delta_tolerance = 0.05;
  std::vector<LegFacts> legs(2);
  legs[0].absolute_delta = 0.52;
  legs[0].venue_latency = core::Duration::Milliseconds(5);
  legs[1].absolute_delta = 0.50;
  legs[1].venue_latency = core::Duration::Milliseconds(1);
  EXPECT_EQ(RankLegs(policy, legs), (std::vector<size_t>{1, 0}));
}

TEST(LegRanking, TightestDeltaAdjustedSpreadThenLowestRisk) {
  LegInPolicy policy;
  std::vector<LegFacts> legs(3);
  legs[0].delta_adjusted_spread = 0.2;
  legs[1].delta_adjusted_spread = 0.1;
  legs[2].delta_adjusted_spread = 0.1;
  legs[1].risk = 500;
  legs[2].risk = 100;
  EXPECT_EQ(RankLegs(policy, legs), (std::vector<size_t>{2, 1, 0}));
}

TEST(LegRanking, TheConfiguredKeyOrderDecides) {
  LegInPolicy policy;
  policy.ranking = {LegRankKey::kLowestRisk, LegRankKey::kHighestAbsoluteDelta};
  std::vector<LegFacts> legs(2);
  legs[0].absolute_delta = 1.0;
  legs[0].risk = 900;
  legs[1].absolute_delta = 0.2;
  legs[1].risk = 100;
  EXPECT_EQ(RankLegs(policy, legs), (std::vector<size_t>{1, 0}));
  policy.ranking = {LegRankKey::kHighestAbsoluteDelta, LegRankKey::kLowestRisk};
  EXPECT_EQ(RankLegs(policy, legs), (std::vector<size_t>{0, 1}));
}

TEST(LegRanking, FullTiesKeepTheCanonicalLegOrder) {
  LegInPolicy policy;
  std::vector<LegFacts> legs(4);
  legs[3].delta_adjusted_spread = std::numeric_limits<double>::infinity();
  EXPECT_EQ(RankLegs(policy, legs), (std::vector<size_t>{0, 1, 2, 3}));
}

}  // namespace
}  // namespace combo::router

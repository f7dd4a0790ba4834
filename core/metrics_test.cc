#include "core/metrics.h"

#include <string_view>

#include "gtest/gtest.h"
#include "prometheus/text_serializer.h"

namespace combo::core {
namespace {

enum class Outcome { kFilled, kFailed, kTimedOut };
std::string_view ToString(Outcome o) {
  switch (o) {
    case Outcome::kFilled:
      return "filled";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kTimedOut:
      return "timed_out";
  }
  return "unknown";
}

std::string Scrape(prometheus::Registry& registry) {
  return prometheus::TextSerializer().Serialize(registry.Collect());
}

TEST(Metrics, FamilyNamesStartWithComboAndCarryHelp) {
  prometheus::Registry registry;
  EXPECT_EQ(DeclareCounterFamily(registry, "legin_total", "Leg-ins.").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DeclareCounterFamily(registry, "combo_legin total", "Leg-ins.").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DeclareCounterFamily(registry, "combo_legin_total", "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(DeclareCounterFamily(registry, "combo_legin_total", "Leg-ins.").ok());
  EXPECT_TRUE(DeclareGaugeFamily(registry, "combo_exposure_units", "Open units.").ok());
  EXPECT_TRUE(DeclareHistogramFamily(registry, "combo_decision_seconds", "Latency.").ok());
}

TEST(Metrics, InvalidLabelNameIsAnErrorNotAnException) {
  prometheus::Registry registry;
  auto family = *DeclareCounterFamily(registry, "combo_rejects_total", "Rejects.");
  EXPECT_EQ(AddCounter(*family, {{"bad label", "x"}}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(AddCounter(*family, {{"reason", "off_tick"}}).ok());
}

TEST(Metrics, CountersByEnumBuildsEverySeriesOnceAndCountsByValue) {
  prometheus::Registry registry;
  auto family = *DeclareCounterFamily(registry, "combo_legin_outcomes_total", "Outcomes.");
  auto counters = CountersByEnum<Outcome>::Create(
      *family, "outcome", {Outcome::kFilled, Outcome::kFailed, Outcome::kTimedOut},
      {{"policy", "aggressive"}});
  ASSERT_TRUE(counters.ok());
  counters->Increment(Outcome::kFailed);
  counters->Increment(Outcome::kFailed);
  counters->Increment(Outcome::kFilled);
  EXPECT_EQ(counters->Value(Outcome::kFailed), 2.0);
  EXPECT_EQ(counters->Value(Outcome::kTimedOut), 0.0);
  const std::string text = Scrape(registry);
  EXPECT_NE(text.find("combo_legin_outcomes_total{outcome=\"failed\",policy=\"aggressive\"} 2"),
            std::string::npos)
      << text;
  // Series with zero are exported too, so dashboards see every reason from the start.
  EXPECT_NE(text.find("outcome=\"timed_out\""), std::string::npos);
}

TEST(Metrics, HistogramUsesTheGivenBuckets) {
  prometheus::Registry registry;
  auto family = *DeclareHistogramFamily(registry, "combo_decision_seconds", "Latency.");
  auto histogram = AddHistogram(*family, {}, {1e-6, 1e-5});
  ASSERT_TRUE(histogram.ok());
  (*histogram)->Observe(2e-6);
  const std::string text = Scrape(registry);
  EXPECT_NE(text.find("combo_decision_seconds_bucket{le=\"1e-05\"} 1"), std::string::npos) << text;
}

}  // namespace
}  // namespace combo::core

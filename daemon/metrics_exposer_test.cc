#include "daemon/metrics_exposer.h"

#include <memory>
#include <string>

#include "core/metrics.h"
#include "daemon/testing/scrape.h"
#include "gtest/gtest.h"

namespace combo::daemon {
namespace {

TEST(MetricsExposerTest, ServesTheRegistryOnAnEphemeralLoopbackPort) {
  auto registry = std::make_shared<prometheus::Registry>();
  auto family = core::DeclareCounterFamily(*registry, "combo_test_events_total", "Test events");
  ASSERT_TRUE(family.ok());
  auto counter = core::AddCounter(**family, {{"outcome", "ok"}});
  ASSERT_TRUE(counter.ok());
  (*counter)->Increment(3);

  auto exposer = MetricsExposer::Start("127.0.0.1", 0, registry);
  ASSERT_TRUE(exposer.ok()) << exposer.status();
  ASSERT_GT((*exposer)->port(), 0);
  EXPECT_EQ((*exposer)->url(),
            "http://127.0.0.1:" + std::to_string((*exposer)->port()) + "/metrics");

  absl::StatusOr<std::string> body = testing::HttpGet("127.0.0.1", (*exposer)->port(), "/metrics");
  ASSERT_TRUE(body.ok()) << body.status();
  auto families = testing::ParseExposition(*body);
  ASSERT_TRUE(families.ok()) << families.status() << "\n" << *body;
  // prometheus-cpp names a counter's family and samples as declared (with _total).
  ASSERT_TRUE(families->contains("combo_test_events_total"));
  const testing::ParsedFamily& parsed = families->at("combo_test_events_total");
  EXPECT_EQ(parsed.type, "counter");
  EXPECT_EQ(parsed.help, "Test events");
  EXPECT_EQ(testing::SumOf(*families, "combo_test_events_total", "combo_test_events_total",
                           {{"outcome", "ok"}}),
            3);
}

TEST(MetricsExposerTest, APortInUseIsAClearError) {
  auto registry = std::make_shared<prometheus::Registry>();
  auto first = MetricsExposer::Start("127.0.0.1", 0, registry);
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = MetricsExposer::Start("127.0.0.1", (*first)->port(), registry);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(std::string(second.status().message()).find("cannot listen on 127.0.0.1:"),
            std::string::npos)
      << second.status();
  EXPECT_FALSE(MetricsExposer::Start("127.0.0.1", 70000, registry).ok());
}

TEST(ExpositionParserTest, MalformedScrapesAreRefusedNamingTheLine) {
  EXPECT_FALSE(testing::ParseExposition("combo_x 1\n").ok());  // no TYPE first
  EXPECT_FALSE(testing::ParseExposition("# TYPE combo_x gauge\ncombo_x one\n").ok());
  EXPECT_FALSE(testing::ParseExposition("# TYPE combo_x gauge\ncombo_x{a=\"1\" 2\n").ok());
  auto parsed = testing::ParseExposition(
      "# HELP combo_h Help.\n# TYPE combo_h histogram\ncombo_h_bucket{le=\"+Inf\"} 2\n"
      "combo_h_sum 0.5\ncombo_h_count 2\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->at("combo_h").samples.size(), 3u);
}

}  // namespace
}  // namespace combo::daemon

#include "venues/market_sim/underlying_process.h"

#include <cmath>

#include "gtest/gtest.h"

namespace combo::venues::market_sim {
namespace {

UnderlyingProcessConfig Config() {
  UnderlyingProcessConfig config;
  config.underlying = "XYZ";
  config.initial_price = core::Price::FromParts(100, 0);
  config.volatility = 0.3;
  return config;
}

TEST(UnderlyingProcessTest, SameSeedGivesTheSamePath) {
  UnderlyingProcess a = UnderlyingProcess::Create(Config()).value();
  UnderlyingProcess b = UnderlyingProcess::Create(Config()).value();
  core::Rng rng_a(42);
  core::Rng rng_b(42);
  for (int i = 0; i < 1000; ++i) {
    a.Step(core::Duration::Milliseconds(100), rng_a);
    b.Step(core::Duration::Milliseconds(100), rng_b);
  }
  EXPECT_EQ(a.price(), b.price());
  EXPECT_NE(a.price(), 100.0);
}

TEST(UnderlyingProcessTest, ZeroVolatilityGrowsAtTheDrift) {
  UnderlyingProcessConfig config = Config();
  config.volatility = 0;
  config.drift = 0.1;
  UnderlyingProcess process = UnderlyingProcess::Create(config).value();
  core::Rng rng(1);
  // 36.5 days in steps of one day: exp(0.1 x 0.1).
  for (int i = 0; i < 73; ++i) process.Step(core::Duration::Seconds(43200), rng);
  EXPECT_NEAR(process.price(), 100 * std::exp(0.01), 1e-9);
}

TEST(UnderlyingProcessTest, JumpsArriveAtTheirIntensity) {
  UnderlyingProcessConfig config = Config();
  config.volatility = 0;
  config.jump_intensity = 365 * 24;  // one an hour
  config.jump_deviation = 0.01;
  UnderlyingProcess process = UnderlyingProcess::Create(config).value();
  core::Rng rng(7);
  int jumps = 0;
  for (int i = 0; i < 1000; ++i) jumps += process.Step(core::Duration::Seconds(360), rng);
  // 100 hours: about 100 jumps.
  EXPECT_GT(jumps, 70);
  EXPECT_LT(jumps, 130);
}

TEST(UnderlyingProcessTest, ScriptedJumpMultipliesThePrice) {
  UnderlyingProcess process = UnderlyingProcess::Create(Config()).value();
  process.Jump(std::log(1.1));
  EXPECT_NEAR(process.price(), 110.0, 1e-9);
}

TEST(UnderlyingProcessTest, BadConfigIsRejectedWithTheProblemNamed) {
  UnderlyingProcessConfig config = Config();
  config.initial_price = core::Price::Zero();
  EXPECT_NE(UnderlyingProcess::Create(config).status().message().find("initial price"),
            std::string_view::npos);
  config = Config();
  config.volatility = -0.1;
  EXPECT_NE(UnderlyingProcess::Create(config).status().message().find("volatility"),
            std::string_view::npos);
  config = Config();
  config.jump_intensity = -1;
  EXPECT_NE(UnderlyingProcess::Create(config).status().message().find("jump intensity"),
            std::string_view::npos);
  config = Config();
  config.underlying.clear();
  EXPECT_FALSE(UnderlyingProcess::Create(config).ok());
}

}  // namespace
}  // namespace combo::venues::market_sim

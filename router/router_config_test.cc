// RouterConfig validation and ComboRouter::Create's refusal of missing dependencies.
#include "router/router_config.h"

#include <string>

#include "gtest/gtest.h"
#include "router/combo_router.h"

namespace combo::router {
namespace {

std::string MessageOf(const absl::Status& status) { return std::string(status.message()); }

TEST(RouterConfig, DefaultsAreValid) {
  const RouterConfig config;
  EXPECT_TRUE(ValidateRouterConfig(config).ok());
  EXPECT_EQ(config.stability_wait, core::Duration::Seconds(1));
  EXPECT_EQ(config.cancel_timeout_with_legs_working, core::Duration::Seconds(5));
}

TEST(RouterConfig, NegativeStabilityWaitIsRejectedNamingTheField) {
  RouterConfig config;
  config.stability_wait = core::Duration::Milliseconds(-1);
  absl::Status status = ValidateRouterConfig(config);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(MessageOf(status).find("stability_wait"), std::string::npos) << status;
}

TEST(RouterConfig, NegativeCancelTimeoutIsRejectedNamingTheField) {
  RouterConfig config;
  config.cancel_timeout_with_legs_working = core::Duration::Seconds(-5);
  absl::Status status = ValidateRouterConfig(config);
  EXPECT_NE(MessageOf(status).find("cancel_timeout_with_legs_working"), std::string::npos)
      << status;
}

TEST(RouterConfig, NonPositiveComboTickIsRejected) {
  RouterConfig config;
  config.combo_tick = core::Price::Zero();
  EXPECT_NE(MessageOf(ValidateRouterConfig(config)).find("combo_tick"), std::string::npos);
}

TEST(RouterConfig, ZeroFirstOrderIdIsRejected) {
  RouterConfig config;
  config.first_order_id = 0;
  EXPECT_NE(MessageOf(ValidateRouterConfig(config)).find("first_order_id"), std::string::npos);
}

TEST(ComboRouterCreate, MissingDependencyIsRejectedNamingIt) {
  absl::StatusOr<std::unique_ptr<ComboRouter>> router =
      ComboRouter::Create(RouterConfig{}, RouterDependencies{});
  ASSERT_FALSE(router.ok());
  EXPECT_NE(MessageOf(router.status()).find("instruments is null"), std::string::npos)
      << router.status();
}

TEST(ComboRouterCreate, InvalidConfigIsRejectedBeforeDependencies) {
  RouterConfig config;
  config.stability_wait = core::Duration::Seconds(-1);
  absl::StatusOr<std::unique_ptr<ComboRouter>> router =
      ComboRouter::Create(config, RouterDependencies{});
  ASSERT_FALSE(router.ok());
  EXPECT_NE(MessageOf(router.status()).find("stability_wait"), std::string::npos);
}

TEST(RouterConfigValidation, ACalendarWithACloseOutsideTheDayIsRefused) {
  RouterConfig config;
  config.calendar = TradingCalendarConfig{};
  config.calendar->close = 24 * 3600;
  EXPECT_FALSE(ValidateRouterConfig(config).ok());
}

TEST(ComboOrderState, FinalStatesAreFilledCancelledRejected) {
  EXPECT_TRUE(IsFinal(ComboOrderState::kFilled));
  EXPECT_TRUE(IsFinal(ComboOrderState::kCancelled));
  EXPECT_TRUE(IsFinal(ComboOrderState::kRejected));
  EXPECT_FALSE(IsFinal(ComboOrderState::kPartiallyFilled));
  EXPECT_FALSE(IsFinal(ComboOrderState::kLeggingIn));
  EXPECT_EQ(ToString(ComboOrderState::kRestingNative), "resting_native");
}

}  // namespace
}  // namespace combo::router

// Resting traders: the checks of their config values (see resting_traders.h). The agent is in
// resting_trader_agent.h.
#include "venues/market_sim/resting_traders.h"

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"

namespace combo::venues::market_sim {

absl::Status ValidateRestingTraderValues(const RestingTraderConfig& config) {
  if (config.instruments.empty() && config.combos.empty()) {
    return absl::InvalidArgumentError("no instruments and no combos to work");
  }
  if (!(config.orders_per_second > 0 && config.orders_per_second <= 1e6 &&
        std::isfinite(config.orders_per_second))) {
    return absl::InvalidArgumentError(absl::StrCat("orders_per_second ", config.orders_per_second,
                                                   " is not above 0 and at most 1000000"));
  }
  if (config.min_offset_ticks < -kMaxRestingOffsetTicks ||
      config.max_offset_ticks > kMaxRestingOffsetTicks ||
      config.min_offset_ticks > config.max_offset_ticks) {
    return absl::InvalidArgumentError(absl::StrCat("offset [", config.min_offset_ticks, ", ",
                                                   config.max_offset_ticks,
                                                   "] ticks must satisfy -", kMaxRestingOffsetTicks,
                                                   " <= min <= max <= ", kMaxRestingOffsetTicks));
  }
  if (!config.min_quantity.is_positive() || config.max_quantity < config.min_quantity) {
    return absl::InvalidArgumentError(absl::StrCat("quantities [", config.min_quantity.value(),
                                                   ", ", config.max_quantity.value(),
                                                   "] must satisfy 1 <= min <= max"));
  }
  if (config.min_lifetime <= core::Duration::Zero() || config.max_lifetime < config.min_lifetime) {
    return absl::InvalidArgumentError(absl::StrCat("lifetime [", config.min_lifetime.ToString(),
                                                   ", ", config.max_lifetime.ToString(),
                                                   "] must satisfy 0 < min <= max"));
  }
  if (config.replace_percent < 0 || config.replace_percent > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("replace_percent ", config.replace_percent, " is not in 0..100"));
  }
  if (config.max_open_orders < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_open_orders ", config.max_open_orders, " is not at least 1"));
  }
  if (!config.net_tick.is_positive()) {
    return absl::InvalidArgumentError(
        absl::StrCat("net_tick ", config.net_tick.ToString(), " is not positive"));
  }
  for (auto [name, percent] : {std::pair{"block_percent", config.block_percent},
                               std::pair{"facilitation_percent", config.facilitation_percent}}) {
    if (percent < 0 || percent > 100) {
      return absl::InvalidArgumentError(absl::StrCat(name, " ", percent, " is not in 0..100"));
    }
  }
  if (!config.block_quantity.is_positive()) {
    return absl::InvalidArgumentError(
        absl::StrCat("block_quantity ", config.block_quantity.value(), " is not positive"));
  }
  if (config.block_percent > 0 && config.instruments.empty()) {
    return absl::InvalidArgumentError(
        "block_percent needs leg books (instruments): blocks are leg orders");
  }
  return absl::OkStatus();
}

}  // namespace combo::venues::market_sim

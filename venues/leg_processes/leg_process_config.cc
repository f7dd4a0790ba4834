#include "venues/leg_processes/leg_process_config.h"

#include "absl/strings/str_cat.h"

namespace combo::venues::leg_processes {

absl::Status ValidateLegProcessesConfig(const LegProcessesConfig& config) {
  if (absl::Status table = ValidateAwayMatchTable(config.away_market.table); !table.ok()) {
    return table;
  }
  if (config.fast_market.level_delays.size() != 5) {
    return absl::InvalidArgumentError(
        absl::StrCat("fast market: ", config.fast_market.level_delays.size(),
                     " level delays; levels 1 to 5 need five (level 6 is entered when called)"));
  }
  for (size_t i = 0; i < config.fast_market.level_delays.size(); ++i) {
    if (config.fast_market.level_delays[i] <= core::Duration::Zero()) {
      return absl::InvalidArgumentError(absl::StrCat("fast market: level ", i + 1, " delay ",
                                                     config.fast_market.level_delays[i].ToString(),
                                                     " is not positive"));
    }
  }
  if (const std::optional<AutomaticFastMarket>& automatic = config.fast_market.automatic;
      automatic.has_value()) {
    if (!config.fast_market.enabled) {
      return absl::InvalidArgumentError("fast market: automatic needs the fast-market process");
    }
    if (automatic->level < 1 || automatic->level > 5) {
      return absl::InvalidArgumentError(
          absl::StrCat("fast market: automatic level ", automatic->level, " is outside 1..5"));
    }
    if (automatic->interval <= core::Duration::Zero()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "fast market: automatic interval ", automatic->interval.ToString(), " is not positive"));
    }
  }
  if (config.opening.start_after.has_value() &&
      *config.opening.start_after < core::Duration::Zero()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "opening: start_after ", config.opening.start_after->ToString(), " is negative"));
  }
  if (!config.block.min_quantity.is_positive()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "block: min_quantity ", config.block.min_quantity.value(), " is not positive"));
  }
  if (config.block.response_window <= core::Duration::Zero()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "block: response_window ", config.block.response_window.ToString(), " is not positive"));
  }
  if (config.block.facilitation_percent < 0 || config.block.facilitation_percent > 100) {
    return absl::InvalidArgumentError(absl::StrCat(
        "block: facilitation_percent ", config.block.facilitation_percent, " is outside 0..100"));
  }
  if (config.farmm.decision_window <= core::Duration::Zero()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "farmm: decision_window ", config.farmm.decision_window.ToString(), " is not positive"));
  }
  return absl::OkStatus();
}

}  // namespace combo::venues::leg_processes

#include "router/leg_in_policy.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/status.h"

namespace combo::router {
namespace {

absl::Status FieldError(std::string_view field, std::string_view expected, std::string_view got) {
  return absl::InvalidArgumentError(absl::StrCat("leg_in policy ", core::AsAbsl(field),
                                                 ": expected ", core::AsAbsl(expected), ", got ",
                                                 core::AsAbsl(got)));
}

absl::Status NotNegative(std::string_view field, int64_t value) {
  if (value >= 0) return absl::OkStatus();
  return FieldError(field, "a count of 0 or more", std::to_string(value));
}

absl::Status NotNegative(std::string_view field, core::Duration value) {
  if (value >= core::Duration::Zero()) return absl::OkStatus();
  return FieldError(field, "a duration of 0 or more", value.ToString());
}

}  // namespace

absl::Status ValidateLegInPolicy(const LegInPolicy& policy) {
  if (policy.ranking.empty()) {
    return FieldError("ranking", "at least one ranking key", "an empty list");
  }
  std::set<LegRankKey> seen;
  for (LegRankKey key : policy.ranking) {
    if (!seen.insert(key).second) {
      return FieldError("ranking", "each key at most once",
                        absl::StrCat(core::AsAbsl(ToString(key)), " twice"));
    }
  }
  if (!(policy.similar_delta_tolerance >= 0.0 && policy.similar_delta_tolerance <= 1.0)) {
    return FieldError("similar_delta_tolerance", "a number from 0 to 1",
                      std::to_string(policy.similar_delta_tolerance));
  }
  if (policy.defensive_ticks < 1) {
    return FieldError("defensive_ticks", "at least 1 combo tick",
                      std::to_string(policy.defensive_ticks));
  }
  COMBO_RETURN_IF_ERROR(NotNegative("failures_before_defensive", policy.failures_before_defensive));
  COMBO_RETURN_IF_ERROR(
      NotNegative("always_defensive_above_legs", policy.always_defensive_above_legs));
  COMBO_RETURN_IF_ERROR(NotNegative("max_failures_per_order", policy.max_failures_per_order));
  if (!policy.max_units_per_slice.is_positive()) {
    return FieldError("max_units_per_slice", "at least 1 combo unit",
                      std::to_string(policy.max_units_per_slice.value()));
  }
  if (policy.displayed_size_percent < 1 || policy.displayed_size_percent > 100) {
    return FieldError("displayed_size_percent", "a percentage from 1 to 100",
                      std::to_string(policy.displayed_size_percent));
  }
  if (policy.leg_timeout <= core::Duration::Zero()) {
    return FieldError("leg_timeout", "a positive duration", policy.leg_timeout.ToString());
  }
  COMBO_RETURN_IF_ERROR(NotNegative("max_leg_resubmits", policy.max_leg_resubmits));
  COMBO_RETURN_IF_ERROR(NotNegative("leg_resubmit_delay", policy.leg_resubmit_delay));
  COMBO_RETURN_IF_ERROR(NotNegative("max_leg_reroutes", policy.max_leg_reroutes));
  return absl::OkStatus();
}

std::string_view ToString(LegInMode mode) {
  switch (mode) {
    case LegInMode::kAggressive:
      return "aggressive";
    case LegInMode::kDefensive:
      return "defensive";
  }
  return "unknown";
}

std::string_view ToString(LegRankKey key) {
  switch (key) {
    case LegRankKey::kDeskPreference:
      return "desk_preference";
    case LegRankKey::kHighestAbsoluteDelta:
      return "highest_absolute_delta";
    case LegRankKey::kVenueSpeed:
      return "venue_speed";
    case LegRankKey::kDeltaAdjustedSpread:
      return "delta_adjusted_spread";
    case LegRankKey::kLowestRisk:
      return "lowest_risk";
  }
  return "unknown";
}

std::string_view ToString(LegOrderType type) {
  switch (type) {
    case LegOrderType::kImmediateOrCancel:
      return "ioc";
    case LegOrderType::kLimit:
      return "limit";
  }
  return "unknown";
}

absl::StatusOr<LegInMode> ParseLegInMode(std::string_view text) {
  for (LegInMode mode : {LegInMode::kAggressive, LegInMode::kDefensive}) {
    if (text == ToString(mode)) return mode;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown leg-in mode \"", core::AsAbsl(text),
                                                 "\"; expected aggressive or defensive"));
}

absl::StatusOr<LegRankKey> ParseLegRankKey(std::string_view text) {
  for (LegRankKey key :
       {LegRankKey::kDeskPreference, LegRankKey::kHighestAbsoluteDelta, LegRankKey::kVenueSpeed,
        LegRankKey::kDeltaAdjustedSpread, LegRankKey::kLowestRisk}) {
    if (text == ToString(key)) return key;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown leg ranking key \"", core::AsAbsl(text),
                   "\"; expected desk_preference, highest_absolute_delta, venue_speed, "
                   "delta_adjusted_spread or lowest_risk"));
}

absl::StatusOr<LegOrderType> ParseLegOrderType(std::string_view text) {
  for (LegOrderType type : {LegOrderType::kImmediateOrCancel, LegOrderType::kLimit}) {
    if (text == ToString(type)) return type;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown leg order type \"", core::AsAbsl(text), "\"; expected ioc or limit"));
}

}  // namespace combo::router

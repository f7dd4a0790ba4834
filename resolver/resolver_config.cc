#include "resolver/resolver_config.h"

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"

namespace combo::resolver {

int64_t ActionSettings::BandTicksAt(core::Duration age, core::Duration horizon) const {
  if (age <= core::Duration::Zero() || max_band_ticks <= band_ticks) return band_ticks;
  if (age >= horizon) return max_band_ticks;
  // Exact: nanoseconds x ticks stays far inside 128 bits.
  const absl::int128 widened =
      absl::int128(max_band_ticks - band_ticks) * age.nanoseconds() / horizon.nanoseconds();
  return band_ticks + static_cast<int64_t>(widened);
}

absl::Status ResolverConfig::Validate() const {
  if (interval <= core::Duration::Zero()) {
    return absl::InvalidArgumentError(
        absl::StrCat("resolver interval must be positive, not ", interval.ToString()));
  }
  if (horizon < interval) {
    return absl::InvalidArgumentError(absl::StrCat("resolver horizon (", horizon.ToString(),
                                                   ") must be at least its interval (",
                                                   interval.ToString(), ")"));
  }
  for (const auto& [name, band] : {std::pair<const char*, int64_t>{"complete", complete.band_ticks},
                                   {"unwind", unwind.band_ticks},
                                   {"hedge", hedge.band_ticks}}) {
    if (band < 0 || band > 1000) {
      return absl::InvalidArgumentError(
          absl::StrCat("resolver ", name, " band_ticks must be in [0, 1000], not ", band));
    }
  }
  for (const auto& [name, action] :
       {std::pair<const char*, const ActionSettings*>{"complete", &complete},
        {"unwind", &unwind}}) {
    if (action->max_band_ticks < action->band_ticks || action->max_band_ticks > 1000) {
      return absl::InvalidArgumentError(
          absl::StrCat("resolver ", name, " max_band_ticks must be in [band_ticks (",
                       action->band_ticks, "), 1000], not ", action->max_band_ticks));
    }
  }
  if (hedge.min_delta_shares < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "resolver hedge min_delta_shares must be at least 1, not ", hedge.min_delta_shares));
  }
  if (completion_probability_bps < 0 || completion_probability_bps > 10000) {
    return absl::InvalidArgumentError(
        absl::StrCat("resolver completion_probability_bps must be in [0, 10000], not ",
                     completion_probability_bps));
  }
  if (adverse_move_bps < 0 || adverse_move_bps > 10000) {
    return absl::InvalidArgumentError(
        absl::StrCat("resolver adverse_move_bps must be in [0, 10000], not ", adverse_move_bps));
  }
  if (max_order_quantity.value() < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "resolver max_order_quantity must not be negative: ", max_order_quantity.value()));
  }
  if (max_action_cost.is_negative()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "resolver max_action_cost must not be negative: ", max_action_cost.ToString()));
  }
  return absl::OkStatus();
}

}  // namespace combo::resolver

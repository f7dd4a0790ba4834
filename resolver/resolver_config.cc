#include "resolver/resolver_config.h"

#include "absl/strings/str_cat.h"

namespace combo::resolver {

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

// MarketMakerRules: validation and the rules' arithmetic (see market_maker_rules.h).
#include "venues/market_maker_rules.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::venues {

absl::Status ValidateMarketMakerRules(const MarketMakerRules& rules) {
  if (rules.minimum_market_size.value() < 0) {
    return absl::InvalidArgumentError(absl::StrCat("minimum market size ",
                                                   rules.minimum_market_size.value(),
                                                   " is negative (R32; zero turns it off)"));
  }
  if (rules.step_up_budget.value() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("step-up budget ", rules.step_up_budget.value(), " is negative (R43)"));
  }
  if (rules.professional_band_ticks < 0) {
    return absl::InvalidArgumentError(absl::StrCat("professional band ",
                                                   rules.professional_band_ticks,
                                                   " ticks is negative (R35; zero turns it off)"));
  }
  for (const auto& [availability, what] :
       {std::pair{&rules.professional_availability, std::string_view("professional")},
        std::pair{&rules.farmm_availability, std::string_view("farmm")}}) {
    if (!availability->has_value()) continue;
    if ((*availability)->percent < 0 || (*availability)->percent > 100) {
      return absl::InvalidArgumentError(absl::StrCat(core::AsAbsl(what), " availability ",
                                                     (*availability)->percent,
                                                     "% is outside 0..100 (R39)"));
    }
    if ((*availability)->absolute.value() < 0) {
      return absl::InvalidArgumentError(absl::StrCat(core::AsAbsl(what), " availability of ",
                                                     (*availability)->absolute.value(),
                                                     " contracts is negative (R39)"));
    }
  }
  for (size_t i = 0; i < rules.tick_worse_sizes.size(); ++i) {
    if (rules.tick_worse_sizes[i].value() < 0) {
      return absl::InvalidArgumentError(absl::StrCat("tick-worse size ",
                                                     rules.tick_worse_sizes[i].value(), " at ",
                                                     i + 1, " ticks worse is negative (R42)"));
    }
  }
  if (!rules.tick_worse_sizes.empty() &&
      std::none_of(rules.tick_worse_sizes.begin(), rules.tick_worse_sizes.end(),
                   [](core::Quantity size) { return size.is_positive(); })) {
    return absl::InvalidArgumentError(
        "the tick-worse table has no positive size (R42; leave it empty to turn tick-worse off)");
  }
  for (size_t i = 0; i < rules.derive_matrix.size(); ++i) {
    const DeriveRow& row = rules.derive_matrix[i];
    if (!row.improvement.is_positive() || row.size.value() < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "derive matrix row ", i + 1, " (improvement ", row.improvement.ToString(), ", size ",
          row.size.value(), ") needs a positive improvement and a size not negative (R34)"));
    }
    if (i > 0 && row.improvement <= rules.derive_matrix[i - 1].improvement) {
      return absl::InvalidArgumentError(
          absl::StrCat("derive matrix row ", i + 1, " improvement ", row.improvement.ToString(),
                       " is not above the previous row's (R34: rows by increasing improvement)"));
    }
  }
  if (rules.quote_match_delay.nanoseconds() < 0) {
    return absl::InvalidArgumentError("the quote match delay is negative (R41; zero turns it off)");
  }
  if (!rules.derive_matrix.empty() && !rules.minimum_market_size.is_positive()) {
    return absl::InvalidArgumentError(
        "a derive matrix needs a minimum market size (R34 derives up to X)");
  }
  return absl::OkStatus();
}

core::Quantity DeriveLimit(const MarketMakerRules& rules, core::Price improvement) {
  for (const DeriveRow& row : rules.derive_matrix) {
    if (improvement <= row.improvement) return row.size;
  }
  return core::Quantity(0);
}

core::Quantity AvailableSize(const QuoteAvailability& availability, core::Quantity quote_size) {
  // Rounded down: a quote never makes more available than the percentage allows.
  const int64_t by_percent = quote_size.value() * availability.percent / 100;
  return core::Quantity(std::min(by_percent, availability.absolute.value()));
}

std::optional<TickWorseStep> NextTickWorse(const MarketMakerRules& rules,
                                           const core::TickRule& tick_rule, core::Side side,
                                           core::Price price, int32_t levels_used) {
  core::Price next = price;
  for (size_t level = static_cast<size_t>(levels_used); level < rules.tick_worse_sizes.size();
       ++level) {
    // One tick worse per level, in the tick of the band the quote is moving into.
    absl::StatusOr<core::Price> step =
        side == core::Side::kBuy ? tick_rule.NextBelow(next) : tick_rule.NextAbove(next);
    if (!step.ok()) return std::nullopt;
    next = *step;
    if (side == core::Side::kBuy && !next.is_positive()) return std::nullopt;
    // E-R5 [design]: a level of zero contracts is skipped, the quote moving one tick further.
    if (rules.tick_worse_sizes[level].is_positive()) {
      return TickWorseStep{next, rules.tick_worse_sizes[level], static_cast<int32_t>(level + 1)};
    }
  }
  return std::nullopt;
}

}  // namespace combo::venues

#include "venues/leg_processes/away_market.h"

#include "absl/strings/str_cat.h"

namespace combo::venues::leg_processes {

std::vector<AwayMatchRow> SeedAwayMatchTable() {
  // 1/16 steps: .0625 .1250 .1875 .2500 .3125 .3750 .4375.
  const int64_t sizes[] = {15, 10, 5, 2, 1, 1, 0};
  std::vector<AwayMatchRow> table;
  for (int64_t i = 0; i < 7; ++i) {
    table.push_back({core::Price::FromParts(0, 62'500'000 * (i + 1)), core::Quantity(sizes[i])});
  }
  return table;
}

absl::Status ValidateAwayMatchTable(std::span<const AwayMatchRow> table) {
  for (size_t i = 0; i < table.size(); ++i) {
    if (table[i].difference <= core::Price()) {
      return absl::InvalidArgumentError(
          absl::StrCat("away-market table row ", i + 1, ": difference ",
                       table[i].difference.ToString(), " is not positive"));
    }
    if (table[i].size.value() < 0) {
      return absl::InvalidArgumentError(absl::StrCat("away-market table row ", i + 1, ": size ",
                                                     table[i].size.value(), " is negative"));
    }
    if (i > 0 && table[i].difference <= table[i - 1].difference) {
      return absl::InvalidArgumentError(
          absl::StrCat("away-market table row ", i + 1, ": difference ",
                       table[i].difference.ToString(), " is not above the row before"));
    }
  }
  return absl::OkStatus();
}

core::Quantity AwayMatchSize(std::span<const AwayMatchRow> table, core::Price difference) {
  for (const AwayMatchRow& row : table) {
    if (difference <= row.difference) return row.size;
  }
  return core::Quantity::Zero();
}

bool AwayIsBetter(core::Side side, core::Price venue_contra, std::optional<core::Price> away) {
  if (!away.has_value()) return false;
  return side == core::Side::kBuy ? *away < venue_contra : *away > venue_contra;
}

}  // namespace combo::venues::leg_processes

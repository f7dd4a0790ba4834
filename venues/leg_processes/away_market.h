// AwayMarket: the away-market rules of seed 001 Part A for public customer orders (R28, R45,
// Table XI): whether another market shows a better price than the venue's best, and how many
// contracts the primary market maker matches automatically at that better price.
//
// "Better" compares the venue's best contra price with the away market's (the consolidated
// market of other venues, the "OPRA" BBO): for a buy, a lower away offer; for a sell, a higher
// away bid. The primary market maker's matching table (Table XI) maps the difference between its
// own quote and the away price to a size: the first row whose bound the difference does not
// exceed; beyond the last row, nothing. An order smaller than that size trades against the
// primary market maker at the away price (S348); otherwise the primary market maker is alerted
// (S346) and the order is stored hidden (R44).
//
// Pure functions; exact arithmetic. Thread-compatible.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/side.h"

namespace combo::venues::leg_processes {

// One row of the matching table: up to `difference`, the primary market maker matches `size`.
struct AwayMatchRow {
  core::Price difference;
  core::Quantity size;
};

// Seed 001 Table XI.
std::vector<AwayMatchRow> SeedAwayMatchTable();

// Rows strictly increasing in difference, differences positive, sizes not negative.
absl::Status ValidateAwayMatchTable(std::span<const AwayMatchRow> table);

// The size the primary market maker matches when the away market is better by `difference`.
core::Quantity AwayMatchSize(std::span<const AwayMatchRow> table, core::Price difference);

// R28: whether the away price is better for an order on `side` than the venue's best contra
// price (a lower offer for a buy, a higher bid for a sell). No away price: not better.
bool AwayIsBetter(core::Side side, core::Price venue_contra, std::optional<core::Price> away);

}  // namespace combo::venues::leg_processes

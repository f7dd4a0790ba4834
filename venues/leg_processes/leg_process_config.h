// LegProcessesConfig: the per-venue switches and parameters of seed 001 Part A's market-wide
// leg-book processes (docs/VENUES.md "Seed-001 leg-book processes"): the away-market process
// with hidden orders (R28, R44, R45), the fast market (R46), the opening rotation (R47) and
// block / facilitation orders (R48) and the FARMM process (R40). Each is off unless enabled. Plain
// values: no thread-safety concerns.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "core/ids.h"
#include "core/quantity.h"
#include "core/time.h"
#include "venues/leg_processes/away_market.h"

namespace combo::venues::leg_processes {

// R28 / R45: public customer orders are checked against the venue's third-party market (the
// consolidated market of the AOP source venues), which this process needs.
struct AwayMarketConfig {
  bool enabled = false;
  // The primary market maker's matching table (Table XI by default).
  std::vector<AwayMatchRow> table = SeedAwayMatchTable();
};

// R46's automatic fast market: "when the primary market for the underlying stock indicates a
// fast market, the exchange automatically sets a fast market condition for a predetermined time
// interval". The primary market is another venue; its fast market in the underlying (a
// SeriesStatusChanged in its market data) sets one at `level` in every series of that underlying
// here, ended after `interval` unless the primary market signals again.
struct AutomaticFastMarket {
  core::VenueId primary_market;
  // 1..5 (Table XII).
  int level = 1;
  core::Duration interval = core::Duration::Seconds(60);
};

// R46: the fast market an exchange sets per series, with Table XII's delay per level.
struct FastMarketConfig {
  bool enabled = false;
  // Levels 1..5 (Table XII: 20, 30, 40, 50, 60 seconds); level 6 takes the seconds the exchange
  // enters when it calls the fast market.
  std::vector<core::Duration> level_delays = {
      core::Duration::Seconds(20), core::Duration::Seconds(30), core::Duration::Seconds(40),
      core::Duration::Seconds(50), core::Duration::Seconds(60)};
  // Set automatically from the underlying's primary market; nullopt: only the exchange sets it.
  std::optional<AutomaticFastMarket> automatic;
};

// R47: every series starts closed and accumulates orders until its opening rotation completes.
struct OpeningConfig {
  bool enabled = false;
  // The primary market maker's start of the rotation this long after the venue is created;
  // nullopt: only SimulatedVenue::StartOpening starts it.
  std::optional<core::Duration> start_after;
};

// R48: block and facilitation orders.
struct BlockConfig {
  bool enabled = false;
  // The smallest order the block process takes.
  core::Quantity min_quantity = core::Quantity(50);
  // M: how long responses are collected.
  core::Duration response_window = core::Duration::Seconds(30);
  // The percentage of a facilitation order's original size its entering member takes first.
  int64_t facilitation_percent = 40;
};

// R40: FARMM orders (role farmm) are held apart from the book and the primary market maker
// decides: to bid / offer matching, or it executes them itself. Without it a FARMM order is an
// ordinary professional order, limited only by R39's FARMM availability.
struct FarmmConfig {
  bool enabled = false;
  // How long the primary market maker has to decide; then the order goes to matching.
  core::Duration decision_window = core::Duration::Seconds(5);
};

struct LegProcessesConfig {
  AwayMarketConfig away_market;
  FastMarketConfig fast_market;
  OpeningConfig opening;
  BlockConfig block;
  FarmmConfig farmm;
};

// Each value usable: a valid matching table, five positive level delays, a non-negative opening
// start, a positive block minimum and window, a facilitation percentage within 0..100, a positive
// FARMM decision window, an automatic fast market at level 1..5 for a positive interval.
absl::Status ValidateLegProcessesConfig(const LegProcessesConfig& config);

}  // namespace combo::venues::leg_processes

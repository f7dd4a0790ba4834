// Strategy templates: a ComboSpec from a strategy name and its parameters (seed 003 R3), so the
// FIX gateway and combo-client can ask for "iron condor on SPY" instead of listing legs.
//
// Each template finds its legs in the InstrumentCatalog (options by underlying, right, expiry
// and strike; the stock or ETF whose symbol is the underlying; futures by underlying and
// expiry), checks its parameters and says what is wrong when they do not fit. The legs come out
// in the order the template describes, for the long (bought) form of the strategy; sell the
// combo for the short form. Stateless functions; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "core/combo_spec.h"
#include "core/instrument.h"
#include "core/instrument_catalog.h"
#include "core/price.h"

namespace combo::pricing {

// Bought form of each (strikes ascending unless said otherwise; C call, P put, S stock):
enum class Strategy : uint8_t {
  kVertical,        // right; strikes {bought, sold}: +1 K1, -1 K2
  kCalendar,        // expiries {near, far}: -1 near, +1 far; options: right, strikes {K};
                    // futures: no right and no strike
  kDiagonal,        // right; strikes {near, far} (different); expiries {near, far}
  kStraddle,        // strikes {K}: +1 C K, +1 P K
  kStrangle,        // strikes {put, call}, put < call: +1 P, +1 C
  kButterfly,       // right; strikes {K1, K2, K3}, equal wings: +1 K1, -2 K2, +1 K3
  kCondor,          // right; strikes {K1..K4}, equal wings: +1 K1, -1 K2, -1 K3, +1 K4
  kIronCondor,      // strikes {K1..K4}: +1 P K1, -1 P K2, -1 C K3, +1 C K4
  kIronButterfly,   // strikes {K1, K2, K3}, equal wings: +1 P K1, -1 P K2, -1 C K2, +1 C K3
  kCollar,          // strikes {put, call}, put < call: +shares S, +1 P, -1 C
  kRiskReversal,    // strikes {put, call}, put < call: +1 C, -1 P
  kConversion,      // strikes {K}: +shares S, +1 P K, -1 C K
  kReversal,        // strikes {K}: -shares S, -1 P K, +1 C K
  kSyntheticLong,   // strikes {K}: +1 C K, -1 P K
  kSyntheticShort,  // strikes {K}: -1 C K, +1 P K
  kBuyWrite,        // strikes {K}: +shares S, -1 C K
  kRatioSpread,     // right; strikes {bought, sold}; ratios {bought, sold}, different
};

// "iron condor", "iron_condor", "Iron-Condor" and "ironcondor" all name kIronCondor.
absl::StatusOr<Strategy> ParseStrategy(std::string_view name);
std::string_view ToString(Strategy strategy);
// Its parameters and the legs of its bought form: "right; strikes {bought, sold}: +1 K1, -1 K2".
std::string_view DescribeShape(Strategy strategy);
// Every strategy, in enum order.
const std::vector<Strategy>& AllStrategies();

struct StrategyParameters {
  std::string underlying;
  // Required by the single-right strategies (vertical, calendar of options, diagonal,
  // butterfly, condor, ratio spread); refused by the others.
  std::optional<core::OptionRight> right;
  std::vector<core::Price> strikes;
  // One expiry, or {near, far} for calendar and diagonal.
  std::vector<absl::CivilDay> expiries;
  // Shares per option contract in strategies with a stock leg; default the option's multiplier.
  std::optional<int64_t> shares;
  // Ratio spread only: contracts bought and sold per unit, e.g. 1 and 2.
  std::optional<int64_t> bought_ratio;
  std::optional<int64_t> sold_ratio;
};

absl::StatusOr<core::ComboSpec> BuildStrategy(Strategy strategy,
                                              const StrategyParameters& parameters,
                                              const core::InstrumentCatalog& catalog);

}  // namespace combo::pricing

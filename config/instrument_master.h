// InstrumentMaster: reading an instrument master file, the CSV exchanges and data vendors publish
// with one row per listed contract, into validated instruments (docs/OPERATIONS.md "Instrument
// master file").
//
// The first line that is not blank and not a '#' comment is the header, naming the columns in
// any order: id, symbol, asset_class, underlying, expiry, strike, right, multiplier, tick (a single
// tick or a rule of price bands, "0.01<3.00;0.05": core/tick_rule.h) and venues (id and asset_class
// are required; the others may be absent or empty where the asset class does not need them). Fields
// may be quoted ("..." with "" for a quote). Validation is as strict as the YAML config's: every
// problem of the file is reported at once, each as
//   instruments/demo.csv:12:24: strike: expected a positive price such as 430 or 432.5, got "x"
// (file, line, column of the field, the column's name, what was expected).
//
// A row whose last trading day (an option's expiry, a future's when given) is before `today` is
// expired: it is validated like any other but comes back marked, to be kept out of trading.
//
// Stateless functions; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/civil_time.h"
#include "core/instrument.h"

namespace combo::config {

// A venue a row names in its `venues` column, and where.
struct MasterVenueName {
  std::string name;
  int line = 0;
  int column = 0;
};

// One valid row of the file.
struct MasterRow {
  int line = 0;
  core::Instrument instrument;
  // The venues that list it (the `venues` column, ';'-separated), in the row's order.
  std::vector<MasterVenueName> venues;
  bool expired = false;
};

// `file` names the text in errors. Rows with an error are left out; `errors` receives one line
// per problem (a row may have several). `today` absent: no row is expired.
std::vector<MasterRow> ParseInstrumentMaster(std::string_view text, const std::string& file,
                                             std::optional<absl::CivilDay> today,
                                             std::vector<std::string>* errors);

// The conventional option symbol ("SPY 20261218 C 450", "SPY 20261218 P 452.5"), as the
// combo-client notation and the YAML instruments list write it.
std::string OptionSymbol(std::string_view underlying, const core::OptionTerms& terms);

}  // namespace combo::config

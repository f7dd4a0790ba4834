// Strategy templates from the legs a client names (seed 003 R3 over FIX: a
// SecurityDefinitionRequest with SecuritySubType(762) naming the strategy, Symbol(55) its
// underlying, and the legs' instruments in NoLegs). The template's parameters (right, strikes,
// expiries, ratios, share count) are read off the legs' instruments, the template is built
// (pricing/strategy.h), and the legs given must be exactly its legs: the same instruments, each
// once, with the template's ratios and sides where the client gave them. Ratios and sides the
// client left out are completed from the template. Sides that are all the template's opposite
// ask for its sold form (a short butterfly). Stateless functions; safe from any thread.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/combo_spec.h"
#include "core/ids.h"
#include "core/instrument_catalog.h"
#include "core/side.h"
#include "pricing/strategy.h"

namespace combo::pricing {

// One leg of a template request: its instrument, and the ratio and side when the client gave
// them.
struct NamedLeg {
  core::InstrumentId instrument;
  std::optional<int64_t> ratio;
  std::optional<core::Side> side;
};

// The template's legs, in the template's order (pricing/strategy.h), mirrored when the sides
// given ask for its sold form. Fails, naming the strategy and the leg, when an instrument is
// not on `underlying`, the parameters read off the legs do not fit the template (its own
// message: "butterfly: wings must be equal: 10 below and 20 above"), a leg is not one of the
// template's, one of its legs is missing, or a ratio or side differs from it.
absl::StatusOr<core::ComboSpec> MatchStrategy(Strategy strategy, std::string_view underlying,
                                              const std::vector<NamedLeg>& legs,
                                              const core::InstrumentCatalog& catalog);

}  // namespace combo::pricing

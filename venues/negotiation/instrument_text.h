// What an offer trades, named in the protocol's instrument field: a listed instrument by its
// symbol ("IBM"), or a whole combo in brackets ("[SPY C450 +1 / SPY C460 -1]", the notation of
// core::ParseComboText).
//
// Two texts name the same tradable when they resolve to the same instrument, or to the same
// combo legs in any order (same sides and ratios). Immutable value types; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "core/combo_spec.h"
#include "core/ids.h"
#include "core/instrument_catalog.h"

namespace combo::venues::negotiation {

struct Tradable {
  // Exactly one is set.
  std::optional<core::InstrumentId> instrument;
  // Legs sorted by instrument, sides and ratios as written.
  std::optional<core::ComboSpec> combo;

  friend bool operator==(const Tradable&, const Tradable&) = default;
};

// Resolves an instrument field against the catalog; the error names the unknown symbol or the
// malformed combo.
absl::StatusOr<Tradable> ResolveInstrument(std::string_view text,
                                           const core::InstrumentCatalog& catalog);

// The instrument field for a listed instrument, or a combo (legs in the order given).
absl::StatusOr<std::string> InstrumentText(core::InstrumentId instrument,
                                           const core::InstrumentCatalog& catalog);
absl::StatusOr<std::string> ComboText(const core::ComboSpec& combo,
                                      const core::InstrumentCatalog& catalog);

}  // namespace combo::venues::negotiation

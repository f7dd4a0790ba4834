#include "venues/negotiation/instrument_text.h"

#include <algorithm>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/status.h"

namespace combo::venues::negotiation {

using core::AsAbsl;

absl::StatusOr<Tradable> ResolveInstrument(std::string_view text,
                                           const core::InstrumentCatalog& catalog) {
  Tradable tradable;
  if (!text.empty() && text.front() == '[') {
    if (text.size() < 2 || text.back() != ']') {
      return absl::InvalidArgumentError(
          absl::StrCat("combo \"", AsAbsl(text), "\" must end with ']'"));
    }
    absl::StatusOr<core::ComboSpec> spec =
        core::ParseComboText(text.substr(1, text.size() - 2), catalog);
    if (!spec.ok()) {
      return absl::Status(spec.status().code(),
                          absl::StrCat("combo \"", AsAbsl(text), "\": ", spec.status().message()));
    }
    std::vector<core::ComboLeg> legs = spec->legs();
    std::sort(legs.begin(), legs.end(), [](const core::ComboLeg& a, const core::ComboLeg& b) {
      return a.instrument < b.instrument;
    });
    COMBO_ASSIGN_OR_RETURN(core::ComboSpec sorted, core::ComboSpec::Create(std::move(legs)));
    tradable.combo = std::move(sorted);
    return tradable;
  }
  const core::Instrument* instrument = catalog.FindBySymbol(text);
  if (instrument == nullptr) {
    return absl::NotFoundError(absl::StrCat("unknown instrument \"", AsAbsl(text), "\""));
  }
  tradable.instrument = instrument->id();
  return tradable;
}

absl::StatusOr<std::string> InstrumentText(core::InstrumentId instrument,
                                           const core::InstrumentCatalog& catalog) {
  const core::Instrument* found = catalog.Find(instrument);
  if (found == nullptr) {
    return absl::NotFoundError(absl::StrCat("unknown instrument id ", instrument.value()));
  }
  return found->symbol();
}

absl::StatusOr<std::string> ComboText(const core::ComboSpec& combo,
                                      const core::InstrumentCatalog& catalog) {
  for (const core::ComboLeg& leg : combo.legs()) {
    if (catalog.Find(leg.instrument) == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("combo leg names unknown instrument id ", leg.instrument.value()));
    }
  }
  return absl::StrCat("[", core::DescribeCombo(combo, catalog), "]");
}

}  // namespace combo::venues::negotiation

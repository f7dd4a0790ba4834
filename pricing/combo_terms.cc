#include "pricing/combo_terms.h"

#include <numeric>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace combo::pricing {

absl::StatusOr<ComboTerms> ComboTerms::Create(const core::ComboSpec& spec,
                                              const core::InstrumentCatalog& catalog) {
  std::vector<LegTerms> legs;
  legs.reserve(spec.size());
  int64_t gcd = 0;
  for (size_t i = 0; i < spec.size(); ++i) {
    const core::ComboLeg& leg = spec.leg(i);
    const core::Instrument* instrument = catalog.Find(leg.instrument);
    if (instrument == nullptr) {
      return absl::NotFoundError(absl::StrCat("leg ", i + 1, ": instrument ",
                                              leg.instrument.value(), " is not in the catalog"));
    }
    int64_t contract_units = 0;
    if (__builtin_mul_overflow(leg.ratio, instrument->multiplier(), &contract_units)) {
      return absl::OutOfRangeError(absl::StrCat("leg ", i + 1, " (", instrument->symbol(),
                                                "): ratio ", leg.ratio, " x multiplier ",
                                                instrument->multiplier(), " overflows"));
    }
    gcd = std::gcd(gcd, contract_units);
    legs.push_back(LegTerms{leg.instrument, leg.ratio, leg.side, instrument->asset_class(),
                            instrument->multiplier(), contract_units});
  }
  // A ComboSpec has at least two legs with ratio >= 1 and multipliers are positive, so gcd > 0.
  int64_t tick = 0;
  for (size_t i = 0; i < legs.size(); ++i) {
    LegTerms& leg = legs[i];
    leg.weight /= gcd;
    int64_t step = 0;
    // A leg with a banded tick rule counts with its finest tick: see the header.
    if (__builtin_mul_overflow(
            leg.weight, catalog.Find(leg.instrument)->tick_rule().FinestTick().raw(), &step)) {
      return absl::OutOfRangeError(absl::StrCat("leg ", i + 1, ": weight ", leg.weight,
                                                " x tick size does not fit a price"));
    }
    tick = std::gcd(tick, step);
  }
  // Ticks are positive (core::Instrument checks its rule), so the combo tick is too.
  return ComboTerms(spec, gcd, core::Price::FromRaw(tick), std::move(legs));
}

absl::StatusOr<int64_t> ComboMultiplier(const core::ComboSpec& spec,
                                        const core::InstrumentCatalog& catalog) {
  absl::StatusOr<ComboTerms> terms = ComboTerms::Create(spec, catalog);
  if (!terms.ok()) return terms.status();
  return terms->multiplier();
}

absl::StatusOr<core::Price> ComboTick(const core::ComboSpec& spec,
                                      const core::InstrumentCatalog& catalog) {
  absl::StatusOr<ComboTerms> terms = ComboTerms::Create(spec, catalog);
  if (!terms.ok()) return terms.status();
  return terms->tick();
}

}  // namespace combo::pricing

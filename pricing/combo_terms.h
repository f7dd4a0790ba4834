// ComboTerms: the combo multiplier, each leg's weight and the combo's tick, the numbers every
// combo price is built from (DESIGN.md "Pricing conventions", seed 003 R4/R4a, docs/PRICING.md).
//
// combo multiplier = gcd over legs of (ratio x leg multiplier); a stock leg's ratio is in shares.
// weight of a leg = ratio x leg multiplier / combo multiplier, an integer because of the gcd, so
// a combo price is an exact integer combination of leg prices.
// combo tick = gcd over legs of (weight x leg tick size): the smallest step a combo price can
// take when every leg trades on its own tick, so the one price increment a combo order's limit
// must sit on. A leg whose tick depends on its price (core/tick_rule.h) counts with its rule's
// finest tick (the gcd of its bands' ticks): every on-rule leg price is a multiple of it, so
// the combo tick still divides every net price the legs can make, and it does not move with
// the market, so an order valid when accepted stays valid while it rests (docs/ROUTER.md
// "Combo tick"). Immutable value type; safe to share between threads.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "core/combo_spec.h"
#include "core/ids.h"
#include "core/instrument.h"
#include "core/instrument_catalog.h"
#include "core/price.h"
#include "core/side.h"

namespace combo::pricing {

struct LegTerms {
  core::InstrumentId instrument;
  // Contracts (shares for a stock leg) per combo unit.
  int64_t ratio = 1;
  // The leg's side when the combo is bought.
  core::Side side = core::Side::kBuy;
  core::AssetClass asset_class = core::AssetClass::kStock;
  // The instrument's contract size.
  int64_t leg_multiplier = 1;
  // ratio x leg_multiplier / combo multiplier.
  int64_t weight = 1;
};

class ComboTerms {
 public:
  // Fails, naming the leg, when a leg's instrument is not in the catalog or ratio x multiplier
  // (or weight x tick size) does not fit in 64 bits.
  static absl::StatusOr<ComboTerms> Create(const core::ComboSpec& spec,
                                           const core::InstrumentCatalog& catalog);

  int64_t multiplier() const { return multiplier_; }
  // The combo's minimum price increment (positive).
  core::Price tick() const { return tick_; }
  // In the spec's leg order.
  const std::vector<LegTerms>& legs() const { return legs_; }
  const core::ComboSpec& spec() const { return spec_; }

 private:
  ComboTerms(core::ComboSpec spec, int64_t multiplier, core::Price tick, std::vector<LegTerms> legs)
      : spec_(std::move(spec)), multiplier_(multiplier), tick_(tick), legs_(std::move(legs)) {}

  core::ComboSpec spec_;
  int64_t multiplier_ = 1;
  core::Price tick_;
  std::vector<LegTerms> legs_;
};

// The combo multiplier alone (what FIX ContractMultiplier(231) reports).
absl::StatusOr<int64_t> ComboMultiplier(const core::ComboSpec& spec,
                                        const core::InstrumentCatalog& catalog);
// The combo's tick alone.
absl::StatusOr<core::Price> ComboTick(const core::ComboSpec& spec,
                                      const core::InstrumentCatalog& catalog);

}  // namespace combo::pricing

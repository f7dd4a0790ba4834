// VenueFees: each venue's fee per contract (maker and taker) by asset class, the pricing-side
// input of the fee-aware implied price (DESIGN.md "Pricing conventions").
//
// Pricing must not depend on venues/ (layering), so whoever wires the daemon copies the venues'
// configured fees into this table. A positive fee is paid, a negative one is a rebate. A venue
// and asset class with no entry trades free. Not thread-safe while being filled; safe to read
// from many threads afterwards.
#pragma once

#include <map>
#include <utility>

#include "absl/status/status.h"
#include "core/ids.h"
#include "core/instrument.h"
#include "core/price.h"
#include "core/side.h"

namespace combo::pricing {

// Currency per contract (per share for stock), at Price's exact scale.
struct FeeSchedule {
  core::Price maker;
  core::Price taker;
  friend bool operator==(const FeeSchedule&, const FeeSchedule&) = default;
};

// Whether implied prices are built from raw leg prices or from leg prices net of the venue's
// taker fee.
enum class FeeMode : uint8_t { kIgnoreFees, kNetOfTakerFees };

class VenueFees {
 public:
  // The largest fee or rebate magnitude accepted per contract: anything larger is a typo.
  static constexpr core::Price kMaxFeePerContract = core::Price::FromParts(1'000, 0);

  // Sets (or replaces) the fees of one venue for one asset class. Fails, changing nothing, when
  // a fee's magnitude exceeds kMaxFeePerContract.
  absl::Status Set(core::VenueId venue, core::AssetClass asset_class, FeeSchedule fees);

  // Zero fees when the venue and asset class have no entry.
  FeeSchedule Find(core::VenueId venue, core::AssetClass asset_class) const;

 private:
  std::map<std::pair<core::VenueId, core::AssetClass>, FeeSchedule> fees_;
};

// The taker fee of one contract spread over the contract's multiplier, rounded up so that a
// buyer's net price never understates what they pay and a seller's never overstates what they
// receive: buy net = price + this, sell net = price - this.
core::Price FeePerPriceUnit(core::Price fee_per_contract, int64_t multiplier);

// A leg price net of the per-price-unit fee, for a trade on `side`.
inline core::Price NetOfFee(core::Price price, core::Side side, core::Price fee_per_unit) {
  return side == core::Side::kBuy ? price + fee_per_unit : price - fee_per_unit;
}

}  // namespace combo::pricing

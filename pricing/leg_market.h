// LegMarket: every venue's leg books as pricing sees them, and the consolidated best bid and
// ask of each leg across the venues the router may use (seed 003 R8).
//
// It keeps, per instrument and venue, the venue's top of book and depth (rebuilt from
// LegBookUpdate level changes, reconciled with the top the update carries), and per instrument
// the consolidated best bid and ask: the best price across venues (net of each venue's taker fee
// in FeeMode::kNetOfTakerFees) with the size summed over every venue at that price. Steady-state
// updates do not allocate: a book's level vectors grow only when it holds more levels than ever
// before. Not thread-safe; owned by the pricing thread.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/ids.h"
#include "core/instrument_catalog.h"
#include "core/market_data.h"
#include "core/money.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/side.h"
#include "pricing/venue_fees.h"

namespace combo::pricing {

// One slice of a leg order: take `quantity` at `price` from level `level` (0 is the top) of
// `venue`'s book. `net_price` is the price net of the venue's taker fee (equal to `price` when
// fees are ignored).
struct LegAllocation {
  core::VenueId venue;
  int level = 0;
  core::Price price;
  core::Price net_price;
  core::Quantity quantity;
  friend bool operator==(const LegAllocation&, const LegAllocation&) = default;
};

// Dense handle of an instrument inside a LegMarket; stable for the market's lifetime.
using LegIndex = uint32_t;

struct LegApplyResult {
  LegIndex leg = 0;
  // True when the consolidated best bid or ask (price or size) changed.
  bool consolidated_changed = false;
  // The consolidated top before the change (what the combos holding the leg were priced from).
  core::TopOfBook before;
};

class LegMarket {
 public:
  // `venues` are the venues the router may use; updates from any other venue are refused.
  // Fails on an empty or duplicated venue list.
  static absl::StatusOr<LegMarket> Create(const core::InstrumentCatalog& catalog,
                                          std::vector<core::VenueId> venues, VenueFees fees,
                                          FeeMode fee_mode);

  // Applies one level change of one venue's leg book. Fails, changing nothing, on a venue the
  // router may not use, an instrument not in the catalog, a sequence not above the last one of
  // that book, a negative quantity, a top-of-book level without positive size, or a crossed top.
  absl::StatusOr<LegApplyResult> Apply(const core::LegBookUpdate& update);

  // Replaces one venue's book of an instrument with a snapshot (a late join or a resync), with
  // the same checks as Apply plus depth sorted best first with positive sizes.
  absl::StatusOr<LegApplyResult> Reset(core::VenueId venue, core::InstrumentId instrument,
                                       uint64_t sequence, const core::Depth& depth);

  // The handle of an instrument seen before (or registered), if any.
  std::optional<LegIndex> Find(core::InstrumentId instrument) const;
  // Registers an instrument with empty books so that a combo can refer to it before any quote.
  absl::StatusOr<LegIndex> Register(core::InstrumentId instrument);

  // The consolidated best levels of a leg (net prices in fee-aware mode); empty sides when no
  // venue quotes them.
  const core::TopOfBook& Consolidated(LegIndex leg) const { return consolidated_[leg]; }
  core::TopOfBook Consolidated(core::InstrumentId instrument) const;
  // No consolidated price has ever been larger than this in magnitude (raw units): what tells
  // the engine that moving an implied price by a leg's price change cannot overflow.
  uint64_t ConsolidatedPriceBound() const { return price_bound_; }
  // One venue's raw top of book for an instrument; empty when unknown.
  core::TopOfBook VenueTop(core::VenueId venue, core::InstrumentId instrument) const;
  // One venue's raw depth for an instrument; empty when unknown.
  core::Depth VenueDepth(core::VenueId venue, core::InstrumentId instrument) const;

  // Takes `quantity` of an instrument on `trade_side` (a buy takes asks, a sell hits bids)
  // across every venue's depth, best net price first; between equal net prices, the larger
  // level first, then the lower venue id. Appends the slices to `plan` and returns their signed
  // value (net price x quantity x multiplier, positive). Fails, naming the leg and the size
  // available, when the books do not hold enough.
  absl::StatusOr<core::Money> Walk(core::InstrumentId instrument, core::Side trade_side,
                                   core::Quantity quantity, std::vector<LegAllocation>* plan) const;

  const std::vector<core::VenueId>& venues() const { return venues_; }
  FeeMode fee_mode() const { return fee_mode_; }
  const VenueFees& fees() const { return fees_; }
  const core::InstrumentCatalog& catalog() const { return *catalog_; }

 private:
  struct VenueBook {
    bool has_sequence = false;
    uint64_t sequence = 0;
    core::TopOfBook top;
    // Best first.
    std::vector<core::PriceLevel> bids;
    std::vector<core::PriceLevel> asks;
    // The venue's taker fee per price unit of this instrument; zero when fees are ignored.
    core::Price fee_per_unit;
  };
  struct Leg {
    core::InstrumentId instrument;
    int64_t multiplier = 1;
    std::vector<VenueBook> books;  // by venue slot
  };

  LegMarket(const core::InstrumentCatalog& catalog, std::vector<core::VenueId> venues,
            VenueFees fees, FeeMode fee_mode);

  absl::StatusOr<uint32_t> VenueSlot(core::VenueId venue) const;
  absl::Status CheckSequence(const Leg* leg, uint32_t slot, core::VenueId venue,
                             core::InstrumentId instrument, uint64_t sequence) const;
  LegIndex GetOrAdd(const core::Instrument& instrument);
  // Recomputes the consolidated top; the result says whether it changed and what it was.
  LegApplyResult Consolidate(LegIndex index);

  const core::InstrumentCatalog* catalog_;
  std::vector<core::VenueId> venues_;
  absl::flat_hash_map<core::VenueId, uint32_t> venue_slots_;
  VenueFees fees_;
  FeeMode fee_mode_;
  std::vector<Leg> legs_;
  // By LegIndex, apart from the books: re-pricing the combos of a leg reads only these, so they
  // sit densely in a few cache lines.
  std::vector<core::TopOfBook> consolidated_;
  uint64_t price_bound_ = 0;
  absl::flat_hash_map<core::InstrumentId, LegIndex> leg_index_;
};

}  // namespace combo::pricing

// PricingEngine: keeps every tracked combo's smart combo tick up to date as leg and native
// quotes change, and tells subscribers (the router, FIX market data) when a tick changes.
//
// Incremental: a leg update changes that leg's consolidated quote; only when the consolidated
// best bid or ask moved (price or size) does the engine re-price the combos holding that leg,
// and a subscriber hears of a combo only when its tick (price, size or source on either side)
// differs from the last one published. Re-pricing a combo moves its implied price in place by
// weight x the leg's price change (exact integers; only while no sum can overflow) and looks at
// its other legs only when the leg appeared, went, or stopped limiting the implied size: the
// same ticks as pricing it from all its legs, at a fraction of the cost (docs/BENCHMARKS.md). A
// native update re-prices only its combo. Steady-state updates do not allocate. Not thread-safe:
// one pricing thread owns it and calls subscribers synchronously, in the order the combos were
// first tracked, before the update call returns.
#pragma once

#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/combo_catalog.h"
#include "core/ids.h"
#include "core/instrument_catalog.h"
#include "core/market_data.h"
#include "pricing/combo_terms.h"
#include "pricing/implied_price.h"
#include "pricing/leg_market.h"
#include "pricing/smart_combo_tick.h"
#include "pricing/venue_fees.h"

namespace combo::pricing {

class ComboTickListener {
 public:
  virtual ~ComboTickListener() = default;
  // `tick` is the combo's new smart combo tick; valid only during the call. Called from inside
  // the engine's update: a listener must not feed the engine updates, track combos or
  // (un)subscribe from here; it records the tick and acts after the update returns.
  virtual void OnComboTick(core::ComboId combo, const SmartComboTick& tick) = 0;
};

struct PricingConfig {
  // The venues the router may use: their leg quotes make the implied price and their native
  // books compete for the best combo price.
  std::vector<core::VenueId> venues;
  FeeMode fee_mode = FeeMode::kIgnoreFees;
  VenueFees fees;
};

class PricingEngine {
 public:
  // The catalogs must outlive the engine. Fails on an empty or duplicated venue list.
  static absl::StatusOr<std::unique_ptr<PricingEngine>> Create(
      const core::InstrumentCatalog& instruments, const core::ComboCatalog& combos,
      PricingConfig config);

  // Starts keeping the combo's tick (a no-op if already tracked). Fails when the combo is not in
  // the ComboCatalog or a leg is not in the InstrumentCatalog.
  absl::Status Track(core::ComboId combo);

  // Not owned; must outlive the engine or be unsubscribed.
  void Subscribe(ComboTickListener* listener);
  void Unsubscribe(ComboTickListener* listener);

  // Market data in. Each fails, changing nothing, on bad input (see LegMarket::Apply); a native
  // update also fails on a combo the ComboCatalog does not know, a stale sequence or a crossed
  // or sizeless top. A native update for an untracked combo starts tracking it.
  absl::Status OnLegBookUpdate(const core::LegBookUpdate& update);
  absl::Status OnNativeComboUpdate(const core::NativeComboUpdate& update);
  absl::Status ResetLegBook(core::VenueId venue, core::InstrumentId instrument, uint64_t sequence,
                            const core::Depth& depth);

  // The current tick; nullptr when the combo is not tracked.
  const SmartComboTick* Tick(core::ComboId combo) const;
  // The implied quote and the best native levels (both sides empty when nothing quotes).
  absl::StatusOr<core::TopOfBook> Implied(core::ComboId combo) const;
  absl::StatusOr<SmartComboTick> BestNative(core::ComboId combo) const;
  // One venue's native top for a combo (empty when the venue has published none).
  absl::StatusOr<core::TopOfBook> NativeTop(core::ComboId combo, core::VenueId venue) const;
  absl::StatusOr<const ComboTerms*> Terms(core::ComboId combo) const;
  // The depth-aware implied price and leg plan for `units` of a tracked combo.
  absl::StatusOr<ImpliedFill> ImpliedForQuantity(core::ComboId combo, core::Side combo_side,
                                                 core::Quantity units) const;

  const LegMarket& legs() const { return market_; }

 private:
  struct NativeBook {
    bool has_sequence = false;
    uint64_t sequence = 0;
    // The venue's resting complex orders, and what it fills by legging in (seed 001 R17; net of
    // its taker fees in fee-aware mode).
    core::TopOfBook top;
    core::TopOfBook legs_implied;
  };
  // What only Track, native updates and the queries read.
  struct TrackedCombo {
    core::ComboId id;
    ComboTerms terms;
    std::vector<NativeBook> native;  // by venue slot
    // Fee-aware mode only (empty otherwise), by venue slot: what the venue's taker fees add to
    // one unit legged in there (sum over legs of weight x fee per price unit).
    std::vector<core::Price> legs_fee;
  };
  // What re-pricing a combo reads and writes, dense by tracked index (parallel to tracked_) so
  // that a leg update touches a few cache lines per combo and no heap block of its own.
  struct ComboQuote {
    core::ComboId id;
    // The combo's legs: implied_legs_[first_leg, first_leg + leg_count).
    uint32_t first_leg = 0;
    uint32_t leg_count = 0;
    core::TopOfBook implied;
    SmartComboTick best_native;
    SmartComboTick tick;
  };

  PricingEngine(const core::ComboCatalog& combos, LegMarket market);

  absl::StatusOr<uint32_t> TrackIndex(core::ComboId combo);
  absl::StatusOr<const TrackedCombo*> FindTracked(core::ComboId combo) const;
  // Re-prices the tracked combos holding the leg when its consolidated quote changed: in place
  // by the leg's price change where that is exact, else from all of the combo's legs.
  void RepriceCombosOf(const LegApplyResult& applied);
  void RecomputeNative(uint32_t index);
  void RecomputeImplied(ComboQuote& quote);
  // The size of one side of a combo's implied quote (the ask when `ask`), from every leg's
  // consolidated size; that side's legs are all quoted.
  int64_t ImpliedUnits(const ComboQuote& quote, bool ask) const;
  // Rebuilds the tick from the cached native and implied parts; notifies when it changed.
  void Publish(ComboQuote& quote);

  const core::ComboCatalog* combos_;
  LegMarket market_;
  absl::flat_hash_map<core::VenueId, uint32_t> venue_slots_;
  std::vector<TrackedCombo> tracked_;
  std::vector<ComboQuote> quotes_;  // parallel to tracked_
  // Every tracked combo's legs, one combo after the other (ComboQuote::first_leg).
  std::vector<ImpliedLeg> implied_legs_;
  absl::flat_hash_map<core::ComboId, uint32_t> tracked_index_;
  // A tracked combo holding a leg, with what moving its implied price by that leg needs.
  struct LegHolder {
    uint32_t combo = 0;  // index into tracked_ and quotes_
    bool bought = true;
    int64_t ratio = 1;
    int64_t weight = 1;
  };
  // By LegIndex: the tracked combos holding that leg, in the order they were tracked.
  std::vector<std::vector<LegHolder>> combos_by_leg_;
  // The largest sum of |weight| over one tracked combo's legs: with the market's price bound, it
  // bounds every partial sum of an implied price (see RepriceCombosOf).
  uint64_t max_weight_sum_ = 0;
  std::vector<ComboTickListener*> listeners_;
};

}  // namespace combo::pricing

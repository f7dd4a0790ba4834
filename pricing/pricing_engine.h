// PricingEngine: keeps every tracked combo's smart combo tick up to date as leg and native
// quotes change, and tells subscribers (the router, FIX market data) when a tick changes.
//
// Incremental: a leg update changes that leg's consolidated quote; only when the consolidated
// best bid or ask moved (price or size) does the engine re-price the combos holding that leg,
// and a subscriber hears of a combo only when its tick (price, size or source on either side)
// differs from the last one published. A native update re-prices only its combo. Steady-state
// updates do not allocate. Not thread-safe: one pricing thread owns it and calls subscribers
// synchronously, in the order the combos were first tracked, before the update call returns.
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
    core::TopOfBook top;
  };
  struct TrackedCombo {
    core::ComboId id;
    ComboTerms terms;
    std::vector<LegIndex> leg_index;  // parallel to terms.legs()
    std::vector<NativeBook> native;   // by venue slot
    SmartComboTick best_native;
    core::TopOfBook implied;
    SmartComboTick tick;
  };

  PricingEngine(const core::ComboCatalog& combos, LegMarket market);

  absl::StatusOr<uint32_t> TrackIndex(core::ComboId combo);
  absl::StatusOr<const TrackedCombo*> FindTracked(core::ComboId combo) const;
  // Re-prices the tracked combos holding the leg when its consolidated quote changed.
  void RepriceCombosOf(const LegApplyResult& applied);
  void RecomputeNative(TrackedCombo& combo);
  // Rebuilds the tick from the cached native and implied parts; notifies when it changed.
  void Publish(TrackedCombo& combo);

  const core::ComboCatalog* combos_;
  LegMarket market_;
  absl::flat_hash_map<core::VenueId, uint32_t> venue_slots_;
  std::vector<TrackedCombo> tracked_;
  absl::flat_hash_map<core::ComboId, uint32_t> tracked_index_;
  // By LegIndex: the tracked combos (indexes into tracked_) holding that leg.
  std::vector<std::vector<uint32_t>> combos_by_leg_;
  std::vector<ComboTickListener*> listeners_;
};

}  // namespace combo::pricing

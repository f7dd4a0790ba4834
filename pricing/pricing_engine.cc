#include "pricing/pricing_engine.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace combo::pricing {
namespace {

using core::PriceLevel;
using core::Side;

absl::Status CheckNativeTop(const core::NativeComboUpdate& update) {
  for (Side side : {Side::kBuy, Side::kSell}) {
    const std::optional<PriceLevel>& level = update.top.side(side);
    if (level.has_value() && !level->quantity.is_positive()) {
      return absl::InvalidArgumentError(
          absl::StrCat("venue ", update.venue.value(), " combo ", update.combo.value(), ": native ",
                       side == Side::kBuy ? "bid" : "ask", " has size ", level->quantity.value(),
                       "; a displayed level needs a positive size"));
    }
  }
  if (update.top.bid.has_value() && update.top.ask.has_value() &&
      update.top.bid->price > update.top.ask->price) {
    return absl::InvalidArgumentError(
        absl::StrCat("venue ", update.venue.value(), " combo ", update.combo.value(),
                     ": native book is crossed (bid ", update.top.bid->price.ToString(),
                     " above ask ", update.top.ask->price.ToString(), ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<PricingEngine>> PricingEngine::Create(
    const core::InstrumentCatalog& instruments, const core::ComboCatalog& combos,
    PricingConfig config) {
  absl::StatusOr<LegMarket> market = LegMarket::Create(instruments, std::move(config.venues),
                                                       std::move(config.fees), config.fee_mode);
  if (!market.ok()) return market.status();
  return std::unique_ptr<PricingEngine>(new PricingEngine(combos, *std::move(market)));
}

PricingEngine::PricingEngine(const core::ComboCatalog& combos, LegMarket market)
    : combos_(&combos), market_(std::move(market)) {
  for (uint32_t slot = 0; slot < market_.venues().size(); ++slot) {
    venue_slots_[market_.venues()[slot]] = slot;
  }
}

absl::Status PricingEngine::Track(core::ComboId combo) { return TrackIndex(combo).status(); }

absl::StatusOr<uint32_t> PricingEngine::TrackIndex(core::ComboId combo) {
  if (const auto it = tracked_index_.find(combo); it != tracked_index_.end()) return it->second;
  const core::ComboSpec* spec = combos_->Find(combo);
  if (spec == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("combo ", combo.value(), " is not in the combo catalog"));
  }
  absl::StatusOr<ComboTerms> terms = ComboTerms::Create(*spec, market_.catalog());
  if (!terms.ok()) {
    return absl::Status(terms.status().code(),
                        absl::StrCat("combo ", combo.value(), ": ", terms.status().message()));
  }
  // Every leg is in the catalog (ComboTerms checked), so registering cannot fail.
  std::vector<LegIndex> leg_index;
  for (const LegTerms& leg : terms->legs()) leg_index.push_back(*market_.Register(leg.instrument));

  const auto index = static_cast<uint32_t>(tracked_.size());
  TrackedCombo tracked{combo,
                       *std::move(terms),
                       std::move(leg_index),
                       std::vector<NativeBook>(market_.venues().size()),
                       {},
                       {},
                       {}};
  for (LegIndex leg : tracked.leg_index) {
    if (combos_by_leg_.size() <= leg) combos_by_leg_.resize(leg + 1);
    combos_by_leg_[leg].push_back(index);
  }
  tracked.implied = ImpliedQuote(tracked.terms.legs(), tracked.leg_index, market_);
  tracked.tick = Combine(tracked.best_native, tracked.implied);
  tracked_.push_back(std::move(tracked));
  tracked_index_[combo] = index;
  // A combo whose legs are already quoted starts with a tick; tell subscribers.
  if (tracked_.back().tick != SmartComboTick{}) {
    for (ComboTickListener* listener : listeners_) {
      listener->OnComboTick(combo, tracked_.back().tick);
    }
  }
  return index;
}

void PricingEngine::Subscribe(ComboTickListener* listener) {
  if (std::find(listeners_.begin(), listeners_.end(), listener) == listeners_.end()) {
    listeners_.push_back(listener);
  }
}

void PricingEngine::Unsubscribe(ComboTickListener* listener) {
  listeners_.erase(std::remove(listeners_.begin(), listeners_.end(), listener), listeners_.end());
}

absl::Status PricingEngine::OnLegBookUpdate(const core::LegBookUpdate& update) {
  absl::StatusOr<LegApplyResult> applied = market_.Apply(update);
  if (!applied.ok()) return applied.status();
  RepriceCombosOf(*applied);
  return absl::OkStatus();
}

absl::Status PricingEngine::ResetLegBook(core::VenueId venue, core::InstrumentId instrument,
                                         uint64_t sequence, const core::Depth& depth) {
  absl::StatusOr<LegApplyResult> applied = market_.Reset(venue, instrument, sequence, depth);
  if (!applied.ok()) return applied.status();
  RepriceCombosOf(*applied);
  return absl::OkStatus();
}

void PricingEngine::RepriceCombosOf(const LegApplyResult& applied) {
  // A leg whose consolidated quote did not move cannot move any implied price.
  if (!applied.consolidated_changed || applied.leg >= combos_by_leg_.size()) return;
  for (uint32_t index : combos_by_leg_[applied.leg]) {
    TrackedCombo& combo = tracked_[index];
    combo.implied = ImpliedQuote(combo.terms.legs(), combo.leg_index, market_);
    Publish(combo);
  }
}

absl::Status PricingEngine::OnNativeComboUpdate(const core::NativeComboUpdate& update) {
  const auto slot = venue_slots_.find(update.venue);
  if (slot == venue_slots_.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("venue ", update.venue.value(), " is not one the router may use for pricing"));
  }
  if (combos_->Find(update.combo) == nullptr) {
    return absl::NotFoundError(absl::StrCat("venue ", update.venue.value(), ": combo ",
                                            update.combo.value(), " is not in the combo catalog"));
  }
  if (const auto it = tracked_index_.find(update.combo); it != tracked_index_.end()) {
    const NativeBook& book = tracked_[it->second].native[slot->second];
    if (book.has_sequence && update.sequence <= book.sequence) {
      return absl::InvalidArgumentError(
          absl::StrCat("venue ", update.venue.value(), " combo ", update.combo.value(),
                       ": sequence ", update.sequence, " is not after the last applied ",
                       book.sequence, " (stale or duplicate update)"));
    }
  }
  if (absl::Status s = CheckNativeTop(update); !s.ok()) return s;
  absl::StatusOr<uint32_t> index = TrackIndex(update.combo);
  if (!index.ok()) return index.status();
  TrackedCombo& combo = tracked_[*index];
  NativeBook& book = combo.native[slot->second];
  book.has_sequence = true;
  book.sequence = update.sequence;
  book.top = update.top;
  RecomputeNative(combo);
  Publish(combo);
  return absl::OkStatus();
}

void PricingEngine::RecomputeNative(TrackedCombo& combo) {
  SmartComboTick best;
  for (uint32_t slot = 0; slot < combo.native.size(); ++slot) {
    const core::TopOfBook& top = combo.native[slot].top;
    const core::VenueId venue = market_.venues()[slot];
    if (top.bid.has_value()) {
      best.bid =
          BestOf(Side::kBuy, best.bid,
                 SourcedLevel{top.bid->price, top.bid->quantity, PriceSource::kNative, venue});
    }
    if (top.ask.has_value()) {
      best.ask =
          BestOf(Side::kSell, best.ask,
                 SourcedLevel{top.ask->price, top.ask->quantity, PriceSource::kNative, venue});
    }
  }
  combo.best_native = best;
}

void PricingEngine::Publish(TrackedCombo& combo) {
  const SmartComboTick tick = Combine(combo.best_native, combo.implied);
  if (tick == combo.tick) return;
  combo.tick = tick;
  for (ComboTickListener* listener : listeners_) listener->OnComboTick(combo.id, combo.tick);
}

const SmartComboTick* PricingEngine::Tick(core::ComboId combo) const {
  const auto it = tracked_index_.find(combo);
  return it == tracked_index_.end() ? nullptr : &tracked_[it->second].tick;
}

absl::StatusOr<const PricingEngine::TrackedCombo*> PricingEngine::FindTracked(
    core::ComboId combo) const {
  const auto it = tracked_index_.find(combo);
  if (it == tracked_index_.end()) {
    return absl::NotFoundError(absl::StrCat("combo ", combo.value(), " is not tracked"));
  }
  return &tracked_[it->second];
}

absl::StatusOr<core::TopOfBook> PricingEngine::Implied(core::ComboId combo) const {
  absl::StatusOr<const TrackedCombo*> tracked = FindTracked(combo);
  if (!tracked.ok()) return tracked.status();
  return (*tracked)->implied;
}

absl::StatusOr<SmartComboTick> PricingEngine::BestNative(core::ComboId combo) const {
  absl::StatusOr<const TrackedCombo*> tracked = FindTracked(combo);
  if (!tracked.ok()) return tracked.status();
  return (*tracked)->best_native;
}

absl::StatusOr<core::TopOfBook> PricingEngine::NativeTop(core::ComboId combo,
                                                         core::VenueId venue) const {
  absl::StatusOr<const TrackedCombo*> tracked = FindTracked(combo);
  if (!tracked.ok()) return tracked.status();
  const auto slot = venue_slots_.find(venue);
  if (slot == venue_slots_.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("venue ", venue.value(), " is not one the router may use for pricing"));
  }
  return (*tracked)->native[slot->second].top;
}

absl::StatusOr<const ComboTerms*> PricingEngine::Terms(core::ComboId combo) const {
  absl::StatusOr<const TrackedCombo*> tracked = FindTracked(combo);
  if (!tracked.ok()) return tracked.status();
  return &(*tracked)->terms;
}

absl::StatusOr<ImpliedFill> PricingEngine::ImpliedForQuantity(core::ComboId combo,
                                                              core::Side combo_side,
                                                              core::Quantity units) const {
  absl::StatusOr<const TrackedCombo*> tracked = FindTracked(combo);
  if (!tracked.ok()) return tracked.status();
  return pricing::ImpliedForQuantity((*tracked)->terms, market_, combo_side, units);
}

}  // namespace combo::pricing

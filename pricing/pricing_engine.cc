#include "pricing/pricing_engine.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/status.h"

namespace combo::pricing {
namespace {

using core::PriceLevel;
using core::Side;

// Sets `shown` to what Combine shows on one side: the best native level unless the implied one
// is strictly better priced (a native level wins a tie). True when that changed `shown`. Field by
// field, in place: building and comparing whole ticks per re-priced combo costs more than the
// re-price itself.
bool ShowBest(Side side, const std::optional<SourcedLevel>& native,
              const std::optional<PriceLevel>& implied, std::optional<SourcedLevel>& shown) {
  const bool implied_wins =
      implied.has_value() &&
      (!native.has_value() ||
       (side == Side::kBuy ? implied->price > native->price : implied->price < native->price));
  if (implied_wins) {
    if (shown.has_value() && shown->source == PriceSource::kImplied &&
        shown->price == implied->price && shown->size == implied->quantity &&
        shown->venue == core::VenueId{}) {
      return false;
    }
    shown = SourcedLevel{implied->price, implied->quantity, PriceSource::kImplied, {}};
    return true;
  }
  if (shown == native) return false;
  shown = native;
  return true;
}

// How one side of a leg's consolidated quote moved, as far as moving an implied price goes.
struct LegSideMove {
  enum class Kind : uint8_t {
    kNone,     // unchanged
    kInPlace,  // quoted before and after: its price, its size or both changed
    kAll,      // appeared or went: every implied price fed by it is recomputed from all legs
  };
  Kind kind = Kind::kNone;
  int64_t price_change = 0;  // raw; fits: both prices are within the bound checked first
  int64_t size_before = 0;
  int64_t size_after = 0;
};

LegSideMove MoveOf(const std::optional<PriceLevel>& before,
                   const std::optional<PriceLevel>& after) {
  if (before.has_value() != after.has_value()) return LegSideMove{LegSideMove::Kind::kAll};
  if (!before.has_value() || *before == *after) return LegSideMove{};
  return LegSideMove{LegSideMove::Kind::kInPlace,
                     static_cast<int64_t>(static_cast<uint64_t>(after->price.raw()) -
                                          static_cast<uint64_t>(before->price.raw())),
                     before->quantity.value(), after->quantity.value()};
}

int64_t Units(int64_t size, int64_t ratio) { return ratio == 1 ? size : size / ratio; }

// Moves one side of a combo's implied quote by the move of the leg side feeding it. False, with
// `implied` unchanged, when that side must be recomputed from all the combo's legs: the leg
// appeared or went, or the side is empty (a missing leg or no whole unit: its sum is not kept).
// When the leg was the one limiting the implied size and grew, the next limit may be another
// leg's: `recount_units()` gives the implied size from every leg's size (the price still moves
// in place).
template <typename RecountUnits>
bool MoveImpliedSide(const LegSideMove& move, int64_t signed_weight, int64_t ratio,
                     std::optional<PriceLevel>& implied, RecountUnits recount_units) {
  if (move.kind == LegSideMove::Kind::kNone) return true;
  if (move.kind == LegSideMove::Kind::kAll || !implied.has_value()) return false;
  int64_t size = implied->quantity.value();
  const int64_t units_before = Units(move.size_before, ratio);
  const int64_t units_after = Units(move.size_after, ratio);
  if (units_before > size) {
    // Not the limit: the others' minimum is the current size.
    size = std::min(size, units_after);
  } else if (units_after <= units_before) {
    // The limit, and smaller still.
    size = units_after;
  } else {
    size = recount_units();
  }
  if (size <= 0) {
    implied.reset();
    return true;
  }
  implied->price = core::Price::FromRaw(implied->price.raw() + signed_weight * move.price_change);
  implied->quantity = core::Quantity(size);
  return true;
}

absl::Status NotTracked(core::ComboId combo) {
  return absl::NotFoundError(absl::StrCat("combo ", combo.value(), " is not tracked"));
}

// One of a native update's tops (`what` names it): positive sizes, not crossed.
absl::Status CheckNativeTop(const core::NativeComboUpdate& update, const core::TopOfBook& top,
                            const char* what) {
  for (Side side : {Side::kBuy, Side::kSell}) {
    const std::optional<PriceLevel>& level = top.side(side);
    if (level.has_value() && !level->quantity.is_positive()) {
      return absl::InvalidArgumentError(
          absl::StrCat("venue ", update.venue.value(), " combo ", update.combo.value(), ": ", what,
                       " ", side == Side::kBuy ? "bid" : "ask", " has size ",
                       level->quantity.value(), "; a displayed level needs a positive size"));
    }
  }
  if (top.bid.has_value() && top.ask.has_value() && top.bid->price > top.ask->price) {
    return absl::InvalidArgumentError(
        absl::StrCat("venue ", update.venue.value(), " combo ", update.combo.value(), ": ", what,
                     " book is crossed (bid ", top.bid->price.ToString(), " above ask ",
                     top.ask->price.ToString(), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckNativeTops(const core::NativeComboUpdate& update) {
  COMBO_RETURN_IF_ERROR(CheckNativeTop(update, update.top, "native"));
  return CheckNativeTop(update, update.legs_implied, "native legs-implied");
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
  const auto index = static_cast<uint32_t>(tracked_.size());
  ComboQuote quote;
  quote.id = combo;
  quote.first_leg = static_cast<uint32_t>(implied_legs_.size());
  quote.leg_count = static_cast<uint32_t>(terms->legs().size());
  uint64_t weight_sum = 0;
  for (const LegTerms& leg : terms->legs()) {
    // Every leg is in the catalog (ComboTerms checked), so registering cannot fail.
    const LegIndex leg_index = *market_.Register(leg.instrument);
    const ImpliedLeg implied = ToImpliedLeg(leg, leg_index);
    implied_legs_.push_back(implied);
    if (combos_by_leg_.size() <= leg_index) combos_by_leg_.resize(leg_index + 1);
    combos_by_leg_[leg_index].push_back(
        LegHolder{index, implied.bought, implied.ratio, implied.weight});
    // Weights are positive and fit in 64 bits (ComboTerms checked); a sum that does not fit
    // saturates, which only turns moving in place off.
    if (__builtin_add_overflow(weight_sum, static_cast<uint64_t>(implied.weight), &weight_sum)) {
      weight_sum = std::numeric_limits<uint64_t>::max();
    }
  }
  max_weight_sum_ = std::max(max_weight_sum_, weight_sum);
  std::vector<core::Price> legs_fee;
  if (market_.fee_mode() == FeeMode::kNetOfTakerFees) {
    // Per venue: sum over legs of weight x the taker fee per price unit (rounded up per leg, as
    // the implied market's leg prices are).
    for (core::VenueId venue : market_.venues()) {
      core::Price fee;
      for (const LegTerms& leg : terms->legs()) {
        fee +=
            FeePerPriceUnit(market_.fees().Find(venue, leg.asset_class).taker, leg.leg_multiplier) *
            leg.weight;
      }
      legs_fee.push_back(fee);
    }
  }
  tracked_.push_back(TrackedCombo{combo, *std::move(terms),
                                  std::vector<NativeBook>(market_.venues().size()),
                                  std::move(legs_fee)});
  RecomputeImplied(quote);
  quote.tick = Combine(quote.best_native, quote.implied);
  quotes_.push_back(quote);
  tracked_index_[combo] = index;
  // A combo whose legs are already quoted starts with a tick; tell subscribers.
  if (quote.tick != SmartComboTick{}) {
    for (ComboTickListener* listener : listeners_) listener->OnComboTick(combo, quote.tick);
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
  // Moving an implied price in place gives the from-scratch sum only when that sum cannot
  // overflow: every partial sum is at most (sum of |weight|) x (largest |price|), and the price
  // change at most twice the largest |price|.
  uint64_t bound = 0;
  const bool in_place_exact =
      !__builtin_mul_overflow(max_weight_sum_, market_.ConsolidatedPriceBound(), &bound) &&
      bound <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) / 2;
  const core::TopOfBook& after = market_.Consolidated(applied.leg);
  const LegSideMove bid_move = MoveOf(applied.before.bid, after.bid);
  const LegSideMove ask_move = MoveOf(applied.before.ask, after.ask);
  for (const LegHolder& holder : combos_by_leg_[applied.leg]) {
    ComboQuote& quote = quotes_[holder.combo];
    // A leg bought with the combo moves the implied side of its own side by +weight; a leg sold
    // moves the other side by -weight.
    const int64_t signed_weight = holder.bought ? holder.weight : -holder.weight;
    std::optional<PriceLevel>& from_bid = holder.bought ? quote.implied.bid : quote.implied.ask;
    std::optional<PriceLevel>& from_ask = holder.bought ? quote.implied.ask : quote.implied.bid;
    const bool moved =
        in_place_exact &&
        MoveImpliedSide(bid_move, signed_weight, holder.ratio, from_bid,
                        [&] { return ImpliedUnits(quote, /*ask=*/!holder.bought); }) &&
        MoveImpliedSide(ask_move, signed_weight, holder.ratio, from_ask,
                        [&] { return ImpliedUnits(quote, /*ask=*/holder.bought); });
    if (!moved) RecomputeImplied(quote);
    Publish(quote);
  }
}

int64_t PricingEngine::ImpliedUnits(const ComboQuote& quote, bool ask) const {
  int64_t units = std::numeric_limits<int64_t>::max();
  for (uint32_t i = quote.first_leg; i < quote.first_leg + quote.leg_count; ++i) {
    const ImpliedLeg& leg = implied_legs_[i];
    const core::TopOfBook& top = market_.Consolidated(leg.leg);
    // The implied ask buys the legs bought with the combo at their ask and sells the others at
    // their bid; the implied bid the reverse.
    const std::optional<PriceLevel>& level = leg.bought == ask ? top.ask : top.bid;
    // Every leg quotes that side: the implied side was not empty and only one leg moved, still
    // quoted. An empty one gives no unit, so the side goes empty rather than wrong.
    units = std::min(units, level.has_value() ? Units(level->quantity.value(), leg.ratio) : 0);
  }
  return units;
}

void PricingEngine::RecomputeImplied(ComboQuote& quote) {
  SetImpliedQuote(
      std::span<const ImpliedLeg>(implied_legs_.data() + quote.first_leg, quote.leg_count), market_,
      quote.implied);
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
  if (absl::Status s = CheckNativeTops(update); !s.ok()) return s;
  absl::StatusOr<uint32_t> index = TrackIndex(update.combo);
  if (!index.ok()) return index.status();
  NativeBook& book = tracked_[*index].native[slot->second];
  book.has_sequence = true;
  book.sequence = update.sequence;
  book.top = update.top;
  book.legs_implied = update.legs_implied;
  if (const std::vector<core::Price>& fees = tracked_[*index].legs_fee; !fees.empty()) {
    // Fee-aware: a leg-in at the venue pays its taker fee on every leg, as the implied market's
    // leg-in does; the venue quotes raw prices.
    if (book.legs_implied.bid.has_value()) book.legs_implied.bid->price -= fees[slot->second];
    if (book.legs_implied.ask.has_value()) book.legs_implied.ask->price += fees[slot->second];
  }
  RecomputeNative(*index);
  Publish(quotes_[*index]);
  return absl::OkStatus();
}

void PricingEngine::RecomputeNative(uint32_t index) {
  const TrackedCombo& combo = tracked_[index];
  SmartComboTick best;
  for (uint32_t slot = 0; slot < combo.native.size(); ++slot) {
    const NativeBook& book = combo.native[slot];
    const core::VenueId venue = market_.venues()[slot];
    if (book.top.bid.has_value() || book.legs_implied.bid.has_value()) {
      best.bid = BestOf(Side::kBuy, best.bid,
                        NativeLevel(Side::kBuy, venue, book.top.bid, book.legs_implied.bid));
    }
    if (book.top.ask.has_value() || book.legs_implied.ask.has_value()) {
      best.ask = BestOf(Side::kSell, best.ask,
                        NativeLevel(Side::kSell, venue, book.top.ask, book.legs_implied.ask));
    }
  }
  quotes_[index].best_native = best;
}

void PricingEngine::Publish(ComboQuote& quote) {
  const bool bid_changed =
      ShowBest(Side::kBuy, quote.best_native.bid, quote.implied.bid, quote.tick.bid);
  const bool ask_changed =
      ShowBest(Side::kSell, quote.best_native.ask, quote.implied.ask, quote.tick.ask);
  if (!bid_changed && !ask_changed) return;
  for (ComboTickListener* listener : listeners_) listener->OnComboTick(quote.id, quote.tick);
}

const SmartComboTick* PricingEngine::Tick(core::ComboId combo) const {
  const auto it = tracked_index_.find(combo);
  return it == tracked_index_.end() ? nullptr : &quotes_[it->second].tick;
}

absl::StatusOr<const PricingEngine::TrackedCombo*> PricingEngine::FindTracked(
    core::ComboId combo) const {
  const auto it = tracked_index_.find(combo);
  if (it == tracked_index_.end()) return NotTracked(combo);
  return &tracked_[it->second];
}

absl::StatusOr<core::TopOfBook> PricingEngine::Implied(core::ComboId combo) const {
  const auto it = tracked_index_.find(combo);
  if (it == tracked_index_.end()) return NotTracked(combo);
  return quotes_[it->second].implied;
}

absl::StatusOr<SmartComboTick> PricingEngine::BestNative(core::ComboId combo) const {
  const auto it = tracked_index_.find(combo);
  if (it == tracked_index_.end()) return NotTracked(combo);
  return quotes_[it->second].best_native;
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

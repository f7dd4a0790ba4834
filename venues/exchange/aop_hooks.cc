// SimulatedVenue's automated order protection hooks (seed 004; see venues/simulated_venue.h).
// The venue's covered resting leg orders are the "client bid/offers"; the third-party market is
// the consolidated market of the source venues. Resting complex orders are protected against
// the implied market of their legs' third-party markets.
#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "venues/exchange/venue_adapters.h"
#include "venues/simulated_venue.h"

namespace combo::venues {

absl::Status SimulatedVenue::ConnectAopSource(Venue& source) {
  if (aop_market_ == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("venue ", config_.name, " does not run automated order protection"));
  }
  if (!aop_market_->IsSource(source.id())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "venue ", source.id().value(), " is not an AOP source of venue ", config_.name));
  }
  return source.Subscribe(aop_market_.get());
}

absl::StatusOr<aop::CboBook*> SimulatedVenue::OpenCboBook(aop::CboListener* listener) {
  if (aop_market_ == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("venue ", config_.name, " does not run automated order protection"));
  }
  if (cbo_book_ != nullptr) {
    return absl::AlreadyExistsError(
        absl::StrCat("venue ", config_.name, " already has an open CBO book"));
  }
  aop::CboBookConfig cbo = config_.aop.cbo;
  cbo.protection = config_.aop.protection;
  if (cbo.instruments.empty()) {
    for (const ListedInstrument& listed : config_.instruments) {
      cbo.instruments[listed.instrument] = listed.tick_size;
    }
  }
  absl::StatusOr<std::unique_ptr<aop::CboBook>> book =
      aop::CboBook::Create(std::move(cbo), aop_market_.get(), scheduler_, listener, config_.id);
  if (!book.ok()) return book.status();
  cbo_book_ = *std::move(book);
  return cbo_book_.get();
}

std::optional<aop::ProtectedOrder> SimulatedVenue::AopProtection(core::ParticipantId participant,
                                                                 core::OrderId order_id) const {
  const uint64_t tag = registry_.TagOf(participant, order_id);
  const OrderRecord* record = registry_.Find(tag);
  if (record == nullptr) return std::nullopt;
  const std::map<uint64_t, aop::ProtectedOrder>& protected_orders =
      record->book == BookKind::kComplex ? aop_complex_orders_ : aop_orders_;
  auto it = protected_orders.find(tag);
  if (it == protected_orders.end()) return std::nullopt;
  return it->second;
}

bool SimulatedVenue::AopCovers(core::ParticipantId participant) const {
  if (config_.aop.coverage == AopCoverage::kAllRestingOrders) return true;
  const auto& listed = config_.aop.protected_participants;
  return std::find(listed.begin(), listed.end(), participant) != listed.end();
}

void SimulatedVenue::AopTrack(uint64_t tag, core::Side side, core::Price limit,
                              core::Quantity leaves) {
  aop_orders_[tag] = aop::ProtectedOrder::Create(side, limit, leaves);
}

void SimulatedVenue::AopOnQuote(core::InstrumentId instrument) {
  if (aop_market_ == nullptr || aop_market_->stale()) return;  // F2: frozen while stale
  std::vector<uint64_t> tags;
  for (const auto& [tag, order] : aop_orders_) {
    if (registry_.Find(tag)->instrument == instrument) tags.push_back(tag);
  }
  for (uint64_t tag : tags) {
    auto it = aop_orders_.find(tag);
    if (it == aop_orders_.end()) continue;  // filled by an earlier reprice of this pass
    const aop::ContraMarket contra{aop_market_->Contra(instrument, it->second.side)};
    if (auto reprice =
            aop::OnQuote(it->second, contra, config_.aop.protection, scheduler_->Now())) {
      AopApply(tag, *reprice);
    }
  }
  AopOnComplexQuote(instrument);
}

void SimulatedVenue::AopOnTrade(const core::TradePrint& print) {
  if (aop_market_->stale()) return;
  AopOnComplexTrade(print);
  std::vector<uint64_t> tags;
  for (const auto& [tag, order] : aop_orders_) {
    if (registry_.Find(tag)->instrument == print.instrument) tags.push_back(tag);
  }
  for (uint64_t tag : tags) {
    auto it = aop_orders_.find(tag);
    if (it == aop_orders_.end()) continue;
    const aop::ContraMarket contra{aop_market_->Contra(print.instrument, it->second.side)};
    if (auto reprice = aop::OnTrade(it->second, print.price, print.quantity, contra,
                                    config_.aop.protection, scheduler_->Now())) {
      AopApply(tag, *reprice);
    }
  }
}

void SimulatedVenue::AopOnFeedState(aop::FeedState state, std::string_view reason) {
  AopStatusChanged status;
  status.venue = config_.id;
  status.state = state == aop::FeedState::kStale ? AopState::kSuspended : AopState::kActive;
  status.reason = std::string(reason);
  status.time = scheduler_->Now();
  transport_.QueueMarketData(std::move(status));
  if (state == aop::FeedState::kFresh) {
    // F3: the first fresh data runs as a price-only update for every protected instrument.
    std::set<core::InstrumentId> instruments;
    for (const auto& [tag, order] : aop_orders_)
      instruments.insert(registry_.Find(tag)->instrument);
    for (core::InstrumentId instrument : instruments) AopOnQuote(instrument);
    AopOnComplexQuote(std::nullopt);
  }
}

void SimulatedVenue::AopApply(uint64_t tag, const aop::Reprice& reprice) {
  const OrderRecord record = *registry_.Find(tag);  // a reprice that trades may forget it
  const bool complex = record.book == BookKind::kComplex;
  aop::ProtectedOrder& order = complex ? aop_complex_orders_.at(tag) : aop_orders_.at(tag);
  // A third-party (or implied) level may be off this venue's tick (the net tick for a complex
  // order): round in the client's favour (a bid down, an offer up), which keeps the level
  // within the original limit.
  const absl::StatusOr<core::Price> rounded = reprice.to.RoundToTick(
      complex ? config_.complex_book.net_tick : LegBook(record)->config().tick_size,
      order.side == core::Side::kBuy ? core::RoundingMode::kDown : core::RoundingMode::kUp);
  const std::optional<RestingTerms> resting = RestingInBook(tag, record);
  if (!rounded.ok() || !resting.has_value() ||
      CheckReplaceInBook(tag, record, *rounded, resting->leaves).has_value()) {
    // The book cannot take the level: the order stays where the book has it.
    if (resting.has_value()) order.level = resting->limit_price;
    order.aop_flag = order.level != order.original;
    return;
  }
  order.level = *rounded;
  order.aop_flag = order.level != order.original;
  if (resting->limit_price == *rounded) return;
  // Spec 6.1's recommended policy: a venue-initiated reprice keeps the original time priority.
  QueueRestated(record, aop::RestatementReasonFor(reprice.basis), *rounded, resting->leaves,
                QueuePriority::kKept);
  AopCount(reprice.basis);
  if (complex) {
    // May trade at once (a new level that meets an inverse order or the legs): fills forget it.
    complex_book_->RepriceKeepingTime(tag, *rounded);
    return;
  }
  const ReplaceResult result = LegBook(record)->RepriceKeepingTime(record.handle, *rounded);
  if (!result.resting.is_positive()) Forget(tag);
}

void SimulatedVenue::AopCount(aop::ProtectionBasis basis) {
  if (auto it = aop_reprice_counters_.find(basis); it != aop_reprice_counters_.end()) {
    it->second->Increment();
  }
}

std::vector<core::PriceLevel> SimulatedVenue::AopImpliedContra(core::ComboId combo,
                                                               core::Side side) const {
  // A bid's contra is what buying the combo costs (the implied offers); an offer's the bids.
  return aop::ImpliedLadder(aop_combo_legs_.at(combo), *aop_market_, core::Opposite(side),
                            config_.aop.protection.awp_max_levels);
}

void SimulatedVenue::AopTrackComplex(uint64_t tag) {
  const std::optional<ComplexOrderView> view = complex_book_->Find(tag);
  if (!view.has_value()) return;
  aop_complex_orders_[tag] =
      aop::ProtectedOrder::Create(view->side, view->limit_price, view->leaves);
  if (aop_market_->stale()) return;  // F2: frozen while stale
  const std::vector<core::PriceLevel> contra = AopImpliedContra(view->combo, view->side);
  aop::ProtectedOrder& order = aop_complex_orders_.at(tag);
  if (auto reprice = aop::OnQuote(order, aop::ContraMarket{contra}, config_.aop.protection,
                                  scheduler_->Now())) {
    AopApply(tag, *reprice);
  }
}

void SimulatedVenue::AopOnComplexQuote(std::optional<core::InstrumentId> instrument) {
  if (aop_complex_orders_.empty() || aop_market_->stale()) return;
  std::vector<uint64_t> tags;
  for (const auto& [tag, order] : aop_complex_orders_) tags.push_back(tag);
  for (uint64_t tag : tags) {
    auto it = aop_complex_orders_.find(tag);
    if (it == aop_complex_orders_.end()) continue;  // traded by an earlier reprice of this pass
    const core::ComboId combo = registry_.Find(tag)->combo;
    const std::vector<aop::ImpliedLeg>& legs = aop_combo_legs_.at(combo);
    if (instrument.has_value() &&
        std::none_of(legs.begin(), legs.end(),
                     [&](const aop::ImpliedLeg& leg) { return leg.instrument == *instrument; })) {
      continue;
    }
    const std::vector<core::PriceLevel> contra = AopImpliedContra(combo, it->second.side);
    if (auto reprice = aop::OnQuote(it->second, aop::ContraMarket{contra}, config_.aop.protection,
                                    scheduler_->Now())) {
      AopApply(tag, *reprice);
    }
  }
}

void SimulatedVenue::AopOnComplexTrade(const core::TradePrint& print) {
  if (aop_complex_orders_.empty()) return;
  std::vector<uint64_t> tags;
  for (const auto& [tag, order] : aop_complex_orders_) tags.push_back(tag);
  for (uint64_t tag : tags) {
    auto it = aop_complex_orders_.find(tag);
    if (it == aop_complex_orders_.end()) continue;
    const core::ComboId combo = registry_.Find(tag)->combo;
    // A leg trade is a synthetic combo trade at its price plus the other legs' contra tops.
    const std::optional<core::TradePrint> synthetic =
        aop::SyntheticComboTrade(aop_combo_legs_.at(combo), *aop_market_, it->second.side, print);
    if (!synthetic.has_value() || !synthetic->quantity.is_positive()) continue;
    const std::vector<core::PriceLevel> contra = AopImpliedContra(combo, it->second.side);
    if (auto reprice =
            aop::OnTrade(it->second, synthetic->price, synthetic->quantity,
                         aop::ContraMarket{contra}, config_.aop.protection, scheduler_->Now())) {
      AopApply(tag, *reprice);
    }
  }
}

}  // namespace combo::venues

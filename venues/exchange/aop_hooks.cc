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
namespace {

// One protected order a market update may change, with the contra side it is judged against.
// A pass collects them first and runs them in order of entry (tag), as the books would. The
// contra cannot move during the pass: the third-party market changes only with the source
// venues' data, which arrives after this venue's step.
// A trade pass also carries the trade each order sees (a leg trade is a synthetic combo trade).
struct ProtectionWork {
  uint64_t tag = 0;
  const std::vector<core::PriceLevel>* contra = nullptr;
  std::optional<core::TradePrint> trade;
  bool operator<(const ProtectionWork& other) const { return tag < other.tag; }
};

// Runs a pass: `rule` on each order of `work` still under protection (an earlier reprice of the
// pass may have traded it away), in order of entry; `apply` moves the order to a reprice's level.
template <typename Rule, typename Apply>
void RunProtectionPass(aop::ProtectedOrders& orders, std::vector<ProtectionWork>& work, Rule rule,
                       Apply apply) {
  std::sort(work.begin(), work.end());
  for (const ProtectionWork& item : work) {
    if (!orders.contains(item.tag)) continue;
    const std::optional<aop::Reprice> reprice =
        orders.Modify(item.tag, [&](aop::ProtectedOrder& order) { return rule(order, item); });
    if (reprice.has_value()) apply(item.tag, *reprice);
  }
}

// The orders of `group` on `side` a quote with `contra` may change, added to `work`.
void AddQuoteCandidates(const aop::ProtectedOrders& orders, uint64_t group, core::Side side,
                        const std::vector<core::PriceLevel>& contra,
                        std::vector<ProtectionWork>& work) {
  const std::optional<core::Price> top =
      contra.empty() ? std::nullopt : std::optional(contra.front().price);
  for (uint64_t tag : orders.Candidates(group, side, top)) {
    work.push_back({tag, &contra, std::nullopt});
  }
}

// The price-only path (R30-R39) and the trade path (R40-R43) of protection.h, as pass rules.
auto QuoteRule(const aop::ProtectionConfig& config, core::Timestamp now) {
  return [&config, now](aop::ProtectedOrder& order, const ProtectionWork& item) {
    return aop::OnQuote(order, aop::ContraMarket{*item.contra}, config, now);
  };
}
auto TradeRule(const aop::ProtectionConfig& config, core::Timestamp now) {
  return [&config, now](aop::ProtectedOrder& order, const ProtectionWork& item) {
    return aop::OnTrade(order, item.trade->price, item.trade->quantity,
                        aop::ContraMarket{*item.contra}, config, now);
  };
}

}  // namespace

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
  if (absl::Status status = AopOpenCboBook(); !status.ok()) return status;
  if (absl::Status status = SubscribeCbo(listener); !status.ok()) return status;
  return cbo_book_.get();
}

absl::Status SimulatedVenue::AopOpenCboBook() {
  aop::CboBookConfig cbo = config_.aop.cbo;
  cbo.protection = config_.aop.protection;
  if (cbo.instruments.empty()) {
    for (const ListedInstrument& listed : config_.instruments) {
      // Seed 004 R6: a client may bid finer than the venue's tick; under a banded rule the
      // client tick is the rule's finest.
      cbo.instruments[listed.instrument] = listed.tick_rule.FinestTick();
    }
  }
  absl::StatusOr<std::unique_ptr<CboHub>> hub = CboHub::Create(config_.aop.metrics, config_.name);
  if (!hub.ok()) return hub.status();
  absl::StatusOr<std::unique_ptr<aop::CboBook>> book =
      aop::CboBook::Create(std::move(cbo), aop_market_.get(), scheduler_, hub->get(), config_.id);
  if (!book.ok()) return book.status();
  cbo_hub_ = *std::move(hub);
  cbo_book_ = *std::move(book);
  return absl::OkStatus();
}

absl::Status SimulatedVenue::SubscribeCbo(aop::CboListener* listener) {
  if (cbo_hub_ == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("venue ", config_.name, " has no open CBO book"));
  }
  return cbo_hub_->Subscribe(listener);
}

void SimulatedVenue::UnsubscribeCbo(aop::CboListener* listener) {
  if (cbo_hub_ != nullptr) cbo_hub_->Unsubscribe(listener);
}

core::Price SimulatedVenue::AopTradePrice(const BookTrade& trade) const {
  if (!aop_incoming_limit_.has_value()) return trade.price;
  const aop::ProtectedOrder* resting = aop_orders_.Find(trade.resting_tag);
  if (resting == nullptr) return trade.price;
  // The dealer (the incoming order) sells to a protected bid at its own limit when that is
  // below the bid's level, or buys from a protected offer at its limit above the level (R56):
  // the improvement goes to the protected (client) order, never past the dealer's limit.
  if (aop::BetterForClient(resting->side, *aop_incoming_limit_, trade.price)) {
    if (aop_dealer_price_counter_ != nullptr) aop_dealer_price_counter_->Increment();
    return *aop_incoming_limit_;
  }
  return trade.price;
}

std::optional<Rejection> SimulatedVenue::CheckAutofill(const OrderRequest& request) const {
  const core::Price threshold = *request.autofill_threshold;
  if (aop_market_ == nullptr) {
    return Rejection{RejectCode::kInvalidRequest,
                     "autofill threshold: no automated order protection here"};
  }
  if (!threshold.is_positive()) {
    return Rejection{RejectCode::kInvalidRequest,
                     absl::StrCat("autofill threshold ", threshold.ToString(), " is not positive")};
  }
  const bool immediate = request.time_in_force == TimeInForce::kImmediateOrCancel ||
                         request.time_in_force == TimeInForce::kFillOrKill;
  if (request.type != OrderType::kLimit || !immediate) {
    // A resting remainder at the autofilled level would sit worse than the dealer's own price.
    return Rejection{RejectCode::kInvalidRequest,
                     "autofill threshold: only on an immediate (IOC or FOK) limit order"};
  }
  return std::nullopt;
}

core::Price SimulatedVenue::AopAutofillLimit(const OrderRequest& request) {
  if (!request.autofill_threshold.has_value() || aop_market_ == nullptr || aop_market_->stale()) {
    return request.limit_price;  // F2: autofill is off while the third-party market is stale
  }
  const OrderBook& book = books_.at(request.instrument)->book();
  const core::Side resting_side = core::Opposite(request.side);
  const std::optional<core::PriceLevel> best = book.Best(resting_side);
  if (!best.has_value()) return request.limit_price;
  const core::Price threshold = *request.autofill_threshold;
  // How far the dealer's price misses the resting level (positive: it does not cross).
  const core::Price miss = request.side == core::Side::kSell ? request.limit_price - best->price
                                                             : best->price - request.limit_price;
  if (!miss.is_positive() || miss > threshold) return request.limit_price;
  // The resting order's contra in the third-party market: for a protected bid, the offers.
  const std::vector<core::PriceLevel>& contra =
      aop_market_->Contra(request.instrument, resting_side);
  if (contra.empty()) return request.limit_price;
  const core::Price off_contra = request.limit_price - contra.front().price;
  if ((off_contra.is_negative() ? -off_contra : off_contra) > threshold) return request.limit_price;
  // Only a race with a reprice: a protected order AOP moved away from its limit rests there.
  for (uint64_t tag :
       aop_orders_.Candidates(request.instrument.value(), resting_side, std::nullopt)) {
    const aop::ProtectedOrder* order = aop_orders_.Find(tag);
    if (order != nullptr && order->aop_flag && order->level == best->price) {
      if (aop_autofill_counter_ != nullptr) aop_autofill_counter_->Increment();
      return best->price;
    }
  }
  return request.limit_price;
}

std::optional<aop::ProtectedOrder> SimulatedVenue::AopProtection(core::ParticipantId participant,
                                                                 core::OrderId order_id) const {
  const uint64_t tag = registry_.TagOf(participant, order_id);
  const OrderRecord* record = registry_.Find(tag);
  if (record == nullptr) return std::nullopt;
  const aop::ProtectedOrders& protected_orders =
      record->book == BookKind::kComplex ? aop_complex_orders_ : aop_orders_;
  const aop::ProtectedOrder* order = protected_orders.Find(tag);
  if (order == nullptr) return std::nullopt;
  return *order;
}

bool SimulatedVenue::AopCovers(core::ParticipantId participant) const {
  if (config_.aop.coverage == AopCoverage::kAllRestingOrders) return true;
  const auto& listed = config_.aop.protected_participants;
  return std::find(listed.begin(), listed.end(), participant) != listed.end();
}

void SimulatedVenue::AopTrack(uint64_t tag, core::Side side, core::Price limit,
                              core::Quantity leaves) {
  aop_orders_.Add(tag, registry_.Find(tag)->instrument.value(),
                  aop::ProtectedOrder::Create(side, limit, leaves));
}

void SimulatedVenue::AopOnQuote(core::InstrumentId instrument) {
  if (aop_market_ == nullptr || aop_market_->stale()) return;  // F2: frozen while stale
  std::vector<ProtectionWork> work;
  for (core::Side side : {core::Side::kBuy, core::Side::kSell}) {
    AddQuoteCandidates(aop_orders_, instrument.value(), side, aop_market_->Contra(instrument, side),
                       work);
  }
  RunProtectionPass(aop_orders_, work, QuoteRule(config_.aop.protection, scheduler_->Now()),
                    [this](uint64_t tag, const aop::Reprice& reprice) { AopApply(tag, reprice); });
  AopOnComplexQuote(instrument);
}

void SimulatedVenue::AopOnTrade(const core::TradePrint& print) {
  if (aop_market_->stale()) return;
  AopOnComplexTrade(print);
  std::vector<ProtectionWork> work;
  for (core::Side side : {core::Side::kBuy, core::Side::kSell}) {
    const std::vector<core::PriceLevel>& contra = aop_market_->Contra(print.instrument, side);
    for (uint64_t tag : aop_orders_.Candidates(print.instrument.value(), side, print.price)) {
      work.push_back({tag, &contra, print});
    }
  }
  RunProtectionPass(aop_orders_, work, TradeRule(config_.aop.protection, scheduler_->Now()),
                    [this](uint64_t tag, const aop::Reprice& reprice) { AopApply(tag, reprice); });
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
    for (uint64_t instrument : aop_orders_.Groups()) {
      AopOnQuote(core::InstrumentId(static_cast<uint32_t>(instrument)));
    }
    AopOnComplexQuote(std::nullopt);
  }
}

void SimulatedVenue::AopApply(uint64_t tag, const aop::Reprice& reprice) {
  const OrderRecord record = *registry_.Find(tag);  // a reprice that trades may forget it
  const bool complex = record.book == BookKind::kComplex;
  aop::ProtectedOrders& orders = complex ? aop_complex_orders_ : aop_orders_;
  const core::Side side = orders.Find(tag)->side;
  // A third-party (or implied) level may be off this venue's tick (the net tick for a complex
  // order): round in the client's favour (a bid down, an offer up), which keeps the level
  // within the original limit.
  const core::RoundingMode favour =
      side == core::Side::kBuy ? core::RoundingMode::kDown : core::RoundingMode::kUp;
  const absl::StatusOr<core::Price> rounded =
      complex ? reprice.to.RoundToTick(config_.complex_book.net_tick, favour)
              : LegBook(record)->config().tick_rule.Round(reprice.to, favour);
  const std::optional<RestingTerms> resting = RestingInBook(tag, record);
  if (!rounded.ok() || !resting.has_value() ||
      CheckReplaceInBook(tag, record, *rounded, resting->leaves).has_value()) {
    // The book cannot take the level: the order stays where the book has it.
    orders.Modify(tag, [&](aop::ProtectedOrder& order) {
      if (resting.has_value()) order.level = resting->limit_price;
      order.aop_flag = order.level != order.original;
    });
    return;
  }
  orders.Modify(tag, [&](aop::ProtectedOrder& order) {
    order.level = *rounded;
    order.aop_flag = order.level != order.original;
  });
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
  aop_complex_orders_.Add(tag, view->combo.value(),
                          aop::ProtectedOrder::Create(view->side, view->limit_price, view->leaves));
  if (aop_market_->stale()) return;  // F2: frozen while stale
  const std::vector<core::PriceLevel> contra = AopImpliedContra(view->combo, view->side);
  const std::optional<aop::Reprice> reprice =
      aop_complex_orders_.Modify(tag, [&](aop::ProtectedOrder& order) {
        return aop::OnQuote(order, aop::ContraMarket{contra}, config_.aop.protection,
                            scheduler_->Now());
      });
  if (reprice.has_value()) AopApply(tag, *reprice);
}

void SimulatedVenue::AopOnComplexQuote(std::optional<core::InstrumentId> instrument) {
  if (aop_complex_orders_.empty() || aop_market_->stale()) return;
  // The implied ladder is built once per combo and side in a pass, not once per order.
  std::map<std::pair<core::ComboId, core::Side>, std::vector<core::PriceLevel>> contras;
  std::vector<ProtectionWork> work;
  for (const auto& [combo, legs] : aop_combo_legs_) {
    if (instrument.has_value() &&
        std::none_of(legs.begin(), legs.end(),
                     [&](const aop::ImpliedLeg& leg) { return leg.instrument == *instrument; })) {
      continue;
    }
    for (core::Side side : {core::Side::kBuy, core::Side::kSell}) {
      if (!aop_complex_orders_.HasOrders(combo.value(), side)) continue;
      AddQuoteCandidates(aop_complex_orders_, combo.value(), side,
                         contras[{combo, side}] = AopImpliedContra(combo, side), work);
    }
  }
  RunProtectionPass(aop_complex_orders_, work, QuoteRule(config_.aop.protection, scheduler_->Now()),
                    [this](uint64_t tag, const aop::Reprice& reprice) { AopApply(tag, reprice); });
}

void SimulatedVenue::AopOnComplexTrade(const core::TradePrint& print) {
  if (aop_complex_orders_.empty()) return;
  std::map<std::pair<core::ComboId, core::Side>, std::vector<core::PriceLevel>> contras;
  std::vector<ProtectionWork> work;
  for (const auto& [combo, legs] : aop_combo_legs_) {
    for (core::Side side : {core::Side::kBuy, core::Side::kSell}) {
      if (!aop_complex_orders_.HasOrders(combo.value(), side)) continue;
      // A leg trade is a synthetic combo trade at its price plus the other legs' contra tops.
      const std::optional<core::TradePrint> synthetic =
          aop::SyntheticComboTrade(legs, *aop_market_, side, print);
      if (!synthetic.has_value() || !synthetic->quantity.is_positive()) continue;
      const std::vector<core::PriceLevel>& contra = contras[{combo, side}] =
          AopImpliedContra(combo, side);
      for (uint64_t tag : aop_complex_orders_.Candidates(combo.value(), side, synthetic->price)) {
        work.push_back({tag, &contra, synthetic});
      }
    }
  }
  RunProtectionPass(aop_complex_orders_, work, TradeRule(config_.aop.protection, scheduler_->Now()),
                    [this](uint64_t tag, const aop::Reprice& reprice) { AopApply(tag, reprice); });
}

}  // namespace combo::venues

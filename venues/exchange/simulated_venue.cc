// SimulatedVenue, the facade: building the venue and its parts, sessions and subscriptions,
// book snapshots, end of day and trading status (see venues/simulated_venue.h).
#include "venues/simulated_venue.h"

#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/metrics.h"
#include "core/status.h"
#include "venues/exchange/venue_adapters.h"

namespace combo::venues {

absl::StatusOr<std::unique_ptr<SimulatedVenue>> SimulatedVenue::Create(SimulatedVenueConfig config,
                                                                       core::Scheduler* scheduler) {
  if (scheduler == nullptr) return absl::InvalidArgumentError("scheduler is null");
  if (absl::Status status = ValidateSimulatedVenueConfig(config); !status.ok()) return status;
  auto venue = std::unique_ptr<SimulatedVenue>(new SimulatedVenue(std::move(config), scheduler));
  if (venue->config_.metrics != nullptr) {
    COMBO_RETURN_IF_ERROR(
        venue->activity_.Export(*venue->config_.metrics, venue->config_.name,
                                venue->config_.allocation == AllocationRule::kSeed001Options));
    COMBO_RETURN_IF_ERROR(venue->leg_process_activity_.Export(
        *venue->config_.metrics, venue->config_.name, venue->config_.leg_processes));
  }
  if (venue->config_.aop.enabled) COMBO_RETURN_IF_ERROR(venue->SetUpAop());
  if (venue->config_.market_maker.any()) COMBO_RETURN_IF_ERROR(venue->SetUpMarketMakerMetrics());
  if (venue->config_.latency_protection.enabled) {
    COMBO_RETURN_IF_ERROR(venue->SetUpLatencyProtection());
  }
  return venue;
}

absl::Status SimulatedVenue::SetUpMarketMakerMetrics() {
  prometheus::Registry* registry = config_.metrics;
  if (registry == nullptr) return absl::OkStatus();
  absl::StatusOr<prometheus::Family<prometheus::Counter>*> family = core::DeclareCounterFamily(
      *registry, "combo_venue_quote_restatements_total",
      "Quotes the venue's leg books moved or topped up under the seed 001 market-maker rules, by "
      "reason: tick_worse, step_up");
  if (!family.ok()) return family.status();
  for (auto [reason, counter] : {std::pair{RestatementReason::kTickWorse, &tick_worse_counter_},
                                 std::pair{RestatementReason::kStepUp, &step_up_counter_}}) {
    absl::StatusOr<prometheus::Counter*> series = core::AddCounter(
        **family, {{"venue", config_.name}, {"reason", std::string(ToString(reason))}});
    if (!series.ok()) return series.status();
    *counter = *series;
  }
  absl::StatusOr<prometheus::Family<prometheus::Counter>*> derive_or_trade =
      core::DeclareCounterFamily(
          *registry, "combo_venue_derive_or_trade_total",
          "Public customer orders below the minimum market size the venue's leg books acted on "
          "for the primary market maker (seed 001 R34), by outcome: derived, traded");
  if (!derive_or_trade.ok()) return derive_or_trade.status();
  for (auto [outcome, counter] : {std::pair{DeriveOrTradeOutcome::kDerived, &derived_counter_},
                                  std::pair{DeriveOrTradeOutcome::kTraded, &traded_counter_}}) {
    absl::StatusOr<prometheus::Counter*> series = core::AddCounter(
        **derive_or_trade, {{"venue", config_.name}, {"outcome", std::string(ToString(outcome))}});
    if (!series.ok()) return series.status();
    *counter = *series;
  }
  absl::StatusOr<prometheus::Family<prometheus::Counter>*> delays = core::DeclareCounterFamily(
      *registry, "combo_venue_quote_match_delays_total",
      "Quotes the venue's leg books held resting across another market maker's quote for the "
      "quote match delay before matching them (seed 001 R41)");
  if (!delays.ok()) return delays.status();
  absl::StatusOr<prometheus::Counter*> delay_series =
      core::AddCounter(**delays, {{"venue", config_.name}});
  if (!delay_series.ok()) return delay_series.status();
  quote_match_delay_counter_ = *delay_series;
  return absl::OkStatus();
}

absl::Status SimulatedVenue::SetUpAop() {
  absl::StatusOr<std::unique_ptr<aop::ThirdPartyMarket>> market =
      aop::ThirdPartyMarket::Create(config_.aop.third_party, scheduler_);
  if (!market.ok()) return market.status();
  aop_market_ = *std::move(market);
  aop_observer_ = std::make_unique<AopObserver>(this);
  aop_market_->AddObserver(aop_observer_.get());
  if (complex_book_ != nullptr) {
    // Seed 001 R8/R15: the third-party market is the complex book's away market.
    complex_away_market_ = std::make_unique<ComplexAwayMarket>(aop_market_.get());
    complex_book_->SetAwayMarket(complex_away_market_.get());
  }
  for (const ListedCombo& listed : config_.complex_book.combos) {
    std::vector<aop::ImpliedLeg>& legs = aop_combo_legs_[listed.id];
    for (size_t i = 0; i < listed.spec.size(); ++i) {
      const core::ComboLeg& leg = listed.spec.leg(i);
      legs.push_back(
          aop::ImpliedLeg{leg.instrument, leg.ratio, leg.side,
                          listed.price_weights.empty() ? leg.ratio : listed.price_weights[i]});
    }
  }
  prometheus::Registry* registry = config_.aop.metrics;
  if (config_.aop.cbo_book) COMBO_RETURN_IF_ERROR(AopOpenCboBook());
  if (registry == nullptr) return absl::OkStatus();
  for (auto [counter, name, help] :
       {std::tuple{&aop_autofill_counter_, "combo_venue_aop_autofills_total",
                   "Immediate leg orders that filled at a protected order's repriced level by "
                   "dealer-side autofill (seed 004 R53)"},
        std::tuple{&aop_dealer_price_counter_, "combo_venue_aop_dealer_price_fills_total",
                   "Leg trades with a protected resting order at the incoming (dealer's) better "
                   "limit rather than the resting level (seed 004 R56)"}}) {
    absl::StatusOr<prometheus::Family<prometheus::Counter>*> declared =
        core::DeclareCounterFamily(*registry, name, help);
    if (!declared.ok()) return declared.status();
    absl::StatusOr<prometheus::Counter*> series =
        core::AddCounter(**declared, {{"venue", config_.name}});
    if (!series.ok()) return series.status();
    *counter = *series;
  }
  absl::StatusOr<prometheus::Family<prometheus::Counter>*> family = core::DeclareCounterFamily(
      *registry, "combo_venue_aop_reprices_total",
      "Restatements automated order protection made to resting leg and complex orders, by "
      "basis: top_of_book, awp, wait_for_follow, trade, unprotect");
  if (!family.ok()) return family.status();
  for (aop::ProtectionBasis basis :
       {aop::ProtectionBasis::kTopOfBook, aop::ProtectionBasis::kAwp,
        aop::ProtectionBasis::kWaitForFollow, aop::ProtectionBasis::kTrade,
        aop::ProtectionBasis::kUnprotect}) {
    absl::StatusOr<prometheus::Counter*> series = core::AddCounter(
        **family, {{"venue", config_.name}, {"reason", std::string(aop::ToString(basis))}});
    if (!series.ok()) return series.status();
    aop_reprice_counters_[basis] = *series;
  }
  return absl::OkStatus();
}

absl::Status SimulatedVenue::SetUpLatencyProtection() {
  if (books_.contains(config_.latency_protection.test_instrument)) {
    return absl::InvalidArgumentError(
        absl::StrCat("venue ", config_.name, ": the test instrument ",
                     config_.latency_protection.test_instrument.value(),
                     " is a listed instrument; test orders need an artificial product"));
  }
  absl::StatusOr<std::unique_ptr<LatencyGuard>> guard =
      LatencyGuard::Create(config_.latency_protection, config_.name, scheduler_,
                           [this](const PendingTrade& trade) { LatencyResolve(trade); });
  if (!guard.ok()) return guard.status();
  latency_guard_ = *std::move(guard);
  latency_interceptor_ = std::make_unique<LatencyInterceptor>(this);
  for (auto& [instrument, adapter] : books_) {
    if (absl::Status status = adapter->book().SetMatchInterceptor(latency_interceptor_.get());
        !status.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("venue ", config_.name, ": ", status.message()));
    }
  }
  if (complex_book_ != nullptr) {
    // Spec 6.1: a complex execution is held as one package.
    package_policy_ = std::make_unique<PackagePolicy>(this);
    complex_book_->SetPackageHoldPolicy(package_policy_.get());
    latency_guard_->SetPackageExpiryHandler(
        [this](uint64_t package_id) { LatencyResolvePackage(package_id); });
  }
  return absl::OkStatus();
}

SimulatedVenue::SimulatedVenue(SimulatedVenueConfig config, core::Scheduler* scheduler)
    : config_(std::move(config)), scheduler_(scheduler), transport_(config_.latency, scheduler) {
  for (const ListedInstrument& listed : config_.instruments) OpenBook(listed);
  if (config_.complex_book.enabled) {
    std::map<core::InstrumentId, OrderBook*> leg_books;
    for (auto& [instrument, adapter] : books_) leg_books.emplace(instrument, &adapter->book());
    complex_adapter_ = std::make_unique<ComplexAdapter>(this);
    complex_book_ = std::make_unique<ComplexBook>(config_.complex_book, leg_books, scheduler_,
                                                  complex_adapter_.get());
  }
  SetUpLegProcesses();
}

SimulatedVenue::~SimulatedVenue() = default;

SimulatedVenue::BookAdapter& SimulatedVenue::OpenBook(const ListedInstrument& listed) {
  OrderBookConfig book_config;
  book_config.instrument = listed.instrument;
  book_config.tick_rule = listed.tick_rule;
  book_config.allocation = config_.allocation;
  book_config.seed001 = config_.seed001;
  book_config.market_maker = config_.market_maker;
  auto [it, inserted] =
      books_.emplace(listed.instrument, std::make_unique<BookAdapter>(this, book_config));
  return *it->second;
}

absl::Status SimulatedVenue::ListInstrument(const ListedInstrument& listed) {
  if (books_.contains(listed.instrument)) {
    return absl::AlreadyExistsError(absl::StrCat(
        "venue ", config_.name, " already lists instrument ", listed.instrument.value()));
  }
  if (absl::Status rule = listed.tick_rule.Validate(); !rule.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("venue ", config_.name, ": instrument ", listed.instrument.value(),
                     " tick rule ", listed.tick_rule.ToString(), ": ", rule.message()));
  }
  if (config_.latency_protection.enabled &&
      listed.instrument == config_.latency_protection.test_instrument) {
    return absl::InvalidArgumentError(absl::StrCat("venue ", config_.name, ": instrument ",
                                                   listed.instrument.value(),
                                                   " is the latency-protection test instrument"));
  }
  BookAdapter& adapter = OpenBook(listed);
  if (latency_interceptor_ != nullptr) {
    // A fresh book has no interceptor yet, so this cannot fail.
    (void)adapter.book().SetMatchInterceptor(latency_interceptor_.get());
  }
  config_.instruments.push_back(listed);
  return absl::OkStatus();
}

bool SimulatedVenue::Lists(core::InstrumentId instrument) const {
  return books_.contains(instrument);
}

absl::Status SimulatedVenue::Connect(core::ParticipantId participant, VenueListener* listener) {
  if (listener == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("venue ", config_.name, ": participant ",
                                                   participant.value(), " has a null listener"));
  }
  transport_.Connect(participant, listener);
  return absl::OkStatus();
}

absl::Status SimulatedVenue::Subscribe(MarketDataListener* listener) {
  if (listener == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("venue ", config_.name, ": null market-data listener"));
  }
  if (!transport_.AddSubscriber(listener)) {
    return absl::AlreadyExistsError(
        absl::StrCat("venue ", config_.name, ": market-data listener already subscribed"));
  }
  return absl::OkStatus();
}

absl::Status SimulatedVenue::Unsubscribe(MarketDataListener* listener) {
  if (!transport_.RemoveSubscriber(listener)) {
    return absl::NotFoundError(
        absl::StrCat("venue ", config_.name, ": market-data listener is not subscribed"));
  }
  return absl::OkStatus();
}

absl::StatusOr<core::TopOfBook> SimulatedVenue::TopOfBook(core::InstrumentId instrument) const {
  auto it = books_.find(instrument);
  if (it == books_.end()) {
    return absl::NotFoundError(
        absl::StrCat("venue ", config_.name, " does not list instrument ", instrument.value()));
  }
  return it->second->book().Top();
}

absl::StatusOr<core::Depth> SimulatedVenue::BookDepth(core::InstrumentId instrument,
                                                      int levels) const {
  auto it = books_.find(instrument);
  if (it == books_.end()) {
    return absl::NotFoundError(
        absl::StrCat("venue ", config_.name, " does not list instrument ", instrument.value()));
  }
  if (levels < 0) {
    return absl::InvalidArgumentError(absl::StrCat("depth of ", levels, " levels"));
  }
  return it->second->book().GetDepth(levels);
}

void SimulatedVenue::EndOfDay() {
  for (auto& [instrument, adapter] : books_) adapter->book().ExpireDayOrders();
  if (complex_book_ != nullptr) complex_book_->ExpireDayOrders();
  Flush();
}

absl::Status SimulatedVenue::SetLegTradingStatus(core::InstrumentId instrument,
                                                 LegTradingStatus status) {
  if (!books_.contains(instrument)) {
    return absl::NotFoundError(
        absl::StrCat("venue ", config_.name, " does not list instrument ", instrument.value()));
  }
  if (complex_book_ != nullptr) complex_book_->SetLegStatus(instrument, status);
  Flush();
  return absl::OkStatus();
}

absl::Status SimulatedVenue::SetTradingStatus(VenueTradingStatus status) {
  trading_status_ = status;
  if (complex_book_ != nullptr) {
    const LegTradingStatus leg_status =
        status == VenueTradingStatus::kHalted ? LegTradingStatus::kHalted : LegTradingStatus::kOpen;
    for (const ListedInstrument& listed : config_.instruments) {
      // A series still before its opening or in a fast market stays out of the complex book.
      const auto series = series_.find(listed.instrument);
      const bool series_open =
          series == series_.end() || series->second.phase == SeriesPhase::kOpen;
      complex_book_->SetLegStatus(listed.instrument,
                                  series_open ? leg_status : LegTradingStatus::kHalted);
    }
  }
  VenueTradingStatusChanged change;
  change.venue = config_.id;
  change.status = status;
  change.time = scheduler_->Now();
  transport_.QueueMarketData(change);
  Flush();
  return absl::OkStatus();
}

absl::Status SimulatedVenue::SetComplexExposureDelay(core::Duration delay) {
  if (complex_book_ == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("venue ", config_.name, " has no complex-order book"));
  }
  if (delay < core::Duration::Zero()) {
    return absl::InvalidArgumentError(absl::StrCat("venue ", config_.name, ": exposure delay ",
                                                   delay.ToString(), " is negative"));
  }
  complex_book_->SetExposureDelay(delay);
  return absl::OkStatus();
}

absl::StatusOr<core::TopOfBook> SimulatedVenue::NativeTopOfBook(core::ComboId combo) const {
  if (!TradesNatively(combo)) {
    return absl::NotFoundError(
        absl::StrCat("venue ", config_.name, " does not trade combo ", combo.value(), " natively"));
  }
  return complex_book_->Top(combo);
}

absl::StatusOr<core::TopOfBook> SimulatedVenue::LegsImpliedTopOfBook(core::ComboId combo) const {
  if (!TradesNatively(combo)) {
    return absl::NotFoundError(
        absl::StrCat("venue ", config_.name, " does not trade combo ", combo.value(), " natively"));
  }
  return complex_book_->LegsImpliedTop(combo);
}

void SimulatedVenue::Flush() {
  RunLegProcesses();
  // The step's leg-book changes re-evaluate the complex book before the step's events leave.
  if (complex_book_ != nullptr) complex_book_->ProcessPending();
  activity_.EndStep();
  transport_.Flush();
}

}  // namespace combo::venues

// SimulatedVenue: admission, latency, matching steps and event delivery (see simulated_venue.h).
#include "venues/simulated_venue.h"

#include <algorithm>
#include <initializer_list>
#include <set>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/metrics.h"
#include "core/money.h"

namespace combo::venues {

class SimulatedVenue::BookAdapter final : public OrderBookEvents {
 public:
  BookAdapter(SimulatedVenue* venue, OrderBookConfig config)
      : venue_(venue), book_(std::move(config), this) {}

  void OnTrade(const BookTrade& trade) override { venue_->OnBookTrade(book_, trade); }
  void OnOrderCancelled(uint64_t tag, CancelReason reason, core::Quantity quantity) override {
    venue_->OnBookCancel(tag, reason, quantity);
  }
  void OnLevelUpdate(core::Side side, core::Price price, core::Quantity quantity,
                     uint64_t sequence) override {
    venue_->OnBookLevel(book_, side, price, quantity, sequence);
  }

  OrderBook& book() { return book_; }
  const OrderBook& book() const { return book_; }

 private:
  SimulatedVenue* venue_;
  OrderBook book_;
};

class SimulatedVenue::AopObserver final : public aop::ThirdPartyMarketObserver {
 public:
  explicit AopObserver(SimulatedVenue* venue) : venue_(venue) {}
  void OnTpimQuote(core::InstrumentId instrument) override {
    venue_->AopOnQuote(instrument);
    venue_->Flush();
  }
  void OnTpimTrade(const core::TradePrint& print) override {
    venue_->AopOnTrade(print);
    venue_->Flush();
  }
  void OnFeedState(aop::FeedState state, std::string_view reason) override {
    venue_->AopOnFeedState(state, reason);
    venue_->Flush();
  }

 private:
  SimulatedVenue* venue_;
};

class SimulatedVenue::LatencyInterceptor final : public MatchInterceptor {
 public:
  explicit LatencyInterceptor(SimulatedVenue* venue) : venue_(venue) {}
  core::Duration HoldPeriod(core::ParticipantId resting_owner,
                            core::ParticipantId incoming_owner) override {
    // The complex book's leg orders are never held here: the complex book holds the whole
    // package (PackagePolicy) and only sends leg orders when its package period is zero.
    if (resting_owner == kComplexLegOwner || incoming_owner == kComplexLegOwner) {
      return core::Duration::Zero();
    }
    return venue_->latency_guard_->PeriodFor(resting_owner, incoming_owner);
  }
  void OnHeld(const HeldMatch& hold) override { venue_->LatencyOnHeld(hold); }

 private:
  SimulatedVenue* venue_;
};

class SimulatedVenue::PackagePolicy final : public PackageHoldPolicy {
 public:
  explicit PackagePolicy(SimulatedVenue* venue) : venue_(venue) {}
  core::Duration PackagePeriod(core::ParticipantId incoming,
                               std::span<const core::ParticipantId> resting) override {
    return venue_->latency_guard_->PeriodForPackage(incoming, resting);
  }
  void OnPackageHeld(const HeldPackage& package) override { venue_->LatencyOnPackageHeld(package); }

 private:
  SimulatedVenue* venue_;
};

class SimulatedVenue::ComplexAdapter final : public ComplexBookListener {
 public:
  explicit ComplexAdapter(SimulatedVenue* venue) : venue_(venue) {}

  void OnComplexExecution(const ComplexExecution& execution) override {
    venue_->OnComplexExecution(execution);
  }
  void OnComplexCancelled(uint64_t tag, CancelReason reason, core::Quantity quantity) override {
    venue_->OnComplexCancelled(tag, reason, quantity);
  }
  void OnComplexTop(core::ComboId combo, const core::TopOfBook& top) override {
    venue_->OnComplexTop(combo, top);
  }
  void RequestWakeUp(core::Timestamp when) override { venue_->ScheduleComplexWakeUp(when); }

 private:
  SimulatedVenue* venue_;
};

namespace {

absl::Status CheckLatency(const LatencySpec& latency, std::string_view what) {
  if (latency.fixed < core::Duration::Zero() || latency.jitter < core::Duration::Zero()) {
    return absl::InvalidArgumentError(
        absl::StrCat("latency ", core::AsAbsl(what), " must not be negative (fixed ",
                     latency.fixed.ToString(), ", jitter ", latency.jitter.ToString(), ")"));
  }
  return absl::OkStatus();
}

std::string OrderName(core::ParticipantId participant, core::OrderId order_id) {
  return absl::StrCat("order ", order_id.value(), " of participant ", participant.value());
}

}  // namespace

absl::Status ValidateSimulatedVenueConfig(const SimulatedVenueConfig& config) {
  if (config.name.empty()) return absl::InvalidArgumentError("venue name is empty");
  const std::string venue = absl::StrCat("venue ", config.name, ": ");
  if (config.instruments.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(venue, "lists no instrument"));
  }
  std::set<core::InstrumentId> seen;
  for (const ListedInstrument& listed : config.instruments) {
    if (!seen.insert(listed.instrument).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(venue, "instrument ", listed.instrument.value(), " is listed twice"));
    }
    if (!listed.tick_size.is_positive()) {
      return absl::InvalidArgumentError(
          absl::StrCat(venue, "tick size ", listed.tick_size.ToString(), " of instrument ",
                       listed.instrument.value(), " is not positive"));
    }
  }
  const InboundLatency& in = config.latency.inbound;
  const OutboundLatency& out = config.latency.outbound;
  for (const auto& [latency, what] : std::initializer_list<std::pair<LatencySpec, const char*>>{
           {in.new_order, "inbound new_order"},
           {in.complex_order, "inbound complex_order"},
           {in.cancel, "inbound cancel"},
           {in.replace, "inbound replace"},
           {out.ack, "outbound ack"},
           {out.reject, "outbound reject"},
           {out.fill, "outbound fill"},
           {out.cancelled, "outbound cancelled"},
           {out.restated, "outbound restated"},
           {out.market_data, "outbound market_data"}}) {
    absl::Status status = CheckLatency(latency, what);
    if (!status.ok()) return absl::InvalidArgumentError(absl::StrCat(venue, status.message()));
  }
  const Seed001AllocationParams& seed = config.seed001;
  for (int64_t percent : {seed.pmm_share_percent_one_other, seed.pmm_share_percent_two_others,
                          seed.pmm_share_percent_three_or_more}) {
    if (percent < 0 || percent > 100) {
      return absl::InvalidArgumentError(
          absl::StrCat(venue, "primary market maker share ", percent, "% is outside 0..100"));
    }
  }
  if (seed.small_order_threshold.value() < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        venue, "small-order threshold ", seed.small_order_threshold.value(), " is negative"));
  }
  if (config.aop.enabled) {
    const AopConfig& aop = config.aop;
    for (absl::Status status : {aop::ValidateThirdPartyMarketConfig(aop.third_party),
                                aop::ValidateProtectionConfig(aop.protection)}) {
      if (!status.ok()) return absl::InvalidArgumentError(absl::StrCat(venue, status.message()));
    }
    if (std::find(aop.third_party.sources.begin(), aop.third_party.sources.end(), config.id) !=
        aop.third_party.sources.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat(venue, "AOP source venues include the venue itself (R15)"));
    }
    if (aop.coverage == AopCoverage::kListedParticipants && aop.protected_participants.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(venue, "AOP covers listed participants but lists none"));
    }
  }

  absl::Status complex = ValidateComplexBookConfig(
      config.complex_book,
      [&seen](core::InstrumentId instrument) { return seen.contains(instrument); });
  if (!complex.ok()) return absl::InvalidArgumentError(absl::StrCat(venue, complex.message()));
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<SimulatedVenue>> SimulatedVenue::Create(SimulatedVenueConfig config,
                                                                       core::Scheduler* scheduler) {
  if (scheduler == nullptr) return absl::InvalidArgumentError("scheduler is null");
  if (absl::Status status = ValidateSimulatedVenueConfig(config); !status.ok()) return status;
  auto venue = std::unique_ptr<SimulatedVenue>(new SimulatedVenue(std::move(config), scheduler));
  if (venue->config_.aop.enabled) {
    absl::StatusOr<std::unique_ptr<aop::ThirdPartyMarket>> market =
        aop::ThirdPartyMarket::Create(venue->config_.aop.third_party, scheduler);
    if (!market.ok()) return market.status();
    venue->aop_market_ = *std::move(market);
    venue->aop_observer_ = std::make_unique<AopObserver>(venue.get());
    venue->aop_market_->AddObserver(venue->aop_observer_.get());
    for (const ListedCombo& listed : venue->config_.complex_book.combos) {
      std::vector<aop::ImpliedLeg>& legs = venue->aop_combo_legs_[listed.id];
      for (size_t i = 0; i < listed.spec.size(); ++i) {
        const core::ComboLeg& leg = listed.spec.leg(i);
        legs.push_back(
            aop::ImpliedLeg{leg.instrument, leg.ratio, leg.side,
                            listed.price_weights.empty() ? leg.ratio : listed.price_weights[i]});
      }
    }
    if (prometheus::Registry* registry = venue->config_.aop.metrics; registry != nullptr) {
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
            **family,
            {{"venue", venue->config_.name}, {"reason", std::string(aop::ToString(basis))}});
        if (!series.ok()) return series.status();
        venue->aop_reprice_counters_[basis] = *series;
      }
    }
  }
  if (venue->config_.latency_protection.enabled) {
    if (venue->books_.contains(venue->config_.latency_protection.test_instrument)) {
      return absl::InvalidArgumentError(
          absl::StrCat("venue ", venue->config_.name, ": the test instrument ",
                       venue->config_.latency_protection.test_instrument.value(),
                       " is a listed instrument; test orders need an artificial product"));
    }
    SimulatedVenue* raw = venue.get();
    absl::StatusOr<std::unique_ptr<LatencyGuard>> guard =
        LatencyGuard::Create(venue->config_.latency_protection, venue->config_.name, scheduler,
                             [raw](const PendingTrade& trade) { raw->LatencyResolve(trade); });
    if (!guard.ok()) return guard.status();
    venue->latency_guard_ = *std::move(guard);
    venue->latency_interceptor_ = std::make_unique<LatencyInterceptor>(raw);
    for (auto& [instrument, adapter] : venue->books_) {
      if (absl::Status status =
              adapter->book().SetMatchInterceptor(venue->latency_interceptor_.get());
          !status.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("venue ", venue->config_.name, ": ", status.message()));
      }
    }
    if (venue->complex_book_ != nullptr) {
      // Spec 6.1: a complex execution is held as one package.
      venue->package_policy_ = std::make_unique<PackagePolicy>(raw);
      venue->complex_book_->SetPackageHoldPolicy(venue->package_policy_.get());
      venue->latency_guard_->SetPackageExpiryHandler(
          [raw](uint64_t package_id) { raw->LatencyResolvePackage(package_id); });
    }
  }
  return venue;
}

SimulatedVenue::SimulatedVenue(SimulatedVenueConfig config, core::Scheduler* scheduler)
    : config_(std::move(config)),
      scheduler_(scheduler),
      rng_(config_.latency.seed),
      self_(std::make_shared<SimulatedVenue*>(this)) {
  for (const ListedInstrument& listed : config_.instruments) {
    OrderBookConfig book_config;
    book_config.instrument = listed.instrument;
    book_config.tick_size = listed.tick_size;
    book_config.allocation = config_.allocation;
    book_config.seed001 = config_.seed001;
    books_.emplace(listed.instrument, std::make_unique<BookAdapter>(this, book_config));
  }
  if (config_.complex_book.enabled) {
    std::map<core::InstrumentId, OrderBook*> leg_books;
    for (auto& [instrument, adapter] : books_) leg_books.emplace(instrument, &adapter->book());
    complex_adapter_ = std::make_unique<ComplexAdapter>(this);
    complex_book_ = std::make_unique<ComplexBook>(config_.complex_book, leg_books, scheduler_,
                                                  complex_adapter_.get());
  }
}

SimulatedVenue::~SimulatedVenue() { *self_ = nullptr; }

bool SimulatedVenue::Lists(core::InstrumentId instrument) const {
  return books_.contains(instrument);
}

absl::Status SimulatedVenue::Connect(core::ParticipantId participant, VenueListener* listener) {
  if (listener == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("venue ", config_.name, ": participant ",
                                                   participant.value(), " has a null listener"));
  }
  sessions_[participant] = listener;
  return absl::OkStatus();
}

absl::Status SimulatedVenue::Subscribe(MarketDataListener* listener) {
  if (listener == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("venue ", config_.name, ": null market-data listener"));
  }
  if (std::find(subscribers_.begin(), subscribers_.end(), listener) != subscribers_.end()) {
    return absl::AlreadyExistsError(
        absl::StrCat("venue ", config_.name, ": market-data listener already subscribed"));
  }
  subscribers_.push_back(listener);
  return absl::OkStatus();
}

absl::Status SimulatedVenue::Unsubscribe(MarketDataListener* listener) {
  auto it = std::find(subscribers_.begin(), subscribers_.end(), listener);
  if (it == subscribers_.end()) {
    return absl::NotFoundError(
        absl::StrCat("venue ", config_.name, ": market-data listener is not subscribed"));
  }
  subscribers_.erase(it);
  return absl::OkStatus();
}

absl::Status SimulatedVenue::Admit(core::ParticipantId participant) const {
  if (!sessions_.contains(participant)) {
    return absl::FailedPreconditionError(absl::StrCat("participant ", participant.value(),
                                                      " is not connected to venue ", config_.name));
  }
  return absl::OkStatus();
}

absl::Status SimulatedVenue::Submit(const OrderRequest& request) {
  if (absl::Status status = Admit(request.participant); !status.ok()) return status;
  const OrderKey key{request.participant.value(), request.order_id.value()};
  if (!used_ids_.insert(key).second) {
    return absl::AlreadyExistsError(absl::StrCat(OrderName(request.participant, request.order_id),
                                                 " was already used at venue ", config_.name));
  }
  SendInbound(request.participant, config_.latency.inbound.new_order,
              [request](SimulatedVenue& venue) { venue.ProcessNew(request); });
  return absl::OkStatus();
}

absl::Status SimulatedVenue::SubmitComplex(const ComplexOrderRequest& request) {
  if (absl::Status status = Admit(request.participant); !status.ok()) return status;
  const OrderKey key{request.participant.value(), request.order_id.value()};
  if (!used_ids_.insert(key).second) {
    return absl::AlreadyExistsError(absl::StrCat(OrderName(request.participant, request.order_id),
                                                 " was already used at venue ", config_.name));
  }
  SendInbound(request.participant, config_.latency.inbound.complex_order,
              [request](SimulatedVenue& venue) { venue.ProcessComplex(request); });
  return absl::OkStatus();
}

absl::Status SimulatedVenue::Cancel(const CancelRequest& request) {
  if (absl::Status status = Admit(request.participant); !status.ok()) return status;
  SendInbound(request.participant, config_.latency.inbound.cancel,
              [request](SimulatedVenue& venue) { venue.ProcessCancel(request); });
  return absl::OkStatus();
}

absl::Status SimulatedVenue::Replace(const ReplaceRequest& request) {
  if (absl::Status status = Admit(request.participant); !status.ok()) return status;
  SendInbound(request.participant, config_.latency.inbound.replace,
              [request](SimulatedVenue& venue) { venue.ProcessReplace(request); });
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

core::Duration SimulatedVenue::Draw(const LatencySpec& latency) {
  if (latency.jitter <= core::Duration::Zero()) return latency.fixed;
  return latency.fixed +
         core::Duration::Nanoseconds(rng_.UniformInt(0, latency.jitter.nanoseconds()));
}

void SimulatedVenue::SendInbound(core::ParticipantId participant, const LatencySpec& latency,
                                 absl::AnyInvocable<void(SimulatedVenue&) &&> process) {
  core::Timestamp arrival = scheduler_->Now() + Draw(latency);
  core::Timestamp& last = last_inbound_[participant];
  arrival = std::max(arrival, last);
  last = arrival;
  scheduler_->ScheduleAt(arrival, [self = self_, process = std::move(process)]() mutable {
    if (*self != nullptr) std::move(process)(**self);
  });
}

void SimulatedVenue::Acknowledge(core::ParticipantId participant, core::OrderId order_id,
                                 RequestKind request) {
  OrderAcked ack;
  ack.venue = config_.id;
  ack.participant = participant;
  ack.order_id = order_id;
  ack.request = request;
  ack.time = scheduler_->Now();
  pending_.emplace_back(participant, ack);
}

void SimulatedVenue::Reject(core::ParticipantId participant, core::OrderId order_id,
                            RequestKind request, RejectCode code, std::string reason) {
  OrderRejected event;
  event.venue = config_.id;
  event.participant = participant;
  event.order_id = order_id;
  event.request = request;
  event.code = code;
  event.reason = absl::StrCat("venue ", config_.name, ": ", reason);
  event.time = scheduler_->Now();
  pending_.emplace_back(participant, std::move(event));
}

void SimulatedVenue::ProcessNew(const OrderRequest& request) {
  auto it = books_.find(request.instrument);
  if (it == books_.end()) {
    Reject(request.participant, request.order_id, RequestKind::kNew,
           RejectCode::kUnlistedInstrument,
           absl::StrCat("instrument ", request.instrument.value(), " is not listed"));
    Flush();
    return;
  }
  OrderBook& book = it->second->book();
  BookOrder order;
  order.tag = next_tag_++;
  order.owner = request.participant;
  order.role = request.role;
  order.instrument = request.instrument;
  order.side = request.side;
  order.type = request.type;
  order.limit_price = request.limit_price;
  order.quantity = request.quantity;
  order.time_in_force = request.time_in_force;
  order.condition = request.condition;
  if (auto rejection = book.Check(order); rejection.has_value()) {
    Reject(request.participant, request.order_id, RequestKind::kNew, rejection->code,
           std::move(rejection->reason));
    Flush();
    return;
  }
  Acknowledge(request.participant, request.order_id, RequestKind::kNew);

  // Registered before matching so that the incoming side of each trade can be attributed.
  OrderRecord record;
  record.participant = request.participant;
  record.order_id = request.order_id;
  record.instrument = request.instrument;
  record.side = request.side;
  record.tag = order.tag;
  record.total_quantity = request.quantity;
  orders_.emplace(order.tag, record);
  tag_by_key_[{request.participant.value(), request.order_id.value()}] = order.tag;

  const AddResult result = book.Add(order);
  if (result.handle.valid()) {
    orders_[order.tag].handle = result.handle;
    if (aop_market_ != nullptr && AopCovers(request.participant)) {
      AopTrack(order.tag, request.side, request.limit_price, result.resting);
      AopOnQuote(request.instrument);  // protection applies from entry (docs/VENUES.md)
    }
  } else {
    Forget(order.tag);
  }
  Flush();
}

void SimulatedVenue::ProcessComplex(const ComplexOrderRequest& request) {
  if (complex_book_ == nullptr) {
    Reject(request.participant, request.order_id, RequestKind::kNewComplex,
           RejectCode::kNoComplexBook,
           absl::StrCat("venue ", config_.name, " has no complex-order book"));
    Flush();
    return;
  }
  ComplexBookOrder order;
  order.tag = next_tag_++;
  order.owner = request.participant;
  order.role = request.role;
  order.combo = request.combo;
  order.side = request.side;
  order.type = request.type;
  order.limit_price = request.limit_price;
  order.quantity = request.quantity;
  order.time_in_force = request.time_in_force;
  order.condition = request.condition;
  if (auto rejection = complex_book_->Check(order); rejection.has_value()) {
    Reject(request.participant, request.order_id, RequestKind::kNewComplex, rejection->code,
           std::move(rejection->reason));
    Flush();
    return;
  }
  Acknowledge(request.participant, request.order_id, RequestKind::kNewComplex);

  ComplexRecord record;
  record.participant = request.participant;
  record.order_id = request.order_id;
  record.combo = request.combo;
  record.side = request.side;
  record.total_quantity = request.quantity;
  complex_orders_.emplace(order.tag, record);
  complex_tag_by_key_[{request.participant.value(), request.order_id.value()}] = order.tag;
  complex_book_->Add(order);
  if (!complex_book_->Find(order.tag).has_value()) {
    ForgetComplex(order.tag);
  } else if (aop_market_ != nullptr && AopCovers(request.participant) &&
             order.type == OrderType::kLimit &&
             (order.time_in_force == TimeInForce::kDay ||
              order.time_in_force == TimeInForce::kGoodTillCancel)) {
    // Protected from entry, as leg orders are (docs/VENUES.md).
    AopTrackComplex(order.tag);
  }
  Flush();
}

void SimulatedVenue::ProcessComplexCancel(uint64_t tag) {
  const ComplexRecord record = complex_orders_.at(tag);
  const std::optional<core::Quantity> removed = complex_book_->Cancel(tag);
  OrderCancelled event;
  event.venue = config_.id;
  event.participant = record.participant;
  event.order_id = record.order_id;
  event.reason = CancelReason::kRequested;
  event.cancelled_quantity = removed.value_or(core::Quantity::Zero());
  event.time = scheduler_->Now();
  pending_.emplace_back(record.participant, event);
  ForgetComplex(tag);
  Flush();
}

void SimulatedVenue::ProcessComplexReplace(const ReplaceRequest& request, uint64_t tag) {
  ComplexRecord& record = complex_orders_.at(tag);
  if (!request.total_quantity.is_positive()) {
    Reject(request.participant, request.order_id, RequestKind::kReplace,
           RejectCode::kInvalidQuantity,
           absl::StrCat("quantity ", request.total_quantity.value(), " is not positive"));
    Flush();
    return;
  }
  const core::Quantity leaves = request.total_quantity - record.filled;
  if (!leaves.is_positive()) {
    const std::optional<core::Quantity> removed = complex_book_->Cancel(tag);
    OrderCancelled event;
    event.venue = config_.id;
    event.participant = record.participant;
    event.order_id = record.order_id;
    event.reason = CancelReason::kReplacedBelowFilled;
    event.cancelled_quantity = removed.value_or(core::Quantity::Zero());
    event.time = scheduler_->Now();
    pending_.emplace_back(record.participant, event);
    ForgetComplex(tag);
    Flush();
    return;
  }
  if (auto rejection = complex_book_->CheckReplace(tag, request.limit_price, leaves);
      rejection.has_value()) {
    Reject(request.participant, request.order_id, RequestKind::kReplace, rejection->code,
           std::move(rejection->reason));
    Flush();
    return;
  }
  const std::optional<ComplexOrderView> before = complex_book_->Find(tag);
  OrderRestated restated;
  restated.venue = config_.id;
  restated.participant = record.participant;
  restated.order_id = record.order_id;
  restated.reason = RestatementReason::kReplaced;
  restated.limit_price = request.limit_price;
  restated.leaves_quantity = leaves;
  restated.priority = before->limit_price == request.limit_price && leaves <= before->leaves
                          ? QueuePriority::kKept
                          : QueuePriority::kLost;
  restated.time = scheduler_->Now();
  pending_.emplace_back(record.participant, restated);
  record.total_quantity = request.total_quantity;
  complex_book_->Replace(tag, request.limit_price, leaves);
  if (!complex_book_->Find(tag).has_value()) {
    ForgetComplex(tag);
  } else if (aop_complex_orders_.contains(tag)) {
    // The owner's new limit is the new original; protection starts again from it.
    AopTrackComplex(tag);
  }
  Flush();
}

void SimulatedVenue::ForgetComplex(uint64_t tag) {
  auto it = complex_orders_.find(tag);
  if (it == complex_orders_.end()) return;
  complex_tag_by_key_.erase(OrderKey{it->second.participant.value(), it->second.order_id.value()});
  complex_orders_.erase(it);
  aop_complex_orders_.erase(tag);
}

void SimulatedVenue::OnComplexExecution(const ComplexExecution& execution) {
  const uint64_t execution_id = next_execution_id_++;
  const core::Timestamp now = scheduler_->Now();
  int64_t contracts_per_unit = 0;
  for (const LegExecution& leg : execution.legs) contracts_per_unit += leg.quantity.value();
  const core::Quantity contracts(contracts_per_unit);
  const auto fill_for = [&](const ComplexExecutionParty& party) {
    auto it = complex_orders_.find(party.tag);
    if (it == complex_orders_.end()) return;  // cannot happen: every complex order is registered
    ComplexRecord& record = it->second;
    record.filled += execution.units;
    ComplexFill fill;
    fill.venue = config_.id;
    fill.participant = record.participant;
    fill.order_id = record.order_id;
    fill.combo = record.combo;
    fill.side = record.side;
    fill.net_price = execution.net_price;
    fill.quantity = execution.units;
    fill.leaves_quantity = party.leaves;
    fill.liquidity = party.liquidity;
    const core::Price fee_per_contract = party.liquidity == Liquidity::kAdded
                                             ? config_.maker_fee_per_contract
                                             : config_.taker_fee_per_contract;
    fill.fee = core::Money::Notional(fee_per_contract, contracts, 1);
    fill.execution_id = execution_id;
    fill.legs = execution.legs;
    if (party.side == core::Side::kSell) {
      for (LegExecution& leg : fill.legs) leg.side = core::Opposite(leg.side);
    }
    fill.time = now;
    pending_.emplace_back(record.participant, std::move(fill));
    if (auto protected_order = aop_complex_orders_.find(party.tag);
        protected_order != aop_complex_orders_.end()) {
      protected_order->second.leaves = party.leaves;
    }
    if (party.leaves.is_zero()) ForgetComplex(party.tag);
  };
  fill_for(execution.incoming);
  if (execution.resting.has_value()) fill_for(*execution.resting);
}

void SimulatedVenue::OnComplexCancelled(uint64_t tag, CancelReason reason,
                                        core::Quantity quantity) {
  auto it = complex_orders_.find(tag);
  if (it == complex_orders_.end()) return;
  OrderCancelled event;
  event.venue = config_.id;
  event.participant = it->second.participant;
  event.order_id = it->second.order_id;
  event.reason = reason;
  event.cancelled_quantity = quantity;
  event.time = scheduler_->Now();
  pending_.emplace_back(it->second.participant, event);
  // A held immediate order keeps its held part open until its packages resolve.
  if (!complex_book_->Find(tag).has_value()) ForgetComplex(tag);
}

void SimulatedVenue::OnComplexTop(core::ComboId combo, const core::TopOfBook& top) {
  core::NativeComboUpdate update;
  update.venue = config_.id;
  update.combo = combo;
  update.sequence = ++combo_sequence_[combo];
  update.top = top;
  update.time = scheduler_->Now();
  pending_market_data_.emplace_back(update);
}

void SimulatedVenue::ScheduleComplexWakeUp(core::Timestamp when) {
  scheduler_->ScheduleAt(when, [self = self_]() {
    if (*self == nullptr) return;
    (*self)->complex_book_->OnWakeUp();
    (*self)->Flush();
  });
}

void SimulatedVenue::ProcessCancel(const CancelRequest& request) {
  if (auto complex =
          complex_tag_by_key_.find({request.participant.value(), request.order_id.value()});
      complex != complex_tag_by_key_.end()) {
    ProcessComplexCancel(complex->second);
    return;
  }
  auto key_it = tag_by_key_.find({request.participant.value(), request.order_id.value()});
  if (key_it == tag_by_key_.end()) {
    Reject(request.participant, request.order_id, RequestKind::kCancel, RejectCode::kUnknownOrder,
           absl::StrCat(OrderName(request.participant, request.order_id), " is not open"));
    Flush();
    return;
  }
  const uint64_t tag = key_it->second;
  OrderRecord& record = orders_.at(tag);
  const std::optional<core::Quantity> removed =
      books_.at(record.instrument)->book().Cancel(record.handle);
  OrderCancelled event;
  event.venue = config_.id;
  event.participant = record.participant;
  event.order_id = record.order_id;
  event.reason = CancelReason::kRequested;
  event.cancelled_quantity = removed.value_or(core::Quantity::Zero());
  event.time = scheduler_->Now();
  pending_.emplace_back(record.participant, event);
  Forget(tag);
  Flush();
}

void SimulatedVenue::ProcessReplace(const ReplaceRequest& request) {
  if (auto complex =
          complex_tag_by_key_.find({request.participant.value(), request.order_id.value()});
      complex != complex_tag_by_key_.end()) {
    ProcessComplexReplace(request, complex->second);
    return;
  }
  auto key_it = tag_by_key_.find({request.participant.value(), request.order_id.value()});
  if (key_it == tag_by_key_.end()) {
    Reject(request.participant, request.order_id, RequestKind::kReplace, RejectCode::kUnknownOrder,
           absl::StrCat(OrderName(request.participant, request.order_id), " is not open"));
    Flush();
    return;
  }
  const uint64_t tag = key_it->second;
  OrderRecord& record = orders_.at(tag);
  OrderBook& book = books_.at(record.instrument)->book();
  if (!request.total_quantity.is_positive()) {
    Reject(request.participant, request.order_id, RequestKind::kReplace,
           RejectCode::kInvalidQuantity,
           absl::StrCat("quantity ", request.total_quantity.value(), " is not positive"));
    Flush();
    return;
  }
  const core::Quantity leaves = request.total_quantity - record.filled;
  if (!leaves.is_positive()) {
    // Done for the day, as in FIX: the new total is at or below what has filled.
    const std::optional<core::Quantity> removed = book.Cancel(record.handle);
    OrderCancelled event;
    event.venue = config_.id;
    event.participant = record.participant;
    event.order_id = record.order_id;
    event.reason = CancelReason::kReplacedBelowFilled;
    event.cancelled_quantity = removed.value_or(core::Quantity::Zero());
    event.time = scheduler_->Now();
    pending_.emplace_back(record.participant, event);
    Forget(tag);
    Flush();
    return;
  }
  if (auto rejection = book.CheckReplace(record.handle, request.limit_price, leaves);
      rejection.has_value()) {
    Reject(request.participant, request.order_id, RequestKind::kReplace, rejection->code,
           std::move(rejection->reason));
    Flush();
    return;
  }
  const std::optional<RestingOrderView> before = book.Find(record.handle);
  OrderRestated restated;
  restated.venue = config_.id;
  restated.participant = record.participant;
  restated.order_id = record.order_id;
  restated.reason = RestatementReason::kReplaced;
  restated.limit_price = request.limit_price;
  restated.leaves_quantity = leaves;
  restated.priority = before->limit_price == request.limit_price && leaves <= before->leaves
                          ? QueuePriority::kKept
                          : QueuePriority::kLost;
  restated.time = scheduler_->Now();
  pending_.emplace_back(record.participant, restated);
  record.total_quantity = request.total_quantity;
  const core::Side side = record.side;
  const ReplaceResult result = book.Replace(record.handle, request.limit_price, leaves);
  if (!result.resting.is_positive()) {
    Forget(tag);
  } else if (aop_orders_.contains(tag)) {
    // The owner's new limit is the new original; protection starts again from it.
    AopTrack(tag, side, request.limit_price, result.resting);
    AopOnQuote(book.config().instrument);
  }
  Flush();
}

SimulatedVenue::OrderRecord* SimulatedVenue::FindByTag(uint64_t tag) {
  auto it = orders_.find(tag);
  return it == orders_.end() ? nullptr : &it->second;
}

void SimulatedVenue::Forget(uint64_t tag) {
  auto it = orders_.find(tag);
  if (it == orders_.end()) return;
  tag_by_key_.erase(OrderKey{it->second.participant.value(), it->second.order_id.value()});
  orders_.erase(it);
  aop_orders_.erase(tag);
}

void SimulatedVenue::OnBookTrade(OrderBook& book, const BookTrade& trade) {
  const uint64_t execution_id = next_execution_id_++;
  const core::Timestamp now = scheduler_->Now();
  const auto fill_for = [&](uint64_t tag, core::Quantity leaves, Liquidity liquidity) {
    OrderRecord* record = FindByTag(tag);
    if (record == nullptr) return;  // cannot happen: every order in a book is registered
    record->filled += trade.quantity;
    Fill fill;
    fill.venue = config_.id;
    fill.participant = record->participant;
    fill.order_id = record->order_id;
    fill.instrument = record->instrument;
    fill.side = record->side;
    fill.price = trade.price;
    fill.quantity = trade.quantity;
    fill.leaves_quantity = leaves;
    fill.liquidity = liquidity;
    const core::Price fee_per_contract = liquidity == Liquidity::kAdded
                                             ? config_.maker_fee_per_contract
                                             : config_.taker_fee_per_contract;
    fill.fee = core::Money::Notional(fee_per_contract, trade.quantity, 1);
    fill.execution_id = execution_id;
    fill.time = now;
    pending_.emplace_back(record->participant, fill);
  };
  fill_for(trade.resting_tag, trade.resting_leaves, Liquidity::kAdded);
  fill_for(trade.incoming_tag, trade.incoming_leaves, Liquidity::kRemoved);
  for (const auto& [tag, leaves] : {std::pair{trade.resting_tag, trade.resting_leaves},
                                    std::pair{trade.incoming_tag, trade.incoming_leaves}}) {
    if (auto it = aop_orders_.find(tag); it != aop_orders_.end()) it->second.leaves = leaves;
  }
  if (trade.resting_leaves.is_zero()) Forget(trade.resting_tag);
  // The incoming order is forgotten by its caller once matching ends (it may still rest).

  core::TradePrint print;
  print.venue = config_.id;
  print.instrument = book.config().instrument;
  print.sequence = ++trade_sequence_[print.instrument];
  print.price = trade.price;
  print.quantity = trade.quantity;
  print.aggressor = trade.incoming_side;
  print.time = now;
  pending_market_data_.emplace_back(print);
}

void SimulatedVenue::OnBookCancel(uint64_t tag, CancelReason reason, core::Quantity quantity) {
  OrderRecord* record = FindByTag(tag);
  if (record == nullptr) return;
  // Latency protection: the untraded rest of an IOC / market order is cancelled while its held
  // part stays open until its holds resolve (D7).
  const bool still_held = latency_guard_ != nullptr && latency_guard_->HasPendingHold(tag) &&
                          reason == CancelReason::kImmediateOrCancel;
  OrderCancelled event;
  event.venue = config_.id;
  event.participant = record->participant;
  event.order_id = record->order_id;
  event.reason = reason;
  event.cancelled_quantity = quantity;
  event.time = scheduler_->Now();
  pending_.emplace_back(record->participant, event);
  if (!still_held) Forget(tag);
}

void SimulatedVenue::OnBookLevel(OrderBook& book, core::Side side, core::Price price,
                                 core::Quantity quantity, uint64_t sequence) {
  core::LegBookUpdate update;
  update.venue = config_.id;
  update.instrument = book.config().instrument;
  update.sequence = sequence;
  update.side = side;
  update.price = price;
  update.quantity = quantity;
  // Level updates come after the book operation completes: this is the step's final top.
  update.top = book.Top();
  update.time = scheduler_->Now();
  pending_market_data_.emplace_back(update);
  // A leg's best bid/offer may have changed: a trigger for the complex book (seed 001 R10).
  if (complex_book_ != nullptr) complex_book_->OnLegBookChanged(update.instrument);
}

void SimulatedVenue::Flush() {
  // The step's leg-book changes re-evaluate the complex book before the step's events leave.
  if (complex_book_ != nullptr) complex_book_->ProcessPending();
  const core::Timestamp now = scheduler_->Now();
  const OutboundLatency& out = config_.latency.outbound;
  for (auto& [participant, event] : pending_) {
    const LatencySpec& latency = std::visit(
        [&out](const auto& e) -> const LatencySpec& {
          using T = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<T, OrderAcked>) return out.ack;
          if constexpr (std::is_same_v<T, OrderRejected>) return out.reject;
          if constexpr (std::is_same_v<T, Fill>) return out.fill;
          if constexpr (std::is_same_v<T, ComplexFill>) return out.fill;
          if constexpr (std::is_same_v<T, OrderCancelled>) return out.cancelled;
          if constexpr (std::is_same_v<T, TradePending> || std::is_same_v<T, TradeVoided>) {
            return out.fill;
          }
          return out.restated;
        },
        event);
    core::Timestamp& last = last_outbound_[participant];
    const core::Timestamp when = std::max(now + Draw(latency), last);
    last = when;
    scheduler_->ScheduleAt(when,
                           [self = self_, participant = participant, event = std::move(event)]() {
                             if (*self == nullptr) return;
                             auto session = (*self)->sessions_.find(participant);
                             if (session == (*self)->sessions_.end()) return;
                             VenueListener* listener = session->second;
                             std::visit(
                                 [listener](const auto& e) {
                                   using T = std::decay_t<decltype(e)>;
                                   if constexpr (std::is_same_v<T, OrderAcked>) listener->OnAck(e);
                                   if constexpr (std::is_same_v<T, OrderRejected>)
                                     listener->OnReject(e);
                                   if constexpr (std::is_same_v<T, Fill>) listener->OnFill(e);
                                   if constexpr (std::is_same_v<T, ComplexFill>)
                                     listener->OnComplexFill(e);
                                   if constexpr (std::is_same_v<T, OrderCancelled>)
                                     listener->OnCancelled(e);
                                   if constexpr (std::is_same_v<T, OrderRestated>)
                                     listener->OnRestated(e);
                                   if constexpr (std::is_same_v<T, TradePending>)
                                     listener->OnTradePending(e);
                                   if constexpr (std::is_same_v<T, TradeVoided>)
                                     listener->OnTradeVoided(e);
                                 },
                                 event);
                           });
  }
  pending_.clear();
  for (MarketDataEvent& event : pending_market_data_) {
    for (MarketDataListener* subscriber : subscribers_) {
      core::Timestamp& last = last_market_data_[subscriber];
      const core::Timestamp when = std::max(now + Draw(out.market_data), last);
      last = when;
      scheduler_->ScheduleAt(when, [self = self_, subscriber, event]() {
        if (*self == nullptr) return;
        const auto& subscribers = (*self)->subscribers_;
        if (std::find(subscribers.begin(), subscribers.end(), subscriber) == subscribers.end()) {
          return;
        }
        std::visit(
            [subscriber](const auto& e) {
              using T = std::decay_t<decltype(e)>;
              if constexpr (std::is_same_v<T, core::LegBookUpdate>) subscriber->OnLegBookUpdate(e);
              if constexpr (std::is_same_v<T, core::TradePrint>) subscriber->OnTradePrint(e);
              if constexpr (std::is_same_v<T, AopStatusChanged>) subscriber->OnAopStatus(e);

              if constexpr (std::is_same_v<T, core::NativeComboUpdate>) {
                subscriber->OnNativeComboUpdate(e);
              }
            },
            event);
      });
    }
  }
  pending_market_data_.clear();
}

// Automated order protection (seed 004). The venue's covered resting leg orders are the
// "client bid/offers"; the third-party market is the consolidated market of the source venues.

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
  if (auto complex = complex_tag_by_key_.find({participant.value(), order_id.value()});
      complex != complex_tag_by_key_.end()) {
    auto it = aop_complex_orders_.find(complex->second);
    if (it == aop_complex_orders_.end()) return std::nullopt;
    return it->second;
  }
  auto key = tag_by_key_.find({participant.value(), order_id.value()});
  if (key == tag_by_key_.end()) return std::nullopt;
  auto it = aop_orders_.find(key->second);
  if (it == aop_orders_.end()) return std::nullopt;
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
    if (orders_.at(tag).instrument == instrument) tags.push_back(tag);
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
    if (orders_.at(tag).instrument == print.instrument) tags.push_back(tag);
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
  pending_market_data_.emplace_back(std::move(status));
  if (state == aop::FeedState::kFresh) {
    // F3: the first fresh data runs as a price-only update for every protected instrument.
    std::set<core::InstrumentId> instruments;
    for (const auto& [tag, order] : aop_orders_) instruments.insert(orders_.at(tag).instrument);
    for (core::InstrumentId instrument : instruments) AopOnQuote(instrument);
    AopOnComplexQuote(std::nullopt);
  }
}

void SimulatedVenue::AopApply(uint64_t tag, const aop::Reprice& reprice) {
  OrderRecord* record = FindByTag(tag);
  aop::ProtectedOrder& order = aop_orders_.at(tag);
  OrderBook& book = books_.at(record->instrument)->book();
  // A third-party level may be off this venue's tick: round in the client's favour (a bid
  // down, an offer up), which keeps the level within the original limit.
  const absl::StatusOr<core::Price> rounded = reprice.to.RoundToTick(
      book.config().tick_size,
      order.side == core::Side::kBuy ? core::RoundingMode::kDown : core::RoundingMode::kUp);
  const std::optional<RestingOrderView> resting = book.Find(record->handle);
  if (!rounded.ok() || !resting.has_value() ||
      book.CheckReplace(record->handle, *rounded, resting->leaves).has_value()) {
    // The book cannot take the level: the order stays where the book has it.
    if (resting.has_value()) order.level = resting->limit_price;
    order.aop_flag = order.level != order.original;
    return;
  }
  order.level = *rounded;
  order.aop_flag = order.level != order.original;
  if (resting->limit_price == *rounded) return;
  OrderRestated restated;
  restated.venue = config_.id;
  restated.participant = record->participant;
  restated.order_id = record->order_id;
  restated.reason = aop::RestatementReasonFor(reprice.basis);
  restated.limit_price = *rounded;
  restated.leaves_quantity = resting->leaves;
  // Spec 6.1's recommended policy: a venue-initiated reprice keeps the original time priority.
  restated.priority = QueuePriority::kKept;
  restated.time = scheduler_->Now();
  pending_.emplace_back(record->participant, restated);
  AopCount(reprice.basis);
  const ReplaceResult result = book.RepriceKeepingTime(record->handle, *rounded);
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
    AopApplyComplex(tag, *reprice);
  }
}

void SimulatedVenue::AopOnComplexQuote(std::optional<core::InstrumentId> instrument) {
  if (aop_complex_orders_.empty() || aop_market_->stale()) return;
  std::vector<uint64_t> tags;
  for (const auto& [tag, order] : aop_complex_orders_) tags.push_back(tag);
  for (uint64_t tag : tags) {
    auto it = aop_complex_orders_.find(tag);
    if (it == aop_complex_orders_.end()) continue;  // traded by an earlier reprice of this pass
    const core::ComboId combo = complex_orders_.at(tag).combo;
    const std::vector<aop::ImpliedLeg>& legs = aop_combo_legs_.at(combo);
    if (instrument.has_value() &&
        std::none_of(legs.begin(), legs.end(),
                     [&](const aop::ImpliedLeg& leg) { return leg.instrument == *instrument; })) {
      continue;
    }
    const std::vector<core::PriceLevel> contra = AopImpliedContra(combo, it->second.side);
    if (auto reprice = aop::OnQuote(it->second, aop::ContraMarket{contra}, config_.aop.protection,
                                    scheduler_->Now())) {
      AopApplyComplex(tag, *reprice);
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
    const core::ComboId combo = complex_orders_.at(tag).combo;
    // A leg trade is a synthetic combo trade at its price plus the other legs' contra tops.
    const std::optional<core::TradePrint> synthetic =
        aop::SyntheticComboTrade(aop_combo_legs_.at(combo), *aop_market_, it->second.side, print);
    if (!synthetic.has_value() || !synthetic->quantity.is_positive()) continue;
    const std::vector<core::PriceLevel> contra = AopImpliedContra(combo, it->second.side);
    if (auto reprice =
            aop::OnTrade(it->second, synthetic->price, synthetic->quantity,
                         aop::ContraMarket{contra}, config_.aop.protection, scheduler_->Now())) {
      AopApplyComplex(tag, *reprice);
    }
  }
}

void SimulatedVenue::AopApplyComplex(uint64_t tag, const aop::Reprice& reprice) {
  aop::ProtectedOrder& order = aop_complex_orders_.at(tag);
  const std::optional<ComplexOrderView> view = complex_book_->Find(tag);
  // An implied level may be off the net tick: round in the client's favour (a bid down, an
  // offer up), which keeps the level within the original limit.
  const absl::StatusOr<core::Price> rounded = reprice.to.RoundToTick(
      config_.complex_book.net_tick,
      order.side == core::Side::kBuy ? core::RoundingMode::kDown : core::RoundingMode::kUp);
  if (!rounded.ok() || !view.has_value() ||
      complex_book_->CheckReplace(tag, *rounded, view->leaves).has_value()) {
    if (view.has_value()) order.level = view->limit_price;
    order.aop_flag = order.level != order.original;
    return;
  }
  order.level = *rounded;
  order.aop_flag = order.level != order.original;
  if (view->limit_price == *rounded) return;
  const ComplexRecord& record = complex_orders_.at(tag);
  OrderRestated restated;
  restated.venue = config_.id;
  restated.participant = record.participant;
  restated.order_id = record.order_id;
  restated.reason = aop::RestatementReasonFor(reprice.basis);
  restated.limit_price = *rounded;
  restated.leaves_quantity = view->leaves;
  restated.priority = QueuePriority::kKept;
  restated.time = scheduler_->Now();
  pending_.emplace_back(record.participant, restated);
  AopCount(reprice.basis);
  // May trade at once (a new level that meets an inverse order or the legs): fills forget it.
  complex_book_->RepriceKeepingTime(tag, *rounded);
}

// Latency protection (seed 002). The books hold matches through LatencyInterceptor; the guard
// keeps the timers; at expiry the venue resolves the hold in its book and reports the outcome.

absl::Status SimulatedVenue::ConnectLatency(core::ParticipantId participant,
                                            LatencyListener* listener) {
  if (latency_guard_ == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("venue ", config_.name, " does not run latency protection"));
  }
  if (listener == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("venue ", config_.name, ": participant ",
                                                   participant.value(), " has a null listener"));
  }
  latency_listeners_[participant] = listener;
  return absl::OkStatus();
}

absl::Status SimulatedVenue::SubmitTestOrder(const TestOrder& order) {
  if (latency_guard_ == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("venue ", config_.name, " does not run latency protection"));
  }
  if (!latency_listeners_.contains(order.participant)) {
    return absl::FailedPreconditionError(absl::StrCat("venue ", config_.name, ": participant ",
                                                      order.participant.value(),
                                                      " has no latency session (ConnectLatency)"));
  }
  if (order.instrument != config_.latency_protection.test_instrument) {
    return absl::InvalidArgumentError(absl::StrCat(
        "venue ", config_.name, ": a test order names instrument ", order.instrument.value(),
        ", not the test instrument ", config_.latency_protection.test_instrument.value()));
  }
  SendInbound(order.participant, config_.latency.inbound.new_order, [order](SimulatedVenue& venue) {
    const core::Timestamp now = venue.scheduler_->Now();
    // R3: the acceptance is made once the order left the inbound queue.
    TestOrderAccepted accepted;
    accepted.venue = venue.config_.id;
    accepted.participant = order.participant;
    accepted.test_id = order.test_id;
    accepted.sent_time = order.sent_time;
    accepted.received_time = now;
    accepted.one_way = std::max(now - order.sent_time, core::Duration::Zero());
    accepted.time = now;
    venue.SendLatencyEvent(order.participant, [accepted](LatencyListener& listener) {
      listener.OnTestOrderAccepted(accepted);
    });
    venue.LatencyRecord(order.participant, LatencySource::kVenueOneWay, now - order.sent_time);
  });
  return absl::OkStatus();
}

absl::Status SimulatedVenue::ReportLatency(core::ParticipantId participant,
                                           core::Duration round_trip) {
  if (latency_guard_ == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("venue ", config_.name, " does not run latency protection"));
  }
  if (!latency_listeners_.contains(participant)) {
    return absl::FailedPreconditionError(absl::StrCat("venue ", config_.name, ": participant ",
                                                      participant.value(),
                                                      " has no latency session (ConnectLatency)"));
  }
  if (round_trip < core::Duration::Zero()) {
    return absl::InvalidArgumentError(
        absl::StrCat("venue ", config_.name, ": participant ", participant.value(),
                     " reported a negative latency (", round_trip.nanoseconds(), " ns)"));
  }
  const core::Duration logged = std::min(round_trip, config_.latency_protection.reported_cap);
  SendInbound(participant, config_.latency.inbound.new_order,
              [participant, logged](SimulatedVenue& venue) {
                venue.LatencyRecord(participant, LatencySource::kReportedRoundTrip, logged);
              });
  return absl::OkStatus();
}

void SimulatedVenue::LatencyRecord(core::ParticipantId participant, LatencySource source,
                                   core::Duration value) {
  LatencyEntry entry;
  entry.participant = participant;
  entry.source = source;
  entry.value = value;
  entry.time = scheduler_->Now();
  latency_guard_->log().Record(entry);
  const LatencyProtectionConfig& config = latency_guard_->config();
  LatencyReport report;
  report.venue = config_.id;
  report.participant = participant;
  report.source = source;
  report.logged = latency_guard_->log().History(participant).back().value;
  report.participant_latency =
      latency_guard_->log().Latency(participant, config.measure, config.log_scope);
  report.whole_log_period = latency_guard_->WholeLogPeriod();
  report.time = scheduler_->Now();
  SendLatencyEvent(participant,
                   [report](LatencyListener& listener) { listener.OnLatencyReport(report); });
}

void SimulatedVenue::SendLatencyEvent(core::ParticipantId participant,
                                      std::function<void(LatencyListener&)> deliver) {
  core::Timestamp& last = last_outbound_[participant];
  const core::Timestamp when =
      std::max(scheduler_->Now() + Draw(config_.latency.outbound.ack), last);
  last = when;
  scheduler_->ScheduleAt(when, [self = self_, participant, deliver = std::move(deliver)]() {
    if (*self == nullptr) return;
    auto it = (*self)->latency_listeners_.find(participant);
    if (it != (*self)->latency_listeners_.end()) deliver(*it->second);
  });
}

void SimulatedVenue::LatencyOnHeld(const HeldMatch& hold) {
  const OrderRecord* resting = FindByTag(hold.resting_tag);
  const OrderRecord* incoming = FindByTag(hold.incoming_tag);
  if (resting == nullptr || incoming == nullptr) return;  // every order in a book is registered
  latency_guard_->Hold(hold, resting->order_id, incoming->order_id);
  const core::Timestamp now = scheduler_->Now();
  for (const OrderRecord* record : {resting, incoming}) {
    TradePending event;
    event.venue = config_.id;
    event.participant = record->participant;
    event.order_id = record->order_id;
    event.price = hold.price;
    event.quantity = hold.quantity;
    event.time = now;
    pending_.emplace_back(record->participant, event);
  }
}

void SimulatedVenue::LatencyResolve(const PendingTrade& trade) {
  const HeldMatch& hold = trade.match;
  auto adapter = books_.find(hold.instrument);
  if (adapter == books_.end()) return;
  OrderBook& book = adapter->second->book();
  const bool resting_open = FindByTag(hold.resting_tag) != nullptr;
  const bool incoming_open = FindByTag(hold.incoming_tag) != nullptr;
  const HoldOutcome outcome = book.ResolveHold(hold);
  latency_guard_->CountOutcome(outcome);
  if (outcome.prevented.is_positive()) {
    std::string reason;
    if (!resting_open || !incoming_open) {
      reason = absl::StrCat("order ",
                            (resting_open ? trade.incoming_order : trade.resting_order).value(),
                            " left the book during the hold");
    } else if (outcome.executed.is_positive()) {
      reason = "the open quantity shrank during the hold";
    } else {
      reason = "the orders no longer match at the end of the hold";
    }
    const core::Timestamp now = scheduler_->Now();
    for (const auto& [participant, order_id] :
         {std::pair{hold.resting_owner, trade.resting_order},
          std::pair{hold.incoming_owner, trade.incoming_order}}) {
      TradeVoided event;
      event.venue = config_.id;
      event.participant = participant;
      event.order_id = order_id;
      event.quantity = outcome.prevented;
      event.reason = absl::StrCat("venue ", config_.name, ": ", reason);
      event.time = now;
      pending_.emplace_back(participant, std::move(event));
    }
  }
  // Orders the resolution finished (filled, or an IOC rest cancelled) leave the venue's records.
  for (uint64_t tag : {hold.resting_tag, hold.incoming_tag}) {
    const OrderRecord* record = FindByTag(tag);
    if (record == nullptr) continue;
    const std::optional<RestingOrderView> view = book.Find(record->handle);
    if (!view.has_value() || view->tag != tag) Forget(tag);
  }
  Flush();
}

void SimulatedVenue::LatencyOnPackageHeld(const HeldPackage& package) {
  latency_guard_->HoldPackage(package.id, package.period);
  std::vector<PackageParty>& parties = package_parties_[package.id];
  const core::Timestamp now = scheduler_->Now();
  const auto pending_for = [&](const PackageParty& party, core::Price price) {
    parties.push_back(party);
    TradePending event;
    event.venue = config_.id;
    event.participant = party.participant;
    event.order_id = party.order_id;
    event.price = price;
    event.quantity = party.quantity;
    event.time = now;
    pending_.emplace_back(party.participant, event);
  };
  std::vector<uint64_t> complex_tags{package.incoming.tag};
  if (package.resting.has_value()) complex_tags.push_back(package.resting->tag);
  for (uint64_t tag : complex_tags) {
    auto it = complex_orders_.find(tag);
    if (it == complex_orders_.end()) continue;  // every complex order is registered
    // The net price in the order's own (canonical-side) terms: what the buyer pays.
    pending_for(PackageParty{it->second.participant, it->second.order_id, package.units, 0},
                package.net_price);
  }
  for (const HeldLegOrder& leg_order : package.leg_orders) {
    const OrderRecord* record = FindByTag(leg_order.tag);
    if (record == nullptr) continue;  // every order in a book is registered
    pending_for(
        PackageParty{record->participant, record->order_id, leg_order.quantity, leg_order.tag},
        leg_order.price);
  }
}

void SimulatedVenue::LatencyResolvePackage(uint64_t package_id) {
  const PackageOutcome outcome = complex_book_->ResolvePackage(package_id);
  latency_guard_->CountOutcome(HoldOutcome{outcome.executed, outcome.prevented});
  // A leg order matched again as a survivor (R29(d)) may have finished as the incoming side of
  // its trades, which leaves its record to the caller: forget those no longer in their book.
  for (const HeldLegOrder& leg_order : outcome.leg_orders) {
    const OrderRecord* record = FindByTag(leg_order.tag);
    if (record == nullptr) continue;
    if (!books_.at(record->instrument)->book().FindLive(record->handle, leg_order.tag)) {
      Forget(leg_order.tag);
    }
  }
  auto parties = package_parties_.extract(package_id);
  if (outcome.prevented.is_positive() && !parties.empty()) {
    const core::Timestamp now = scheduler_->Now();
    for (const PackageParty& party : parties.mapped()) {
      core::Quantity voided = outcome.prevented;
      if (party.leg_tag != 0) {
        // A leg order's part: what it was held for less what the package traded with it.
        voided = party.quantity;
        for (const HeldLegOrder& leg_order : outcome.leg_orders) {
          if (leg_order.tag == party.leg_tag) voided = leg_order.quantity - leg_order.executed;
        }
      }
      if (!voided.is_positive()) continue;
      TradeVoided event;
      event.venue = config_.id;
      event.participant = party.participant;
      event.order_id = party.order_id;
      event.quantity = voided;
      event.reason =
          absl::StrCat("venue ", config_.name, ": package of ", outcome.prevented.value(),
                       " combo units prevented: ", outcome.reason);
      event.time = now;
      pending_.emplace_back(party.participant, std::move(event));
    }
  }
  Flush();
}

}  // namespace combo::venues

// SimulatedVenue: admission, latency, matching steps and event delivery (see simulated_venue.h).
#include "venues/simulated_venue.h"

#include <algorithm>
#include <initializer_list>
#include <set>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
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
  OrderAcked ack;
  ack.venue = config_.id;
  ack.participant = request.participant;
  ack.order_id = request.order_id;
  ack.request = RequestKind::kNew;
  ack.time = scheduler_->Now();
  pending_.emplace_back(request.participant, ack);

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
  OrderAcked ack;
  ack.venue = config_.id;
  ack.participant = request.participant;
  ack.order_id = request.order_id;
  ack.request = RequestKind::kNewComplex;
  ack.time = scheduler_->Now();
  pending_.emplace_back(request.participant, ack);

  ComplexRecord record;
  record.participant = request.participant;
  record.order_id = request.order_id;
  record.combo = request.combo;
  record.side = request.side;
  record.total_quantity = request.quantity;
  complex_orders_.emplace(order.tag, record);
  complex_tag_by_key_[{request.participant.value(), request.order_id.value()}] = order.tag;
  complex_book_->Add(order);
  if (!complex_book_->Find(order.tag).has_value()) ForgetComplex(order.tag);
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
  if (!complex_book_->Find(tag).has_value()) ForgetComplex(tag);
  Flush();
}

void SimulatedVenue::ForgetComplex(uint64_t tag) {
  auto it = complex_orders_.find(tag);
  if (it == complex_orders_.end()) return;
  complex_tag_by_key_.erase(OrderKey{it->second.participant.value(), it->second.order_id.value()});
  complex_orders_.erase(it);
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
  ForgetComplex(tag);
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
  OrderCancelled event;
  event.venue = config_.id;
  event.participant = record->participant;
  event.order_id = record->order_id;
  event.reason = reason;
  event.cancelled_quantity = quantity;
  event.time = scheduler_->Now();
  pending_.emplace_back(record->participant, event);
  Forget(tag);
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
}

void SimulatedVenue::AopOnTrade(const core::TradePrint& print) {
  if (aop_market_->stale()) return;
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
  restated.priority = QueuePriority::kLost;
  restated.time = scheduler_->Now();
  pending_.emplace_back(record->participant, restated);
  const ReplaceResult result = book.Replace(record->handle, *rounded, resting->leaves);
  if (!result.resting.is_positive()) Forget(tag);
}

}  // namespace combo::venues

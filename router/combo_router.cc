#include "router/combo_router.h"

#include <algorithm>
#include <utility>

#include "absl/algorithm/container.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/rounding.h"
#include "core/status.h"
#include "pricing/combo_terms.h"
#include "router/order_checks.h"

namespace combo::router {

namespace {

// The leg executions of leg-in units as the client's report lists them.
std::vector<LegExecutionReport> ReportsOf(const std::vector<LegInExecution>& executions) {
  std::vector<LegExecutionReport> legs;
  legs.reserve(executions.size());
  for (const LegInExecution& leg : executions) {
    legs.push_back(
        LegExecutionReport{leg.instrument, leg.side, leg.venue, leg.price, leg.quantity});
  }
  return legs;
}

using pricing::PriceSource;
using pricing::SmartComboTick;
using pricing::SourcedLevel;

std::string Px(core::Price price) { return price.ToString(); }

// The tick of a combo the pricing engine has no prices for yet.
constexpr SmartComboTick kNoTick{};

// The transitions of a resting order's usual life: received, validated, priced, sent to its
// venue, working there; then a cancel requested, sent and confirmed.
constexpr size_t kUsualTransitions = 8;

core::Money Magnitude(core::Money money) { return money.is_negative() ? -money : money; }

accounts::JournaledOrderType ToJournal(ComboOrderType type) {
  return type == ComboOrderType::kMarket ? accounts::JournaledOrderType::kMarket
                                         : accounts::JournaledOrderType::kLimit;
}

ComboOrderType FromJournal(accounts::JournaledOrderType type) {
  return type == accounts::JournaledOrderType::kMarket ? ComboOrderType::kMarket
                                                       : ComboOrderType::kLimit;
}

accounts::JournaledTimeInForce ToJournal(ComboTimeInForce tif) {
  switch (tif) {
    case ComboTimeInForce::kDay:
      return accounts::JournaledTimeInForce::kDay;
    case ComboTimeInForce::kGoodTillCancel:
      return accounts::JournaledTimeInForce::kGoodTillCancel;
    case ComboTimeInForce::kImmediateOrCancel:
      return accounts::JournaledTimeInForce::kImmediateOrCancel;
    case ComboTimeInForce::kFillOrKill:
      return accounts::JournaledTimeInForce::kFillOrKill;
    case ComboTimeInForce::kGoodTillDate:
      return accounts::JournaledTimeInForce::kGoodTillDate;
  }
  return accounts::JournaledTimeInForce::kDay;
}

ComboTimeInForce FromJournal(accounts::JournaledTimeInForce tif) {
  switch (tif) {
    case accounts::JournaledTimeInForce::kDay:
      return ComboTimeInForce::kDay;
    case accounts::JournaledTimeInForce::kGoodTillCancel:
      return ComboTimeInForce::kGoodTillCancel;
    case accounts::JournaledTimeInForce::kImmediateOrCancel:
      return ComboTimeInForce::kImmediateOrCancel;
    case accounts::JournaledTimeInForce::kFillOrKill:
      return ComboTimeInForce::kFillOrKill;
    case accounts::JournaledTimeInForce::kGoodTillDate:
      return ComboTimeInForce::kGoodTillDate;
  }
  return ComboTimeInForce::kDay;
}

// Execution ids the router gives the leg executions it journals: "legin-N/<instrument>" for a
// leg-in's units, "router-leg-N" for an error-account booking; N counts across both.
constexpr std::string_view kLegInExecutionPrefix = "legin-";
// A native fill's journal key: "venue-<venue id>-<the venue's execution id>".
constexpr std::string_view kNativeExecutionPrefix = "venue-";
constexpr std::string_view kBookingExecutionPrefix = "router-leg-";

// The highest N among the execution ids above that the journal holds (0 if none).
uint64_t LastLegExecutionKey(const accounts::Ledger& ledger) {
  uint64_t last = 0;
  for (const auto& [execution, order] : ledger.executions()) {
    for (std::string_view prefix : {kLegInExecutionPrefix, kBookingExecutionPrefix}) {
      const std::string_view id = execution.second;
      if (!id.starts_with(prefix)) continue;
      const std::string_view number = id.substr(prefix.size(), id.find('/') - prefix.size());
      uint64_t key = 0;
      if (absl::SimpleAtoi(core::AsAbsl(number), &key)) last = std::max(last, key);
    }
  }
  return last;
}

// The legs as the journal describes them (instrument facts included, so it reads on its own).
std::vector<accounts::LegTerms> JournalLegs(const core::ComboSpec& combo,
                                            const core::InstrumentCatalog& instruments) {
  std::vector<accounts::LegTerms> legs;
  for (const core::ComboLeg& leg : combo.legs()) {
    const core::Instrument* instrument = instruments.Find(leg.instrument);
    legs.push_back(accounts::LegTerms{leg.instrument, instrument->symbol(),
                                      instrument->asset_class(), instrument->multiplier(),
                                      leg.ratio, leg.side});
  }
  return legs;
}

absl::StatusOr<core::ComboSpec> SpecOf(const std::vector<accounts::LegTerms>& legs) {
  std::vector<core::ComboLeg> combo_legs;
  for (const accounts::LegTerms& leg : legs) {
    combo_legs.push_back(core::ComboLeg{leg.instrument, leg.ratio, leg.side});
  }
  return core::ComboSpec::Create(std::move(combo_legs));
}

Immediacy ImmediacyOf(ComboTimeInForce tif) {
  switch (tif) {
    case ComboTimeInForce::kImmediateOrCancel:
      return Immediacy::kImmediateOrCancel;
    case ComboTimeInForce::kFillOrKill:
      return Immediacy::kFillOrKill;
    case ComboTimeInForce::kDay:
    case ComboTimeInForce::kGoodTillCancel:
    case ComboTimeInForce::kGoodTillDate:
      return Immediacy::kNone;
  }
  return Immediacy::kNone;
}

}  // namespace

uint64_t LastNativeExecutionId(const accounts::Ledger& ledger, core::VenueId venue) {
  const std::string prefix = absl::StrCat(core::AsAbsl(kNativeExecutionPrefix), venue.value(), "-");
  uint64_t last = 0;
  for (const auto& [execution, order] : ledger.executions()) {
    const std::string_view id = execution.second;
    if (!id.starts_with(prefix)) continue;
    uint64_t number = 0;
    if (absl::SimpleAtoi(core::AsAbsl(id.substr(prefix.size())), &number))
      last = std::max(last, number);
  }
  return last;
}

absl::StatusOr<std::unique_ptr<ComboRouter>> ComboRouter::Create(RouterConfig config,
                                                                 RouterDependencies deps) {
  if (absl::Status status = ValidateRouterConfig(config); !status.ok()) return status;
  if (deps.instruments == nullptr) return absl::InvalidArgumentError("router: instruments is null");
  if (deps.combos == nullptr) return absl::InvalidArgumentError("router: combos is null");
  if (deps.pricing == nullptr) return absl::InvalidArgumentError("router: pricing is null");
  if (deps.risk == nullptr) return absl::InvalidArgumentError("router: risk is null");
  if (deps.scheduler == nullptr) return absl::InvalidArgumentError("router: scheduler is null");
  if (deps.leg_in == nullptr) return absl::InvalidArgumentError("router: leg_in is null");
  std::set<core::VenueId> seen;
  for (venues::Venue* venue : deps.venues) {
    if (venue == nullptr) return absl::InvalidArgumentError("router: a venue is null");
    if (!seen.insert(venue->id()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("router: venue ", venue->id().value(), " is given twice"));
    }
  }
  std::optional<RouterMetrics> metrics;
  if (deps.registry != nullptr) {
    absl::StatusOr<RouterMetrics> created = RouterMetrics::Create(*deps.registry);
    if (!created.ok()) return created.status();
    metrics = std::move(*created);
  }
  if (deps.clock == nullptr) deps.clock = deps.scheduler;
  auto router = std::unique_ptr<ComboRouter>(new ComboRouter(std::move(config), std::move(deps)));
  router->metrics_ = std::move(metrics);
  if (router->config_.calendar.has_value()) {
    absl::StatusOr<TradingCalendar> calendar = TradingCalendar::Create(*router->config_.calendar);
    if (!calendar.ok()) return calendar.status();
    router->calendar_ = *std::move(calendar);
  }
  for (venues::Venue* venue : router->deps_.venues) {
    if (absl::Status status = venue->Connect(router->config_.participant, router.get());
        !status.ok()) {
      return status;
    }
  }
  router->deps_.pricing->Subscribe(router.get());
  router->deps_.risk->SetTradingControl(router.get());
  return router;
}

ComboRouter::ComboRouter(RouterConfig config, RouterDependencies deps)
    : config_(std::move(config)),
      deps_(std::move(deps)),
      next_order_id_(config_.first_order_id),
      self_(std::make_shared<ComboRouter*>(this)) {
  for (venues::Venue* venue : deps_.venues) venue_ids_.push_back(venue->id());
}

ComboRouter::~ComboRouter() {
  *self_ = nullptr;
  deps_.pricing->Unsubscribe(this);
  deps_.risk->SetTradingControl(nullptr);
}

// --- Lookup ----------------------------------------------------------------------------------

ComboRouter::Order* ComboRouter::FindOrder(core::OrderId id) {
  auto it = orders_.find(id);
  return it == orders_.end() ? nullptr : &it->second;
}

const ComboRouter::Order* ComboRouter::FindOrder(core::OrderId id) const {
  auto it = orders_.find(id);
  return it == orders_.end() ? nullptr : &it->second;
}

ComboRouter::Order* ComboRouter::FindByVenueOrder(core::OrderId venue_order_id) {
  auto it = by_venue_order_id_.find(venue_order_id);
  return it == by_venue_order_id_.end() ? nullptr : FindOrder(it->second);
}

venues::Venue* ComboRouter::VenueById(core::VenueId id) const {
  for (venues::Venue* venue : deps_.venues) {
    if (venue->id() == id) return venue;
  }
  return nullptr;
}

std::optional<core::OrderId> ComboRouter::Find(const core::ClientId& client,
                                               const core::ClientOrderId& client_order_id) const {
  auto it = by_client_order_id_.find({client.value(), client_order_id.value()});
  if (it == by_client_order_id_.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<ComboOrderState> ComboRouter::State(core::OrderId id) const {
  const Order* order = FindOrder(id);
  if (order == nullptr) return absl::NotFoundError(absl::StrCat("no order ", id.value()));
  return order->state;
}

absl::StatusOr<std::vector<StateTransition>> ComboRouter::History(core::OrderId id) const {
  const Order* order = FindOrder(id);
  if (order == nullptr) return absl::NotFoundError(absl::StrCat("no order ", id.value()));
  return order->history;
}

// --- Events out ------------------------------------------------------------------------------

void ComboRouter::Transition(Order& order, ComboOrderState to, std::string reason) {
  StateTransition transition{order.id, order.state, to, deps_.scheduler->Now(), std::move(reason)};
  order.state = to;
  order.history.push_back(std::move(transition));
  // Any transition may change what the next tick decides: the order is decided again until a
  // decision settles it.
  if (order.listed) MoveInIndex(order, IsFinal(to) ? IndexPlace::kNone : IndexPlace::kUnsettled);
  if (observer_ != nullptr) observer_->OnTransition(order.history.back());
}

void ComboRouter::Reject(const NewComboOrder& order, RejectReason reason, std::string text) {
  CountDecision(DecisionOutcome::kRejected);
  Tell(ComboOrderRejected{order.client, order.client_order_id, reason, std::move(text),
                          deps_.scheduler->Now(), RejectedRequest::kNewOrder, order});
}

OrderSnapshot ComboRouter::Snapshot(const Order& order,
                                    const core::ClientOrderId& answering) const {
  OrderSnapshot snapshot;
  snapshot.client = order.terms.client;
  snapshot.client_order_id = answering;
  snapshot.original_client_order_id = order.current_client_order_id;
  snapshot.order_id = order.id;
  snapshot.account = order.terms.account;
  snapshot.side = order.terms.side;
  snapshot.type = order.terms.type;
  snapshot.time_in_force = order.terms.time_in_force;
  snapshot.security_id = order.terms.security_id;
  snapshot.combo_multiplier = order.combo_multiplier;
  snapshot.legs = order.legs;
  snapshot.order_quantity = order.terms.quantity;
  snapshot.cumulative_quantity = order.canonical.ToClient(order.filled);
  snapshot.leaves_quantity = IsFinal(order.state)
                                 ? core::Quantity::Zero()
                                 : order.terms.quantity - snapshot.cumulative_quantity;
  // A market order's limit is the one its collar gave it at arrival (docs/FIX.md).
  snapshot.limit_price = order.terms.type == ComboOrderType::kMarket && order.limit.has_value()
                             ? std::optional<core::Price>(order.canonical.ToClient(*order.limit))
                             : order.terms.limit_price;
  if (order.filled.is_positive()) {
    // Exact totals; the one rounding is here, to the price grid, half-even (docs/ROUTER.md).
    absl::StatusOr<core::Price> average =
        order.filled_value.DivideToPrice(order.filled.value(), core::RoundingMode::kHalfEven);
    if (average.ok()) snapshot.average_price = order.canonical.ToClient(*average);
  }
  switch (order.state) {
    case ComboOrderState::kFilled:
      snapshot.status = ClientOrderStatus::kFilled;
      break;
    case ComboOrderState::kCancelled:
      snapshot.status = order.expired ? ClientOrderStatus::kExpired : ClientOrderStatus::kCanceled;
      break;
    case ComboOrderState::kRejected:
      snapshot.status = ClientOrderStatus::kRejected;
      break;
    default:
      if (order.pending.kind == PendingKind::kCancel) {
        snapshot.status = ClientOrderStatus::kPendingCancel;
      } else if (order.pending.kind == PendingKind::kReplace) {
        snapshot.status = ClientOrderStatus::kPendingReplace;
      } else if (snapshot.cumulative_quantity.is_positive()) {
        snapshot.status = ClientOrderStatus::kPartiallyFilled;
      } else {
        snapshot.status = ClientOrderStatus::kNew;
      }
  }
  return snapshot;
}

// --- Journal ---------------------------------------------------------------------------------

void ComboRouter::Journal(accounts::JournalEvent event, absl::AnyInvocable<void() &&> report) {
  if (deps_.accounts == nullptr) {
    std::move(report)();
    return;
  }
  const accounts::EventKind kind = accounts::KindOf(event);
  const core::OrderId order = accounts::OrderOf(event).value_or(core::OrderId{});
  absl::Status status = deps_.accounts->Record(
      std::move(event),
      [self = self_, kind, order, report = std::move(report)](absl::Status durable) mutable {
        if (*self == nullptr) return;
        if (!durable.ok()) {
          (*self)->OnJournalRefused(order, kind, durable);
          return;
        }
        std::move(report)();
      });
  if (!status.ok()) OnJournalRefused(order, kind, status);
}

void ComboRouter::OnJournalRefused(core::OrderId order, accounts::EventKind kind,
                                   const absl::Status& status) {
  ++journal_failures_;
  if (metrics_.has_value()) metrics_->JournalRefusal();
  if (observer_ != nullptr) {
    observer_->OnJournalRefused(order, accounts::ToString(kind), core::AsStd(status.message()));
  }
}

void ComboRouter::Tell(Report report) {
  if (listener_ == nullptr) return;
  if (deps_.accounts == nullptr) {
    std::visit([this](auto& event) { Deliver(event); }, report);
    return;
  }
  // Behind the reports of the events recorded before it (a burst holds their commit).
  deps_.accounts->AfterRecorded([self = self_, report = std::move(report)]() mutable {
    if (*self == nullptr || (*self)->listener_ == nullptr) return;
    std::visit([&](auto& event) { (*self)->Deliver(event); }, report);
  });
}

void ComboRouter::Deliver(const ComboOrderRejected& event) { listener_->OnRejected(event); }
void ComboRouter::Deliver(const CancelRejected& event) { listener_->OnCancelRejected(event); }
void ComboRouter::Deliver(const ComboOrderStatusReport& event) { listener_->OnStatus(event); }
void ComboRouter::Deliver(const ComboOrderPending& event) { listener_->OnPending(event); }
void ComboRouter::Deliver(const ComboOrderRestated& event) { listener_->OnRestated(event); }

void ComboRouter::BeginBurst() {
  if (deps_.accounts != nullptr) deps_.accounts->HoldCommits();
}

void ComboRouter::EndBurst() {
  if (deps_.accounts != nullptr) deps_.accounts->ReleaseCommits();
}

void ComboRouter::JournalLegFills(const Order& order, const std::vector<LegExecutionReport>& legs,
                                  std::string_view execution_key, core::Timestamp time) {
  // A leg executed more than once in one fill (slices at several venues, or twice at one) gets
  // "/2", "/3", ... after its first execution's id, so each is booked.
  std::map<std::pair<core::VenueId, core::InstrumentId>, int> seen;
  for (const LegExecutionReport& leg : legs) {
    const int repeat = ++seen[{leg.venue, leg.instrument}];
    std::string id = absl::StrCat(core::AsAbsl(execution_key), "/", leg.instrument.value());
    if (repeat > 1) absl::StrAppend(&id, "/", repeat);
    Journal(accounts::LegFill{order.id, leg.venue, std::move(id), leg.instrument, leg.side,
                              leg.quantity, leg.price, time},
            [] {});
  }
}

void ComboRouter::BookToErrorAccount(core::OrderId order, const std::vector<LegInExecution>& legs,
                                     std::string_view reason, core::Timestamp time,
                                     LegsJournaled journaled) {
  error_account_legs_.insert(error_account_legs_.end(), legs.begin(), legs.end());
  for (const LegInExecution& leg : legs) {
    error_account_bookings_.push_back(ErrorAccountBooking{order, leg, std::string(reason)});
    if (journaled == LegsJournaled::kNo) {
      const std::string key =
          absl::StrCat(core::AsAbsl(kBookingExecutionPrefix), next_leg_execution_key_++);
      Journal(accounts::LegFill{order, leg.venue, key, leg.instrument, leg.side, leg.quantity,
                                leg.price, time},
              [] {});
    }
    Journal(accounts::ErrorAccountBooking{accounts::ErrorBookingKind::kLegInFailure, order,
                                          leg.instrument, leg.side, leg.quantity, leg.price,
                                          std::string(reason), time},
            [] {});
  }
}

// --- OrderEntry ------------------------------------------------------------------------------

absl::StatusOr<ComboDefinition> ComboRouter::DefineCombo(const core::ComboSpec& combo) {
  // Checked in the client's leg order, so an error names the leg as the client numbered it.
  absl::StatusOr<pricing::ComboTerms> requested =
      pricing::ComboTerms::Create(combo, *deps_.instruments);
  if (!requested.ok()) return requested.status();
  core::CanonicalCombo canonical = core::Canonicalize(combo);
  // The definition describes the combo its SecurityID trades, the canonical one: its legs and
  // its multiplier go together (a 2:2 request is defined as the 1:1 combo, multiplier 100, and
  // one requested unit is unit_factor of its units).
  absl::StatusOr<pricing::ComboTerms> terms =
      pricing::ComboTerms::Create(canonical.spec, *deps_.instruments);
  if (!terms.ok()) return terms.status();
  absl::StatusOr<core::ComboId> id = deps_.combos->Intern(canonical.spec);
  if (!id.ok()) return id.status();
  if (absl::Status status = deps_.pricing->Track(*id); !status.ok()) return status;
  if (defined_combos_.insert(*id).second && deps_.accounts != nullptr) {
    // A restarted router gives the combo the same id: clients keep trading it by SecurityID.
    Journal(accounts::ComboDefined{*id, JournalLegs(canonical.spec, *deps_.instruments),
                                   deps_.scheduler->Now()},
            [] {});
  }
  return ComboDefinition{*id, std::move(canonical), terms->multiplier()};
}

const core::ComboSpec* ComboRouter::FindDefinedCombo(core::ComboId combo) const {
  return defined_combos_.contains(combo) ? deps_.combos->Find(combo) : nullptr;
}

absl::Status ComboRouter::Reconfigure(const RouterConfig& config) {
  COMBO_RETURN_IF_ERROR(ValidateRouterConfig(config));
  if (config.participant != config_.participant) {
    return absl::FailedPreconditionError(
        "router participant applies on restart (the venues know the router by it)");
  }
  if (config.combo_tick != config_.combo_tick) {
    return absl::FailedPreconditionError(
        "router combo_tick applies on restart (open orders' limits are on the running tick)");
  }
  if (config.first_order_id != config_.first_order_id) {
    return absl::FailedPreconditionError(
        "router first_order_id applies on restart (order ids are already handed out)");
  }
  if (config.on_restart != config_.on_restart) {
    return absl::FailedPreconditionError(
        "router on_restart applies on restart (it decides what happens to restored orders)");
  }
  if (config.calendar != config_.calendar) {
    return absl::FailedPreconditionError(
        "calendar applies on restart (the expiries of accepted orders were fixed by it)");
  }
  config_.stability_wait = config.stability_wait;
  // Applies to market orders that arrive from now on.
  config_.market_order_collar = config.market_order_collar;
  config_.cancel_timeout_with_legs_working = config.cancel_timeout_with_legs_working;
  return absl::OkStatus();
}

absl::Status ComboRouter::Submit(const NewComboOrder& request) {
  const core::Timestamp now = deps_.scheduler->Now();
  if (by_client_order_id_.contains({request.client.value(), request.client_order_id.value()})) {
    Reject(request, RejectReason::kDuplicateClientOrderId,
           absl::StrCat("client order id ", request.client_order_id.value(), " is already used"));
    return absl::OkStatus();
  }
  if (std::optional<Refusal> refusal = CheckNewOrder(request)) {
    Reject(request, refusal->reason, std::move(refusal->text));
    return absl::OkStatus();
  }
  absl::StatusOr<pricing::ComboTerms> terms =
      pricing::ComboTerms::Create(request.combo, *deps_.instruments);
  if (!terms.ok()) {
    Reject(request, RejectReason::kUnknownInstrument, std::string(terms.status().message()));
    return absl::OkStatus();
  }
  // The one tick rule (docs/ROUTER.md "Combo tick"): the combo's own, unless configured.
  const core::Price combo_tick = config_.combo_tick.value_or(terms->tick());
  if (request.limit_price.has_value()) {
    if (std::optional<Refusal> refusal = CheckOnTick(*request.limit_price, combo_tick)) {
      Reject(request, refusal->reason, std::move(refusal->text));
      return absl::OkStatus();
    }
  }
  absl::StatusOr<std::optional<core::Timestamp>> expires_at =
      ExpiryOf(request, now, calendar_.has_value() ? &*calendar_ : nullptr, *deps_.instruments);
  if (!expires_at.ok()) {
    Reject(request, RejectReason::kUnsupportedOrder, std::string(expires_at.status().message()));
    return absl::OkStatus();
  }
  core::CanonicalCombo canonical = core::Canonicalize(request.combo);
  absl::StatusOr<core::ComboId> combo = deps_.combos->Intern(canonical.spec);
  if (!combo.ok()) {
    Reject(request, RejectReason::kInvalidCombo, std::string(combo.status().message()));
    return absl::OkStatus();
  }
  if (absl::Status status = deps_.pricing->Track(*combo); !status.ok()) {
    Reject(request, RejectReason::kUnknownInstrument, std::string(status.message()));
    return absl::OkStatus();
  }
  const core::Side canonical_side = canonical.ToCanonical(request.side);
  // A market order's limit: its collar around the best price it would trade against now
  // (docs/ROUTER.md "Immediate orders"). No such price: nothing to protect it by.
  std::optional<CollaredLimit> collared;
  std::string collar_text;
  if (request.type == ComboOrderType::kMarket) {
    const SmartComboTick* tick = deps_.pricing->Tick(*combo);
    const std::optional<SourcedLevel>& level =
        tick == nullptr ? kNoTick.ask : Opposite(*tick, canonical_side);
    if (!level.has_value()) {
      Reject(request, RejectReason::kInvalidPrice,
             absl::StrCat("market order: no ", SideWord(request.side),
                          " for the combo, so no price to set its collar from"));
      return absl::OkStatus();
    }
    absl::StatusOr<CollaredLimit> limit =
        CollarLimit(config_.market_order_collar, canonical_side, level->price, combo_tick);
    if (!limit.ok()) {
      Reject(request, RejectReason::kInvalidPrice,
             absl::StrCat("market order: ", limit.status().message()));
      return absl::OkStatus();
    }
    collared = *limit;
    collar_text =
        absl::StrCat("; market order: limit ", Px(canonical.ToClient(limit->limit)), " = ",
                     SideWord(request.side), " ", Px(canonical.ToClient(level->price)),
                     request.side == core::Side::kBuy ? " + " : " - ", "collar ", Px(limit->width));
  }
  // The limit in the client's terms: the client's own, or the market order's collar.
  const core::Price client_limit =
      collared.has_value() ? canonical.ToClient(collared->limit) : *request.limit_price;

  const core::OrderId id(next_order_id_++);
  Order& order = orders_.try_emplace(id, request, canonical).first->second;
  order.id = id;
  order.current_client_order_id = request.client_order_id;
  order.accepted_at = now;
  order.expires_at = *expires_at;
  order.combo = *combo;
  order.side = canonical_side;
  order.combo_multiplier = terms->multiplier();
  order.combo_tick = combo_tick;
  order.immediacy = ImmediacyOf(request.time_in_force);
  order.legs.reserve(request.combo.size());
  for (const core::ComboLeg& leg : request.combo.legs())
    order.legs.push_back(OrderLeg{leg, {}, {}});
  order.quantity = canonical.ToCanonical(request.quantity);
  order.limit = canonical.ToCanonical(client_limit);
  // A resting order's life is about eight transitions (received to working, then cancelled):
  // room for them at once rather than growing through 1, 2 and 4.
  order.history.reserve(kUsualTransitions);
  order.history.push_back(StateTransition{
      id, ComboOrderState::kReceived, ComboOrderState::kReceived, now,
      absl::StrCat("client ", request.client.value(), " order ", request.client_order_id.value(),
                   ": ", core::AsAbsl(core::ToString(request.side)), " ", request.quantity.value(),
                   " x ", request.combo.ToString(), " @ ",
                   request.limit_price.has_value() ? Px(*request.limit_price) : "market",
                   order.immediacy == Immediacy::kNone
                       ? ""
                       : absl::StrCat(" ", core::AsAbsl(ToString(request.time_in_force))))});
  if (observer_ != nullptr) observer_->OnTransition(order.history.back());

  // Pre-trade checks, in the client's terms.
  std::optional<core::Price> best_opposite;
  if (const SmartComboTick* tick = deps_.pricing->Tick(order.combo); tick != nullptr) {
    if (const auto& level = Opposite(*tick, order.side); level.has_value()) {
      best_opposite = canonical.ToClient(level->price);
    }
  }
  const core::Money notional =
      Magnitude(core::Money::Notional(client_limit, request.quantity, terms->multiplier()));
  risk::OrderCheckRequest check;
  check.client = request.client;
  check.client_order_id = request.client_order_id;
  check.account = request.account;
  check.legs = std::span<const core::ComboLeg>(request.combo.legs());
  check.side = request.side;
  check.quantity = request.quantity;
  check.limit_price = request.limit_price;
  check.combo_tick = combo_tick;
  check.combo_multiplier = terms->multiplier();
  check.best_opposite_price = best_opposite;
  check.notional = notional;
  check.venues = std::span<const core::VenueId>(venue_ids_);
  absl::StatusOr<risk::RiskDecision> decision = deps_.risk->CheckOrder(check);
  if (!decision.ok() || decision->denied()) {
    const std::string text =
        decision.ok() ? decision->Describe() : std::string(decision.status().message());
    Transition(order, ComboOrderState::kRejected, absl::StrCat("risk: ", text));
    const RejectReason reason = decision.ok() && decision->rule() == risk::RiskRule::kTradingHalted
                                    ? RejectReason::kTradingHalted
                                    : RejectReason::kRiskDenied;
    Reject(request, reason, text);
    return absl::OkStatus();
  }
  if (absl::Status status = deps_.risk->OnOrderAccepted(id, request.client, request.client_order_id,
                                                        request.quantity, notional);
      !status.ok()) {
    Transition(order, ComboOrderState::kRejected, absl::StrCat("risk: ", status.message()));
    Reject(request, RejectReason::kRiskDenied, std::string(status.message()));
    return absl::OkStatus();
  }
  by_client_order_id_[{request.client.value(), request.client_order_id.value()}] = id;
  List(order);
  Transition(order, ComboOrderState::kValidated, "passed the pre-trade checks");
  accounts::OrderAccepted journaled{id,
                                    request.account,
                                    request.client_order_id,
                                    request.side,
                                    request.quantity,
                                    client_limit,
                                    JournalLegs(request.combo, *deps_.instruments),
                                    now,
                                    request.client.value(),
                                    ToJournal(request.type),
                                    ToJournal(request.time_in_force),
                                    request.security_id,
                                    order.expires_at};
  Journal(std::move(journaled),
          [this, accepted = ComboOrderAccepted{Snapshot(order, request.client_order_id), now}] {
            if (listener_ != nullptr) listener_->OnAccepted(accepted);
          });
  Transition(order, ComboOrderState::kPriced,
             absl::StrCat("combo ", order.combo.value(), " tracked: ", SideWord(order.side),
                          " side priced", collar_text));
  // The decision alone: the pre-trade checks, the journal and the acknowledgement above are the
  // acknowledgement's latency, which the client measures (docs/BENCHMARKS.md).
  ScheduleExpiry(order);
  const core::Timestamp deciding = deps_.clock->Now();
  Decide(order);
  if (metrics_.has_value()) {
    metrics_->DecisionSeconds((deps_.clock->Now() - deciding).ToSecondsDouble());
  }
  return absl::OkStatus();
}

void ComboRouter::List(Order& order) {
  ComboOrders& listing = orders_by_combo_[order.combo];
  ++listing.listed;
  listing.last_listed = order.id;
  listing.unsettled.insert(order.id);
  order.listed = true;
  order.index_place = IndexPlace::kUnsettled;
}

// --- Restart ---------------------------------------------------------------------------------

absl::Status ComboRouter::Restore(const accounts::Ledger& ledger) {
  if (!orders_.empty() || !restored_orders_.empty()) {
    return absl::FailedPreconditionError("router: Restore runs once, before any order");
  }
  for (const auto& [id, defined] : ledger.defined_combos()) {
    absl::StatusOr<core::ComboSpec> spec = SpecOf(defined.legs);
    absl::Status status =
        spec.ok() ? deps_.combos->InternAs(core::Canonicalize(*spec).spec, id) : spec.status();
    // A combo whose leg expired keeps its id (orders naming it stay consistent) but is no
    // longer priced: an order for it is refused, naming the expired leg.
    const bool leg_expired = absl::c_any_of(defined.legs, [&](const accounts::LegTerms& leg) {
      return deps_.instruments->Find(leg.instrument) == nullptr &&
             deps_.instruments->FindExpired(leg.instrument) != nullptr;
    });
    if (status.ok() && !leg_expired) status = deps_.pricing->Track(id);
    if (!status.ok()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "combo ", id.value(),
          " defined before the restart cannot keep its SecurityID: ", status.message()));
    }
    defined_combos_.insert(id);
  }
  if (std::optional<core::OrderId> last = ledger.max_order_id(); last.has_value()) {
    next_order_id_ = std::max(next_order_id_, last->value() + 1);
  }
  // The executions this run names continue after the journal's: the ledger books a (venue,
  // execution id) once, so a reused id would refuse the leg fill and the combo fill after it.
  next_leg_execution_key_ = std::max(next_leg_execution_key_, LastLegExecutionKey(ledger) + 1);
  for (const auto& [id, record] : ledger.orders()) SettleInterruptedLegs(record);
  for (const auto& [id, record] : ledger.orders()) {
    const bool finished = record.state == accounts::OrderState::kFilled ||
                          record.state == accounts::OrderState::kCancelled;
    absl::Status status = RestoreOrder(record, finished);
    // A finished order is back only so that status and cancel answer for it as before; one the
    // configuration can no longer describe is left in the journal.
    if (finished) continue;
    if (!status.ok()) {
      return absl::FailedPreconditionError(absl::StrCat("order ", id.value(), " (ClOrdID ",
                                                        record.client_order.value(),
                                                        ") cannot be resumed: ", status.message()));
    }
  }
  // Decided once every order is back, in id order (arrival order), as a tick pass would; those
  // that end at start wait for the first turn, when their clients' sessions are attached.
  for (core::OrderId id : restored_orders_) {
    Order* order = FindOrder(id);
    if (order == nullptr || IsFinal(order->state)) continue;
    COMBO_ASSIGN_OR_RETURN(std::optional<FinishAtStart> end, EndAtStart(*order));
    if (end.has_value()) {
      finish_at_start_.push_back(*std::move(end));
    } else {
      ScheduleExpiry(*order);
      Decide(*order);
    }
  }
  if (!finish_at_start_.empty()) {
    deps_.scheduler->ScheduleAt(deps_.scheduler->Now(), [self = self_]() {
      if (*self != nullptr) (*self)->FinishRestoredAtStart();
    });
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<ComboRouter::FinishAtStart>> ComboRouter::EndAtStart(
    const Order& order) const {
  if (config_.on_restart == RestartPolicy::kCancel) {
    return FinishAtStart{order.id,
                         "cancelled at start: the operator cancels every restored order "
                         "(router.on_restart: cancel)",
                         false};
  }
  if (order.immediacy != Immediacy::kNone) {
    // One attempt, at once: whatever it was doing when the daemon stopped is over.
    return FinishAtStart{order.id,
                         ImmediateEndText(order,
                                          "cancelled at start: an immediate order found open "
                                          "after a restart is never resumed"),
                         false};
  }
  if (!order.expires_at.has_value() || deps_.scheduler->Now() < *order.expires_at) {
    return std::nullopt;
  }
  return FinishAtStart{
      order.id,
      absl::StrCat(ExpiryReason(order.terms, *order.expires_at,
                                calendar_.has_value() ? &*calendar_ : nullptr, *deps_.instruments),
                   " while combo-routerd was down"),
      true};
}

void ComboRouter::FinishRestoredAtStart() {
  std::vector<FinishAtStart> ending;
  std::swap(ending, finish_at_start_);
  for (FinishAtStart& end : ending) {
    Order* order = FindOrder(end.order);
    if (order == nullptr || IsFinal(order->state)) continue;
    order->expired = end.expired;
    CancelWithReport(*order, std::move(end.reason));
  }
}

void ComboRouter::SettleInterruptedLegs(const accounts::OrderRecord& record) {
  const core::Timestamp now = deps_.scheduler->Now();
  const core::OrderId id = record.accepted.order;
  for (const auto& [instrument, lots] : record.unallocated_lots) {
    const accounts::LegTerms* leg = record.FindLeg(instrument);
    for (const accounts::LegLot& lot : lots) {
      if (leg == nullptr || !lot.quantity.is_positive()) continue;
      const core::Side side = accounts::LegExecutionSide(record.accepted.side, *leg);
      error_account_bookings_.push_back(ErrorAccountBooking{
          id, LegInExecution{instrument, side, core::VenueId{}, lot.price, lot.quantity},
          "leg-in interrupted by a restart"});
      error_account_legs_.push_back(error_account_bookings_.back().leg);
      Journal(accounts::ErrorAccountBooking{accounts::ErrorBookingKind::kLegInFailure, id,
                                            instrument, side, lot.quantity, lot.price,
                                            "leg-in interrupted by a restart", now},
              [] {});
    }
  }
}

absl::Status ComboRouter::RestoreOrder(const accounts::OrderRecord& record, bool finished) {
  const accounts::OrderAccepted& accepted = record.accepted;
  const core::Timestamp now = deps_.scheduler->Now();
  COMBO_ASSIGN_OR_RETURN(core::ComboSpec spec, SpecOf(accepted.legs));
  const NewComboOrder request{
      core::ClientId(accepted.client.empty() ? accepted.account.value() : accepted.client),
      accepted.client_order, accepted.account, std::move(spec), accepted.side, record.quantity,
      FromJournal(accepted.type),
      // A market order's journaled limit is its collar's: the client sent none.
      accepted.type == accounts::JournaledOrderType::kMarket ? std::nullopt
                                                             : std::optional(record.limit),
      FromJournal(accepted.time_in_force), accepted.security_id};
  // A leg may have expired while the daemon was down (the instrument master lists it as
  // expired): the order is then rebuilt from the expired contract's terms and ends at start.
  core::InstrumentCatalog leg_contracts;  // the order's legs, expired ones included
  bool leg_expired = false;
  for (const accounts::LegTerms& leg : accepted.legs) {
    const core::Instrument* instrument = deps_.instruments->Find(leg.instrument);
    if (instrument == nullptr) {
      instrument = deps_.instruments->FindExpired(leg.instrument);
      leg_expired = leg_expired || instrument != nullptr;
    }
    if (instrument == nullptr || instrument->symbol() != leg.symbol) {
      return absl::FailedPreconditionError(
          absl::StrCat("leg ", leg.symbol, " (instrument ", leg.instrument.value(),
                       ") is not that instrument in the configuration"));
    }
    COMBO_RETURN_IF_ERROR(leg_contracts.Add(*instrument));
  }
  COMBO_ASSIGN_OR_RETURN(pricing::ComboTerms terms,
                         pricing::ComboTerms::Create(request.combo, leg_contracts));
  core::CanonicalCombo canonical = core::Canonicalize(request.combo);
  COMBO_ASSIGN_OR_RETURN(core::ComboId combo, deps_.combos->Intern(canonical.spec));
  // An order that ends at start is never priced (an expired leg has no book to price it by).
  if (!finished && !leg_expired) COMBO_RETURN_IF_ERROR(deps_.pricing->Track(combo));

  const core::OrderId id = accepted.order;
  Order& order = orders_.try_emplace(id, request, canonical).first->second;
  order.id = id;
  order.current_client_order_id = record.client_order;
  order.accepted_at = accepted.time;
  order.expires_at = accepted.expires_at;
  if (!order.expires_at.has_value() && request.time_in_force == ComboTimeInForce::kDay) {
    // Journaled before expiries were recorded: the day it was accepted in, by today's calendar.
    COMBO_ASSIGN_OR_RETURN(order.expires_at, ExpiryOf(request, accepted.time,
                                                      calendar_.has_value() ? &*calendar_ : nullptr,
                                                      *deps_.instruments));
  }
  if (leg_expired || !order.expires_at.has_value()) {
    // Journaled before leg expiries were part of an order's end (or without a calendar): a leg
    // that has expired ends it now at the latest.
    const std::optional<LegExpiry> leg = EarliestLegExpiry(
        request, calendar_.has_value() ? &*calendar_ : nullptr, *deps_.instruments);
    if (leg.has_value() || leg_expired) {
      const core::Timestamp leg_end = leg.has_value() ? leg->at : now;
      order.expires_at = std::min(order.expires_at.value_or(leg_end), leg_end);
    }
  }
  order.combo = combo;
  order.side = canonical.ToCanonical(request.side);
  order.combo_multiplier = terms.multiplier();
  // Limits were checked on the tick when accepted; a tick configured since does not reject them.
  order.combo_tick = config_.combo_tick.value_or(terms.tick());
  for (const core::ComboLeg& leg : request.combo.legs()) {
    auto notional = record.reported_leg_notional.find(leg.instrument);
    order.legs.push_back(OrderLeg{
        leg, record.filled * leg.ratio,
        notional == record.reported_leg_notional.end() ? core::Money{} : notional->second});
  }
  order.quantity = canonical.ToCanonical(record.quantity);
  order.limit = canonical.ToCanonical(record.limit);
  order.immediacy = ImmediacyOf(request.time_in_force);
  // An immediate order is cancelled at start (EndAtStart); until then nothing may attempt it.
  order.attempted = order.immediacy != Immediacy::kNone;
  order.filled = canonical.ToCanonical(record.filled);
  // Canonical value = client value x unit factor, negated for a mirrored combo (prices map by
  // sign only, units by the factor).
  order.filled_value = record.filled_value * canonical.unit_factor;
  if (canonical.mirrored()) order.filled_value = -order.filled_value;
  order.history.push_back(StateTransition{
      id, ComboOrderState::kReceived, ComboOrderState::kReceived, now,
      absl::StrCat("restored from the journal: client ", request.client.value(), " order ",
                   record.client_order.value(), ": ", core::AsAbsl(core::ToString(request.side)),
                   " ", record.quantity.value(), " x ", request.combo.ToString(), " @ ",
                   Px(record.limit), " ", core::AsAbsl(ToString(request.time_in_force)), ", ",
                   record.filled.value(), " filled")});
  if (observer_ != nullptr) observer_->OnTransition(order.history.back());
  for (const core::ClientOrderId& client_order : record.client_orders) {
    by_client_order_id_[{request.client.value(), client_order.value()}] = id;
  }
  if (finished) {
    Transition(order,
               record.state == accounts::OrderState::kFilled ? ComboOrderState::kFilled
                                                             : ComboOrderState::kCancelled,
               "finished before the restart");
    return absl::OkStatus();
  }
  const core::Quantity open_client = record.quantity - record.filled;
  COMBO_RETURN_IF_ERROR(deps_.risk->OnOrderAccepted(
      id, request.client, record.client_order, open_client,
      Magnitude(core::Money::Notional(record.limit, open_client, terms.multiplier()))));
  List(order);
  restored_orders_.push_back(id);
  Transition(order, ComboOrderState::kValidated, "restored after a restart");
  Transition(order, ComboOrderState::kPriced,
             absl::StrCat("combo ", order.combo.value(), " tracked: ", SideWord(order.side),
                          " side priced"));
  return absl::OkStatus();
}

absl::Status ComboRouter::Cancel(const CancelComboOrder& cancel) {
  const core::Timestamp now = deps_.scheduler->Now();
  auto refuse = [&](RejectReason reason, std::string text, std::optional<OrderSnapshot> order) {
    Tell(CancelRejected{cancel.client, cancel.client_order_id, cancel.original_client_order_id,
                        CancelRejectResponseTo::kCancel, reason, std::move(text), std::move(order),
                        now});
  };
  if (std::optional<Refusal> refusal = CheckCancel(cancel)) {
    refuse(refusal->reason, std::move(refusal->text), std::nullopt);
    return absl::OkStatus();
  }
  std::optional<core::OrderId> id = Find(cancel.client, cancel.original_client_order_id);
  Order* order = id.has_value() ? FindOrder(*id) : nullptr;
  if (order == nullptr) {
    refuse(RejectReason::kUnknownOrder,
           absl::StrCat("no open order ", cancel.original_client_order_id.value()), std::nullopt);
    return absl::OkStatus();
  }
  if (IsFinal(order->state)) {
    refuse(RejectReason::kTooLateToCancel,
           absl::StrCat("order ", cancel.original_client_order_id.value(), " is already ",
                        core::AsAbsl(ToString(order->state))),
           Snapshot(*order, cancel.client_order_id));
    return absl::OkStatus();
  }
  if (order->pending.kind != PendingKind::kNone) {
    refuse(RejectReason::kUnsupportedOrder, "a cancel or replace of this order is already pending",
           Snapshot(*order, cancel.client_order_id));
    return absl::OkStatus();
  }
  order->pending = PendingRequest{PendingKind::kCancel, cancel.client_order_id, std::nullopt,
                                  core::Quantity::Zero(), core::TimerId{}};
  by_client_order_id_[{cancel.client.value(), cancel.client_order_id.value()}] = order->id;
  // The client hears that its cancel is in hand before the venue answers, which may take a
  // venue round trip.
  Tell(ComboOrderPending{Snapshot(*order, cancel.client_order_id), now});
  BeginPending(*order, "client cancel");
  return absl::OkStatus();
}

absl::Status ComboRouter::Replace(const ReplaceComboOrder& replace) {
  const core::Timestamp now = deps_.scheduler->Now();
  auto refuse = [&](RejectReason reason, std::string text, std::optional<OrderSnapshot> order) {
    Tell(CancelRejected{replace.client, replace.client_order_id, replace.original_client_order_id,
                        CancelRejectResponseTo::kReplace, reason, std::move(text), std::move(order),
                        now});
  };
  std::optional<core::OrderId> id = Find(replace.client, replace.original_client_order_id);
  Order* order = id.has_value() ? FindOrder(*id) : nullptr;
  if (order == nullptr) {
    refuse(RejectReason::kUnknownOrder,
           absl::StrCat("no open order ", replace.original_client_order_id.value()), std::nullopt);
    return absl::OkStatus();
  }
  if (IsFinal(order->state)) {
    refuse(RejectReason::kTooLateToCancel,
           absl::StrCat("order ", replace.original_client_order_id.value(), " is already ",
                        core::AsAbsl(ToString(order->state))),
           Snapshot(*order, replace.client_order_id));
    return absl::OkStatus();
  }
  if (std::optional<Refusal> refusal = CheckReplace(replace, order->terms)) {
    refuse(refusal->reason, std::move(refusal->text), Snapshot(*order, replace.client_order_id));
    return absl::OkStatus();
  }
  if (order->pending.kind != PendingKind::kNone) {
    refuse(RejectReason::kUnsupportedOrder, "a cancel or replace of this order is already pending",
           Snapshot(*order, replace.client_order_id));
    return absl::OkStatus();
  }
  if (!replace.total_quantity.is_positive()) {
    refuse(RejectReason::kInvalidQuantity,
           absl::StrCat("quantity must be positive, got ", replace.total_quantity.value()),
           Snapshot(*order, replace.client_order_id));
    return absl::OkStatus();
  }
  const core::Quantity filled_client = order->canonical.ToClient(order->filled);
  if (replace.total_quantity < filled_client) {
    refuse(RejectReason::kReplaceBelowFilled,
           absl::StrCat("quantity ", replace.total_quantity.value(), " is below the ",
                        filled_client.value(), " units already filled"),
           Snapshot(*order, replace.client_order_id));
    return absl::OkStatus();
  }
  const std::optional<core::Price> limit =
      replace.limit_price.has_value() ? replace.limit_price : order->terms.limit_price;
  if (!limit.has_value()) {
    refuse(RejectReason::kInvalidPrice, "a limit order needs a limit price",
           Snapshot(*order, replace.client_order_id));
    return absl::OkStatus();
  }
  if (std::optional<Refusal> refusal = CheckOnTick(*limit, order->combo_tick)) {
    refuse(refusal->reason, std::move(refusal->text), Snapshot(*order, replace.client_order_id));
    return absl::OkStatus();
  }
  order->pending = PendingRequest{PendingKind::kReplace, replace.client_order_id, limit,
                                  replace.total_quantity, core::TimerId{}};
  by_client_order_id_[{replace.client.value(), replace.client_order_id.value()}] = order->id;
  Tell(ComboOrderPending{Snapshot(*order, replace.client_order_id), now});
  BeginPending(*order, "client replace");
  return absl::OkStatus();
}

void ComboRouter::BeginPending(Order& order, std::string_view what) {
  StopStabilityWait(order);
  if (!HasWorkingPart(order)) {
    CompletePending(order, "nothing was working");
    return;
  }
  const bool replacing = order.pending.kind == PendingKind::kReplace;
  if (order.native.has_value() && !order.native->cancel_sent &&
      !(replacing && ReplaceNativeInPlace(order))) {
    CancelNative(order, std::string(what));
  }
  if (order.placement == Placement::kLegIn) {
    // A replace waits for the slice in flight, whose legs then still make whole units for the
    // client; a cancel pulls the working legs at once (their leftovers go to the error account).
    (void)(replacing ? deps_.leg_in->StopAfterSlice(order.id) : deps_.leg_in->Cancel(order.id));
    const core::OrderId id = order.id;
    order.pending.timeout = deps_.scheduler->ScheduleAfter(config_.cancel_timeout_with_legs_working,
                                                           [self = self_, id]() {
                                                             if (*self != nullptr)
                                                               (*self)->OnPendingTimeout(id);
                                                           });
  }
}

absl::Status ComboRouter::CancelAllOf(const core::ClientId& client, std::string_view why) {
  // Ids first: a cancel that completes at once finishes the order while the map is walked.
  std::vector<core::OrderId> working;
  for (const auto& [id, order] : orders_) {
    if (order.terms.client == client && !IsFinal(order.state) &&
        order.pending.kind == PendingKind::kNone) {
      working.push_back(id);
    }
  }
  for (core::OrderId id : working) {
    Order* order = FindOrder(id);
    if (order == nullptr || IsFinal(order->state)) continue;
    // The report answers the order's own ClOrdID: the client asked for nothing.
    order->pending = PendingRequest{PendingKind::kCancel, order->current_client_order_id,
                                    std::nullopt,         core::Quantity::Zero(),
                                    core::TimerId{},      std::string(why)};
    BeginPending(*order, why);
  }
  return absl::OkStatus();
}

void ComboRouter::ScheduleExpiry(const Order& order) {
  if (!order.expires_at.has_value()) return;
  expiries_.Add(order.id, *order.expires_at);
  ArmExpiryTimer();
}

void ComboRouter::ArmExpiryTimer() {
  const std::optional<core::Timestamp> next = expiries_.Next();
  if (next == expiry_timer_at_) return;
  if (expiry_timer_.valid()) deps_.scheduler->Cancel(expiry_timer_);
  expiry_timer_ = core::TimerId{};
  expiry_timer_at_ = next;
  if (!next.has_value()) return;
  expiry_timer_ = deps_.scheduler->ScheduleAt(*next, [self = self_]() {
    if (*self != nullptr) (*self)->OnExpiryDue();
  });
}

void ComboRouter::OnExpiryDue() {
  expiry_timer_ = core::TimerId{};
  expiry_timer_at_.reset();
  for (core::OrderId id : expiries_.TakeDue(deps_.scheduler->Now())) {
    if (Order* order = FindOrder(id); order != nullptr && !IsFinal(order->state)) Expire(*order);
  }
  ArmExpiryTimer();
}

void ComboRouter::Expire(Order& order) {
  // A client cancel in hand ends the order anyway; a replace in hand is answered first (within
  // cancel_timeout_with_legs_working), and the expiry comes back for it then.
  if (order.pending.kind == PendingKind::kCancel) return;
  if (order.pending.kind == PendingKind::kReplace) {
    expiries_.Add(order.id, deps_.scheduler->Now() + config_.cancel_timeout_with_legs_working);
    return;
  }
  order.pending = PendingRequest{
      PendingKind::kCancel,
      order.current_client_order_id,
      std::nullopt,
      core::Quantity::Zero(),
      core::TimerId{},
      ExpiryReason(order.terms, *order.expires_at, calendar_.has_value() ? &*calendar_ : nullptr,
                   *deps_.instruments),
      true};
  BeginPending(order, "expiry");
}

absl::Status ComboRouter::RequestStatus(const ComboOrderStatusRequest& request) {
  const core::Timestamp now = deps_.scheduler->Now();
  std::optional<core::OrderId> id = Find(request.client, request.client_order_id);
  const Order* order = id.has_value() ? FindOrder(*id) : nullptr;
  if (order == nullptr) {
    Tell(ComboOrderRejected{request.client, request.client_order_id, RejectReason::kUnknownOrder,
                            absl::StrCat("no order ", request.client_order_id.value()), now,
                            RejectedRequest::kStatusRequest});
    return absl::OkStatus();
  }
  Tell(ComboOrderStatusReport{Snapshot(*order, request.client_order_id), now});
  return absl::OkStatus();
}

absl::StatusOr<ComboQuote> ComboRouter::SubscribeQuotes(core::ComboId combo,
                                                        ComboQuoteListener* listener) {
  if (listener == nullptr) return absl::InvalidArgumentError("quote listener is null");
  if (deps_.combos->Find(combo) == nullptr) {
    return absl::NotFoundError(absl::StrCat("combo ", combo.value(), " is not defined"));
  }
  if (absl::Status status = deps_.pricing->Track(combo); !status.ok()) return status;
  std::vector<ComboQuoteListener*>& listeners = quote_listeners_[combo];
  if (std::find(listeners.begin(), listeners.end(), listener) == listeners.end()) {
    listeners.push_back(listener);
  }
  const SmartComboTick* tick = deps_.pricing->Tick(combo);
  return ToQuote(combo, tick == nullptr ? SmartComboTick{} : *tick);
}

absl::Status ComboRouter::UnsubscribeQuotes(core::ComboId combo, ComboQuoteListener* listener) {
  auto it = quote_listeners_.find(combo);
  if (it == quote_listeners_.end()) {
    return absl::NotFoundError(absl::StrCat("no quote subscription to combo ", combo.value()));
  }
  auto found = std::find(it->second.begin(), it->second.end(), listener);
  if (found == it->second.end()) {
    return absl::NotFoundError(absl::StrCat("no quote subscription to combo ", combo.value()));
  }
  it->second.erase(found);
  return absl::OkStatus();
}

ComboQuote ComboRouter::ToQuote(core::ComboId combo, const SmartComboTick& tick) const {
  auto side = [](const std::optional<SourcedLevel>& level) -> std::optional<ComboQuoteSide> {
    if (!level.has_value()) return std::nullopt;
    QuoteSource source;
    if (level->source == PriceSource::kNative) source.venue = level->venue;
    return ComboQuoteSide{level->price, level->size, source};
  };
  return ComboQuote{combo, side(tick.bid), side(tick.ask), deps_.scheduler->Now()};
}

// --- Re-evaluation ---------------------------------------------------------------------------

void ComboRouter::OnComboTick(core::ComboId combo, const SmartComboTick& /*tick*/) {
  // The engine is mid-update: remember the combo, decide once the update returned.
  if (dirty_combos_.empty()) first_dirty_at_ = deps_.clock->Now();
  if (std::find(dirty_combos_.begin(), dirty_combos_.end(), combo) == dirty_combos_.end()) {
    dirty_combos_.push_back(combo);
  }
  if (!tick_timer_.valid()) {
    tick_timer_ = deps_.scheduler->ScheduleAt(deps_.scheduler->Now(), [self = self_]() {
      if (*self == nullptr) return;
      (*self)->tick_timer_ = core::TimerId{};
      (*self)->ProcessPendingTicks();
    });
  }
}

void ComboRouter::ProcessPendingTicks() {
  if (tick_timer_.valid()) {
    deps_.scheduler->Cancel(tick_timer_);
    tick_timer_ = core::TimerId{};
  }
  std::swap(processing_, dirty_combos_);
  const core::Timestamp pass_start = deps_.clock->Now();
  if (metrics_.has_value() && !processing_.empty()) {
    metrics_->TickWaitSeconds((pass_start - first_dirty_at_).ToSecondsDouble());
  }
  for (core::ComboId combo : processing_) {
    auto orders = orders_by_combo_.find(combo);
    if (orders != orders_by_combo_.end()) {
      ComboOrders& book = orders->second;
      const bool had_orders = book.listed > 0;
      const core::Timestamp deciding = deps_.clock->Now();
      DecideTickedOrders(combo, book);
      if (metrics_.has_value() && had_orders) {
        metrics_->DecisionSeconds((deps_.clock->Now() - deciding).ToSecondsDouble());
      }
      // Orders that finished are no longer listed.
      book.listed -= book.finished_since_pass;
      book.finished_since_pass = 0;
    }
    auto listeners = quote_listeners_.find(combo);
    if (listeners != quote_listeners_.end() && !listeners->second.empty()) {
      const SmartComboTick* tick = deps_.pricing->Tick(combo);
      const ComboQuote quote = ToQuote(combo, tick == nullptr ? SmartComboTick{} : *tick);
      for (ComboQuoteListener* listener : listeners->second) listener->OnComboQuote(quote);
    }
  }
  processing_.clear();
}

namespace {

// The prices a settled order's decision reads: the bid and the ask, when present.
struct TopPrices {
  std::optional<core::Price> bid;
  std::optional<core::Price> ask;
  friend bool operator==(const TopPrices&, const TopPrices&) = default;
};

TopPrices TopOf(const SmartComboTick* tick) {
  TopPrices top;
  if (tick == nullptr) return top;
  if (tick->bid.has_value()) top.bid = tick->bid->price;
  if (tick->ask.has_value()) top.ask = tick->ask->price;
  return top;
}

}  // namespace

void ComboRouter::DecideTickedOrders(core::ComboId combo, ComboOrders& book) {
  // Orders listed after the pass started (a report's listener may submit) are not in it: their
  // submission decided them.
  pass_ = TickPass{true, combo, core::OrderId(0), book.last_listed, false};
  TopPrices top = TopOf(deps_.pricing->Tick(combo));
  risk::TradingState trading = deps_.risk->trading_state();
  const SmartComboTick* tick = deps_.pricing->Tick(combo);
  CollectCandidates(book, tick == nullptr ? kNoTick : *tick, trading, candidates_);
  size_t next = 0;
  while (next < candidates_.size()) {
    const core::OrderId id = candidates_[next++];
    if (verify_skips_) VerifySkipped(book, pass_.cursor, id);
    pass_.cursor = id;
    if (Order* order = FindOrder(id); order != nullptr) {
      if (order->placement != Placement::kLegIn) order->legin_needs_fresh_tick = false;
      Decide(*order);
    }
    // The decision may have moved the tick, the trading state or another order of the pass:
    // the rest of the pass follows them.
    tick = deps_.pricing->Tick(combo);
    const TopPrices now = TopOf(tick);
    const risk::TradingState trading_now = deps_.risk->trading_state();
    if (pass_.rescan || now != top || trading_now != trading) {
      top = now;
      trading = trading_now;
      pass_.rescan = false;
      CollectCandidates(book, tick == nullptr ? kNoTick : *tick, trading, candidates_);
      next = 0;
    }
  }
  if (verify_skips_ && pass_.cursor < pass_.last) {
    VerifySkipped(book, pass_.cursor, core::OrderId(pass_.last.value() + 1));
  }
  pass_ = TickPass{};
}

void ComboRouter::CollectCandidates(const ComboOrders& book, const SmartComboTick& tick,
                                    risk::TradingState trading,
                                    std::vector<core::OrderId>& out) const {
  out.clear();
  const core::OrderId after = pass_.cursor;
  const core::OrderId last = pass_.last;
  auto in_pass = [&](core::OrderId id) { return after < id && id <= last; };
  for (auto it = book.unsettled.upper_bound(after); it != book.unsettled.end() && *it <= last;
       ++it) {
    out.push_back(*it);
  }
  const size_t unsettled = out.size();
  if (trading == risk::TradingState::kHalted) {
    // A halt cancels every native rest: every order is decided.
    for (const auto& [limit, id] : book.settled_buys) {
      if (in_pass(id)) out.push_back(id);
    }
    for (const auto& [limit, id] : book.settled_sells) {
      if (in_pass(id)) out.push_back(id);
    }
  } else {
    // A buy is fillable when the ask is at or below its limit; a sell when the bid is at or
    // above it (routing_decision.cc WithinLimit).
    if (tick.ask.has_value()) {
      for (auto it = book.settled_buys.lower_bound({tick.ask->price, core::OrderId(0)});
           it != book.settled_buys.end(); ++it) {
        if (in_pass(it->second)) out.push_back(it->second);
      }
    }
    if (tick.bid.has_value()) {
      for (auto it = book.settled_sells.begin();
           it != book.settled_sells.end() && it->first <= tick.bid->price; ++it) {
        if (in_pass(it->second)) out.push_back(it->second);
      }
    }
  }
  if (out.size() > unsettled) {
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(unsettled), out.end());
    std::inplace_merge(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(unsettled),
                       out.end());
  }
}

bool ComboRouter::IsSettled(const Order& order) const {
  // DecideRouting for such an order, while trading is not halted and the opposite price is
  // absent or outside its limit, returns `keep` with its memory as it is (row 11): nothing.
  return !IsFinal(order.state) && order.pending.kind == PendingKind::kNone &&
         order.placement == Placement::kNative && order.native.has_value() &&
         !order.native->cancel_sent && Leaves(order).is_positive() &&
         !order.legin_needs_fresh_tick && !order.stability_timer.valid() &&
         !order.stability_elapsed && order.was_non_marketable && !order.legin_hold.holds() &&
         order.limit.has_value();
}

void ComboRouter::MoveInIndex(Order& order, IndexPlace place) {
  if (!order.listed) return;
  if (order.index_place == place &&
      (place != IndexPlace::kSettled || order.settled_limit == *order.limit)) {
    return;
  }
  ComboOrders& book = orders_by_combo_[order.combo];
  auto& settled = order.side == core::Side::kBuy ? book.settled_buys : book.settled_sells;
  switch (order.index_place) {
    case IndexPlace::kNone:
      break;
    case IndexPlace::kUnsettled:
      book.unsettled.erase(order.id);
      break;
    case IndexPlace::kSettled:
      settled.erase({order.settled_limit, order.id});
      break;
  }
  if (order.index_place != IndexPlace::kNone && place == IndexPlace::kNone) {
    ++book.finished_since_pass;
  }
  switch (place) {
    case IndexPlace::kNone:
      break;
    case IndexPlace::kUnsettled:
      book.unsettled.insert(order.id);
      break;
    case IndexPlace::kSettled:
      order.settled_limit = *order.limit;
      settled.insert({order.settled_limit, order.id});
      break;
  }
  order.index_place = place;
  // An order the running pass has not reached yet: the pass collects its orders again.
  if (pass_.active && pass_.combo == order.combo && pass_.cursor < order.id &&
      order.id <= pass_.last) {
    pass_.rescan = true;
  }
}

RoutingDecision ComboRouter::DecisionFor(const Order& order) const {
  const SmartComboTick* current = deps_.pricing->Tick(order.combo);
  const OrderView view{
      .state = order.state,
      .request_pending = order.pending.kind != PendingKind::kNone,
      .placement = order.placement,
      .native = order.native.has_value() ? std::optional<NativeRestView>(NativeRestView{
                                               order.native->venue, order.native->cancel_sent})
                                         : std::nullopt,
      .side = order.side,
      .limit = *order.limit,
      .leaves = Leaves(order),
      .legs = static_cast<int64_t>(order.canonical.spec.legs().size()),
      .legin_failures = order.legin_failures,
      .legin_needs_fresh_tick = order.legin_needs_fresh_tick,
      .was_non_marketable = order.was_non_marketable,
      .stability_elapsed = order.stability_elapsed,
      .stability_wait_running = order.stability_timer.valid(),
      .hold = order.legin_hold,
      .refused_by = &order.refused_by,
      .immediacy = order.immediacy,
      .attempted = order.attempted,
  };
  const core::ComboId combo = order.combo;
  // Named: the FunctionRef in VenueView refers to it.
  auto trades_natively = [this, combo](core::VenueId id) {
    const venues::Venue* venue = VenueById(id);
    return venue != nullptr && venue->TradesNatively(combo);
  };
  const VenueView venue_view{venue_ids_, trades_natively};
  return DecideRouting(view, current == nullptr ? kNoTick : *current, venue_view,
                       RoutingPolicy{deps_.leg_in->policy(), order.combo_tick},
                       deps_.risk->trading_state());
}

void ComboRouter::VerifySkipped(const ComboOrders& book, core::OrderId after,
                                core::OrderId before) {
  // The pass skips exactly the settled orders the opposite price does not reach (unless halted).
  if (deps_.risk->trading_state() == risk::TradingState::kHalted) return;
  const SmartComboTick* tick = deps_.pricing->Tick(pass_.combo);
  const TopPrices top = TopOf(tick);
  std::vector<core::OrderId> skipped;
  for (const auto& [limit, id] : book.settled_buys) {
    if (after < id && id < before && !(top.ask.has_value() && *top.ask <= limit)) {
      skipped.push_back(id);
    }
  }
  for (const auto& [limit, id] : book.settled_sells) {
    if (after < id && id < before && !(top.bid.has_value() && *top.bid >= limit)) {
      skipped.push_back(id);
    }
  }
  for (core::OrderId id : skipped) {
    const Order* order = FindOrder(id);
    if (order == nullptr) continue;
    const RoutingDecision decision = DecisionFor(*order);
    const bool acts = decision.action != RoutingAction::kNone &&
                      (decision.action != RoutingAction::kKeep || decision.hold_recorded ||
                       decision.stability_wait != StabilityWaitChange::kNone ||
                       decision.hold != order->legin_hold ||
                       decision.was_non_marketable != order->was_non_marketable ||
                       decision.stability_elapsed != order->stability_elapsed ||
                       (order->legin_needs_fresh_tick && order->placement != Placement::kLegIn));
    ++skipped_decisions_checked_;
    if (acts) ++skipped_decisions_that_act_;
  }
}

void ComboRouter::ReevaluateAll() {
  for (auto& [id, order] : orders_) Decide(order);
}

bool ComboRouter::HasWorkingPart(const Order& order) const {
  return order.native.has_value() || order.placement == Placement::kLegIn;
}

void ComboRouter::Decide(Order& order) {
  ++decisions_run_;
  ApplyDecision(order, DecisionFor(order));
  // The decision settles the order or leaves it to the next tick (docs/ROUTER.md "Which orders
  // a tick re-decides").
  if (order.listed && !IsFinal(order.state)) {
    MoveInIndex(order, IsSettled(order) ? IndexPlace::kSettled : IndexPlace::kUnsettled);
  }
}

void ComboRouter::ApplyDecision(Order& order, const RoutingDecision& decision) {
  if (decision.action == RoutingAction::kNone) return;
  if (decision.hold_recorded) {
    order.placement = Placement::kWatching;
    CountDecision(DecisionOutcome::kWorking);
    Transition(order, ComboOrderState::kWorking, DescribeHold(decision.hold, order.side));
  }
  order.legin_hold = decision.hold;
  order.was_non_marketable = decision.was_non_marketable;
  order.stability_elapsed = decision.stability_elapsed;
  if (decision.stability_wait == StabilityWaitChange::kStop) StopStabilityWait(order);
  if (decision.stability_wait == StabilityWaitChange::kAbandon) {
    StopStabilityWait(order);
    Transition(order, ComboOrderState::kWorking,
               "implied price moved away during the stability wait: no leg-in");
  }
  switch (decision.action) {
    case RoutingAction::kNone:
    case RoutingAction::kKeep:
      break;
    case RoutingAction::kHold:
      order.placement = Placement::kWatching;
      CountDecision(DecisionOutcome::kWorking);
      Transition(order, ComboOrderState::kWorking,
                 DescribeDecision(decision, order.side, *order.limit));
      break;
    case RoutingAction::kRestNative:
      RestNative(order, decision.venue, DescribeDecision(decision, order.side, *order.limit));
      break;
    case RoutingAction::kCancelNative:
      CancelNative(order, DescribeDecision(decision, order.side, *order.limit));
      break;
    case RoutingAction::kMoveToImplied:
    case RoutingAction::kWaitForStability: {
      std::string why = DescribeDecision(decision, order.side, *order.limit);
      if (decision.action == RoutingAction::kMoveToImplied) CancelNative(order, why);
      if (decision.enters_hold) {
        order.placement = Placement::kWatching;
        CountDecision(DecisionOutcome::kWorking);
      }
      if (decision.stability_wait == StabilityWaitChange::kStart) {
        StartStabilityWait(order, std::move(why));
      }
      break;
    }
    case RoutingAction::kStartLegIn:
      StartLegIn(order, *decision.price, decision.mode);
      break;
    case RoutingAction::kSendImmediate:
      SendImmediate(order, decision.venue, DescribeDecision(decision, order.side, *order.limit));
      break;
    case RoutingAction::kCancelImmediate: {
      if (decision.reason == DecisionReason::kAttemptEnded) {
        CancelImmediate(order, order.attempt_outcome);
        break;
      }
      // The client reads the reason in its own terms (its side, its combo's prices).
      RoutingDecision client = decision;
      if (client.price.has_value()) client.price = order.canonical.ToClient(*client.price);
      client.hold.implied = order.canonical.ToClient(client.hold.implied);
      client.hold.limit = order.canonical.ToClient(client.hold.limit);
      CancelImmediate(order, DescribeImmediateCancel(
                                 client, order.terms.side, order.canonical.ToClient(*order.limit),
                                 order.canonical.ToClient(Leaves(order)),
                                 order.terms.type == ComboOrderType::kMarket ? "collar" : "limit"));
      break;
    }
  }
}

void ComboRouter::SendImmediate(Order& order, core::VenueId venue_id, std::string reason) {
  order.attempted = true;
  const venues::TimeInForce time_in_force = order.immediacy == Immediacy::kFillOrKill
                                                ? venues::TimeInForce::kFillOrKill
                                                : venues::TimeInForce::kImmediateOrCancel;
  if (std::optional<std::string> refused =
          SubmitNative(order, venue_id, time_in_force, std::move(reason))) {
    RecordAttemptOutcome(order, *refused);
    Decide(order);
  }
}

std::string ComboRouter::BoundText(const Order& order) const {
  return absl::StrCat(order.terms.type == ComboOrderType::kMarket ? "collar " : "limit ",
                      Px(order.canonical.ToClient(*order.limit)));
}

std::string ComboRouter::ImmediateEndText(const Order& order, std::string_view why) const {
  return absl::StrCat(order.terms.type == ComboOrderType::kMarket ? "market" : "limit", " order (",
                      core::AsAbsl(ToString(order.terms.time_in_force)),
                      "): ", order.canonical.ToClient(order.filled).value(), " of ",
                      order.terms.quantity.value(), " units executed; ", core::AsAbsl(why));
}

void ComboRouter::RecordAttemptOutcome(Order& order, std::string outcome) {
  order.attempted = true;
  if (order.attempt_outcome.empty()) order.attempt_outcome = std::move(outcome);
}

void ComboRouter::CancelImmediate(Order& order, std::string_view why) {
  CancelWithReport(order, ImmediateEndText(order, why));
}

void ComboRouter::CancelWithReport(Order& order, std::string text) {
  const core::Timestamp now = deps_.scheduler->Now();
  Finish(order, ComboOrderState::kCancelled, text);
  Journal(accounts::OrderCancelled{order.id, text, now},
          [this, cancelled = ComboOrderCancelled{Snapshot(order, order.current_client_order_id),
                                                 text, now}] {
            if (listener_ != nullptr) listener_->OnCancelled(cancelled);
          });
}

void ComboRouter::RestNative(Order& order, core::VenueId venue_id, std::string reason) {
  const venues::TimeInForce time_in_force = order.terms.time_in_force == ComboTimeInForce::kDay
                                                ? venues::TimeInForce::kDay
                                                : venues::TimeInForce::kGoodTillCancel;
  if (std::optional<std::string> refused =
          SubmitNative(order, venue_id, time_in_force, std::move(reason))) {
    Transition(order, ComboOrderState::kWorking, *refused);
    Decide(order);
  }
}

std::optional<std::string> ComboRouter::SubmitNative(Order& order, core::VenueId venue_id,
                                                     venues::TimeInForce time_in_force,
                                                     std::string reason) {
  venues::Venue* venue = VenueById(venue_id);
  const core::OrderId venue_order_id(next_order_id_++);
  venues::ComplexOrderRequest request;
  request.participant = config_.participant;
  request.order_id = venue_order_id;
  request.combo = order.combo;
  request.side = order.side;
  // A limit at the order's limit (a market order's collar): never a venue market order, so the
  // venue cannot trade it through the price the router protects it by.
  request.type = venues::OrderType::kLimit;
  request.limit_price = *order.limit;
  request.quantity = Leaves(order);
  request.time_in_force = time_in_force;
  CountDecision(DecisionOutcome::kNative);
  order.native =
      NativeOrder{.venue = venue_id, .venue_order_id = venue_order_id, .units = request.quantity};
  order.placement = Placement::kNative;
  by_venue_order_id_[venue_order_id] = order.id;
  Transition(order, ComboOrderState::kRestingNative, std::move(reason));
  absl::Status status = venue->SubmitComplex(request);
  if (status.ok()) return std::nullopt;
  by_venue_order_id_.erase(venue_order_id);
  order.native.reset();
  order.placement = Placement::kNone;
  order.refused_by.insert(venue_id);
  return absl::StrCat("venue ", venue_id.value(), " refused the order: ", status.message());
}

bool ComboRouter::ReplaceNativeInPlace(Order& order) {
  NativeOrder& native = *order.native;
  const PendingRequest& pending = order.pending;
  const core::Quantity quantity = order.canonical.ToCanonical(pending.total_quantity);
  // A replace down to what has filled ends the order: the native order is simply pulled.
  if (native.replace_sent || order.immediacy != Immediacy::kNone || quantity <= order.filled) {
    return false;
  }
  const core::Price limit = order.canonical.ToCanonical(*pending.limit_price);
  // As in FIX, the venue's total counts what it has filled: the open units become the order's.
  const core::Quantity venue_total = native.filled + (quantity - order.filled);
  venues::Venue* venue = VenueById(native.venue);
  absl::Status sent = venue->Replace(
      venues::ReplaceRequest{config_.participant, native.venue_order_id, limit, venue_total});
  if (!sent.ok()) return false;
  native.replace_sent = true;
  Transition(
      order, ComboOrderState::kRestingNative,
      absl::StrCat("replacing the native order at venue ", native.venue.value(),
                   " in place: ", pending.total_quantity.value(), " @ ", Px(*pending.limit_price)));
  return true;
}

void ComboRouter::CancelNative(Order& order, std::string reason) {
  NativeOrder& native = *order.native;
  native.cancel_sent = true;
  Transition(order, ComboOrderState::kWorking,
             absl::StrCat("cancelling native order at venue ", native.venue.value(), ": ", reason));
  venues::Venue* venue = VenueById(native.venue);
  (void)venue->Cancel(venues::CancelRequest{config_.participant, native.venue_order_id});
}

void ComboRouter::StartStabilityWait(Order& order, std::string reason) {
  const core::OrderId id = order.id;
  order.stability_elapsed = false;
  order.stability_timer =
      deps_.scheduler->ScheduleAfter(config_.stability_wait, [self = self_, id]() {
        if (*self != nullptr) (*self)->OnStabilityElapsed(id);
      });
  if (order.state != ComboOrderState::kWorking || !order.native.has_value()) {
    Transition(order, ComboOrderState::kWorking,
               absl::StrCat(reason, ": stability wait ", config_.stability_wait.ToString()));
  }
}

void ComboRouter::StopStabilityWait(Order& order) {
  if (order.stability_timer.valid()) deps_.scheduler->Cancel(order.stability_timer);
  order.stability_timer = core::TimerId{};
}

void ComboRouter::OnStabilityElapsed(core::OrderId id) {
  Order* order = FindOrder(id);
  if (order == nullptr) return;
  order->stability_timer = core::TimerId{};
  order->stability_elapsed = true;
  Decide(*order);
}

LegInMode ComboRouter::LegInModeFor(const Order& order) const {
  return router::LegInModeFor(static_cast<int64_t>(order.canonical.spec.legs().size()),
                              order.legin_failures, deps_.leg_in->policy());
}

void ComboRouter::StartLegIn(Order& order, core::Price implied, LegInMode mode) {
  const LegInOrder request{order.id, order.combo, order.side, Leaves(order), *order.limit, mode};
  CountDecision(DecisionOutcome::kImplied);
  order.stability_elapsed = false;
  order.placement = Placement::kLegIn;
  if (order.immediacy != Immediacy::kNone) order.attempted = true;
  Transition(order, ComboOrderState::kLeggingIn,
             absl::StrCat("implied ", SideWord(order.side), " ", Px(implied), " within limit ",
                          Px(*order.limit), ": legging in ", request.units.value(), " units (",
                          core::AsAbsl(ToString(request.mode)), ")"));
  if (absl::Status status = deps_.leg_in->Start(request, this); !status.ok()) {
    if (order.immediacy != Immediacy::kNone) {
      order.placement = Placement::kNone;
      RecordAttemptOutcome(order, absl::StrCat("the leg-in engine refused it: ", status.message()));
      Decide(order);
      return;
    }
    order.placement = Placement::kWatching;
    CountDecision(DecisionOutcome::kWorking);
    Transition(order, ComboOrderState::kWorking,
               absl::StrCat("leg-in engine refused: ", status.message()));
  }
}

// --- Fills and consolidation -----------------------------------------------------------------

void ComboRouter::ApplyFill(Order& order, core::Quantity units, core::Price net_price,
                            std::vector<LegExecutionReport> legs, core::Timestamp time,
                            std::string source) {
  const core::Quantity client_before = order.canonical.ToClient(order.filled);
  order.filled += units;
  order.filled_value += core::Money::FromPrice(net_price) * units.value();
  const core::Quantity client_after = order.canonical.ToClient(order.filled);
  const core::Quantity client_units = client_after - client_before;
  if (client_units.is_positive()) (void)deps_.risk->OnFill(order.id, client_units);
  const bool complete = order.filled == order.quantity;
  // A cancel or replace still pending when the last unit fills is answered "too late", after the
  // fill's own report (docs/ROUTER.md "Cancel and replace").
  std::optional<CancelRejected> too_late;
  if (complete) {
    Finish(order, ComboOrderState::kFilled,
           absl::StrCat(source, ": ", units.value(), " @ ", Px(net_price), "; order filled"));
    too_late = AnswerPendingTooLate(order, "order already filled", time);
  } else {
    Transition(order, ComboOrderState::kPartiallyFilled,
               absl::StrCat(source, ": ", units.value(), " @ ", Px(net_price), "; ",
                            Leaves(order).value(), " left"));
  }
  if (client_units.is_positive()) {
    // The legs' totals count what reaches the client, as the fill reports go out.
    AddLegFills(order.legs, legs);
    ComboExecution execution;
    execution.order = Snapshot(order, order.current_client_order_id);
    execution.execution_id = next_execution_id_++;
    execution.last_quantity = client_units;
    execution.last_price = order.canonical.ToClient(net_price);
    execution.time = time;
    accounts::ComboFillReported journaled{order.id, client_units, execution.last_price,
                                          {},       {},           time};
    // One price per leg: a leg executed at several prices (slices at several venues) is
    // journaled at its average, half-even at the price scale; the report keeps every execution.
    std::map<core::InstrumentId, std::pair<core::Money, int64_t>> per_leg;
    for (const LegExecutionReport& leg : legs) {
      auto& [notional, quantity] = per_leg[leg.instrument];
      notional += core::Money::FromPrice(leg.price) * leg.quantity.value();
      quantity += leg.quantity.value();
    }
    for (const LegExecutionReport& leg : legs) {
      auto it = per_leg.find(leg.instrument);
      if (it == per_leg.end()) continue;
      absl::StatusOr<core::Price> average =
          it->second.second > 0
              ? it->second.first.DivideToPrice(it->second.second, core::RoundingMode::kHalfEven)
              : absl::StatusOr<core::Price>(leg.price);
      journaled.leg_prices.push_back(
          accounts::LegPrice{leg.instrument, average.ok() ? *average : leg.price});
      per_leg.erase(it);
    }
    // The report states the commission the journal books for this fill (seed 003 R18).
    if (deps_.accounts != nullptr) {
      journaled.commission = deps_.accounts->CommissionFor(journaled);
      execution.commission = journaled.commission;
    }
    execution.legs = std::move(legs);
    Journal(std::move(journaled),
            [this, execution = std::move(execution), too_late = std::move(too_late)] {
              if (listener_ == nullptr) return;
              listener_->OnExecution(execution);
              if (too_late.has_value()) listener_->OnCancelRejected(*too_late);
            });
  } else if (too_late.has_value()) {
    Tell(*std::move(too_late));
  }
  if (!complete) RestoreStateAfterFill(order);
}

void ComboRouter::RestoreStateAfterFill(Order& order) {
  // A partial fill leaves the placement as it was; the state says so again.
  if (order.placement == Placement::kNative && order.native.has_value() &&
      !order.native->cancel_sent) {
    Transition(order, ComboOrderState::kRestingNative,
               order.immediacy == Immediacy::kNone
                   ? absl::StrCat("rest stays at venue ", order.native->venue.value())
                   : absl::StrCat("the rest waits for venue ", order.native->venue.value(),
                                  "'s answer to the ", core::AsAbsl(ToString(order.immediacy))));
  } else if (order.placement == Placement::kLegIn) {
    Transition(order, ComboOrderState::kLeggingIn, "leg-in continues");
  }
}

void ComboRouter::Finish(Order& order, ComboOrderState to, std::string reason) {
  // A FOK that ends before its leg-in completed the whole quantity: no client fill.
  SettleHeldUnits(order, false, "fill or kill: the order ended before the whole quantity was done",
                  deps_.scheduler->Now());
  StopStabilityWait(order);
  if (order.pending.timeout.valid()) deps_.scheduler->Cancel(order.pending.timeout);
  Transition(order, to, std::move(reason));
  (void)deps_.risk->OnOrderFinished(order.id);
}

std::optional<CancelRejected> ComboRouter::AnswerPendingTooLate(Order& order, std::string_view why,
                                                                core::Timestamp time) {
  if (order.pending.kind == PendingKind::kNone) return std::nullopt;
  const PendingRequest pending = order.pending;
  if (pending.timeout.valid()) deps_.scheduler->Cancel(pending.timeout);
  order.pending = PendingRequest{};
  return CancelRejected{
      order.terms.client,
      pending.client_order_id,
      order.current_client_order_id,
      pending.kind == PendingKind::kCancel ? CancelRejectResponseTo::kCancel
                                           : CancelRejectResponseTo::kReplace,
      RejectReason::kTooLateToCancel,
      absl::StrCat("too late to ", pending.kind == PendingKind::kCancel ? "cancel" : "replace",
                   ": ", core::AsAbsl(why)),
      Snapshot(order, pending.client_order_id),
      time};
}

void ComboRouter::CompletePending(Order& order, std::string why) {
  if (order.pending.timeout.valid()) deps_.scheduler->Cancel(order.pending.timeout);
  order.pending.timeout = core::TimerId{};
  const PendingRequest pending = order.pending;
  const core::Timestamp now = deps_.scheduler->Now();
  if (pending.kind == PendingKind::kCancel) {
    order.pending = PendingRequest{};
    const std::string text = pending.why.empty() ? "cancelled by client" : pending.why;
    order.expired = pending.expire;
    Finish(order, ComboOrderState::kCancelled, absl::StrCat(text, ": ", why));
    Journal(accounts::OrderCancelled{order.id, text, now},
            [this,
             cancelled = ComboOrderCancelled{Snapshot(order, pending.client_order_id), text, now}] {
              if (listener_ != nullptr) listener_->OnCancelled(cancelled);
            });
    return;
  }
  if (pending.kind != PendingKind::kReplace) return;
  const core::Quantity new_quantity = order.canonical.ToCanonical(pending.total_quantity);
  if (new_quantity < order.filled) {
    RefusePendingReplace(
        order, RejectReason::kReplaceBelowFilled,
        absl::StrCat("quantity ", pending.total_quantity.value(), " is below the ",
                     order.canonical.ToClient(order.filled).value(), " units already filled"));
    Decide(order);
    return;
  }
  ApplyReplace(order, std::move(why));
  Decide(order);
}

void ComboRouter::RefusePendingReplace(Order& order, RejectReason reason, std::string text) {
  if (order.pending.timeout.valid()) deps_.scheduler->Cancel(order.pending.timeout);
  const PendingRequest pending = order.pending;
  order.pending = PendingRequest{};
  Tell(CancelRejected{order.terms.client, pending.client_order_id, order.current_client_order_id,
                      CancelRejectResponseTo::kReplace, reason, std::move(text),
                      Snapshot(order, pending.client_order_id), deps_.scheduler->Now()});
}

void ComboRouter::ApplyReplace(Order& order, std::string why) {
  if (order.pending.timeout.valid()) deps_.scheduler->Cancel(order.pending.timeout);
  const PendingRequest pending = order.pending;
  const core::Timestamp now = deps_.scheduler->Now();
  order.pending = PendingRequest{};
  const core::Quantity new_quantity = order.canonical.ToCanonical(pending.total_quantity);
  order.terms.quantity = pending.total_quantity;
  order.terms.limit_price = pending.limit_price;
  order.quantity = new_quantity;
  order.limit = order.canonical.ToCanonical(*pending.limit_price);
  // The replaced report names the ClOrdID it replaced (FIX OrigClOrdID), not the new one.
  const core::ClientOrderId replaced_client_order_id = order.current_client_order_id;
  order.current_client_order_id = pending.client_order_id;
  order.was_non_marketable = false;
  order.stability_elapsed = false;
  order.refused_by.clear();
  const core::Quantity open_client = order.terms.quantity - order.canonical.ToClient(order.filled);
  (void)deps_.risk->OnOrderReplaced(
      order.id, pending.client_order_id, open_client,
      Magnitude(core::Money::Notional(*pending.limit_price, open_client, order.combo_multiplier)));
  if (order.filled == order.quantity) {
    Finish(order, ComboOrderState::kFilled,
           absl::StrCat("replaced to ", pending.total_quantity.value(), ": already filled"));
  } else if (order.native.has_value()) {
    // Replaced in place: the native order rests on at the new terms.
    Transition(order, ComboOrderState::kRestingNative,
               absl::StrCat("replaced in place (", why, "): ", pending.total_quantity.value(),
                            " @ ", Px(*pending.limit_price)));
  } else {
    Transition(order, ComboOrderState::kPriced,
               absl::StrCat("replaced (", why, "): ", pending.total_quantity.value(), " @ ",
                            Px(*pending.limit_price), "; routing again"));
  }
  ComboOrderReplaced replaced{Snapshot(order, pending.client_order_id), now,
                              order.native.has_value()
                                  ? absl::StrCat("replaced in place ", why)
                                  : absl::StrCat("replaced (", why, "); routed again")};
  replaced.order.original_client_order_id = replaced_client_order_id;
  Journal(accounts::OrderReplaced{order.id, pending.client_order_id, pending.total_quantity,
                                  *pending.limit_price, now},
          [this, replaced = std::move(replaced)] {
            if (listener_ != nullptr) listener_->OnReplaced(replaced);
          });
}

void ComboRouter::OnPendingTimeout(core::OrderId id) {
  Order* order = FindOrder(id);
  if (order == nullptr || IsFinal(order->state)) return;
  order->pending.timeout = core::TimerId{};
  if (order->pending.kind == PendingKind::kCancel) {
    // The legs did not stop in time: the client's cancel is confirmed; anything the engine
    // still reports goes to the error account (OnLegInUnits on a finished order).
    CompletePending(*order, "working legs did not finish within the timeout");
    return;
  }
  if (order->pending.kind == PendingKind::kReplace) {
    // The slice in flight goes on and ends the leg-in; the order is then routed again at its
    // unchanged terms.
    RefusePendingReplace(*order, RejectReason::kUnsupportedOrder,
                         "working legs did not finish within the timeout; the order is unchanged");
  }
}

// --- Venue events ----------------------------------------------------------------------------

void ComboRouter::OnAck(const venues::OrderAcked& /*event*/) {}

void ComboRouter::OnReject(const venues::OrderRejected& event) {
  Order* order = FindByVenueOrder(event.order_id);
  if (order == nullptr) return;
  if (event.request == venues::RequestKind::kReplace) {
    OnReplaceRefused(*order, event);
    return;
  }
  if (event.request != venues::RequestKind::kNewComplex) return;
  by_venue_order_id_.erase(event.order_id);
  order->native.reset();
  order->placement = Placement::kNone;
  order->refused_by.insert(event.venue);
  if (IsFinal(order->state)) return;
  if (order->immediacy != Immediacy::kNone) {
    RecordAttemptOutcome(
        *order, absl::StrCat("venue ", event.venue.value(), " rejected the order: ", event.reason));
  }
  Transition(*order, ComboOrderState::kWorking,
             absl::StrCat("venue ", event.venue.value(), " rejected the order: ", event.reason));
  if (order->pending.kind != PendingKind::kNone) {
    CompletePending(*order, "the venue rejected the native order");
    return;
  }
  Decide(*order);
}

void ComboRouter::OnFill(const venues::Fill& /*event*/) {
  // The router sends no leg orders itself (the leg-in engine does, on its own session).
}

void ComboRouter::OnComplexFill(const venues::ComplexFill& event) {
  Order* order = FindByVenueOrder(event.order_id);
  if (order == nullptr) return;
  const bool racing = order->native.has_value() && order->native->cancel_sent;
  if (racing) ++fills_racing_cancel_;
  if (order->native.has_value()) {
    order->native->done += event.quantity;
    order->native->filled += event.quantity;
  }
  if (event.leaves_quantity.is_zero()) {
    by_venue_order_id_.erase(event.order_id);
    order->native.reset();
    order->placement = Placement::kNone;
  }
  if (IsFinal(order->state)) return;
  // The native order never asks for more than the order's leaves, so this never over-fills.
  const core::Quantity units = Min(event.quantity, Leaves(*order));
  std::vector<LegExecutionReport> legs;
  legs.reserve(event.legs.size());
  for (const venues::LegExecution& leg : event.legs) {
    legs.push_back(
        LegExecutionReport{leg.instrument, leg.side, event.venue, leg.price, leg.quantity});
  }
  JournalLegFills(*order, legs,
                  absl::StrCat(core::AsAbsl(kNativeExecutionPrefix), event.venue.value(), "-",
                               event.execution_id),
                  event.time);
  ApplyFill(
      *order, units, event.net_price, std::move(legs), event.time,
      absl::StrCat(racing ? "native fill racing the cancel at venue " : "native fill at venue ",
                   event.venue.value()));
  if (IsFinal(order->state) || order->native.has_value()) return;
  if (order->pending.kind != PendingKind::kNone) {
    CompletePending(*order, "the native order is done");
    return;
  }
  Decide(*order);
}

void ComboRouter::OnCancelled(const venues::OrderCancelled& event) {
  Order* order = FindByVenueOrder(event.order_id);
  if (order == nullptr) return;
  if (order->immediacy != Immediacy::kNone && order->native.has_value()) {
    // The venue's answer to the one attempt: why the rest did not trade.
    const std::string at = absl::StrCat("venue ", event.venue.value());
    switch (event.reason) {
      case venues::CancelReason::kImmediateOrCancel:
        RecordAttemptOutcome(*order, absl::StrCat("the rest found no price within the ",
                                                  BoundText(*order), " at ", at));
        break;
      case venues::CancelReason::kFillOrKill:
        RecordAttemptOutcome(*order, absl::StrCat(at,
                                                  " could not fill the whole quantity at once "
                                                  "within the ",
                                                  BoundText(*order)));
        break;
      default:
        RecordAttemptOutcome(
            *order,
            absl::StrCat(at, " cancelled it (", core::AsAbsl(venues::ToString(event.reason)), ")"));
    }
    NativeOrder& native = *order->native;
    native.done += event.cancelled_quantity;
    // Latency protection cancels the unheld rest first; the held part's fill or cancel follows.
    if (native.done < native.units) return;
  }
  by_venue_order_id_.erase(event.order_id);
  const bool requested = order->native.has_value() && order->native->cancel_sent;
  order->native.reset();
  order->placement = Placement::kNone;
  if (IsFinal(order->state)) return;
  if (!requested && order->immediacy == Immediacy::kNone) {
    Transition(*order, ComboOrderState::kWorking,
               absl::StrCat("venue ", event.venue.value(), " cancelled the native order (",
                            core::AsAbsl(venues::ToString(event.reason)), ")"));
  }
  if (order->pending.kind != PendingKind::kNone) {
    CompletePending(*order, "the native order is cancelled");
    return;
  }
  // A venue's end of day at the order's own expiry: it ends here rather than rests again.
  if (order->expires_at.has_value() && *order->expires_at <= deps_.scheduler->Now()) {
    Expire(*order);
    return;
  }
  Decide(*order);
}

void ComboRouter::OnRestated(const venues::OrderRestated& event) {
  Order* order = FindByVenueOrder(event.order_id);
  if (order != nullptr && order->native.has_value() &&
      event.reason != venues::RestatementReason::kReplaced) {
    OnAopRestated(*order, event);
    return;
  }
  if (order == nullptr || !order->native.has_value() || !order->native->replace_sent ||
      event.reason != venues::RestatementReason::kReplaced) {
    return;
  }
  NativeOrder& native = *order->native;
  native.replace_sent = false;
  native.working_price.reset();  // the replace set a new original at the venue
  native.units = native.filled + event.leaves_quantity;
  if (IsFinal(order->state) || order->pending.kind != PendingKind::kReplace) return;
  ApplyReplace(*order,
               absl::StrCat("at venue ", event.venue.value(), ", queue place ",
                            event.priority == venues::QueuePriority::kKept ? "kept" : "lost"));
  // At its new price the order may now belong elsewhere (a better implied price, R10).
  Decide(*order);
}

void ComboRouter::OnAopRestated(Order& order, const venues::OrderRestated& event) {
  NativeOrder& native = *order.native;
  // The venue keeps the order's leaves; it moved only the price it works at (seed 004 spec
  // 6.2 item 1), which the router takes as its view of the order, never as a replace of its own.
  native.working_price = event.limit_price;
  if (event.leaves_quantity.is_positive()) native.units = native.filled + event.leaves_quantity;
  if (IsFinal(order.state)) return;
  const core::Price client_price = order.canonical.ToClient(event.limit_price);
  const std::string text = absl::StrCat(
      "venue ", event.venue.value(), " AOP ", core::AsAbsl(venues::ToString(event.reason)),
      ": working at ", client_price.ToString(), " (limit ",
      order.terms.limit_price.has_value() ? order.terms.limit_price->ToString() : "none", ")");
  Tell(ComboOrderRestated{Snapshot(order, order.current_client_order_id), client_price, text,
                          deps_.scheduler->Now()});
}

void ComboRouter::OnReplaceRefused(Order& order, const venues::OrderRejected& event) {
  if (!order.native.has_value() || !order.native->replace_sent) return;
  order.native->replace_sent = false;
  if (IsFinal(order.state) || order.pending.kind != PendingKind::kReplace) return;
  // The venue's own rules refused the change: the client hears its reason, and the order rests
  // on unchanged (a cancel and re-route would lose its place for a change the venue refuses).
  RefusePendingReplace(order, RejectReason::kUnsupportedOrder,
                       absl::StrCat("venue ", event.venue.value(), " refused the replace: ",
                                    event.reason, "; the order is unchanged"));
  Decide(order);
}

// --- Leg-in events ---------------------------------------------------------------------------

void ComboRouter::OnLegInUnits(const LegInUnits& event) {
  Order* order = FindOrder(event.order);
  if (order == nullptr || IsFinal(order->state)) {
    BookToErrorAccount(event.order, event.legs, "leg-in units after the order finished",
                       event.time);
    return;
  }
  if (!event.units.is_positive()) return;
  if (order->immediacy == Immediacy::kFillOrKill) {
    // All or nothing for the client: held until the leg-in has done the whole quantity. The
    // executions are the venues' facts already: journaled now, allocated when settled.
    JournalLegFills(*order, ReportsOf(event.legs),
                    absl::StrCat(core::AsAbsl(kLegInExecutionPrefix), next_leg_execution_key_++),
                    event.time);
    order->held_units.push_back(event);
    return;
  }
  ReportLegInUnits(*order, event);
}

void ComboRouter::ReportLegInUnits(Order& order, const LegInUnits& event, LegsJournaled journaled) {
  // Units beyond the order's open units cannot reach the client: their share of every leg goes
  // to the error account (never an over-fill).
  const core::Quantity units = Min(event.units, Leaves(order));
  std::vector<LegInExecution> client_legs = event.legs;
  if (units < event.units) {
    std::vector<LegInExecution> excess = event.legs;
    for (size_t i = 0; i < event.legs.size(); ++i) {
      const int64_t per_unit = event.legs[i].quantity.value() / event.units.value();
      client_legs[i].quantity = core::Quantity(per_unit * units.value());
      excess[i].quantity = event.legs[i].quantity - client_legs[i].quantity;
    }
    BookToErrorAccount(event.order, excess, "leg-in units beyond the order", event.time, journaled);
    if (!units.is_positive()) return;
  }
  std::vector<LegExecutionReport> legs = ReportsOf(client_legs);
  if (journaled == LegsJournaled::kNo) {
    JournalLegFills(order, legs,
                    absl::StrCat(core::AsAbsl(kLegInExecutionPrefix), next_leg_execution_key_++),
                    event.time);
  }
  ApplyFill(order, units, event.net_price, std::move(legs), event.time, "leg-in");
}

void ComboRouter::SettleHeldUnits(Order& order, bool whole_quantity_done, std::string_view why,
                                  core::Timestamp time) {
  if (order.held_units.empty()) return;
  std::vector<LegInUnits> held;
  std::swap(held, order.held_units);
  core::Quantity units = core::Quantity::Zero();
  for (const LegInUnits& event : held) units += event.units;
  if (whole_quantity_done && units == Leaves(order)) {
    for (const LegInUnits& event : held) {
      if (IsFinal(order.state)) break;
      ReportLegInUnits(order, event, LegsJournaled::kYes);
    }
    return;
  }
  // R16: leg executions that reach no client go to the error account.
  for (const LegInUnits& event : held) {
    BookToErrorAccount(order.id, event.legs, why, time, LegsJournaled::kYes);
  }
}

void ComboRouter::OnLegInFailed(const LegInFailure& event) {
  BookToErrorAccount(event.order, event.error_account_legs, event.reason, event.time);
  Order* order = FindOrder(event.order);
  if (order == nullptr || IsFinal(order->state) || order->placement != Placement::kLegIn) return;
  order->placement = Placement::kNone;
  if (order->immediacy != Immediacy::kNone) {
    SettleHeldUnits(*order, false,
                    absl::StrCat("fill or kill: the leg-in failed before the whole quantity was "
                                 "done (",
                                 event.reason, ")"),
                    event.time);
    RecordAttemptOutcome(*order, absl::StrCat("the leg-in failed: ", event.reason));
  }
  std::string count;
  if (event.cause == LegInEnd::kLegFailed) {
    // The one place leg-in failures are counted (R25, R28).
    ++order->legin_failures;
    const LegInPolicy& policy = deps_.leg_in->policy();
    count = absl::StrCat(
        " (failure ", order->legin_failures, "; ", core::AsAbsl(ToString(LegInModeFor(*order))),
        order->legin_failures >= policy.max_failures_per_order ? ", no more leg-ins)" : ")");
  }
  order->legin_needs_fresh_tick = event.cause != LegInEnd::kCancelled;
  Transition(*order, ComboOrderState::kWorking,
             absl::StrCat("leg-in failed (", event.reason, "): ", Leaves(*order).value(),
                          " units back to the router", count));
  if (order->pending.kind != PendingKind::kNone) {
    CompletePending(*order, "the leg-in stopped");
    return;
  }
  Decide(*order);
}

void ComboRouter::OnLegInFinished(const LegInDone& event) {
  Order* order = FindOrder(event.order);
  if (order == nullptr || IsFinal(order->state) || order->placement != Placement::kLegIn) return;
  order->placement = Placement::kNone;
  if (order->immediacy != Immediacy::kNone) {
    SettleHeldUnits(*order, event.cause == LegInEnd::kCompleted,
                    absl::StrCat("fill or kill: the leg-in ended before the whole quantity was "
                                 "done (",
                                 core::AsAbsl(ToString(event.cause)), ": ", event.reason, ")"),
                    event.time);
    if (IsFinal(order->state)) return;
    RecordAttemptOutcome(
        *order, event.cause == LegInEnd::kMarketMoved || event.cause == LegInEnd::kCompleted
                    ? absl::StrCat("the rest found no price within the ", BoundText(*order),
                                   " (leg-in: ", event.reason, ")")
                    : absl::StrCat("the leg-in ended (", core::AsAbsl(ToString(event.cause)), ": ",
                                   event.reason, ")"));
  }
  order->legin_needs_fresh_tick =
      event.cause != LegInEnd::kCompleted && event.cause != LegInEnd::kCancelled;
  Transition(*order, ComboOrderState::kWorking,
             absl::StrCat("leg-in finished (", core::AsAbsl(ToString(event.cause)), ": ",
                          event.reason, "): ", Leaves(*order).value(), " units left"));
  if (order->pending.kind != PendingKind::kNone) {
    CompletePending(*order, "the working legs finished");
    return;
  }
  Decide(*order);
}

// --- Units the residual resolver completed ----------------------------------------------------

std::optional<core::Price> ComboRouter::NetPriceOf(
    const Order& order, const std::vector<accounts::LegPrice>& leg_prices) const {
  core::Price net = core::Price::Zero();
  for (const core::ComboLeg& leg : order.canonical.spec.legs()) {
    const core::Instrument* instrument = deps_.instruments->Find(leg.instrument);
    const accounts::LegPrice* priced = nullptr;
    for (const accounts::LegPrice& price : leg_prices) {
      if (price.instrument == leg.instrument) priced = &price;
    }
    if (instrument == nullptr || priced == nullptr) return std::nullopt;
    const int64_t weight = leg.ratio * instrument->multiplier() / order.combo_multiplier;
    net += priced->price * (core::Sign(leg.side) * weight);
  }
  return net;
}

core::Quantity ComboRouter::ResidualUnitsWanted(
    core::OrderId id, const std::vector<accounts::LegPrice>& leg_prices) const {
  const Order* order = FindOrder(id);
  if (order == nullptr || IsFinal(order->state) || HasWorkingPart(*order) ||
      order->pending.kind != PendingKind::kNone || order->immediacy != Immediacy::kNone ||
      !order->held_units.empty()) {
    return core::Quantity::Zero();
  }
  const std::optional<core::Price> net = NetPriceOf(*order, leg_prices);
  if (!net.has_value()) return core::Quantity::Zero();
  if (order->limit.has_value() &&
      (order->side == core::Side::kBuy ? *net > *order->limit : *net < *order->limit)) {
    return core::Quantity::Zero();
  }
  return order->canonical.ToClient(Leaves(*order));
}

absl::Status ComboRouter::DeliverResidualUnits(core::OrderId id, core::Quantity units,
                                               std::vector<accounts::LegPrice> leg_prices) {
  if (!units.is_positive() || ResidualUnitsWanted(id, leg_prices) < units) {
    return absl::FailedPreconditionError(absl::StrCat("order ", id.value(), " does not take ",
                                                      units.value(), " completed units now"));
  }
  Order& order = *FindOrder(id);
  const core::Price net = *NetPriceOf(order, leg_prices);
  const core::Timestamp now = deps_.scheduler->Now();
  std::vector<LegExecutionReport> legs;
  for (const OrderLeg& leg : order.legs) {
    core::Price price;
    for (const accounts::LegPrice& priced : leg_prices) {
      if (priced.instrument == leg.leg.instrument) price = priced.price;
    }
    legs.push_back(LegExecutionReport{
        leg.leg.instrument,
        order.terms.side == core::Side::kBuy ? leg.leg.side : core::Opposite(leg.leg.side),
        core::VenueId(0), price, units * leg.leg.ratio});
  }
  Journal(accounts::ResidualDelivered{id, units, std::move(leg_prices), now}, [] {});
  ApplyFill(order, order.canonical.ToCanonical(units), net, std::move(legs), now,
            "resolver completed units");
  return absl::OkStatus();
}

// --- Trading control -------------------------------------------------------------------------

void ComboRouter::CancelAllRestingNativeOrders(const risk::TradingStateChange& /*change*/) {
  for (auto& [id, order] : orders_) {
    if (IsFinal(order.state)) continue;
    StopStabilityWait(order);
    if (order.native.has_value() && !order.native->cancel_sent) {
      CancelNative(order, "trading halted");
    }
  }
}

void ComboRouter::StopLegIns(const risk::TradingStateChange& /*change*/) {
  for (auto& [id, order] : orders_) {
    if (!IsFinal(order.state) && order.placement == Placement::kLegIn) {
      (void)deps_.leg_in->Cancel(order.id);
    }
  }
}

}  // namespace combo::router

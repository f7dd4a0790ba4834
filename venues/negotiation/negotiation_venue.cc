#include "venues/negotiation/negotiation_venue.h"

#include <algorithm>
#include <numeric>
#include <utility>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/status.h"

namespace combo::venues::negotiation {
namespace {

using core::Price;
using core::Quantity;
using core::Side;

KeyPair VenueKey(const NegotiationVenueConfig& config) {
  return config.key_seed.has_value() ? KeyPair::FromSeed(*config.key_seed)
                                     : KeyPair::FromLabel(config.account.value());
}

// Whole seconds, rounded up, at least one.
int64_t TimeoutSeconds(core::Duration timeout) {
  const int64_t ns = timeout.nanoseconds();
  const int64_t seconds = ns / 1'000'000'000 + (ns % 1'000'000'000 > 0 ? 1 : 0);
  return std::max<int64_t>(seconds, 1);
}

// Adds one offer to a depth side, keeping levels sorted best first.
void AddLevel(std::vector<core::PriceLevel>& levels, Price price, Quantity quantity, Side side) {
  auto better = [side](Price a, Price b) { return side == Side::kBuy ? a > b : a < b; };
  auto it = std::find_if(levels.begin(), levels.end(), [&](const core::PriceLevel& level) {
    return !better(level.price, price);
  });
  if (it != levels.end() && it->price == price) {
    it->quantity += quantity;
  } else {
    levels.insert(it, core::PriceLevel{price, quantity});
  }
}

core::TopOfBook TopOf(const core::Depth& depth) {
  core::TopOfBook top;
  if (!depth.bids.empty()) top.bid = depth.bids.front();
  if (!depth.asks.empty()) top.ask = depth.asks.front();
  return top;
}

}  // namespace

absl::StatusOr<std::vector<Price>> SplitNetPrice(const core::ComboSpec& combo,
                                                 const core::InstrumentCatalog& catalog, Price net,
                                                 const LegReference& reference) {
  const size_t n = combo.size();
  std::vector<int64_t> weights(n);
  int64_t g = 0;
  for (size_t i = 0; i < n; ++i) {
    const core::Instrument* instrument = catalog.Find(combo.leg(i).instrument);
    if (instrument == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("combo leg names unknown instrument id ", combo.leg(i).instrument.value()));
    }
    weights[i] = combo.leg(i).ratio * instrument->multiplier();
    g = std::gcd(g, weights[i]);
  }
  for (int64_t& w : weights) w /= g;
  std::vector<absl::int128> prices(n, 0);
  absl::int128 rest = net.raw();
  for (size_t i = 1; i < n; ++i) {
    std::optional<Price> ref = reference ? reference(combo.leg(i).instrument) : std::nullopt;
    prices[i] = ref.has_value() ? ref->raw() : 0;
    rest -= core::Sign(combo.leg(i).side) * weights[i] * prices[i];
  }
  const absl::int128 first_unit = core::Sign(combo.leg(0).side) * weights[0];
  prices[0] = rest / first_unit;
  const absl::int128 remainder = rest - first_unit * prices[0];
  if (remainder != 0) {
    // Bezout coefficients: sum of c_i x w_i == 1, by extended Euclid over the legs.
    std::vector<absl::int128> c(n, 0);
    c[0] = 1;
    absl::int128 running = weights[0];
    for (size_t i = 1; i < n; ++i) {
      absl::int128 old_r = running, r = weights[i], old_s = 1, s = 0, old_t = 0, t = 1;
      while (r != 0) {
        const absl::int128 q = old_r / r;
        std::tie(old_r, r) = std::make_pair(r, old_r - q * r);
        std::tie(old_s, s) = std::make_pair(s, old_s - q * s);
        std::tie(old_t, t) = std::make_pair(t, old_t - q * t);
      }
      for (size_t j = 0; j < i; ++j) c[j] *= old_s;
      c[i] = old_t;
      running = old_r;
    }
    for (size_t i = 0; i < n; ++i) {
      prices[i] += core::Sign(combo.leg(i).side) * remainder * c[i];
    }
  }
  std::vector<Price> out;
  for (const absl::int128& p : prices) {
    if (p > INT64_MAX || p < INT64_MIN) {
      return absl::OutOfRangeError(
          absl::StrCat("net price ", net.ToString(), " cannot be split into leg prices in range"));
    }
    out.push_back(Price::FromRaw(static_cast<int64_t>(p)));
  }
  return out;
}

NegotiationVenue::NegotiationVenue(core::Scheduler& scheduler, NegotiationService& service,
                                   const core::InstrumentCatalog& instruments,
                                   const core::ComboCatalog& combos, NegotiationVenueConfig config)
    : scheduler_(scheduler),
      service_(service),
      instruments_(instruments),
      combos_(combos),
      config_(std::move(config)),
      client_(config_.account, VenueKey(config_), service.public_key()) {}

NegotiationVenue::~NegotiationVenue() {
  if (session_.has_value()) service_.CloseSession(*session_);
}

absl::Status NegotiationVenue::Start() {
  if (config_.offer_timeout <= core::Duration::Zero() ||
      config_.immediate_offer_timeout <= core::Duration::Zero()) {
    return absl::InvalidArgumentError(
        absl::StrCat("negotiation venue ", config_.name,
                     ": offer_timeout and immediate_offer_timeout must be positive"));
  }
  if (config_.offer_id_prefix.empty() || !IsValidToken(config_.offer_id_prefix) ||
      config_.offer_id_prefix.size() > 12) {
    return absl::InvalidArgumentError(absl::StrCat("negotiation venue ", config_.name,
                                                   ": offer_id_prefix \"", config_.offer_id_prefix,
                                                   "\" must be 1 to 12 of A-Z a-z 0-9 _ . -"));
  }
  for (core::InstrumentId instrument : config_.listed) {
    if (instruments_.Find(instrument) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("negotiation venue ", config_.name,
                                                     ": lists unknown instrument id ",
                                                     instrument.value()));
    }
  }
  if (config_.metrics != nullptr) {
    COMBO_ASSIGN_OR_RETURN(metrics_, NegotiationMetrics::Create(*config_.metrics, config_.name));
  }
  COMBO_RETURN_IF_ERROR(
      service_.RegisterParticipant(config_.account, VenueKey(config_).public_key()));
  session_ = service_.OpenSession(this);
  COMBO_ASSIGN_OR_RETURN(std::string login, client_.Login());
  service_.Receive(*session_, login);
  return absl::OkStatus();
}

bool NegotiationVenue::Lists(core::InstrumentId instrument) const {
  return config_.listed.count(instrument) != 0;
}

absl::Status NegotiationVenue::ListInstrument(core::InstrumentId instrument) {
  if (instruments_.Find(instrument) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("negotiation venue ", config_.name,
                                                   ": unknown instrument id ", instrument.value()));
  }
  if (!config_.listed.insert(instrument).second) {
    return absl::AlreadyExistsError(absl::StrCat("negotiation venue ", config_.name,
                                                 " already lists instrument ", instrument.value()));
  }
  return absl::OkStatus();
}

bool NegotiationVenue::TradesNatively(core::ComboId combo) const {
  if (config_.combo_scope == ComboScope::kAnyCombo) return combos_.Find(combo) != nullptr;
  return config_.combos.count(combo) != 0;
}

absl::Status NegotiationVenue::Connect(core::ParticipantId participant, VenueListener* listener) {
  if (listener == nullptr) return absl::InvalidArgumentError("Connect needs a listener");
  listeners_[participant] = listener;
  return absl::OkStatus();
}

absl::Status NegotiationVenue::SetTradingStatus(VenueTradingStatus status) {
  const VenueTradingStatusChanged change{config_.id, status, scheduler_.Now()};
  for (MarketDataListener* listener : subscribers_) listener->OnVenueTradingStatus(change);
  return absl::OkStatus();
}

absl::Status NegotiationVenue::Subscribe(MarketDataListener* listener) {
  if (std::find(subscribers_.begin(), subscribers_.end(), listener) != subscribers_.end()) {
    return absl::AlreadyExistsError("market-data listener already subscribed");
  }
  subscribers_.push_back(listener);
  return absl::OkStatus();
}

absl::Status NegotiationVenue::Unsubscribe(MarketDataListener* listener) {
  auto it = std::find(subscribers_.begin(), subscribers_.end(), listener);
  if (it == subscribers_.end()) return absl::NotFoundError("market-data listener not subscribed");
  subscribers_.erase(it);
  return absl::OkStatus();
}

VenueListener* NegotiationVenue::ListenerFor(core::ParticipantId participant) const {
  auto it = listeners_.find(participant);
  return it == listeners_.end() ? nullptr : it->second;
}

absl::Status NegotiationVenue::Admit(core::ParticipantId participant,
                                     core::OrderId order_id) const {
  if (ListenerFor(participant) == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "participant ", participant.value(), " has not connected to venue ", config_.name));
  }
  if (offer_ids_.count(OrderKey{participant, order_id}) != 0) {
    return absl::AlreadyExistsError(absl::StrCat(
        "order id ", order_id.value(), " already used by participant ", participant.value()));
  }
  if (!session_.has_value() || client_.handle().empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("venue ", config_.name, " is not logged in to the negotiation service"));
  }
  return absl::OkStatus();
}

core::Duration NegotiationVenue::TimeoutFor(TimeInForce time_in_force) const {
  return time_in_force == TimeInForce::kImmediateOrCancel ||
                 time_in_force == TimeInForce::kFillOrKill
             ? config_.immediate_offer_timeout
             : config_.offer_timeout;
}

absl::Status NegotiationVenue::Submit(const OrderRequest& request) {
  COMBO_RETURN_IF_ERROR(Admit(request.participant, request.order_id));
  Order order;
  order.participant = request.participant;
  order.order_id = request.order_id;
  order.kind = RequestKind::kNew;
  order.instrument = request.instrument;
  order.side = request.side;
  order.price = request.limit_price;
  order.quantity = request.quantity;
  order.time_in_force = request.time_in_force;
  offer_ids_[OrderKey{request.participant, request.order_id}] = "";
  if (!Lists(request.instrument)) {
    RejectLater(order, RequestKind::kNew, RejectCode::kUnlistedInstrument,
                absl::StrCat("venue ", config_.name, " does not list instrument ",
                             request.instrument.value()));
    return absl::OkStatus();
  }
  if (request.type != OrderType::kLimit) {
    RejectLater(order, RequestKind::kNew, RejectCode::kUnsupportedCondition,
                "a negotiation offer needs a limit price");
    return absl::OkStatus();
  }
  if (!request.quantity.is_positive()) {
    RejectLater(order, RequestKind::kNew, RejectCode::kInvalidQuantity,
                absl::StrCat("quantity ", request.quantity.value(), " must be positive"));
    return absl::OkStatus();
  }
  order.instrument_text = instruments_.Find(request.instrument)->symbol();
  order.offer_timeout = TimeoutFor(request.time_in_force);
  Route(std::move(order));
  return absl::OkStatus();
}

absl::Status NegotiationVenue::SubmitComplex(const ComplexOrderRequest& request) {
  return SubmitComplexWithTimeout(request, TimeoutFor(request.time_in_force));
}

absl::Status NegotiationVenue::SubmitComplexWithTimeout(const ComplexOrderRequest& request,
                                                        core::Duration timeout) {
  COMBO_RETURN_IF_ERROR(Admit(request.participant, request.order_id));
  Order order;
  order.participant = request.participant;
  order.order_id = request.order_id;
  order.kind = RequestKind::kNewComplex;
  order.combo = request.combo;
  order.side = request.side;
  order.price = request.limit_price;
  order.quantity = request.quantity;
  order.time_in_force = request.time_in_force;
  offer_ids_[OrderKey{request.participant, request.order_id}] = "";
  const core::ComboSpec* spec = combos_.Find(request.combo);
  if (spec == nullptr || !TradesNatively(request.combo)) {
    RejectLater(
        order, RequestKind::kNewComplex, RejectCode::kUnknownCombo,
        absl::StrCat("venue ", config_.name, " does not trade combo ", request.combo.value()));
    return absl::OkStatus();
  }
  if (request.type != OrderType::kLimit) {
    RejectLater(order, RequestKind::kNewComplex, RejectCode::kUnsupportedCondition,
                "a negotiation offer needs a limit price");
    return absl::OkStatus();
  }
  if (!request.quantity.is_positive()) {
    RejectLater(order, RequestKind::kNewComplex, RejectCode::kInvalidQuantity,
                absl::StrCat("quantity ", request.quantity.value(), " must be positive"));
    return absl::OkStatus();
  }
  if (timeout <= core::Duration::Zero() || TimeoutSeconds(timeout) > kMaxTimeoutSeconds) {
    RejectLater(order, RequestKind::kNewComplex, RejectCode::kInvalidRequest,
                absl::StrCat("offer timeout ", timeout.ToString(), " must be from 1s to ",
                             kMaxTimeoutSeconds, "s"));
    return absl::OkStatus();
  }
  absl::StatusOr<std::string> text = ComboText(*spec, instruments_);
  if (!text.ok()) {
    RejectLater(order, RequestKind::kNewComplex, RejectCode::kUnknownCombo,
                std::string(text.status().message()));
    return absl::OkStatus();
  }
  order.instrument_text = *std::move(text);
  order.offer_timeout = timeout;
  Route(std::move(order));
  return absl::OkStatus();
}

core::Duration NegotiationVenue::LongestOrderLife() const {
  const core::Duration trade = service_.config().trade_request_timeout;
  const core::Duration offer = std::max(config_.offer_timeout, config_.immediate_offer_timeout);
  // Whole seconds on the wire, rounded up.
  return trade + core::Duration::Seconds(TimeoutSeconds(offer)) + trade;
}

bool NegotiationVenue::Counts(const std::string& id, const HeardOffer& heard) const {
  if (client_.IsOwnHandle(heard.owner_handle)) return false;
  auto at = heard_at_.find(id);
  if (at == heard_at_.end()) return false;
  if (scheduler_.Now() >= at->second + core::Duration::Seconds(heard.offer.timeout_seconds)) {
    return false;  // its EXPIRED is on its way
  }
  auto ours = orders_.find(id);
  return ours == orders_.end() || ours->second.state == OrderState::kDone;
}

std::optional<NegotiationVenue::Takeable> NegotiationVenue::AsCanonical(const HeardOffer& heard,
                                                                        core::ComboId combo) const {
  if (heard.offer.instrument.empty() || heard.offer.instrument.front() != '[') return std::nullopt;
  absl::StatusOr<Tradable> tradable = ResolveInstrument(heard.offer.instrument, instruments_);
  if (!tradable.ok() || !tradable->combo.has_value()) return std::nullopt;
  const core::CanonicalCombo canonical = core::Canonicalize(*tradable->combo);
  std::optional<core::ComboId> id = combos_.Lookup(canonical.spec);
  if (!id.has_value() || *id != combo) return std::nullopt;
  Takeable takeable;
  takeable.heard = &heard;
  takeable.side = canonical.ToCanonical(heard.offer.side);
  takeable.quantity = canonical.ToCanonical(heard.offer.quantity);
  takeable.price = canonical.ToCanonical(heard.offer.price);
  return takeable;
}

std::optional<NegotiationVenue::Takeable> NegotiationVenue::BestTakeable(const Order& order) const {
  const Quantity wanted = order.quantity - order.filled;
  const Side offered = core::Opposite(order.side);
  std::optional<Takeable> best;
  for (const auto& [id, heard] : client_.offers()) {
    if (!Counts(id, heard)) continue;
    std::optional<Takeable> candidate;
    if (order.combo.has_value()) {
      candidate = AsCanonical(heard, *order.combo);
    } else if (heard.offer.instrument == order.instrument_text) {
      candidate = Takeable{&heard, heard.offer.side, heard.offer.quantity, heard.offer.price, {}};
    }
    if (!candidate.has_value() || candidate->side != offered) continue;
    candidate->heard_at = heard_at_.at(id);
    // It must cross the limit, and an all-or-none offer is taken whole: no larger than what the
    // order still wants (exactly that for a fill-or-kill order).
    const bool crosses = order.side == Side::kBuy ? candidate->price <= order.price
                                                  : candidate->price >= order.price;
    const bool fits = order.time_in_force == TimeInForce::kFillOrKill
                          ? candidate->quantity == wanted
                          : candidate->quantity <= wanted;
    if (!crosses || !fits) continue;
    if (best.has_value()) {
      // Best price for us, then the larger, then the one heard first (then the id, map order).
      const bool better_price = order.side == Side::kBuy ? candidate->price < best->price
                                                         : candidate->price > best->price;
      if (!better_price) {
        if (candidate->price != best->price) continue;
        if (candidate->quantity < best->quantity) continue;
        if (candidate->quantity == best->quantity && candidate->heard_at >= best->heard_at) {
          continue;
        }
      }
    }
    best = candidate;
  }
  return best;
}

void NegotiationVenue::Route(Order order) {
  if (std::optional<Takeable> offer = BestTakeable(order)) {
    Take(std::move(order), *offer);
    return;
  }
  Post(std::move(order));
}

void NegotiationVenue::Take(Order order, const Takeable& offer) {
  const Message& heard = offer.heard->offer;
  const Message accept = Message::Accept(heard.id, core::Opposite(heard.side), heard.quantity,
                                         heard.instrument, heard.price);
  absl::StatusOr<std::string> line = client_.Compose(accept);
  if (!line.ok()) {
    Post(std::move(order));
    return;
  }
  order.state = OrderState::kTaking;
  order.taken = heard;
  order.take_quantity = offer.quantity;
  order.take_price = offer.price;
  offer_ids_[OrderKey{order.participant, order.order_id}] = heard.id;
  orders_.insert_or_assign(heard.id, std::move(order));
  metrics_.Count(NegotiationEvent::kAcceptSent);
  service_.Receive(*session_, *line);
  // The offer being taken no longer counts as a price: published as the next event, never
  // inside the caller's request.
  std::weak_ptr<bool> alive = alive_;
  scheduler_.ScheduleAfter(core::Duration::Zero(), [this, alive]() {
    if (alive.lock()) PublishMarketData();
  });
}

void NegotiationVenue::Post(Order order) {
  const std::string id = absl::StrCat(config_.offer_id_prefix, next_offer_++);
  order.state = OrderState::kPending;
  order.offer = Message::Offer(id, order.side, order.quantity - order.filled, order.instrument_text,
                               order.price, TimeoutSeconds(order.offer_timeout));
  absl::StatusOr<std::string> line = client_.Compose(order.offer);
  if (!line.ok()) {
    RejectLater(order, order.kind, RejectCode::kInvalidRequest,
                std::string(line.status().message()));
    return;
  }
  order.posted = scheduler_.Now();
  offer_ids_[OrderKey{order.participant, order.order_id}] = id;
  orders_.emplace(id, std::move(order));
  service_.Receive(*session_, *line);
}

void NegotiationVenue::TakeLost(const std::string& id) {
  auto it = orders_.find(id);
  Order order = std::move(it->second);
  orders_.erase(it);
  metrics_.Count(NegotiationEvent::kAcceptLost);
  if (order.cancel_pending) {
    Finish(order, CancelReason::kRequested);
    return;
  }
  Route(std::move(order));
}

void NegotiationVenue::TakeFilled(const std::string& id) {
  auto it = orders_.find(id);
  Order& order = it->second;
  metrics_.Count(NegotiationEvent::kTradeConfirmed);
  ReportFill(order, order.take_quantity, order.take_price, Liquidity::kRemoved);
  if (order.filled == order.quantity) {
    order.state = OrderState::kDone;
    return;
  }
  if (order.cancel_pending) {
    Finish(order, CancelReason::kRequested);
    return;
  }
  if (order.time_in_force == TimeInForce::kImmediateOrCancel ||
      order.time_in_force == TimeInForce::kFillOrKill) {
    Finish(order, CancelReason::kImmediateOrCancel);
    return;
  }
  // The rest goes on as the order would have: another take, or an offer of its own.
  Order rest = order;
  rest.taken = Message();
  order.state = OrderState::kDone;
  Route(std::move(rest));
}

absl::Status NegotiationVenue::Cancel(const CancelRequest& request) {
  if (ListenerFor(request.participant) == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "participant ", request.participant.value(), " has not connected to venue ", config_.name));
  }
  auto key = offer_ids_.find(OrderKey{request.participant, request.order_id});
  auto order = key == offer_ids_.end() ? orders_.end() : orders_.find(key->second);
  if (order == orders_.end() || order->second.state == OrderState::kDone ||
      order->second.state == OrderState::kTrading) {
    // Once a counterparty's ACCEPT has won our offer, the trade is agreed.
    Order unknown;
    unknown.participant = request.participant;
    unknown.order_id = request.order_id;
    RejectLater(unknown, RequestKind::kCancel, RejectCode::kUnknownOrder,
                absl::StrCat("order ", request.order_id.value(),
                             " is not open (unknown, finished, or already accepted by a "
                             "counterparty)"));
    return absl::OkStatus();
  }
  Order& open = order->second;
  if (open.cancel_pending) return absl::OkStatus();  // already on its way (or deferred)
  open.cancel_pending = true;
  // An ACCEPT of ours cannot be taken back: its answer ends the order, with the fill if it won.
  if (open.state == OrderState::kTaking || open.state == OrderState::kTakeTrading) {
    return absl::OkStatus();
  }
  Withdraw(open);
  return absl::OkStatus();
}

void NegotiationVenue::Withdraw(Order& order) {
  const core::Duration min_life = service_.config().withdrawal.min_offer_life;
  if (scheduler_.Now() - order.posted < min_life &&
      service_.WouldThrottleOnPrematureWithdrawal(config_.account)) {
    // Premature, and it would tip the venue over the withdrawal policy (N7): the offer stays
    // until it has lived its minimum life (it may still be taken meanwhile).
    metrics_.Count(NegotiationEvent::kWithdrawalDeferred);
    std::weak_ptr<bool> alive = alive_;
    order.deferred_withdrawal =
        scheduler_.ScheduleAt(order.posted + min_life, [this, alive, id = order.offer.id]() {
          if (!alive.lock()) return;
          auto it = orders_.find(id);
          if (it == orders_.end()) return;
          it->second.deferred_withdrawal = core::TimerId();
          if (it->second.state != OrderState::kPending && it->second.state != OrderState::kOpen) {
            return;  // taken or ended meanwhile
          }
          metrics_.Count(NegotiationEvent::kWithdrawalSent);
          SendToService(Message::Withdraw(id));
        });
    return;
  }
  metrics_.Count(NegotiationEvent::kWithdrawalSent);
  SendToService(Message::Withdraw(order.offer.id));
}

absl::Status NegotiationVenue::Replace(const ReplaceRequest& request) {
  if (ListenerFor(request.participant) == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "participant ", request.participant.value(), " has not connected to venue ", config_.name));
  }
  Order order;
  order.participant = request.participant;
  order.order_id = request.order_id;
  RejectLater(order, RequestKind::kReplace, RejectCode::kUnsupportedCondition,
              "negotiation offers cannot be amended: cancel and post a new one");
  return absl::OkStatus();
}

void NegotiationVenue::SendToService(const Message& body) {
  if (!session_.has_value()) return;
  absl::StatusOr<std::string> line = client_.Compose(body);
  if (line.ok()) service_.Receive(*session_, *line);
}

void NegotiationVenue::RejectLater(const Order& order, RequestKind request, RejectCode code,
                                   std::string reason) {
  OrderRejected event;
  event.venue = config_.id;
  event.participant = order.participant;
  event.order_id = order.order_id;
  event.request = request;
  event.code = code;
  event.reason = std::move(reason);
  event.time = scheduler_.Now();
  std::weak_ptr<bool> alive = alive_;
  // Never inside the caller's request: the reject is the next event.
  scheduler_.ScheduleAfter(core::Duration::Zero(), [this, alive, event]() {
    if (!alive.lock()) return;
    if (VenueListener* listener = ListenerFor(event.participant)) listener->OnReject(event);
  });
}

void NegotiationVenue::Deliver(std::string_view line) {
  std::weak_ptr<bool> alive = alive_;
  scheduler_.ScheduleAfter(core::Duration::Zero(), [this, alive, copy = std::string(line)]() {
    if (alive.lock()) Handle(copy);
  });
}

void NegotiationVenue::Handle(const std::string& line) {
  absl::StatusOr<Incoming> incoming = client_.Receive(line);
  if (!incoming.ok()) return;  // counted by the client
  const Message& m = incoming->message;
  if (m.type == MessageType::kOffer && !client_.IsOwnHandle(incoming->origin)) {
    heard_at_[m.id] = scheduler_.Now();
    metrics_.Count(NegotiationEvent::kOfferHeard);
  }
  auto order = orders_.find(m.id);
  if (order != orders_.end() && order->second.state != OrderState::kDone) {
    OnOwnMessage(order->second, *incoming);
  }
  switch (m.type) {
    case MessageType::kOffer:
    case MessageType::kWithdrawn:
    case MessageType::kExpired:
    case MessageType::kAccept:
    case MessageType::kAccepted:
    case MessageType::kTooLate:
    case MessageType::kError:
      PublishMarketData();
      break;
    default:
      break;
  }
}

void NegotiationVenue::Acknowledge(Order& order) {
  if (order.acked) return;
  order.acked = true;
  if (VenueListener* listener = ListenerFor(order.participant)) {
    listener->OnAck(
        OrderAcked{config_.id, order.participant, order.order_id, order.kind, scheduler_.Now()});
  }
}

void NegotiationVenue::OnOwnMessage(Order& order, const Incoming& incoming) {
  const Message& m = incoming.message;
  if (order.state == OrderState::kTaking || order.state == OrderState::kTakeTrading) {
    // Our ACCEPT of a heard offer, and the trade that follows.
    switch (m.type) {
      case MessageType::kAccepted:
        if (order.state != OrderState::kTaking) return;
        order.state = OrderState::kTakeTrading;
        metrics_.Count(NegotiationEvent::kAcceptWon);
        Acknowledge(order);
        SendToService(Message::TradeRequest(order.taken.id, core::Opposite(order.taken.side),
                                            order.taken.quantity, order.taken.instrument,
                                            order.taken.price, incoming.origin));
        return;
      case MessageType::kTooLate:
      case MessageType::kError:
        // Taken by someone first, withdrawn, expired, or refused: the offer is gone for us.
        if (order.state == OrderState::kTaking) TakeLost(m.id);
        return;
      case MessageType::kTradeConfirmed:
        TakeFilled(m.id);
        return;
      case MessageType::kTradeExpired:
      case MessageType::kTradeRejected:
        metrics_.Count(m.type == MessageType::kTradeExpired ? NegotiationEvent::kTradeExpired
                                                            : NegotiationEvent::kTradeRejected);
        Finish(order, CancelReason::kTradeFailed);
        return;
      default:
        return;
    }
  }
  switch (m.type) {
    case MessageType::kOffer:
      if (order.state == OrderState::kPending && client_.IsOwnHandle(incoming.origin)) {
        order.state = OrderState::kOpen;
        metrics_.Count(NegotiationEvent::kOfferPosted);
        Acknowledge(order);
      }
      return;
    case MessageType::kAccept:
      // A counterparty's ACCEPT won our offer: request the trade on the offer's terms.
      if (order.state != OrderState::kOpen && order.state != OrderState::kPending) return;
      order.state = OrderState::kTrading;
      metrics_.Count(NegotiationEvent::kOfferTaken);
      SendToService(Message::TradeRequest(order.offer.id, order.offer.side, order.offer.quantity,
                                          order.offer.instrument, order.offer.price,
                                          incoming.origin));
      return;
    case MessageType::kTradeConfirmed:
      if (order.state != OrderState::kTrading) return;
      metrics_.Count(NegotiationEvent::kTradeConfirmed);
      // Its terms are the offer's: the service checked both requests against it.
      ReportFill(order, order.offer.quantity, order.price, Liquidity::kAdded);
      order.state = OrderState::kDone;
      return;
    case MessageType::kWithdrawn:
      metrics_.Count(NegotiationEvent::kOfferWithdrawn);
      Finish(order, CancelReason::kRequested);
      return;
    case MessageType::kExpired:
      metrics_.Count(NegotiationEvent::kOfferExpired);
      Finish(order, order.time_in_force == TimeInForce::kImmediateOrCancel
                        ? CancelReason::kImmediateOrCancel
                    : order.time_in_force == TimeInForce::kFillOrKill ? CancelReason::kFillOrKill
                                                                      : CancelReason::kExpired);
      return;
    case MessageType::kTradeExpired:
    case MessageType::kTradeRejected:
      // The all-or-none negotiated trade could not complete.
      metrics_.Count(m.type == MessageType::kTradeExpired ? NegotiationEvent::kTradeExpired
                                                          : NegotiationEvent::kTradeRejected);
      Finish(order, CancelReason::kTradeFailed);
      return;
    case MessageType::kError: {
      const bool submit_refused = order.state == OrderState::kPending;
      if (!submit_refused && !order.cancel_pending) return;
      if (m.code == "THROTTLED") metrics_.Count(NegotiationEvent::kOfferThrottled);
      if (submit_refused && order.filled.is_positive()) {
        // The rest of a partly taken order could not be posted: it ends with what it has.
        Finish(order, CancelReason::kImmediateOrCancel);
        return;
      }
      OrderRejected event;
      event.venue = config_.id;
      event.participant = order.participant;
      event.order_id = order.order_id;
      event.request = submit_refused ? order.kind : RequestKind::kCancel;
      event.code = submit_refused
                       ? (m.code == "UNKNOWN_INSTRUMENT" ? RejectCode::kUnlistedInstrument
                                                         : RejectCode::kInvalidRequest)
                       : RejectCode::kUnknownOrder;
      event.reason =
          absl::StrCat("negotiation service: ", m.code, m.text.empty() ? "" : " - ", m.text);
      event.time = scheduler_.Now();
      order.cancel_pending = false;
      if (submit_refused) order.state = OrderState::kDone;
      if (VenueListener* listener = ListenerFor(order.participant)) listener->OnReject(event);
      return;
    }
    default:
      return;
  }
}

void NegotiationVenue::Finish(Order& order, CancelReason reason) {
  order.state = OrderState::kDone;
  if (VenueListener* listener = ListenerFor(order.participant)) {
    listener->OnCancelled(OrderCancelled{config_.id, order.participant, order.order_id, reason,
                                         order.quantity - order.filled, scheduler_.Now()});
  }
}

void NegotiationVenue::ReportFill(Order& order, Quantity quantity, Price price,
                                  Liquidity liquidity) {
  order.filled += quantity;
  VenueListener* listener = ListenerFor(order.participant);
  const uint64_t execution = next_execution_++;
  if (order.kind == RequestKind::kNew) {
    Fill fill;
    fill.venue = config_.id;
    fill.participant = order.participant;
    fill.order_id = order.order_id;
    fill.instrument = *order.instrument;
    fill.side = order.side;
    fill.price = price;
    fill.quantity = quantity;
    fill.leaves_quantity = order.quantity - order.filled;
    fill.liquidity = liquidity;
    fill.execution_id = execution;
    fill.time = scheduler_.Now();
    if (listener != nullptr) listener->OnFill(fill);
    return;
  }
  const core::ComboSpec& spec = *combos_.Find(*order.combo);
  ComplexFill fill;
  fill.venue = config_.id;
  fill.participant = order.participant;
  fill.order_id = order.order_id;
  fill.combo = *order.combo;
  fill.side = order.side;
  fill.net_price = price;
  fill.quantity = quantity;
  fill.leaves_quantity = order.quantity - order.filled;
  fill.liquidity = liquidity;
  fill.execution_id = execution;
  fill.time = scheduler_.Now();
  absl::StatusOr<std::vector<Price>> prices =
      SplitNetPrice(spec, instruments_, price, leg_reference_);
  for (size_t i = 0; i < spec.size(); ++i) {
    const core::ComboLeg& leg = spec.leg(i);
    fill.legs.push_back(
        LegExecution{leg.instrument, order.side == Side::kBuy ? leg.side : core::Opposite(leg.side),
                     prices.ok() ? (*prices)[i] : Price::Zero(), quantity * leg.ratio});
  }
  if (listener != nullptr) listener->OnComplexFill(fill);
}

core::Depth NegotiationVenue::HeardDepth(core::InstrumentId instrument) const {
  core::Depth depth;
  const core::Instrument* found = instruments_.Find(instrument);
  if (found == nullptr) return depth;
  for (const auto& [id, heard] : client_.offers()) {
    if (heard.offer.instrument != found->symbol() || !Counts(id, heard)) continue;
    AddLevel(heard.offer.side == Side::kBuy ? depth.bids : depth.asks, heard.offer.price,
             heard.offer.quantity, heard.offer.side);
  }
  return depth;
}

std::map<core::ComboId, core::TopOfBook> NegotiationVenue::HeardComboTops() const {
  std::map<core::ComboId, core::Depth> depths;
  for (const auto& [id, heard] : client_.offers()) {
    if (heard.offer.instrument.empty() || heard.offer.instrument.front() != '[') continue;
    if (!Counts(id, heard)) continue;
    absl::StatusOr<Tradable> tradable = ResolveInstrument(heard.offer.instrument, instruments_);
    if (!tradable.ok() || !tradable->combo.has_value()) continue;
    std::optional<core::ComboId> combo = combos_.Lookup(core::Canonicalize(*tradable->combo).spec);
    if (!combo.has_value() || !TradesNatively(*combo)) continue;
    const std::optional<Takeable> offer = AsCanonical(heard, *combo);
    core::Depth& depth = depths[*combo];
    AddLevel(offer->side == Side::kBuy ? depth.bids : depth.asks, offer->price, offer->quantity,
             offer->side);
  }
  std::map<core::ComboId, core::TopOfBook> tops;
  for (const auto& [combo, depth] : depths) tops[combo] = TopOf(depth);
  return tops;
}

absl::StatusOr<core::TopOfBook> NegotiationVenue::TopOfBook(core::InstrumentId instrument) const {
  if (!Lists(instrument)) {
    return absl::NotFoundError(
        absl::StrCat("venue ", config_.name, " does not list instrument ", instrument.value()));
  }
  return TopOf(HeardDepth(instrument));
}

absl::StatusOr<core::Depth> NegotiationVenue::BookDepth(core::InstrumentId instrument,
                                                        int levels) const {
  if (!Lists(instrument)) {
    return absl::NotFoundError(
        absl::StrCat("venue ", config_.name, " does not list instrument ", instrument.value()));
  }
  core::Depth depth = HeardDepth(instrument);
  const size_t keep = static_cast<size_t>(std::max(levels, 0));
  if (depth.bids.size() > keep) depth.bids.resize(keep);
  if (depth.asks.size() > keep) depth.asks.resize(keep);
  return depth;
}

void NegotiationVenue::PublishMarketData() {
  const core::Timestamp now = scheduler_.Now();
  // Offers that left the store no longer need their time heard.
  std::erase_if(heard_at_,
                [this](const auto& entry) { return client_.offers().count(entry.first) == 0; });
  for (core::InstrumentId instrument : config_.listed) {
    const core::Depth depth = HeardDepth(instrument);
    core::Depth& before = published_depth_[instrument];
    if (depth == before) continue;
    const core::TopOfBook top = TopOf(depth);
    // One update per changed level: new totals, and zero for levels that went away.
    for (Side side : {Side::kBuy, Side::kSell}) {
      std::map<Price, Quantity> old_levels, new_levels;
      for (const core::PriceLevel& l : before.side(side)) old_levels[l.price] = l.quantity;
      for (const core::PriceLevel& l : depth.side(side)) new_levels[l.price] = l.quantity;
      std::map<Price, Quantity> changed;
      for (const auto& [price, quantity] : old_levels) {
        if (new_levels.count(price) == 0) changed[price] = Quantity(0);
      }
      for (const auto& [price, quantity] : new_levels) {
        auto old = old_levels.find(price);
        if (old == old_levels.end() || old->second != quantity) changed[price] = quantity;
      }
      for (const auto& [price, quantity] : changed) {
        core::LegBookUpdate update{
            config_.id, instrument, ++leg_sequence_[instrument], side, price, quantity, top, now};
        for (MarketDataListener* listener : subscribers_) listener->OnLegBookUpdate(update);
      }
    }
    before = depth;
  }
  std::map<core::ComboId, core::TopOfBook> tops = HeardComboTops();
  std::set<core::ComboId> combos;
  for (const auto& [combo, top] : tops) combos.insert(combo);
  for (const auto& [combo, top] : published_combo_tops_) combos.insert(combo);
  for (core::ComboId combo : combos) {
    const core::TopOfBook now_top = tops.count(combo) != 0 ? tops[combo] : core::TopOfBook{};
    const core::TopOfBook then_top =
        published_combo_tops_.count(combo) != 0 ? published_combo_tops_[combo] : core::TopOfBook{};
    if (now_top == then_top) continue;
    // The negotiation venue legs nothing in: no legs-implied top.
    core::NativeComboUpdate update{config_.id, combo, ++combo_sequence_[combo], now_top, {}, now};
    for (MarketDataListener* listener : subscribers_) listener->OnNativeComboUpdate(update);
  }
  published_combo_tops_ = std::move(tops);
}

}  // namespace combo::venues::negotiation

#include "venues/negotiation/simulated_participant.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "core/status.h"

namespace combo::venues::negotiation {

std::string_view ToString(OfferAnswer answer) {
  switch (answer) {
    case OfferAnswer::kAccept:
      return "accept";
    case OfferAnswer::kCounter:
      return "counter";
    case OfferAnswer::kDecline:
      return "decline";
  }
  return "unknown";
}

SimulatedParticipant::SimulatedParticipant(core::Scheduler& scheduler, NegotiationService& service,
                                           SimulatedParticipantConfig config)
    : scheduler_(scheduler),
      service_(service),
      config_(std::move(config)),
      client_(config_.account, KeyPair::FromLabel(config_.account.value()), service.public_key()),
      rng_(config_.seed) {
  if (!config_.clearing_firm.empty()) {
    client_.SetClearingFirm(config_.clearing_firm, KeyPair::FromLabel(config_.clearing_firm));
  }
}

SimulatedParticipant::~SimulatedParticipant() {
  if (session_.has_value()) service_.CloseSession(*session_);
}

absl::Status SimulatedParticipant::Start() {
  if (config_.min_think_time < core::Duration::Zero() ||
      config_.max_think_time < config_.min_think_time ||
      config_.trade_request_delay < core::Duration::Zero()) {
    return absl::InvalidArgumentError(
        absl::StrCat("simulated participant ", config_.account.value(),
                     ": think times must satisfy 0 <= min <= max and the trade request delay "
                     "must not be negative"));
  }
  if (config_.counter_timeout_seconds < 1 || config_.counter_timeout_seconds > kMaxTimeoutSeconds) {
    return absl::InvalidArgumentError(absl::StrCat(
        "simulated participant ", config_.account.value(), ": counter timeout ",
        config_.counter_timeout_seconds, " s is not in [1, ", kMaxTimeoutSeconds, "]"));
  }
  const std::string prefix =
      config_.counter_id_prefix.empty() ? config_.account.value() : config_.counter_id_prefix;
  // The longest id it will use must still be a token.
  if (!IsValidToken(absl::StrCat(prefix, "-C", UINT32_MAX))) {
    return absl::InvalidArgumentError(
        absl::StrCat("simulated participant ", config_.account.value(), ": counter id prefix '",
                     prefix, "' does not make valid offer ids (at most 20 of [A-Za-z0-9_.-])"));
  }
  for (const Interest& interest : config_.interests) {
    if (!interest.max_quantity.is_positive()) {
      return absl::InvalidArgumentError(
          absl::StrCat("simulated participant ", config_.account.value(), ": interest in ",
                       interest.instrument, " needs a positive max_quantity"));
    }
  }
  COMBO_RETURN_IF_ERROR(service_.RegisterParticipant(
      config_.account, KeyPair::FromLabel(config_.account.value()).public_key()));
  session_ = service_.OpenSession(this);
  COMBO_ASSIGN_OR_RETURN(std::string login, client_.Login());
  service_.Receive(*session_, login);
  return absl::OkStatus();
}

absl::Status SimulatedParticipant::PostOffer(const Message& offer) {
  if (offer.type != MessageType::kOffer) {
    return absl::InvalidArgumentError("PostOffer needs an OFFER message");
  }
  if (!session_.has_value()) return absl::FailedPreconditionError("participant not started");
  COMBO_ASSIGN_OR_RETURN(std::string line, client_.Compose(offer, cosign()));
  own_offers_[offer.id] = offer;
  if (hook_) hook_(MessageDirection::kSent, offer);
  service_.Receive(*session_, line);
  return absl::OkStatus();
}

absl::Status SimulatedParticipant::Withdraw(std::string_view id) {
  if (!session_.has_value()) return absl::FailedPreconditionError("participant not started");
  COMBO_ASSIGN_OR_RETURN(std::string line, client_.Compose(Message::Withdraw(std::string(id))));
  service_.Receive(*session_, line);
  return absl::OkStatus();
}

void SimulatedParticipant::Deliver(std::string_view line) {
  // Never react inside the service's call: handle the line as the next scheduled event.
  std::weak_ptr<bool> alive = alive_;
  scheduler_.ScheduleAfter(core::Duration::Zero(), [this, alive, copy = std::string(line)]() {
    if (alive.lock()) Handle(copy);
  });
}

void SimulatedParticipant::Handle(const std::string& line) {
  absl::StatusOr<Incoming> incoming = client_.Receive(line);
  if (!incoming.ok()) return;  // counted by the client
  const Message& m = incoming->message;
  if (hook_) hook_(MessageDirection::kReceived, m);
  switch (m.type) {
    case MessageType::kOffer:
      if (!client_.IsOwnHandle(incoming->origin)) OnOffer(m, incoming->origin);
      break;
    case MessageType::kAccept: {
      // Our offer was taken: request the trade on our offer's terms.
      auto own = own_offers_.find(m.id);
      if (own == own_offers_.end()) break;
      const Message& offer = own->second;
      SendLater(config_.trade_request_delay,
                Message::TradeRequest(offer.id, offer.side, offer.quantity, offer.instrument,
                                      offer.price, incoming->origin));
      own_offers_.erase(own);
      break;
    }
    case MessageType::kAccepted: {
      auto sent = sent_accepts_.find(m.id);
      if (sent == sent_accepts_.end()) break;
      ++stats_.accepts_won;
      const Message& accept = sent->second;
      SendLater(config_.trade_request_delay,
                Message::TradeRequest(accept.id, accept.side, accept.quantity, accept.instrument,
                                      accept.price, incoming->origin));
      sent_accepts_.erase(sent);
      break;
    }
    case MessageType::kTooLate:
      ++stats_.too_late;
      sent_accepts_.erase(m.id);
      break;
    case MessageType::kWithdrawn:
    case MessageType::kExpired:
      own_offers_.erase(m.id);
      pending_answers_.erase(m.id);
      break;
    case MessageType::kTradeConfirmed:
      ++stats_.trades_confirmed;
      confirmations_.push_back(m);
      break;
    case MessageType::kTradeExpired:
    case MessageType::kTradeRejected:
      ++stats_.trades_failed;
      break;
    case MessageType::kError:
      ++stats_.errors;
      break;
    default:
      break;
  }
}

const Interest* SimulatedParticipant::FindInterest(const std::string& instrument) const {
  for (const Interest& interest : config_.interests) {
    if (interest.instrument == instrument) return &interest;
  }
  return nullptr;
}

void SimulatedParticipant::OnOffer(const Message& offer, const std::string& owner_handle) {
  ++stats_.offers_heard;
  (void)owner_handle;
  if (judge_) {
    // Answered when the think time is over, from the judge's view at that moment.
    if (!pending_answers_.emplace(offer.id, offer).second) return;
    std::weak_ptr<bool> alive = alive_;
    scheduler_.ScheduleAfter(ThinkTime(), [this, alive, id = offer.id]() {
      if (alive.lock()) Answer(id);
    });
    return;
  }
  const Interest* interest = FindInterest(offer.instrument);
  if (interest == nullptr || offer.quantity > interest->max_quantity) return;
  const bool offer_sells = offer.side == core::Side::kSell;
  const std::optional<core::Price>& limit =
      offer_sells ? interest->buy_limit : interest->sell_limit;
  if (!limit.has_value()) return;
  if (offer_sells ? offer.price > *limit : offer.price < *limit) return;
  if (sent_accepts_.count(offer.id) != 0) return;
  const Message accept = Message::Accept(offer.id, core::Opposite(offer.side), offer.quantity,
                                         offer.instrument, offer.price);
  sent_accepts_[offer.id] = accept;
  ++stats_.accepts_sent;
  SendLater(ThinkTime(), accept);
}

core::Duration SimulatedParticipant::ThinkTime() {
  return core::Duration::Nanoseconds(
      rng_.UniformInt(config_.min_think_time.nanoseconds(), config_.max_think_time.nanoseconds()));
}

void SimulatedParticipant::Answer(const std::string& offer_id) {
  auto pending = pending_answers_.find(offer_id);
  if (pending == pending_answers_.end()) {
    ++stats_.offers_gone;  // withdrawn or expired while we thought
    return;
  }
  const Message offer = std::move(pending->second);
  pending_answers_.erase(pending);
  const OfferResponse response = judge_(offer);
  switch (response.answer) {
    case OfferAnswer::kAccept: {
      if (sent_accepts_.count(offer.id) != 0) return;
      const Message accept = Message::Accept(offer.id, core::Opposite(offer.side), offer.quantity,
                                             offer.instrument, offer.price);
      sent_accepts_[offer.id] = accept;
      ++stats_.accepts_sent;
      SendNow(accept);
      return;
    }
    case OfferAnswer::kCounter:
      Counter(offer, response);
      return;
    case OfferAnswer::kDecline:
      ++stats_.declines;
      return;
  }
}

void SimulatedParticipant::Counter(const Message& offer, const OfferResponse& response) {
  const core::Side side = core::Opposite(offer.side);
  // One open counter per instrument and side: two participants countering each other's
  // counters would otherwise never stop.
  for (const auto& [id, own] : own_offers_) {
    if (own.instrument == offer.instrument && own.side == side) {
      ++stats_.declines;
      return;
    }
  }
  if (!response.quantity.is_positive()) {
    ++stats_.declines;
    return;
  }
  const std::string prefix =
      config_.counter_id_prefix.empty() ? config_.account.value() : config_.counter_id_prefix;
  const Message counter =
      Message::Offer(absl::StrCat(prefix, "-C", next_counter_++), side, response.quantity,
                     offer.instrument, response.price, config_.counter_timeout_seconds);
  if (!PostOffer(counter).ok()) {
    ++stats_.errors;
    return;
  }
  ++stats_.counters_sent;
}

void SimulatedParticipant::SendLater(core::Duration delay, Message body) {
  std::weak_ptr<bool> alive = alive_;
  scheduler_.ScheduleAfter(delay, [this, alive, body = std::move(body)]() {
    if (alive.lock()) SendNow(body);
  });
}

void SimulatedParticipant::SendNow(const Message& body) {
  if (!session_.has_value()) return;
  const CoSign sign = body.type == MessageType::kAccept ? cosign() : CoSign::kNo;
  absl::StatusOr<std::string> line = client_.Compose(body, sign);
  if (!line.ok()) return;
  if (hook_) hook_(MessageDirection::kSent, body);
  service_.Receive(*session_, *line);
}

}  // namespace combo::venues::negotiation

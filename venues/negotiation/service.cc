#include "venues/negotiation/service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::venues::negotiation {
namespace {

using core::AccountId;
using core::AsAbsl;
using core::Side;

bool TermsMatch(const Message& a, const Message& b) {
  return a.quantity == b.quantity && a.price == b.price;
}

}  // namespace

absl::Status ValidateServiceConfig(const ServiceConfig& config) {
  if (config.trade_request_timeout <= core::Duration::Zero()) {
    return absl::InvalidArgumentError("negotiation trade_request_timeout must be positive");
  }
  if (config.handle_rotation_interval < core::Duration::Zero()) {
    return absl::InvalidArgumentError(
        "negotiation handle_rotation_interval must not be negative (zero never rotates)");
  }
  if (config.handle_retention <= core::Duration::Zero() ||
      config.closed_offer_retention <= core::Duration::Zero()) {
    return absl::InvalidArgumentError(
        "negotiation handle_retention and closed_offer_retention must be positive");
  }
  return ValidateWithdrawalPolicy(config.withdrawal);
}

NegotiationService::NegotiationService(core::Scheduler& scheduler,
                                       const core::InstrumentCatalog& catalog, KeyPair service_key,
                                       ServiceConfig config)
    : scheduler_(scheduler),
      catalog_(catalog),
      key_(service_key),
      config_(config),
      handles_(config_.handle_seed),
      tracker_(config_.withdrawal) {
  handles_.Reserve(kServiceName);
}

NegotiationService::~NegotiationService() {
  for (auto& [id, offer] : offers_) {
    scheduler_.Cancel(offer.expiry_timer);
    scheduler_.Cancel(offer.trade_timer);
  }
  for (auto& [account, participant] : participants_) scheduler_.Cancel(participant.rotation_timer);
}

core::TimerId NegotiationService::After(core::Duration delay, std::function<void()> action) {
  std::weak_ptr<bool> alive = alive_;
  return scheduler_.ScheduleAfter(delay, [alive, action = std::move(action)]() {
    if (alive.lock()) action();
  });
}

absl::Status NegotiationService::RegisterParticipant(const AccountId& account,
                                                     const PublicKey& key) {
  if (!IsValidToken(account.value()) || account.value() == kServiceName) {
    return absl::InvalidArgumentError(absl::StrCat(
        "participant account \"", account.value(),
        "\" must be 1 to 32 of A-Z a-z 0-9 _ . - and not \"", AsAbsl(kServiceName), "\""));
  }
  if (participants_.count(account) != 0 || handles_.Resolve(account.value()) != nullptr) {
    return absl::AlreadyExistsError(
        absl::StrCat("participant account \"", account.value(), "\" is already registered"));
  }
  handles_.Reserve(account.value());
  participants_[account].key = key;
  return absl::OkStatus();
}

absl::Status NegotiationService::RegisterClearingFirm(std::string_view firm, const PublicKey& key) {
  if (!IsValidToken(firm)) {
    return absl::InvalidArgumentError(
        absl::StrCat("clearing firm \"", AsAbsl(firm), "\" must be 1 to 32 of A-Z a-z 0-9 _ . -"));
  }
  if (!clearing_firms_.emplace(std::string(firm), key).second) {
    return absl::AlreadyExistsError(
        absl::StrCat("clearing firm \"", AsAbsl(firm), "\" is already registered"));
  }
  return absl::OkStatus();
}

SessionId NegotiationService::OpenSession(SessionSink* sink) {
  const SessionId id{next_session_++};
  sessions_[id].sink = sink;
  return id;
}

void NegotiationService::CloseSession(SessionId session) {
  auto it = sessions_.find(session);
  if (it == sessions_.end()) return;
  if (it->second.account.has_value()) {
    Participant& participant = participants_.at(*it->second.account);
    if (participant.session.has_value() && *participant.session == session) {
      participant.session.reset();
      scheduler_.Cancel(participant.rotation_timer);
      participant.rotation_timer = core::TimerId();
    }
  }
  sessions_.erase(it);
}

std::optional<std::string> NegotiationService::CurrentHandle(const AccountId& account) const {
  const std::string* handle = handles_.Current(account);
  if (handle == nullptr) return std::nullopt;
  return *handle;
}

std::optional<AccountId> NegotiationService::ResolveHandle(std::string_view handle) const {
  const AccountId* account = handles_.Resolve(handle);
  if (account == nullptr) return std::nullopt;
  return *account;
}

std::vector<std::string> NegotiationService::OpenOfferIds() const {
  std::vector<std::string> ids;
  for (const auto& [id, offer] : offers_) {
    if (offer.status == OfferStatus::kOpen) ids.push_back(id);
  }
  return ids;
}

std::optional<AccountId> NegotiationService::Authenticate(const ParsedLine& parsed) {
  const Envelope& envelope = parsed.envelope;
  if (!envelope.signature.has_value()) {
    ++counters_.unsigned_lines;
    return std::nullopt;
  }
  // LOGIN is signed as the account; everything else as one of the account's live handles.
  std::optional<AccountId> account;
  if (envelope.body.type == MessageType::kLogin) {
    if (participants_.count(AccountId(envelope.from)) != 0 && envelope.body.name == envelope.from) {
      account = AccountId(envelope.from);
    }
  } else if (const AccountId* owner = handles_.Resolve(envelope.from); owner != nullptr) {
    account = *owner;
  }
  if (!account.has_value()) {
    ++counters_.unknown_senders;
    return std::nullopt;
  }
  Participant& participant = participants_.at(*account);
  if (!Verify(participant.key, parsed.signed_part, *envelope.signature)) {
    ++counters_.bad_signatures;
    return std::nullopt;
  }
  if (envelope.cosignature.has_value()) {
    auto firm = clearing_firms_.find(envelope.cosignature->firm);
    if (firm == clearing_firms_.end() ||
        !Verify(firm->second, parsed.signed_part, envelope.cosignature->signature)) {
      ++counters_.bad_cosignatures;
      return std::nullopt;
    }
  }
  if (envelope.seq <= participant.last_seq) {
    ++counters_.replayed;
    return std::nullopt;
  }
  participant.last_seq = envelope.seq;
  return account;
}

void NegotiationService::Receive(SessionId session, std::string_view line) {
  auto session_it = sessions_.find(session);
  if (session_it == sessions_.end()) return;
  absl::StatusOr<ParsedLine> parsed = ParseLine(line);
  if (!parsed.ok()) {
    ++counters_.malformed;
    return;
  }
  std::optional<AccountId> sender = Authenticate(*parsed);
  if (!sender.has_value()) return;
  const Message& body = parsed->envelope.body;
  if (body.type == MessageType::kLogin) {
    HandleLogin(session, *sender);
    return;
  }
  if (!session_it->second.account.has_value() || *session_it->second.account != *sender) {
    // Authentic, but this session speaks for someone else (or no one): answer on the session.
    if (std::optional<std::string> reply = SignLine(
            Message::Error(body.id, "NOT_LOGGED_IN", "send LOGIN on this connection first"), {})) {
      ++counters_.errors_sent;
      session_it->second.sink->Deliver(*reply);
    }
    return;
  }
  if (!parsed->envelope.origin.empty()) {
    SendError(*sender, body.id, "MALFORMED", "ORIGIN is written by the service only");
    return;
  }
  switch (body.type) {
    case MessageType::kOffer:
      HandleOffer(*sender, *parsed);
      return;
    case MessageType::kWithdraw:
      HandleWithdraw(*sender, body);
      return;
    case MessageType::kAccept:
      HandleAccept(*sender, *parsed);
      return;
    case MessageType::kTradeRequest:
      HandleTradeRequest(*sender, body);
      return;
    default:
      SendError(*sender, body.id, "NOT_A_REQUEST",
                absl::StrCat(AsAbsl(ToString(body.type)), " is sent by the service only"));
      return;
  }
}

void NegotiationService::HandleLogin(SessionId session, const AccountId& account) {
  Participant& participant = participants_.at(account);
  if (participant.session.has_value() && *participant.session != session) {
    // The newer connection takes over; the old one no longer receives this account's lines.
    auto old = sessions_.find(*participant.session);
    if (old != sessions_.end()) old->second.account.reset();
  }
  Session& current = sessions_.at(session);
  if (current.account.has_value() && *current.account != account) {
    // This connection spoke for another account until now: that account is offline.
    Participant& previous = participants_.at(*current.account);
    previous.session.reset();
    scheduler_.Cancel(previous.rotation_timer);
    previous.rotation_timer = core::TimerId();
  }
  current.account = account;
  participant.session = session;
  // Every login starts under a fresh pseudonym.
  RotateHandle(account);
  // The newcomer hears every open offer, as if it had been listening all along (N1).
  for (const auto& [id, offer] : offers_) {
    if (offer.status == OfferStatus::kOpen) SendTo(account, offer.body, offer.owner_handle);
  }
}

void NegotiationService::RotateHandle(const AccountId& account) {
  std::string retired;
  handles_.Issue(account, &retired);
  if (!retired.empty()) {
    ++counters_.handles_rotated;
    After(config_.handle_retention, [this, retired]() { RetireHandle(retired); });
  }
  SendTo(account, Message::Handle(*handles_.Current(account)));
  ScheduleRotation(account);
}

void NegotiationService::ScheduleRotation(const AccountId& account) {
  Participant& participant = participants_.at(account);
  scheduler_.Cancel(participant.rotation_timer);
  participant.rotation_timer = core::TimerId();
  if (config_.handle_rotation_interval == core::Duration::Zero()) return;
  participant.rotation_timer =
      After(config_.handle_rotation_interval, [this, account]() { RotateHandle(account); });
}

void NegotiationService::RetireHandle(const std::string& handle) { handles_.Forget(handle); }

void NegotiationService::HandleOffer(const AccountId& sender, const ParsedLine& parsed) {
  const Message& body = parsed.envelope.body;
  if (offers_.count(body.id) != 0) {
    SendError(sender, body.id, "DUPLICATE_ID", "an offer with this id exists; choose another");
    return;
  }
  if (tracker_.IsThrottled(sender, scheduler_.Now())) {
    tracker_.OnOfferRefused(sender);
    ++counters_.offers_throttled;
    SendError(sender, body.id, "THROTTLED", "too many premature withdrawals, try again later");
    return;
  }
  absl::StatusOr<Tradable> tradable = ResolveInstrument(body.instrument, catalog_);
  if (!tradable.ok()) {
    SendError(sender, body.id, "UNKNOWN_INSTRUMENT", std::string(tradable.status().message()));
    return;
  }
  Offer offer;
  offer.body = body;
  offer.tradable = *std::move(tradable);
  offer.owner = sender;
  offer.owner_handle = *handles_.Current(sender);
  offer.owner_cosigned = parsed.envelope.cosignature.has_value();
  offer.posted = scheduler_.Now();
  const std::string id = body.id;
  offer.expiry_timer =
      After(core::Duration::Seconds(body.timeout_seconds), [this, id]() { ExpireOffer(id); });
  Offer& stored = offers_.emplace(id, std::move(offer)).first->second;
  ++counters_.offers;
  tracker_.OnOfferPosted(sender);
  // Everyone hears it, the owner included: that is the owner's acknowledgement.
  Broadcast(stored.body, stored.owner_handle);
}

void NegotiationService::HandleWithdraw(const AccountId& sender, const Message& body) {
  auto it = offers_.find(body.id);
  if (it == offers_.end()) {
    SendError(sender, body.id, "UNKNOWN_OFFER", "");
    return;
  }
  Offer& offer = it->second;
  if (offer.owner != sender) {
    SendError(sender, body.id, "NOT_OWNER", "only the offer's owner may withdraw it");
    return;
  }
  if (offer.status != OfferStatus::kOpen) {
    SendError(sender, body.id, "NOT_OPEN", "the offer was already accepted or has ended");
    return;
  }
  ++counters_.withdrawals;
  tracker_.OnOfferEnded(sender, OfferEnd::kWithdrawn, scheduler_.Now() - offer.posted,
                        scheduler_.Now());
  CloseOffer(offer, OfferStatus::kWithdrawn);
  Broadcast(Message::Withdrawn(body.id), offer.owner_handle);
}

void NegotiationService::ExpireOffer(const std::string& id) {
  auto it = offers_.find(id);
  if (it == offers_.end() || it->second.status != OfferStatus::kOpen) return;
  Offer& offer = it->second;
  offer.expiry_timer = core::TimerId();
  ++counters_.offers_expired;
  tracker_.OnOfferEnded(offer.owner, OfferEnd::kExpired, scheduler_.Now() - offer.posted,
                        scheduler_.Now());
  CloseOffer(offer, OfferStatus::kExpired);
  Broadcast(Message::Expired(id), offer.owner_handle);
}

void NegotiationService::HandleAccept(const AccountId& sender, const ParsedLine& parsed) {
  const Message& body = parsed.envelope.body;
  auto it = offers_.find(body.id);
  if (it == offers_.end()) {
    SendError(sender, body.id, "UNKNOWN_OFFER", "");
    return;
  }
  Offer& offer = it->second;
  if (offer.owner == sender) {
    SendError(sender, body.id, "OWN_OFFER", "a participant cannot accept its own offer");
    return;
  }
  if (offer.status != OfferStatus::kOpen) {
    ++counters_.too_late;
    SendTo(sender, Message::TooLate(body.id));
    return;
  }
  absl::StatusOr<Tradable> tradable = ResolveInstrument(body.instrument, catalog_);
  if (body.side != core::Opposite(offer.body.side) || !TermsMatch(body, offer.body) ||
      !tradable.ok() || *tradable != offer.tradable) {
    SendError(sender, body.id, "TERMS_MISMATCH",
              "an ACCEPT takes the whole offer: opposite side, same quantity, instrument and "
              "price");
    return;
  }
  // First valid ACCEPT wins (N2).
  scheduler_.Cancel(offer.expiry_timer);
  offer.expiry_timer = core::TimerId();
  offer.status = OfferStatus::kAccepted;
  offer.acceptor = sender;
  offer.acceptor_handle = *handles_.Current(sender);
  offer.acceptor_cosigned = parsed.envelope.cosignature.has_value();
  ++counters_.accepts_won;
  tracker_.OnOfferEnded(offer.owner, OfferEnd::kAccepted, scheduler_.Now() - offer.posted,
                        scheduler_.Now());
  const std::string id = body.id;
  offer.trade_timer = After(config_.trade_request_timeout, [this, id]() { ExpireTrade(id); });
  SendTo(sender, Message::Accepted(id), offer.owner_handle);
  SendTo(offer.owner, body, offer.acceptor_handle);
}

void NegotiationService::HandleTradeRequest(const AccountId& sender, const Message& body) {
  auto it = offers_.find(body.id);
  if (it == offers_.end()) {
    SendError(sender, body.id, "UNKNOWN_OFFER", "");
    return;
  }
  Offer& offer = it->second;
  const bool is_owner = offer.owner == sender;
  const bool is_acceptor = offer.acceptor.has_value() && *offer.acceptor == sender;
  if (!is_owner && !is_acceptor) {
    SendError(sender, body.id, "NOT_A_PARTY",
              "only the offer's owner and its accepted "
              "counterparty may request the trade");
    return;
  }
  if (offer.status != OfferStatus::kAccepted) {
    SendError(sender, body.id, "NOT_ACCEPTED", "the offer is not awaiting trade requests");
    return;
  }
  std::optional<Message>& slot = is_owner ? offer.owner_request : offer.acceptor_request;
  if (slot.has_value()) {
    SendError(sender, body.id, "DUPLICATE_REQUEST", "this party's TRADE REQUEST already arrived");
    return;
  }
  slot = body;
  if (offer.owner_request.has_value() && offer.acceptor_request.has_value()) Conclude(offer);
}

void NegotiationService::Conclude(Offer& offer) {
  const Message& owner = *offer.owner_request;
  const Message& acceptor = *offer.acceptor_request;
  const AccountId& acceptor_account = *offer.acceptor;
  // Agreement: each side as the offer set it, both at the offer's terms on the same tradable,
  // and each naming the other by one of its handles.
  std::string reason;
  absl::StatusOr<Tradable> owner_tradable = ResolveInstrument(owner.instrument, catalog_);
  absl::StatusOr<Tradable> acceptor_tradable = ResolveInstrument(acceptor.instrument, catalog_);
  const AccountId* owner_names = handles_.Resolve(owner.counterparty);
  const AccountId* acceptor_names = handles_.Resolve(acceptor.counterparty);
  if (owner.side != offer.body.side || acceptor.side != core::Opposite(offer.body.side)) {
    reason = "SIDE_MISMATCH";
  } else if (!TermsMatch(owner, offer.body) || !TermsMatch(acceptor, offer.body) ||
             !owner_tradable.ok() || *owner_tradable != offer.tradable || !acceptor_tradable.ok() ||
             *acceptor_tradable != offer.tradable) {
    reason = "TERMS_MISMATCH";
  } else if (owner_names == nullptr || *owner_names != acceptor_account ||
             acceptor_names == nullptr || *acceptor_names != offer.owner) {
    reason = "COUNTERPARTY_MISMATCH";
  }
  const std::string id = offer.body.id;
  if (!reason.empty()) {
    ++counters_.trades_rejected;
    CloseOffer(offer, OfferStatus::kTradeRejected);
    SendTo(offer.owner, Message::TradeRejected(id, reason));
    SendTo(acceptor_account, Message::TradeRejected(id, reason));
    return;
  }
  TradeReport report;
  report.ticket = absl::StrCat("T", next_ticket_++);
  report.offer_id = id;
  report.instrument = offer.body.instrument;
  report.tradable = offer.tradable;
  report.quantity = offer.body.quantity;
  report.price = offer.body.price;
  const bool owner_sells = offer.body.side == Side::kSell;
  report.seller = owner_sells ? offer.owner : acceptor_account;
  report.buyer = owner_sells ? acceptor_account : offer.owner;
  // The handles each party named the other by: what each saw during the negotiation.
  report.seller_handle = owner_sells ? acceptor.counterparty : owner.counterparty;
  report.buyer_handle = owner_sells ? owner.counterparty : acceptor.counterparty;
  report.clearing =
      offer.owner_cosigned && offer.acceptor_cosigned ? Clearing::kCleared : Clearing::kUncleared;
  report.time = scheduler_.Now();
  ++counters_.trades_confirmed;
  if (report.clearing == Clearing::kCleared) ++counters_.trades_cleared;
  CloseOffer(offer, OfferStatus::kConfirmed);
  SendTo(offer.owner,
         Message::TradeConfirmed(id, owner.side, report.quantity, report.instrument, report.price,
                                 owner.counterparty, report.ticket, report.clearing));
  SendTo(acceptor_account, Message::TradeConfirmed(
                               id, acceptor.side, report.quantity, report.instrument, report.price,
                               acceptor.counterparty, report.ticket, report.clearing));
  trades_.push_back(report);
  if (trade_observer_) trade_observer_(trades_.back());
}

void NegotiationService::ExpireTrade(const std::string& id) {
  auto it = offers_.find(id);
  if (it == offers_.end() || it->second.status != OfferStatus::kAccepted) return;
  Offer& offer = it->second;
  offer.trade_timer = core::TimerId();
  if (offer.owner_request.has_value() || offer.acceptor_request.has_value()) {
    ++counters_.lone_trade_requests_expired;
  } else {
    ++counters_.trades_abandoned;
  }
  CloseOffer(offer, OfferStatus::kTradeExpired);
  SendTo(offer.owner, Message::TradeExpired(id));
  SendTo(*offer.acceptor, Message::TradeExpired(id));
}

void NegotiationService::CloseOffer(Offer& offer, OfferStatus status) {
  offer.status = status;
  scheduler_.Cancel(offer.expiry_timer);
  scheduler_.Cancel(offer.trade_timer);
  offer.expiry_timer = core::TimerId();
  offer.trade_timer = core::TimerId();
  const std::string id = offer.body.id;
  After(config_.closed_offer_retention, [this, id]() { offers_.erase(id); });
}

std::optional<std::string> NegotiationService::SignLine(const Message& body,
                                                        std::string_view origin) {
  Envelope envelope;
  envelope.body = body;
  envelope.from = std::string(kServiceName);
  envelope.origin = std::string(origin);
  envelope.seq = next_seq_;
  absl::StatusOr<std::string> signed_part = FormatSignedPart(envelope);
  if (!signed_part.ok())
    return std::nullopt;  // only a bug can get here: every field came
                          // from a line that parsed
  ++next_seq_;
  envelope.signature = key_.Sign(*signed_part);
  absl::StatusOr<std::string> line = FormatLine(envelope);
  if (!line.ok()) return std::nullopt;
  return *std::move(line);
}

void NegotiationService::SendTo(const AccountId& account, const Message& body,
                                std::string_view origin) {
  auto participant = participants_.find(account);
  if (participant == participants_.end() || !participant->second.session.has_value()) {
    ++counters_.undeliverable;
    return;
  }
  std::optional<std::string> line = SignLine(body, origin);
  if (!line.has_value()) return;
  sessions_.at(*participant->second.session).sink->Deliver(*line);
}

void NegotiationService::Broadcast(const Message& body, std::string_view origin) {
  for (const auto& [id, session] : sessions_) {
    if (!session.account.has_value()) continue;
    SendTo(*session.account, body, origin);
  }
}

void NegotiationService::SendError(const AccountId& account, std::string id, std::string code,
                                   std::string text) {
  ++counters_.errors_sent;
  // The explanation travels as protocol text: printable words, single spaces, no ';'.
  std::string clean;
  for (char c : text) {
    if (c == ';' || c < ' ' || c > '~') c = ',';
    if (c == ' ' && (clean.empty() || clean.back() == ' ')) continue;
    clean += c;
  }
  while (!clean.empty() && clean.back() == ' ') clean.pop_back();
  text = std::move(clean);
  SendTo(account, Message::Error(std::move(id), std::move(code), std::move(text)));
}

}  // namespace combo::venues::negotiation

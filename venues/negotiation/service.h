// NegotiationService: the central service of the negotiation venue (seed 000).
//
// Participants reach it through sessions (an in-process SessionSink, or a TCP connection in
// tcp_server.h) and speak the text protocol of protocol.h. The service:
//  - authenticates every line: an unparseable, unsigned, badly signed (or badly co-signed),
//    unknown-sender or replayed line is ignored and counted (N4);
//  - gives each logged-in participant a rotating handle and maps handles back to accounts (N6);
//  - broadcasts OFFERs and expires them after their timeout; the first valid ACCEPT wins and
//    every later one, or one for a withdrawn or expired offer, is answered TOO LATE (N1, N2);
//  - pairs the two parties' TRADE REQUESTs, checks that they agree with each other and with the
//    accepted offer, and confirms with a ticket and a trade report; a trade whose requests do
//    not both arrive within the trade-request timeout expires and both sides are told (N3);
//  - marks a trade cleared when both the offer and the winning ACCEPT carried a registered
//    clearing firm's co-signature (N5);
//  - tracks premature withdrawals per participant and throttles by policy (N7).
// Timers (offer expiry, trade-request expiry, handle rotation and retention) run on the injected
// core::Scheduler. Sinks are called synchronously from Receive and timers; a sink must not call
// back into the service from Deliver (schedule instead). Not thread-safe: one thread (the one
// running the Scheduler) owns the service.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "core/ids.h"
#include "core/instrument_catalog.h"
#include "core/scheduler.h"
#include "venues/negotiation/handle_book.h"
#include "venues/negotiation/instrument_text.h"
#include "venues/negotiation/protocol.h"
#include "venues/negotiation/signing.h"
#include "venues/negotiation/withdrawal_tracker.h"

namespace combo::venues::negotiation {

// Where the service sends a session's lines (without line end).
class SessionSink {
 public:
  virtual ~SessionSink() = default;
  virtual void Deliver(std::string_view line) = 0;
};

struct SessionId {
  uint64_t value = 0;
  friend auto operator<=>(SessionId, SessionId) = default;
};

struct ServiceConfig {
  // How long after an ACCEPT wins both TRADE REQUESTs must have arrived.
  core::Duration trade_request_timeout = core::Duration::Seconds(30);
  // How often a logged-in participant gets a new handle; zero never rotates.
  core::Duration handle_rotation_interval = core::Duration::Seconds(300);
  // How long a retired handle still resolves.
  core::Duration handle_retention = core::Duration::Seconds(3600);
  // How long an ended offer is remembered (its id stays taken, ACCEPTs get TOO LATE).
  core::Duration closed_offer_retention = core::Duration::Seconds(3600);
  WithdrawalPolicy withdrawal;
  // Seeds the handle generator.
  uint64_t handle_seed = 1;
};

// Fails, naming the field, on a non-positive timeout or retention, a negative rotation interval
// or an invalid withdrawal policy.
absl::Status ValidateServiceConfig(const ServiceConfig& config);

struct TradeReport {
  std::string ticket;
  std::string offer_id;
  // The instrument field as the offer wrote it, and what it resolved to.
  std::string instrument;
  Tradable tradable;
  core::Quantity quantity;
  core::Price price;
  core::AccountId buyer;
  core::AccountId seller;
  std::string buyer_handle;
  std::string seller_handle;
  Clearing clearing = Clearing::kUncleared;
  core::Timestamp time;
};

// Everything the service ignored, refused or concluded, by kind.
struct ServiceCounters {
  int64_t malformed = 0;         // lines that do not parse
  int64_t unsigned_lines = 0;    // no ;SIG
  int64_t bad_signatures = 0;    // ;SIG does not verify
  int64_t bad_cosignatures = 0;  // ;COSIG from an unknown firm or not verifying
  int64_t unknown_senders = 0;   // ;FROM names no registered account or live handle
  int64_t replayed = 0;          // ;SEQ not above the sender's last
  int64_t errors_sent = 0;       // ERROR replies to authenticated lines
  int64_t offers = 0;
  int64_t offers_throttled = 0;
  int64_t withdrawals = 0;
  int64_t offers_expired = 0;
  int64_t accepts_won = 0;
  int64_t too_late = 0;
  int64_t trades_confirmed = 0;
  int64_t trades_cleared = 0;
  int64_t trades_rejected = 0;
  int64_t lone_trade_requests_expired = 0;  // one party's request came, the other's never did
  int64_t trades_abandoned = 0;             // neither request came
  int64_t handles_rotated = 0;
  int64_t undeliverable = 0;  // lines for a participant with no open session
};

class NegotiationService {
 public:
  // `catalog` must outlive the service; `config` must pass ValidateServiceConfig.
  NegotiationService(core::Scheduler& scheduler, const core::InstrumentCatalog& catalog,
                     KeyPair service_key, ServiceConfig config);
  ~NegotiationService();
  NegotiationService(const NegotiationService&) = delete;
  NegotiationService& operator=(const NegotiationService&) = delete;

  // Registers an account and its signing key. Fails on an invalid or taken name.
  absl::Status RegisterParticipant(const core::AccountId& account, const PublicKey& key);
  // Registers a clearing firm whose co-signature marks orders it stands behind.
  absl::Status RegisterClearingFirm(std::string_view firm, const PublicKey& key);

  // A new session delivering to `sink` (which must outlive the session).
  SessionId OpenSession(SessionSink* sink);
  // Closes the session; its participant (if logged in) stops rotating handles.
  void CloseSession(SessionId session);
  // Handles one line received on a session.
  void Receive(SessionId session, std::string_view line);

  // Called for every confirmed trade, after both confirmations went out.
  void SetTradeObserver(std::function<void(const TradeReport&)> observer) {
    trade_observer_ = std::move(observer);
  }

  const PublicKey& public_key() const { return key_.public_key(); }
  const ServiceCounters& counters() const { return counters_; }
  const std::vector<TradeReport>& trades() const { return trades_; }
  WithdrawalStats withdrawal_stats(const core::AccountId& account) const {
    return tracker_.Stats(account);
  }
  // Whether one more premature withdrawal by the participant now would throttle it (N7): the
  // policy is published, so a participant can keep under it.
  bool WouldThrottleOnPrematureWithdrawal(const core::AccountId& account) const {
    return tracker_.WouldThrottle(account);
  }
  const ServiceConfig& config() const { return config_; }
  // The participant's current handle, if it has one.
  std::optional<std::string> CurrentHandle(const core::AccountId& account) const;
  // The account behind a live handle: the service's private map (N6).
  std::optional<core::AccountId> ResolveHandle(std::string_view handle) const;
  // Offers currently open, by id.
  std::vector<std::string> OpenOfferIds() const;

 private:
  enum class OfferStatus : uint8_t {
    kOpen,
    kAccepted,
    kWithdrawn,
    kExpired,
    kConfirmed,
    kTradeExpired,
    kTradeRejected
  };
  struct Offer {
    Message body;
    Tradable tradable;
    core::AccountId owner;
    std::string owner_handle;
    bool owner_cosigned = false;
    core::Timestamp posted;
    OfferStatus status = OfferStatus::kOpen;
    core::TimerId expiry_timer;
    std::optional<core::AccountId> acceptor;
    std::string acceptor_handle;
    bool acceptor_cosigned = false;
    core::TimerId trade_timer;
    std::optional<Message> owner_request;
    std::optional<Message> acceptor_request;
  };
  struct Participant {
    PublicKey key{};
    uint64_t last_seq = 0;
    std::optional<SessionId> session;
    core::TimerId rotation_timer;
  };
  struct Session {
    SessionSink* sink = nullptr;
    std::optional<core::AccountId> account;
  };

  // The authenticated sender of a line, or nullopt (and counted) when it is to be ignored.
  std::optional<core::AccountId> Authenticate(const ParsedLine& parsed);
  void HandleLogin(SessionId session, const core::AccountId& account);
  void HandleOffer(const core::AccountId& sender, const ParsedLine& parsed);
  void HandleWithdraw(const core::AccountId& sender, const Message& body);
  void HandleAccept(const core::AccountId& sender, const ParsedLine& parsed);
  void HandleTradeRequest(const core::AccountId& sender, const Message& body);
  void ExpireOffer(const std::string& id);
  void ExpireTrade(const std::string& id);
  void Conclude(Offer& offer);
  void CloseOffer(Offer& offer, OfferStatus status);
  void RotateHandle(const core::AccountId& account);
  void ScheduleRotation(const core::AccountId& account);
  void RetireHandle(const std::string& handle);
  // Schedules `action` on this service; it is skipped if the service is gone by then.
  core::TimerId After(core::Duration delay, std::function<void()> action);

  void SendTo(const core::AccountId& account, const Message& body, std::string_view origin = {});
  void Broadcast(const Message& body, std::string_view origin);
  void SendError(const core::AccountId& account, std::string id, std::string code,
                 std::string text);
  std::optional<std::string> SignLine(const Message& body, std::string_view origin);

  core::Scheduler& scheduler_;
  const core::InstrumentCatalog& catalog_;
  KeyPair key_;
  ServiceConfig config_;
  HandleBook handles_;
  WithdrawalTracker tracker_;
  std::map<core::AccountId, Participant> participants_;
  std::map<std::string, PublicKey, std::less<>> clearing_firms_;
  std::map<SessionId, Session> sessions_;
  std::map<std::string, Offer, std::less<>> offers_;
  std::vector<TradeReport> trades_;
  std::function<void(const TradeReport&)> trade_observer_;
  ServiceCounters counters_;
  uint64_t next_session_ = 1;
  uint64_t next_seq_ = 1;
  uint64_t next_ticket_ = 1;
  // Timer callbacks hold a weak reference and do nothing once the service is gone.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace combo::venues::negotiation

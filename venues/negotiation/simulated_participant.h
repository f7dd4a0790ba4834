// SimulatedParticipant: a trader of the embedded simulation who takes part in the negotiation
// venue through the real protocol (signed lines, handles, TRADE REQUESTs).
//
// It answers the offers it hears after a think time drawn from a seeded core::Rng: either from
// fixed interests (instrument, limit price, size: accept or ignore), or, when an OfferJudge is
// set (the market simulator's, from fair value), by asking the judge once the think time is over
// whether to accept, counter (post its own offer on the other side at its own price) or decline.
// It sends its TRADE REQUEST when it wins an ACCEPT or when its own offer is taken, and can post
// offers of its own. Every reaction runs on the Scheduler, never inside the service's call, so
// the service is never re-entered. Not thread-safe; lives on the thread that owns the Scheduler
// and the service.
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
#include "core/random.h"
#include "core/scheduler.h"
#include "venues/negotiation/client.h"
#include "venues/negotiation/service.h"

namespace combo::venues::negotiation {

// What a simulated participant will take: offers on `instrument` (the instrument field exactly
// as offers write it) of at most `max_quantity`, buying at or below `buy_limit` and selling at
// or above `sell_limit`.
struct Interest {
  std::string instrument;
  std::optional<core::Price> buy_limit;
  std::optional<core::Price> sell_limit;
  core::Quantity max_quantity;
};

// How a participant answers an offer it heard (OfferJudge).
enum class OfferAnswer : uint8_t {
  kAccept,   // ACCEPT the whole offer at its price
  kCounter,  // post an offer of its own on the other side, at `price` for `quantity`
  kDecline,  // let it be
};
std::string_view ToString(OfferAnswer answer);

struct OfferResponse {
  OfferAnswer answer = OfferAnswer::kDecline;
  // kCounter only.
  core::Price price;
  core::Quantity quantity;
};

// Decides the answer to an offer heard (the OFFER as the service broadcast it), when the think
// time is over. Called on the scheduler's thread; must not call into the service.
using OfferJudge = std::function<OfferResponse(const Message& offer)>;

// Whether a message passed the participant on its way in or out.
enum class MessageDirection : uint8_t { kReceived, kSent };
// Sees every authenticated message the participant handles and every one it sends, in order
// (the market simulator folds them into its event log).
using MessageHook = std::function<void(MessageDirection direction, const Message& message)>;

struct SimulatedParticipantConfig {
  core::AccountId account;
  std::vector<Interest> interests;
  // The delay before it ACCEPTs an offer it likes, uniform in [min, max].
  core::Duration min_think_time = core::Duration::Milliseconds(200);
  core::Duration max_think_time = core::Duration::Milliseconds(2000);
  // The delay before it sends its TRADE REQUEST once a trade is agreed.
  core::Duration trade_request_delay = core::Duration::Milliseconds(100);
  // A clearing firm that co-signs its offers and ACCEPTs (empty: none).
  std::string clearing_firm;
  uint64_t seed = 1;
  // Counter-offers (OfferJudge): their timeout, and their ids, this prefix (the account when
  // empty) followed by "-C" and a counter; ids must be unique on the network.
  int64_t counter_timeout_seconds = 10;
  std::string counter_id_prefix;
};

struct SimulatedParticipantStats {
  int64_t offers_heard = 0;
  int64_t accepts_sent = 0;
  int64_t accepts_won = 0;
  int64_t too_late = 0;
  int64_t trades_confirmed = 0;
  int64_t trades_failed = 0;  // TRADE EXPIRED or TRADE REJECTED
  int64_t errors = 0;
  // With an OfferJudge: counter-offers posted, offers declined (including a counter refused
  // because one of ours on that instrument and side is still open), and offers that were
  // withdrawn or expired before the think time was over.
  int64_t counters_sent = 0;
  int64_t declines = 0;
  int64_t offers_gone = 0;
};

class SimulatedParticipant final : public SessionSink {
 public:
  // The participant's key derives from its account name (KeyPair::FromLabel), and the firm's
  // from the firm's name; the service must know both (see Register).
  SimulatedParticipant(core::Scheduler& scheduler, NegotiationService& service,
                       SimulatedParticipantConfig config);
  ~SimulatedParticipant() override;
  SimulatedParticipant(const SimulatedParticipant&) = delete;
  SimulatedParticipant& operator=(const SimulatedParticipant&) = delete;

  // Answers offers from the judge instead of the interests. Set before Start.
  void SetOfferJudge(OfferJudge judge) { judge_ = std::move(judge); }
  void SetMessageHook(MessageHook hook) { hook_ = std::move(hook); }

  // Registers the account's key with the service (the firm must be registered separately),
  // opens a session and logs in. Fails if the config is invalid or registration fails.
  absl::Status Start();

  // Posts an offer; the id must be unused. Fails before the first HANDLE or on a bad message.
  absl::Status PostOffer(const Message& offer);
  absl::Status Withdraw(std::string_view id);

  void Deliver(std::string_view line) override;

  const core::AccountId& account() const { return config_.account; }
  const NegotiationClient& client() const { return client_; }
  const SimulatedParticipantStats& stats() const { return stats_; }
  // TRADE CONFIRMED messages received, in order.
  const std::vector<Message>& confirmations() const { return confirmations_; }

 private:
  void Handle(const std::string& line);
  void OnOffer(const Message& offer, const std::string& owner_handle);
  // The think time for an offer heard is over: ask the judge and act on its answer.
  void Answer(const std::string& offer_id);
  void Counter(const Message& offer, const OfferResponse& response);
  core::Duration ThinkTime();
  void SendLater(core::Duration delay, Message body);
  void SendNow(const Message& body);
  const Interest* FindInterest(const std::string& instrument) const;
  CoSign cosign() const { return config_.clearing_firm.empty() ? CoSign::kNo : CoSign::kYes; }

  core::Scheduler& scheduler_;
  NegotiationService& service_;
  SimulatedParticipantConfig config_;
  NegotiationClient client_;
  core::Rng rng_;
  std::optional<SessionId> session_;
  // Our open offers and the ACCEPTs we sent, by offer id: the terms of a TRADE REQUEST.
  std::map<std::string, Message> own_offers_;
  std::map<std::string, Message> sent_accepts_;
  // With a judge: offers heard and waiting for their answer, by id.
  std::map<std::string, Message> pending_answers_;
  uint64_t next_counter_ = 1;
  OfferJudge judge_;
  MessageHook hook_;
  SimulatedParticipantStats stats_;
  std::vector<Message> confirmations_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace combo::venues::negotiation

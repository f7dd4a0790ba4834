// SimulatedParticipant: a trader of the embedded simulation who takes part in the negotiation
// venue through the real protocol (signed lines, handles, TRADE REQUESTs).
//
// It accepts offers it likes (configured interests: instrument, limit price, size) after a think
// time drawn from a seeded core::Rng, sends its TRADE REQUEST when it wins an ACCEPT or when its
// own offer is taken, and can post offers of its own. Every reaction runs on the Scheduler, never
// inside the service's call, so the service is never re-entered. Not thread-safe; lives on the
// thread that owns the Scheduler and the service.
#pragma once

#include <cstdint>
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
};

struct SimulatedParticipantStats {
  int64_t offers_heard = 0;
  int64_t accepts_sent = 0;
  int64_t accepts_won = 0;
  int64_t too_late = 0;
  int64_t trades_confirmed = 0;
  int64_t trades_failed = 0;  // TRADE EXPIRED or TRADE REJECTED
  int64_t errors = 0;
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
  SimulatedParticipantStats stats_;
  std::vector<Message> confirmations_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace combo::venues::negotiation

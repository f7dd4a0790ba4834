// FixClient: a FIX 4.4 initiator session to the gateway, and the messages a broker sends.
// combo-client, the end-to-end tests and the load generator all speak to the gateway through it.
//
// Threading: QuickFIX runs the session on its own thread; the message handler is called there.
// Send, WaitForLogon and the accessors are thread-safe. A polled client (ClientConfig::polled)
// has no thread: its owner calls Poll, and every call (the handler included) happens on the
// owner's one thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/price.h"
#include "core/side.h"
#include "core/time.h"
#include "fix/leg_fields.h"
#include "quickfix/Application.h"
#include "quickfix/FileLog.h"
#include "quickfix/FixFieldNumbers.h"  // IWYU pragma: export (callers read FIX::FIELD tags)
#include "quickfix/Initiator.h"
#include "quickfix/Message.h"
#include "quickfix/SessionSettings.h"
#include "router/order_entry.h"

namespace combo::fix {

struct ClientConfig {
  std::string host = "127.0.0.1";
  int port = 9878;
  // This client's CompID, and the gateway's.
  std::string sender_comp_id;
  std::string target_comp_id = "COMBO";
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::string data_dictionary;
  // Sequence numbers persist here, so a restarted client resumes its session. Empty: kept in
  // memory only (the load generator), so a new client starts its session over.
  std::string store_directory;
  std::string log_directory;
  bool tls = false;
  // Log on with ResetSeqNumFlag(141)=Y: this side and the acceptor start the session's sequence
  // numbers over at 1 (what was sent before can no longer be resent).
  bool reset_on_logon = false;
  int heartbeat_seconds = 30;
  int reconnect_seconds = 1;
  // No thread of its own: the owner calls Poll in a loop (the load generator's busy-polling
  // sender, which measures the gateway without a client thread's wake-up). Plain TCP only.
  bool polled = false;
};

class FixClient final : public FIX::Application {
 public:
  // Called on the QuickFIX thread for every application message received, and for every session
  // Reject (35=3): the reject of one of the client's own messages.
  using MessageHandler = std::function<void(const FIX::Message&)>;

  static absl::StatusOr<std::unique_ptr<FixClient>> Create(const ClientConfig& config,
                                                           MessageHandler handler);
  // Drops the connection if still started: call Stop first for a graceful Logout.
  ~FixClient() override;

  // Connects (and reconnects) in the background.
  absl::Status Start();
  // Logs out (waiting up to a few seconds for the gateway's Logout) and stops; idempotent.
  void Stop();
  // Drops the connection without a Logout and stops (tests: a client that vanishes).
  void Disconnect();
  // A polled client's socket work: reads what arrived (calling the handler) and sends what is
  // due. Returns at once.
  void Poll();
  // Waits, at most `timeout`, until the session is logged on (a polled client polls meanwhile).
  // False on timeout.
  bool WaitForLogon(core::Duration timeout);
  // Waits, at most `timeout`, until the gateway logged the session out or the connection dropped
  // after a logon attempt. False on timeout.
  bool WaitForLogout(core::Duration timeout);
  bool logged_on() const;
  // The Text(58) of the last Logout received (why a Logon was refused).
  std::string last_logout_text() const;

  absl::Status Send(FIX::Message message);
  // The session's next outgoing and expected incoming sequence numbers.
  int next_sender_seq_num() const;
  int next_target_seq_num() const;

  // FIX::Application.
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override;
  void onLogout(const FIX::SessionID&) override;
  void toAdmin(FIX::Message& message, const FIX::SessionID&) override;
  void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) override {}
  void fromAdmin(const FIX::Message& message,
                 const FIX::SessionID&) throw(FIX::FieldNotFound, FIX::IncorrectDataFormat,
                                              FIX::IncorrectTagValue, FIX::RejectLogon) override;
  void fromApp(const FIX::Message& message,
               const FIX::SessionID&) throw(FIX::FieldNotFound, FIX::IncorrectDataFormat,
                                            FIX::IncorrectTagValue,
                                            FIX::UnsupportedMessageType) override;

 private:
  FixClient(ClientConfig config, MessageHandler handler);
  void Deliver(const FIX::Message& message);
  // A polled client: polls until `done` or `timeout`; returns done().
  bool PollUntil(const std::function<bool()>& done, core::Duration timeout);

  ClientConfig config_;
  MessageHandler handler_;
  FIX::SessionID session_id_;
  FIX::SessionSettings settings_;
  std::unique_ptr<FIX::MessageStoreFactory> store_;
  std::unique_ptr<FIX::FileLogFactory> log_;
  std::unique_ptr<FIX::Initiator> initiator_;
  bool started_ = false;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool logged_on_ = false;
  int logouts_ = 0;
  std::string logout_text_;
};

// What a broker's NewOrderMultileg says.
struct ComboOrderParams {
  std::string client_order_id;
  core::Side side = core::Side::kBuy;
  int64_t quantity = 0;
  // The legs, or a defined combo's SecurityID.
  std::vector<LegSpec> legs;
  std::optional<uint32_t> combo_id;
  router::ComboOrderType type = router::ComboOrderType::kLimit;
  std::optional<core::Price> limit_price;
  std::optional<router::ComboTimeInForce> time_in_force;
  std::string account;
};

FIX::Message MakeNewOrderMultileg(const ComboOrderParams& params, core::Timestamp transact_time);
FIX::Message MakeCancelRequest(std::string_view client_order_id,
                               std::string_view original_client_order_id, core::Side side,
                               core::Timestamp transact_time);
FIX::Message MakeReplaceRequest(std::string_view client_order_id,
                                std::string_view original_client_order_id, core::Side side,
                                int64_t quantity, core::Price limit_price,
                                core::Timestamp transact_time);
FIX::Message MakeStatusRequest(std::string_view client_order_id, core::Side side);
FIX::Message MakeSecurityDefinitionRequest(std::string_view request_id,
                                           const std::vector<LegSpec>& legs);
// A strategy template request: SecuritySubType(762) `strategy`, Symbol(55) `underlying`, and
// the legs' instruments with the ratios and sides written.
FIX::Message MakeStrategyDefinitionRequest(std::string_view request_id, std::string_view strategy,
                                           std::string_view underlying,
                                           const std::vector<TemplateLegSpec>& legs);
FIX::Message MakeMarketDataRequest(std::string_view request_id, uint32_t combo_id,
                                   char subscription_request_type);
// What a SecurityListRequest asks (docs/FIX.md "SecurityListRequest"); empty: not sent.
struct SecurityListParams {
  // SecurityListRequestType(559): 0 Symbol, 1 SecurityType, 4 all securities.
  int request_type = 4;
  std::string symbol;               // Symbol(55)
  std::string security_type;        // SecurityType(167): CS, OPT, FUT, MLEG
  std::string underlying;           // UnderlyingSymbol(311) in NoUnderlyings(711)
  std::string maturity_month_year;  // MaturityMonthYear(200): YYYYMM or YYYYMMDD
  std::string exchange;             // SecurityExchange(207): a venue's name
};
FIX::Message MakeSecurityListRequest(std::string_view request_id, const SecurityListParams& params);
// Adds one NoLegs(555) entry with a leg's instrument fields, ratio and side.
void AddLeg(FIX::Message& message, const LegSpec& leg);

}  // namespace combo::fix

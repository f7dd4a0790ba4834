// FixGateway: the brokers' front door. A QuickFIX Application (FIX 4.4 acceptor side) that
// translates inbound messages into router::OrderEntry requests and router events back into FIX.
//
// Threading: QuickFIX calls the Application methods on the thread serving the sockets. Every
// inbound application message is handed to the core thread through the injected Executor;
// translation, OrderEntry calls and all gateway state live on the core thread. The gateway
// keeps no order state: the router owns every order and its events carry everything a report
// needs, and it knows the combos clients defined (a SecurityID(48) is translated into legs with
// OrderEntry::FindDefinedCombo), and a SecurityListRequest is answered from router::Listings
// (what the venues list, read when asked). Its only state is the sessions and the market-data
// subscriptions. OrderEntryListener and
// ComboQuoteListener callbacks arrive on the core thread and send with FIX::Session::sendToTarget
// (thread-safe). Logon checks (allow-list, Username/Password) read only the immutable
// configuration.
//
// FixAcceptor owns the QuickFIX machinery (settings, file store, socket or TLS acceptor) around
// a FixGateway. Stop (or Disconnect) it before destroying it, and destroy it on the core thread
// after the tasks it posted have run: they refer to the gateway. With core-thread sockets
// (GatewayConfig::socket_threads) the QuickFIX callbacks already run on the core thread, and
// the Executor runs each task at once: an order goes from the socket to the router and its
// acknowledgement back to the socket in one call, with no hand-off.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/clock.h"
#include "core/instrument_catalog.h"
#include "fix/body_sender.h"
#include "fix/gateway_config.h"
#include "fix/gateway_metrics.h"
#include "fix/read_burst_listener.h"
#include "fix/reports.h"
#include "fix/translation.h"
#include "prometheus/registry.h"
#include "quickfix/Acceptor.h"
#include "quickfix/Application.h"
#include "quickfix/FileLog.h"
#include "quickfix/MessageStore.h"
#include "quickfix/SessionSettings.h"
#include "router/listings.h"
#include "router/order_entry.h"

namespace boost::asio {
class io_context;
}

namespace combo::fix {

class AsioSocketAcceptor;

// Runs a task on the core thread: at once when called there, else later, in order (Asio's
// dispatch on the daemon's io_context). With core-thread sockets it is always called there and
// must run the task before it returns (the gateway hands it the inbound message by reference).
using Executor = std::function<void(std::function<void()>)>;

class FixGateway final : public FIX::Application,
                         public router::OrderEntryListener,
                         public ReadBurstListener {
 public:
  // Registers itself as `order_entry`'s listener: construct on the core thread (or before it
  // starts). `instruments`, `listings`, `clock` and `metrics` (optional: null for none) must
  // outlive the gateway.
  FixGateway(const GatewayConfig& config, router::OrderEntry& order_entry,
             const core::InstrumentCatalog& instruments, const router::Listings& listings,
             Executor executor, const core::Clock& clock, GatewayMetrics* metrics = nullptr);
  ~FixGateway() override;

  FixGateway(const FixGateway&) = delete;
  FixGateway& operator=(const FixGateway&) = delete;

  // FIX::Application (QuickFIX threads).
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID& session) override;
  void onLogout(const FIX::SessionID& session) override;
  // The acceptor is stopping: logouts from now on do not cancel on disconnect.
  void SetStopping() { stopping_.store(true); }
  // With core-thread sockets: the acceptor, which sends a new order's acknowledgement from the
  // bytes of its body (BodySender) instead of a FIX::Message. Null (the default): QuickFIX sends
  // every report.
  void SetBodySender(BodySender* sender) { body_sender_ = sender; }
  void toAdmin(FIX::Message& message, const FIX::SessionID&) override;
  void toApp(FIX::Message& message, const FIX::SessionID&) throw(FIX::DoNotSend) override;
  void fromAdmin(const FIX::Message& message,
                 const FIX::SessionID& session) throw(FIX::FieldNotFound, FIX::IncorrectDataFormat,
                                                      FIX::IncorrectTagValue,
                                                      FIX::RejectLogon) override;
  void fromApp(const FIX::Message& message,
               const FIX::SessionID& session) throw(FIX::FieldNotFound, FIX::IncorrectDataFormat,
                                                    FIX::IncorrectTagValue,
                                                    FIX::UnsupportedMessageType) override;

  // router::OrderEntryListener (core thread).
  void OnAccepted(const router::ComboOrderAccepted& event) override;
  void OnRejected(const router::ComboOrderRejected& event) override;
  void OnExecution(const router::ComboExecution& event) override;
  void OnCancelled(const router::ComboOrderCancelled& event) override;
  void OnReplaced(const router::ComboOrderReplaced& event) override;
  void OnCancelRejected(const router::CancelRejected& event) override;
  void OnStatus(const router::ComboOrderStatusReport& event) override;
  void OnPending(const router::ComboOrderPending& event) override;
  // ExecType D (Restated), ExecRestatementReason 3 (repricing of order), the working price in
  // Text (docs/FIX.md).
  void OnRestated(const router::ComboOrderRestated& event) override;

  // ReadBurstListener (core-thread sockets): a read's messages are one burst for the router.
  void OnBurstBegin() override { order_entry_.BeginBurst(); }
  void OnBurstEnd() override { order_entry_.EndBurst(); }

  // The Logon check, exposed for tests: OK or the reason the Logon is refused.
  absl::Status CheckLogon(const FIX::Message& logon, const FIX::SessionID& session) const;

  // An ExecutionReport of the order's state that is never a refusal (New, Pending Cancel or
  // Replace, Canceled, Expired, Replaced): through the BodySender when there is one and it can.
  void SendOrderReport(const router::OrderSnapshot& order, char exec_type, core::Timestamp time,
                       std::string_view text);
  // The translation and reaction to one inbound application message, on the core thread.
  void HandleOnCore(const FIX::Message& message, const FIX::SessionID& session);

 private:
  class QuoteFeed;

  struct Session {
    FIX::SessionID id;
    SessionConfig config;
  };

  // Runs `task` on the core thread through the executor; not at all once the gateway is gone
  // (a Logout seen while the acceptor shuts down may post after its last task).
  void OnCore(std::function<void()> task);
  const Session* FindSession(const FIX::SessionID& id) const;
  const Session* FindClient(const core::ClientId& client) const;
  void Send(const core::ClientId& client, FIX::Message message);
  void Send(const FIX::SessionID& session, FIX::Message message);

  void HandleNewOrder(const FIX::SessionID& session, router::NewComboOrder order);
  void HandleDefine(const FIX::SessionID& session, const DefineComboRequest& request);
  void HandleQuote(const FIX::SessionID& session, const QuoteRequest& request);
  void HandleSecurityList(const FIX::SessionID& session, const SecurityListQuery& query);
  void DropQuoteFeeds(const FIX::SessionID& session);
  void SendCancelReject(const FIX::SessionID& session, const router::CancelRejected& event);

  const GatewayConfig config_;
  router::OrderEntry& order_entry_;
  const core::InstrumentCatalog& instruments_;
  const router::Listings& listings_;
  Executor executor_;
  std::atomic<bool> stopping_{false};
  // Expires with the gateway; tasks it posted check it first.
  std::shared_ptr<void> alive_ = std::make_shared<int>(0);
  const core::Clock& clock_;
  GatewayMetrics* const metrics_;
  // Immutable after construction: counterparty CompID -> session.
  std::map<std::string, Session> sessions_;

  // Core-thread state.
  ReportBuilder reports_;
  BodySender* body_sender_ = nullptr;
  // The body of the acknowledgement being sent, reused.
  std::string body_;
  // (session, MDReqID) -> subscription.
  std::map<std::pair<std::string, std::string>, std::unique_ptr<QuoteFeed>> quote_feeds_;
};

// The QuickFIX acceptor around a FixGateway: settings from GatewayConfig, a file store so
// sessions resume their sequence numbers after a restart, optional file logs, optional TLS.
class FixAcceptor {
 public:
  // Validates the config and loads the dictionary; the gateway registers with `order_entry`
  // and answers security lists from `listings` (see FixGateway). With a `registry` (not owned; it
  // must outlive the acceptor) the gateway exports the combo_fix_* families (GatewayMetrics).
  // Nothing listens until Start. Core-thread sockets need `core_io`, the io_context of the core
  // thread; every call on the acceptor (Create included) is then made on that thread.
  static absl::StatusOr<std::unique_ptr<FixAcceptor>> Create(
      const GatewayConfig& config, router::OrderEntry& order_entry,
      const core::InstrumentCatalog& instruments, const router::Listings& listings,
      Executor executor, const core::Clock& clock, prometheus::Registry* registry = nullptr,
      boost::asio::io_context* core_io = nullptr);
  // Drops connections if still started: call Stop first for a graceful Logout.
  ~FixAcceptor();

  // Starts listening. Fails when the address cannot be bound.
  absl::Status Start();
  // Logs sessions out and stops; idempotent. Session threads: returns once they are logged out
  // (waiting up to a few seconds). Core-thread sockets: returns at once; the Logouts complete
  // as the core thread runs on, within a few seconds (see stopped()).
  void Stop();
  // Drops every connection without a Logout and stops (tests, and a daemon that must exit now).
  void Disconnect();
  // True once stopped and every connection is closed.
  bool stopped() const;

  FixGateway& gateway() { return *gateway_; }
  // Null without a registry.
  const GatewayMetrics* metrics() const { return metrics_.get(); }
  // The QuickFIX session of a counterparty CompID, or nullptr (for tests and operators).
  FIX::Session* FindSession(const std::string& client_comp_id) const;

 private:
  FixAcceptor() = default;

  GatewayConfig config_;
  FIX::SessionSettings settings_;
  std::unique_ptr<GatewayMetrics> metrics_;
  std::unique_ptr<FixGateway> gateway_;
  std::unique_ptr<FIX::MessageStoreFactory> store_;
  std::unique_ptr<FIX::LogFactory> log_;
  std::unique_ptr<FIX::Acceptor> acceptor_;
  // Set with core-thread sockets: acceptor_ is this one.
  AsioSocketAcceptor* core_sockets_ = nullptr;
  bool started_ = false;
};

// The QuickFIX settings a GatewayConfig stands for (exposed for tests and documentation).
absl::StatusOr<FIX::SessionSettings> MakeAcceptorSettings(const GatewayConfig& config);

}  // namespace combo::fix

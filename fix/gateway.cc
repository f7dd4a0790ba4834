#include "fix/gateway.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/status.h"
#include "fix/asio_socket_acceptor.h"
#include "fix/message_log.h"
#include "fix/session_store.h"
#include "quickfix/FixFieldNumbers.h"
#include "quickfix/FixValues.h"
#include "quickfix/Session.h"
#include "quickfix/ThreadedSSLSocketAcceptor.h"
#include "quickfix/ThreadedSocketAcceptor.h"

namespace combo::fix {

using router::CancelRejectResponseTo;
using router::ClientOrderStatus;
using router::RejectReason;

// How long a stopping acceptor waits for its sessions' Logouts (QuickFIX's threaded acceptor
// waits up to 5 s after asking).
constexpr core::Duration kLogoutGrace = core::Duration::Seconds(5);

class FixGateway::QuoteFeed final : public router::ComboQuoteListener {
 public:
  QuoteFeed(FixGateway& gateway, FIX::SessionID session, QuoteRequest request)
      : gateway_(gateway), session_(std::move(session)), request_(std::move(request)) {}

  void OnComboQuote(const router::ComboQuote& quote) override {
    gateway_.Send(session_, gateway_.reports_.MarketData(request_.request_id, quote, request_.bids,
                                                         request_.offers));
  }
  const QuoteRequest& request() const { return request_; }

 private:
  FixGateway& gateway_;
  FIX::SessionID session_;
  QuoteRequest request_;
};

FixGateway::FixGateway(const GatewayConfig& config, router::OrderEntry& order_entry,
                       const core::InstrumentCatalog& instruments, const router::Listings& listings,
                       Executor executor, const core::Clock& clock, GatewayMetrics* metrics)
    : config_(config),
      order_entry_(order_entry),
      instruments_(instruments),
      listings_(listings),
      executor_(std::move(executor)),
      clock_(clock),
      metrics_(metrics),
      // Milliseconds since the epoch at start keep ExecIDs unique across restarts.
      reports_(instruments, absl::StrCat(clock.Now().unix_nanos() / 1'000'000)) {
  for (const SessionConfig& session : config_.sessions) {
    sessions_.emplace(
        session.client_comp_id,
        Session{FIX::SessionID("FIX.4.4", session.gateway_comp_id, session.client_comp_id),
                session});
  }
  order_entry_.SetListener(this);
}

FixGateway::~FixGateway() {
  for (auto& [key, feed] : quote_feeds_) {
    (void)order_entry_.UnsubscribeQuotes(feed->request().combo, feed.get());
  }
}

const FixGateway::Session* FixGateway::FindSession(const FIX::SessionID& id) const {
  auto it = sessions_.find(id.getTargetCompID().getValue());
  if (it == sessions_.end() || !(it->second.id == id)) return nullptr;
  return &it->second;
}

const FixGateway::Session* FixGateway::FindClient(const core::ClientId& client) const {
  auto it = sessions_.find(client.value());
  return it == sessions_.end() ? nullptr : &it->second;
}

absl::Status FixGateway::CheckLogon(const FIX::Message& logon,
                                    const FIX::SessionID& session) const {
  const Session* known = FindSession(session);
  if (known == nullptr) {
    return absl::PermissionDeniedError(absl::StrCat(
        "Logon refused: CompID \"", session.getTargetCompID().getValue(), "\" is not allowed"));
  }
  if (!known->config.username.has_value()) return absl::OkStatus();
  if (!logon.isSetField(FIX::FIELD::Username) || !logon.isSetField(FIX::FIELD::Password)) {
    return absl::UnauthenticatedError(
        "Logon refused: Username(553) and Password(554) are required");
  }
  if (logon.getField(FIX::FIELD::Username) != *known->config.username ||
      logon.getField(FIX::FIELD::Password) != *known->config.password) {
    return absl::UnauthenticatedError("Logon refused: wrong Username(553) or Password(554)");
  }
  return absl::OkStatus();
}

void FixGateway::OnCore(std::function<void()> task) {
  executor_([alive = std::weak_ptr<void>(alive_), task = std::move(task)] {
    if (!alive.expired()) task();
  });
}

void FixGateway::onLogon(const FIX::SessionID& session) {
  if (metrics_ != nullptr) metrics_->LoggedOn(session);
}

void FixGateway::onLogout(const FIX::SessionID& session) {
  if (metrics_ != nullptr) metrics_->LoggedOut(session);
  const bool stopping = stopping_.load();
  OnCore([this, session, stopping] {
    DropQuoteFeeds(session);
    const Session* known = FindSession(session);
    if (known == nullptr || !known->config.cancel_on_disconnect || stopping) return;
    (void)order_entry_.CancelAllOf(core::ClientId(known->config.client_comp_id),
                                   "cancelled on disconnect: the session logged out or dropped "
                                   "(cancel_on_disconnect)");
  });
}

void FixGateway::toAdmin(FIX::Message& message, const FIX::SessionID&) {
  if (metrics_ != nullptr) metrics_->Count(Direction::kOut, message);
}

void FixGateway::toApp(FIX::Message& message, const FIX::SessionID&) throw(FIX::DoNotSend) {
  if (metrics_ != nullptr) metrics_->Count(Direction::kOut, message);
}

void FixGateway::fromAdmin(const FIX::Message& message, const FIX::SessionID& session) throw(
    FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::RejectLogon) {
  if (metrics_ != nullptr) metrics_->Count(Direction::kIn, message);
  if (!message.getHeader().isSetField(FIX::FIELD::MsgType) ||
      message.getHeader().getField(FIX::FIELD::MsgType) != FIX::MsgType_Logon)
    return;
  if (absl::Status status = CheckLogon(message, session); !status.ok()) {
    if (metrics_ != nullptr) metrics_->LogonRefused();
    throw FIX::RejectLogon(std::string(status.message()));
  }
}

void FixGateway::fromApp(const FIX::Message& message,
                         const FIX::SessionID& session) throw(FIX::FieldNotFound,
                                                              FIX::IncorrectDataFormat,
                                                              FIX::IncorrectTagValue,
                                                              FIX::UnsupportedMessageType) {
  if (metrics_ != nullptr) metrics_->Count(Direction::kIn, message);
  if (config_.socket_threads == SocketThreads::kCoreThread) {
    // Already on the core thread, where the executor runs the task at once: the task refers to
    // the message instead of copying it (a copy is a few dozen allocations).
    bool ran = false;
    executor_([this, &message, &session, &ran] {
      HandleOnCore(message, session);
      ran = true;
    });
    if (!ran) {
      // A deferred task would read a message that is gone: a wiring error, stopped here.
      std::fprintf(stderr, "FixGateway: core-thread sockets need an executor that runs at once\n");
      std::abort();
    }
    return;
  }
  OnCore([this, message, session] { HandleOnCore(message, session); });
}

void FixGateway::Send(const FIX::SessionID& session, FIX::Message message) {
  try {
    FIX::Session::sendToTarget(message, session);
  } catch (const FIX::SessionNotFound&) {
    // The session is gone (acceptor stopped); the journal, not the FIX store, keeps the event.
  }
}

void FixGateway::Send(const core::ClientId& client, FIX::Message message) {
  if (const Session* session = FindClient(client); session != nullptr) {
    Send(session->id, std::move(message));
  }
}

void FixGateway::HandleOnCore(const FIX::Message& message, const FIX::SessionID& session) {
  const Session* known = FindSession(session);
  if (known == nullptr) return;
  TranslationContext context;
  context.client = core::ClientId(known->config.client_comp_id);
  context.default_account =
      core::AccountId(known->config.default_account.empty() ? known->config.client_comp_id
                                                            : known->config.default_account);
  context.instruments = &instruments_;
  context.find_combo = [this](core::ComboId id) { return order_entry_.FindDefinedCombo(id); };
  context.max_legs = config_.max_legs;
  context.shards = config_.sharding.has_value() ? &*config_.sharding : nullptr;
  Inbound inbound = Translate(message, context);

  if (InboundReject* reject = std::get_if<InboundReject>(&inbound)) {
    Send(session, reports_.FromInboundReject(*reject));
  } else if (auto* order = std::get_if<router::NewComboOrder>(&inbound)) {
    HandleNewOrder(session, std::move(*order));
  } else if (auto* cancel = std::get_if<router::CancelComboOrder>(&inbound)) {
    if (absl::Status status = order_entry_.Cancel(*cancel); !status.ok()) {
      SendCancelReject(session,
                       {cancel->client, cancel->client_order_id, cancel->original_client_order_id,
                        CancelRejectResponseTo::kCancel, RejectReason::kShuttingDown,
                        std::string(status.message()), std::nullopt, clock_.Now()});
    }
  } else if (auto* replace = std::get_if<router::ReplaceComboOrder>(&inbound)) {
    if (absl::Status status = order_entry_.Replace(*replace); !status.ok()) {
      SendCancelReject(
          session, {replace->client, replace->client_order_id, replace->original_client_order_id,
                    CancelRejectResponseTo::kReplace, RejectReason::kShuttingDown,
                    std::string(status.message()), std::nullopt, clock_.Now()});
    }
  } else if (auto* status_request = std::get_if<router::ComboOrderStatusRequest>(&inbound)) {
    if (absl::Status status = order_entry_.RequestStatus(*status_request); !status.ok()) {
      router::ComboOrderRejected rejected{status_request->client,
                                          status_request->client_order_id,
                                          RejectReason::kShuttingDown,
                                          std::string(status.message()),
                                          clock_.Now(),
                                          router::RejectedRequest::kStatusRequest};
      Send(session, reports_.Rejected(rejected));
    }
  } else if (auto* define = std::get_if<DefineComboRequest>(&inbound)) {
    HandleDefine(session, *define);
  } else if (auto* quote = std::get_if<QuoteRequest>(&inbound)) {
    HandleQuote(session, *quote);
  } else if (auto* list = std::get_if<SecurityListQuery>(&inbound)) {
    HandleSecurityList(session, *list);
  }
}

void FixGateway::HandleNewOrder(const FIX::SessionID& session, router::NewComboOrder order) {
  if (absl::Status status = order_entry_.Submit(order); !status.ok()) {
    router::ComboOrderRejected rejected{order.client,
                                        order.client_order_id,
                                        RejectReason::kShuttingDown,
                                        std::string(status.message()),
                                        clock_.Now(),
                                        router::RejectedRequest::kNewOrder,
                                        std::move(order)};
    Send(session, reports_.Rejected(rejected));
  }
}

void FixGateway::SendCancelReject(const FIX::SessionID& session,
                                  const router::CancelRejected& event) {
  Send(session, reports_.CancelReject(event));
}

void FixGateway::HandleDefine(const FIX::SessionID& session, const DefineComboRequest& request) {
  absl::StatusOr<router::ComboDefinition> definition = order_entry_.DefineCombo(request.combo);
  if (!definition.ok()) {
    Send(session, reports_.SecurityDefinitionReject(request.request_id,
                                                    core::AsStd(definition.status().message())));
    return;
  }
  Send(session, reports_.SecurityDefinition(request, *definition));
}

void FixGateway::HandleQuote(const FIX::SessionID& session, const QuoteRequest& request) {
  const std::pair<std::string, std::string> key{session.toString(), request.request_id};
  if (request.subscription == QuoteSubscription::kUnsubscribe) {
    auto it = quote_feeds_.find(key);
    if (it == quote_feeds_.end()) {
      Send(session, reports_.MarketDataReject(request.request_id,
                                              absl::StrCat("MDReqID(262) \"", request.request_id,
                                                           "\" has no subscription")));
      return;
    }
    (void)order_entry_.UnsubscribeQuotes(it->second->request().combo, it->second.get());
    quote_feeds_.erase(it);
    return;
  }
  if (quote_feeds_.contains(key)) {
    Send(session, reports_.MarketDataReject(request.request_id,
                                            absl::StrCat("MDReqID(262) \"", request.request_id,
                                                         "\" is already subscribed"),
                                            FIX::MDReqRejReason_DUPLICATE_MDREQID));
    return;
  }
  auto feed = std::make_unique<QuoteFeed>(*this, session, request);
  absl::StatusOr<router::ComboQuote> quote =
      order_entry_.SubscribeQuotes(request.combo, feed.get());
  if (!quote.ok()) {
    Send(session,
         reports_.MarketDataReject(request.request_id, core::AsStd(quote.status().message())));
    return;
  }
  Send(session, reports_.MarketData(request.request_id, *quote, request.bids, request.offers));
  if (request.subscription == QuoteSubscription::kSnapshot) {
    (void)order_entry_.UnsubscribeQuotes(request.combo, feed.get());
    return;
  }
  quote_feeds_.emplace(key, std::move(feed));
}

void FixGateway::HandleSecurityList(const FIX::SessionID& session, const SecurityListQuery& query) {
  for (FIX::Message& message :
       reports_.SecurityList(query.request_id, SelectSecurities(query, listings_, instruments_))) {
    Send(session, std::move(message));
  }
}

void FixGateway::DropQuoteFeeds(const FIX::SessionID& session) {
  const std::string name = session.toString();
  for (auto it = quote_feeds_.lower_bound({name, std::string()});
       it != quote_feeds_.end() && it->first.first == name;) {
    (void)order_entry_.UnsubscribeQuotes(it->second->request().combo, it->second.get());
    it = quote_feeds_.erase(it);
  }
}

void FixGateway::SendOrderReport(const router::OrderSnapshot& order, char exec_type,
                                 core::Timestamp time, std::string_view text) {
  // The reports every order gets (acknowledged, pending cancel, canceled): written as bytes and
  // sent by the core-thread acceptor when it can (a FIX::Message and QuickFIX's send cost as much
  // as the rest of the order's path).
  if (body_sender_ != nullptr) {
    if (const Session* session = FindClient(order.client); session != nullptr) {
      body_.clear();
      reports_.OrderReportBody(order, exec_type, time, text, body_);
      if (body_sender_->SendBody(session->id, FIX::MsgType_ExecutionReport, body_)) {
        if (metrics_ != nullptr) metrics_->CountSent(FIX::MsgType_ExecutionReport);
        return;
      }
    }
  }
  Send(order.client, reports_.OrderReport(order, exec_type, time, text));
}

void FixGateway::OnAccepted(const router::ComboOrderAccepted& event) {
  SendOrderReport(event.order, FIX::ExecType_NEW, event.time, "");
}

void FixGateway::OnRejected(const router::ComboOrderRejected& event) {
  Send(event.client, reports_.Rejected(event));
}

void FixGateway::OnExecution(const router::ComboExecution& event) {
  for (FIX::Message& message : reports_.Execution(event)) {
    Send(event.order.client, std::move(message));
  }
}

void FixGateway::OnCancelled(const router::ComboOrderCancelled& event) {
  // An order whose trading day ended is reported expired (ExecType C, OrdStatus C).
  const char exec_type = event.order.status == router::ClientOrderStatus::kExpired
                             ? FIX::ExecType_EXPIRED
                             : FIX::ExecType_CANCELED;
  SendOrderReport(event.order, exec_type, event.time, event.text);
}

void FixGateway::OnReplaced(const router::ComboOrderReplaced& event) {
  SendOrderReport(event.order, FIX::ExecType_REPLACED, event.time, event.text);
}

void FixGateway::OnCancelRejected(const router::CancelRejected& event) {
  Send(event.client, reports_.CancelReject(event));
}

void FixGateway::OnStatus(const router::ComboOrderStatusReport& event) {
  Send(event.order.client,
       reports_.OrderReport(event.order, FIX::ExecType_ORDER_STATUS, event.time, ""));
}

void FixGateway::OnPending(const router::ComboOrderPending& event) {
  const char exec_type = event.order.status == router::ClientOrderStatus::kPendingReplace
                             ? FIX::ExecType_PENDING_REPLACE
                             : FIX::ExecType_PENDING_CANCEL;
  SendOrderReport(event.order, exec_type, event.time, "");
}

void FixGateway::OnRestated(const router::ComboOrderRestated& event) {
  Send(event.order.client, reports_.Restated(event));
}

absl::StatusOr<FIX::SessionSettings> MakeAcceptorSettings(const GatewayConfig& config) {
  if (absl::Status status = Validate(config); !status.ok()) return status;
  try {
    FIX::SessionSettings settings;
    FIX::Dictionary defaults;
    defaults.setString(FIX::CONNECTION_TYPE, "acceptor");
    defaults.setInt(FIX::SOCKET_ACCEPT_PORT, config.port);
    defaults.setBool(FIX::SOCKET_REUSE_ADDRESS, true);
    defaults.setBool(FIX::SOCKET_NODELAY, true);
    // Always in session: start and end at midnight.
    defaults.setString(FIX::START_TIME, "00:00:00");
    defaults.setString(FIX::END_TIME, "00:00:00");
    defaults.setBool(FIX::USE_DATA_DICTIONARY, true);
    defaults.setString(FIX::DATA_DICTIONARY, config.data_dictionary);
    defaults.setBool(FIX::VALIDATE_USER_DEFINED_FIELDS, true);
    defaults.setBool(FIX::ALLOW_UNKNOWN_MSG_FIELDS, false);
    defaults.setBool(FIX::VALIDATE_FIELDS_OUT_OF_ORDER, true);
    defaults.setBool(FIX::VALIDATE_FIELDS_HAVE_VALUES, true);
    defaults.setBool(FIX::CHECK_LATENCY, false);
    if (!config.log_directory.empty()) defaults.setString(FIX::FILE_LOG_PATH, config.log_directory);
    // Sequence numbers survive logouts, disconnects and restarts.
    defaults.setBool(FIX::RESET_ON_LOGON, false);
    defaults.setBool(FIX::RESET_ON_LOGOUT, false);
    defaults.setBool(FIX::RESET_ON_DISCONNECT, false);
    defaults.setBool(FIX::PERSIST_MESSAGES, true);
    if (config.tls.has_value()) {
      defaults.setString(FIX::SERVER_CERT_FILE, config.tls->certificate_file);
      defaults.setString(FIX::SERVER_CERT_KEY_FILE, config.tls->private_key_file);
      if (config.tls->ca_file.has_value())
        defaults.setString(FIX::CERT_AUTH_FILE, *config.tls->ca_file);
    }
    settings.set(defaults);
    for (const SessionConfig& session : config.sessions) {
      settings.set(FIX::SessionID("FIX.4.4", session.gateway_comp_id, session.client_comp_id),
                   FIX::Dictionary());
    }
    return settings;
  } catch (const FIX::ConfigError& e) {
    return absl::InvalidArgumentError(absl::StrCat("FIX settings: ", e.what()));
  }
}

absl::StatusOr<std::unique_ptr<FixAcceptor>> FixAcceptor::Create(
    const GatewayConfig& config, router::OrderEntry& order_entry,
    const core::InstrumentCatalog& instruments, const router::Listings& listings, Executor executor,
    const core::Clock& clock, prometheus::Registry* registry, boost::asio::io_context* core_io) {
  absl::StatusOr<FIX::SessionSettings> settings = MakeAcceptorSettings(config);
  if (!settings.ok()) return settings.status();
  if (config.socket_threads == SocketThreads::kCoreThread && core_io == nullptr) {
    return absl::InvalidArgumentError("core-thread FIX sockets need the core thread's io_context");
  }
  std::unique_ptr<FixAcceptor> acceptor(new FixAcceptor());
  acceptor->config_ = config;
  acceptor->settings_ = *std::move(settings);
  if (registry != nullptr) {
    absl::StatusOr<std::unique_ptr<GatewayMetrics>> metrics = GatewayMetrics::Create(*registry);
    if (!metrics.ok()) return metrics.status();
    acceptor->metrics_ = *std::move(metrics);
  }
  acceptor->gateway_ =
      std::make_unique<FixGateway>(config, order_entry, instruments, listings, std::move(executor),
                                   clock, acceptor->metrics_.get());
  try {
    acceptor->store_ = std::make_unique<SessionStoreFactory>(config.store_directory);
    if (!config.log_directory.empty()) {
      // On the core thread the logs are written after the handler (fix/message_log.h); the
      // session threads of the other modes keep QuickFIX's own file log.
      if (config.socket_threads == SocketThreads::kCoreThread) {
        acceptor->log_ = std::make_unique<MessageLogFactory>(config.log_directory, *core_io);
      } else {
        acceptor->log_ = std::make_unique<FIX::FileLogFactory>(acceptor->settings_);
      }
    }
    if (config.socket_threads == SocketThreads::kCoreThread) {
      auto sockets = std::make_unique<AsioSocketAcceptor>(*acceptor->gateway_, *acceptor->store_,
                                                          acceptor->settings_, acceptor->log_.get(),
                                                          *core_io, acceptor->gateway_.get());
      acceptor->core_sockets_ = sockets.get();
      acceptor->gateway_->SetBodySender(sockets.get());
      acceptor->acceptor_ = std::move(sockets);
    } else if (config.tls.has_value()) {
      if (acceptor->log_) {
        acceptor->acceptor_ = std::make_unique<FIX::ThreadedSSLSocketAcceptor>(
            *acceptor->gateway_, *acceptor->store_, acceptor->settings_, *acceptor->log_);
      } else {
        acceptor->acceptor_ = std::make_unique<FIX::ThreadedSSLSocketAcceptor>(
            *acceptor->gateway_, *acceptor->store_, acceptor->settings_);
      }
    } else if (acceptor->log_) {
      acceptor->acceptor_ = std::make_unique<FIX::ThreadedSocketAcceptor>(
          *acceptor->gateway_, *acceptor->store_, acceptor->settings_, *acceptor->log_);
    } else {
      acceptor->acceptor_ = std::make_unique<FIX::ThreadedSocketAcceptor>(
          *acceptor->gateway_, *acceptor->store_, acceptor->settings_);
    }
  } catch (const FIX::ConfigError& e) {
    return absl::InvalidArgumentError(absl::StrCat("FIX acceptor: ", e.what()));
  }
  return acceptor;
}

FixAcceptor::~FixAcceptor() { Disconnect(); }

absl::Status FixAcceptor::Start() {
  if (started_) return absl::OkStatus();
  if (core_sockets_ != nullptr) {
    COMBO_RETURN_IF_ERROR(core_sockets_->Listen(config_.listen_address, config_.port));
    started_ = true;
    return absl::OkStatus();
  }
  try {
    acceptor_->start();
  } catch (const FIX::Exception& e) {
    return absl::UnavailableError(
        absl::StrCat("FIX acceptor on port ", config_.port, ": ", e.what()));
  }
  started_ = true;
  return absl::OkStatus();
}

void FixAcceptor::Stop() {
  if (!started_) return;
  started_ = false;
  // Sessions the gateway logs out itself are not the counterparty going away.
  gateway_->SetStopping();
  if (core_sockets_ != nullptr) {
    core_sockets_->Stop(kLogoutGrace);
    return;
  }
  acceptor_->stop();
}

void FixAcceptor::Disconnect() {
  if (core_sockets_ != nullptr) {
    started_ = false;
    core_sockets_->Close();
    return;
  }
  if (!started_) return;
  started_ = false;
  acceptor_->stop(/*force=*/true);
}

bool FixAcceptor::stopped() const {
  if (started_) return false;
  return core_sockets_ == nullptr || core_sockets_->idle();
}

FIX::Session* FixAcceptor::FindSession(const std::string& client_comp_id) const {
  for (const SessionConfig& session : config_.sessions) {
    if (session.client_comp_id == client_comp_id) {
      return acceptor_->getSession(
          FIX::SessionID("FIX.4.4", session.gateway_comp_id, client_comp_id));
    }
  }
  return nullptr;
}

}  // namespace combo::fix

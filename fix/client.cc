#include "fix/client.h"

#include <chrono>
#include <exception>
#include <utility>

#include "absl/strings/str_cat.h"
#include "fix/fix_enums.h"
#include "fix/reports.h"
#include "fix/session_store.h"
#include "quickfix/FixFieldNumbers.h"
#include "quickfix/FixValues.h"
#include "quickfix/MessageStore.h"
#include "quickfix/Session.h"
#include "quickfix/SocketInitiator.h"
#include "quickfix/ThreadedSSLSocketInitiator.h"
#include "quickfix/ThreadedSocketInitiator.h"

namespace combo::fix {
namespace {

FIX::Message Begin(std::string_view msg_type) {
  FIX::Message message;
  message.getHeader().setField(FIX::FIELD::MsgType, std::string(msg_type));
  return message;
}

}  // namespace

FixClient::FixClient(ClientConfig config, MessageHandler handler)
    : config_(std::move(config)),
      handler_(std::move(handler)),
      session_id_("FIX.4.4", config_.sender_comp_id, config_.target_comp_id) {}

absl::StatusOr<std::unique_ptr<FixClient>> FixClient::Create(const ClientConfig& config,
                                                             MessageHandler handler) {
  if (config.sender_comp_id.empty() || config.target_comp_id.empty()) {
    return absl::InvalidArgumentError("the client needs a SenderCompID and a TargetCompID");
  }
  if (config.data_dictionary.empty()) {
    return absl::InvalidArgumentError("the client needs a data dictionary");
  }
  if (config.polled && config.tls) {
    return absl::InvalidArgumentError("a polled client speaks plain TCP only");
  }
  std::unique_ptr<FixClient> client(new FixClient(config, std::move(handler)));
  try {
    FIX::Dictionary defaults;
    defaults.setString(FIX::CONNECTION_TYPE, "initiator");
    defaults.setString(FIX::SOCKET_CONNECT_HOST, config.host);
    defaults.setInt(FIX::SOCKET_CONNECT_PORT, config.port);
    defaults.setBool(FIX::SOCKET_NODELAY, true);
    defaults.setInt(FIX::HEARTBTINT, config.heartbeat_seconds);
    defaults.setInt(FIX::RECONNECT_INTERVAL, config.reconnect_seconds);
    defaults.setString(FIX::START_TIME, "00:00:00");
    defaults.setString(FIX::END_TIME, "00:00:00");
    defaults.setBool(FIX::USE_DATA_DICTIONARY, true);
    defaults.setString(FIX::DATA_DICTIONARY, config.data_dictionary);
    defaults.setBool(FIX::CHECK_LATENCY, false);
    if (!config.log_directory.empty()) defaults.setString(FIX::FILE_LOG_PATH, config.log_directory);
    defaults.setBool(FIX::RESET_ON_LOGON, config.reset_on_logon);
    defaults.setBool(FIX::RESET_ON_LOGOUT, false);
    defaults.setBool(FIX::RESET_ON_DISCONNECT, false);
    client->settings_.set(defaults);
    client->settings_.set(client->session_id_, FIX::Dictionary());
    if (config.store_directory.empty()) {
      client->store_ = std::make_unique<FIX::MemoryStoreFactory>();
    } else {
      client->store_ = std::make_unique<SessionStoreFactory>(config.store_directory);
    }
    if (!config.log_directory.empty()) {
      client->log_ = std::make_unique<FIX::FileLogFactory>(client->settings_);
    }
    if (config.polled) {
      client->initiator_ =
          std::make_unique<FIX::SocketInitiator>(*client, *client->store_, client->settings_);
    } else if (config.tls) {
      if (client->log_) {
        client->initiator_ = std::make_unique<FIX::ThreadedSSLSocketInitiator>(
            *client, *client->store_, client->settings_, *client->log_);
      } else {
        client->initiator_ = std::make_unique<FIX::ThreadedSSLSocketInitiator>(
            *client, *client->store_, client->settings_);
      }
    } else if (client->log_) {
      client->initiator_ = std::make_unique<FIX::ThreadedSocketInitiator>(
          *client, *client->store_, client->settings_, *client->log_);
    } else {
      client->initiator_ = std::make_unique<FIX::ThreadedSocketInitiator>(*client, *client->store_,
                                                                          client->settings_);
    }
  } catch (const FIX::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("FIX initiator: ", e.what()));
  }
  return client;
}

FixClient::~FixClient() { Disconnect(); }

absl::Status FixClient::Start() {
  if (started_) return absl::OkStatus();
  try {
    // A polled client connects on its first poll.
    if (config_.polled) {
      (void)initiator_->poll(0.0);
    } else {
      initiator_->start();
    }
  } catch (const FIX::Exception& e) {
    return absl::UnavailableError(absl::StrCat("FIX initiator: ", e.what()));
  }
  started_ = true;
  return absl::OkStatus();
}

void FixClient::Stop() {
  if (!started_) return;
  if (config_.polled) {
    // QuickFIX's own graceful stop sleeps while nobody polls: log out by polling here.
    FIX::Session* session = FIX::Session::lookupSession(session_id_);
    if (session != nullptr && session->isLoggedOn()) {
      session->logout();
      PollUntil([session] { return !session->isLoggedOn(); }, core::Duration::Seconds(5));
    }
    started_ = false;
    initiator_->stop(/*force=*/true);
    return;
  }
  started_ = false;
  initiator_->stop();
}

void FixClient::Disconnect() {
  if (!started_) return;
  started_ = false;
  initiator_->stop(/*force=*/true);
}

void FixClient::Poll() {
  if (!started_) return;
  try {
    (void)initiator_->poll(0.0);
  } catch (const FIX::Exception&) {
    // Socket errors end the connection; the initiator reconnects on a later poll.
  }
}

bool FixClient::PollUntil(const std::function<bool()>& done, core::Duration timeout) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::nanoseconds(timeout.nanoseconds());
  while (!done() && std::chrono::steady_clock::now() < deadline) Poll();
  return done();
}

bool FixClient::WaitForLogon(core::Duration timeout) {
  if (config_.polled) return PollUntil([this] { return logged_on(); }, timeout);
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, std::chrono::nanoseconds(timeout.nanoseconds()),
                           [this] { return logged_on_; });
}

bool FixClient::WaitForLogout(core::Duration timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, std::chrono::nanoseconds(timeout.nanoseconds()),
                           [this] { return logouts_ > 0; });
}

bool FixClient::logged_on() const {
  std::lock_guard lock(mutex_);
  return logged_on_;
}

std::string FixClient::last_logout_text() const {
  std::lock_guard lock(mutex_);
  return logout_text_;
}

absl::Status FixClient::Send(FIX::Message message) {
  try {
    if (!FIX::Session::sendToTarget(message, session_id_)) {
      return absl::UnavailableError(
          "the session is not logged on; the message is queued for resend");
    }
  } catch (const FIX::SessionNotFound&) {
    return absl::FailedPreconditionError("no FIX session: the client is not started");
  }
  return absl::OkStatus();
}

int FixClient::next_sender_seq_num() const {
  FIX::Session* session = FIX::Session::lookupSession(session_id_);
  return session == nullptr ? 0 : session->getExpectedSenderNum();
}

int FixClient::next_target_seq_num() const {
  FIX::Session* session = FIX::Session::lookupSession(session_id_);
  return session == nullptr ? 0 : session->getExpectedTargetNum();
}

void FixClient::onLogon(const FIX::SessionID&) {
  std::lock_guard lock(mutex_);
  logged_on_ = true;
  changed_.notify_all();
}

void FixClient::onLogout(const FIX::SessionID&) {
  std::lock_guard lock(mutex_);
  logged_on_ = false;
  ++logouts_;
  changed_.notify_all();
}

void FixClient::toAdmin(FIX::Message& message, const FIX::SessionID&) {
  if (message.getHeader().getField(FIX::FIELD::MsgType) == FIX::MsgType_Logon &&
      config_.username.has_value()) {
    message.setField(FIX::FIELD::Username, *config_.username);
    message.setField(FIX::FIELD::Password, config_.password.value_or(""));
  }
}

void FixClient::fromAdmin(const FIX::Message& message,
                          const FIX::SessionID&) throw(FIX::FieldNotFound, FIX::IncorrectDataFormat,
                                                       FIX::IncorrectTagValue, FIX::RejectLogon) {
  if (message.getHeader().getField(FIX::FIELD::MsgType) == FIX::MsgType_Logout &&
      message.isSetField(FIX::FIELD::Text)) {
    std::lock_guard lock(mutex_);
    logout_text_ = message.getField(FIX::FIELD::Text);
  }
  // A session Reject refuses one of our messages (an order among them): the owner must see it,
  // or that order would silently never be answered.
  if (message.getHeader().getField(FIX::FIELD::MsgType) == FIX::MsgType_Reject) Deliver(message);
}

void FixClient::fromApp(const FIX::Message& message,
                        const FIX::SessionID&) throw(FIX::FieldNotFound, FIX::IncorrectDataFormat,
                                                     FIX::IncorrectTagValue,
                                                     FIX::UnsupportedMessageType) {
  Deliver(message);
}

void FixClient::Deliver(const FIX::Message& message) {
  if (!handler_) return;
  try {
    handler_(message);
  } catch (const std::exception&) {
    // The handler's failure must not end the session thread (QuickFIX's exception
    // specifications would terminate the process).
  }
}

namespace {

// A NoLegs entry naming `f`; LegRatioQty and LegSide when given.
void AddLegGroup(FIX::Message& message, const LegInstrumentFields& f, std::optional<int64_t> ratio,
                 std::optional<core::Side> side) {
  FIX::Group group(FIX::FIELD::NoLegs, FIX::FIELD::LegSymbol);
  group.setField(FIX::FIELD::LegSymbol, f.symbol.empty() ? std::string("[N/A]") : f.symbol);
  if (!f.security_id.empty()) {
    group.setField(FIX::FIELD::LegSecurityID, f.security_id);
    group.setField(FIX::FIELD::LegSecurityIDSource, FIX::SecurityIDSource_EXCHANGE_SYMBOL);
  }
  if (!f.cfi_code.empty()) group.setField(FIX::FIELD::LegCFICode, f.cfi_code);
  if (!f.security_type.empty()) group.setField(FIX::FIELD::LegSecurityType, f.security_type);
  if (!f.maturity_month_year.empty())
    group.setField(FIX::FIELD::LegMaturityMonthYear, f.maturity_month_year);
  if (!f.maturity_date.empty()) group.setField(FIX::FIELD::LegMaturityDate, f.maturity_date);
  if (!f.strike.empty()) group.setField(FIX::FIELD::LegStrikePrice, f.strike);
  if (ratio.has_value()) group.setField(FIX::FIELD::LegRatioQty, absl::StrCat(*ratio));
  if (side.has_value()) group.setField(FIX::FIELD::LegSide, FixValue(SideToFix(*side)));
  message.addGroup(group);
}

}  // namespace

void AddLeg(FIX::Message& message, const LegSpec& leg) {
  AddLegGroup(message, leg.instrument, leg.ratio, leg.side);
}

FIX::Message MakeNewOrderMultileg(const ComboOrderParams& params, core::Timestamp transact_time) {
  FIX::Message message = Begin(FIX::MsgType_NewOrderMultileg);
  message.setField(FIX::FIELD::ClOrdID, params.client_order_id);
  if (!params.account.empty()) message.setField(FIX::FIELD::Account, params.account);
  message.setField(FIX::FIELD::Side, FixValue(SideToFix(params.side)));
  if (params.combo_id.has_value()) {
    message.setField(FIX::FIELD::SecurityID, absl::StrCat(*params.combo_id));
    message.setField(FIX::FIELD::SecurityIDSource, FIX::SecurityIDSource_EXCHANGE_SYMBOL);
  }
  for (const LegSpec& leg : params.legs) AddLeg(message, leg);
  message.setField(FIX::FIELD::TransactTime, FixTimestamp(transact_time));
  message.setField(FIX::FIELD::OrderQty, absl::StrCat(params.quantity));
  message.setField(FIX::FIELD::OrdType, FixValue(OrdTypeToFix(params.type)));
  if (params.limit_price.has_value())
    message.setField(FIX::FIELD::Price, params.limit_price->ToString());
  if (params.time_in_force.has_value())
    message.setField(FIX::FIELD::TimeInForce, FixValue(TimeInForceToFix(*params.time_in_force)));
  return message;
}

FIX::Message MakeCancelRequest(std::string_view client_order_id,
                               std::string_view original_client_order_id, core::Side side,
                               core::Timestamp transact_time) {
  FIX::Message message = Begin(FIX::MsgType_OrderCancelRequest);
  message.setField(FIX::FIELD::OrigClOrdID, std::string(original_client_order_id));
  message.setField(FIX::FIELD::ClOrdID, std::string(client_order_id));
  message.setField(FIX::FIELD::Side, FixValue(SideToFix(side)));
  message.setField(FIX::FIELD::TransactTime, FixTimestamp(transact_time));
  return message;
}

FIX::Message MakeReplaceRequest(std::string_view client_order_id,
                                std::string_view original_client_order_id, core::Side side,
                                int64_t quantity, core::Price limit_price,
                                core::Timestamp transact_time) {
  FIX::Message message = Begin(FIX::MsgType_MultilegOrderCancelReplace);
  message.setField(FIX::FIELD::OrigClOrdID, std::string(original_client_order_id));
  message.setField(FIX::FIELD::ClOrdID, std::string(client_order_id));
  message.setField(FIX::FIELD::Side, FixValue(SideToFix(side)));
  message.setField(FIX::FIELD::TransactTime, FixTimestamp(transact_time));
  message.setField(FIX::FIELD::OrderQty, absl::StrCat(quantity));
  message.setField(FIX::FIELD::OrdType, FixValue(OrdTypeToFix(router::ComboOrderType::kLimit)));
  message.setField(FIX::FIELD::Price, limit_price.ToString());
  return message;
}

FIX::Message MakeStatusRequest(std::string_view client_order_id, core::Side side) {
  FIX::Message message = Begin(FIX::MsgType_OrderStatusRequest);
  message.setField(FIX::FIELD::ClOrdID, std::string(client_order_id));
  message.setField(FIX::FIELD::Side, FixValue(SideToFix(side)));
  return message;
}

FIX::Message MakeSecurityDefinitionRequest(std::string_view request_id,
                                           const std::vector<LegSpec>& legs) {
  FIX::Message message = Begin(FIX::MsgType_SecurityDefinitionRequest);
  message.setField(FIX::FIELD::SecurityReqID, std::string(request_id));
  message.setField(
      FIX::FIELD::SecurityRequestType,
      absl::StrCat(
          FIX::SecurityRequestType_REQUEST_SECURITY_IDENTITY_FOR_THE_SPECIFICATIONS_PROVIDED));
  for (const LegSpec& leg : legs) AddLeg(message, leg);
  return message;
}

FIX::Message MakeStrategyDefinitionRequest(std::string_view request_id, std::string_view strategy,
                                           std::string_view underlying,
                                           const std::vector<TemplateLegSpec>& legs) {
  FIX::Message message = MakeSecurityDefinitionRequest(request_id, {});
  message.setField(FIX::FIELD::SecuritySubType, std::string(strategy));
  message.setField(FIX::FIELD::Symbol, std::string(underlying));
  for (const TemplateLegSpec& leg : legs) AddLegGroup(message, leg.instrument, leg.ratio, leg.side);
  return message;
}

FIX::Message MakeMarketDataRequest(std::string_view request_id, uint32_t combo_id,
                                   char subscription_request_type) {
  FIX::Message message = Begin(FIX::MsgType_MarketDataRequest);
  message.setField(FIX::FIELD::MDReqID, std::string(request_id));
  message.setField(FIX::FIELD::SubscriptionRequestType, FixValue(subscription_request_type));
  message.setField(FIX::FIELD::MarketDepth, "1");
  for (QuoteSide side : {QuoteSide::kBid, QuoteSide::kOffer}) {
    FIX::Group group(FIX::FIELD::NoMDEntryTypes, FIX::FIELD::MDEntryType);
    group.setField(FIX::FIELD::MDEntryType, FixValue(MdEntryTypeToFix(side)));
    message.addGroup(group);
  }
  FIX::Group related(FIX::FIELD::NoRelatedSym, FIX::FIELD::Symbol);
  related.setField(FIX::FIELD::Symbol, "[N/A]");
  related.setField(FIX::FIELD::SecurityID, absl::StrCat(combo_id));
  related.setField(FIX::FIELD::SecurityIDSource, FIX::SecurityIDSource_EXCHANGE_SYMBOL);
  message.addGroup(related);
  return message;
}

FIX::Message MakeSecurityListRequest(std::string_view request_id,
                                     const SecurityListParams& params) {
  FIX::Message message = Begin(FIX::MsgType_SecurityListRequest);
  message.setField(FIX::FIELD::SecurityReqID, std::string(request_id));
  message.setField(FIX::FIELD::SecurityListRequestType, absl::StrCat(params.request_type));
  auto set = [&](int tag, const std::string& value) {
    if (!value.empty()) message.setField(tag, value);
  };
  set(FIX::FIELD::Symbol, params.symbol);
  set(FIX::FIELD::SecurityType, params.security_type);
  set(FIX::FIELD::MaturityMonthYear, params.maturity_month_year);
  set(FIX::FIELD::SecurityExchange, params.exchange);
  if (!params.underlying.empty()) {
    FIX::Group underlying(FIX::FIELD::NoUnderlyings, FIX::FIELD::UnderlyingSymbol);
    underlying.setField(FIX::FIELD::UnderlyingSymbol, params.underlying);
    message.addGroup(underlying);
  }
  return message;
}

}  // namespace combo::fix

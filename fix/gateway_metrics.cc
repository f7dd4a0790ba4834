#include "fix/gateway_metrics.h"

#include <utility>
#include <vector>

#include "core/status.h"
#include "fix/fix_enums.h"
#include "quickfix/FixFieldNumbers.h"
#include "quickfix/FixValues.h"

namespace combo::fix {
namespace {

// Every MsgType of fix/spec/FIX44-combo.xml.
constexpr std::array<const char*, 21> kMsgTypes = {
    FIX::MsgType_Heartbeat,
    FIX::MsgType_TestRequest,
    FIX::MsgType_ResendRequest,
    FIX::MsgType_Reject,
    FIX::MsgType_SequenceReset,
    FIX::MsgType_Logout,
    FIX::MsgType_Logon,
    FIX::MsgType_ExecutionReport,
    FIX::MsgType_OrderCancelReject,
    FIX::MsgType_OrderCancelRequest,
    FIX::MsgType_OrderStatusRequest,
    FIX::MsgType_MarketDataRequest,
    FIX::MsgType_MarketDataSnapshotFullRefresh,
    FIX::MsgType_MarketDataRequestReject,
    FIX::MsgType_SecurityDefinitionRequest,
    FIX::MsgType_SecurityDefinition,
    FIX::MsgType_BusinessMessageReject,
    FIX::MsgType_NewOrderMultileg,
    FIX::MsgType_MultilegOrderCancelReplace,
    FIX::MsgType_SecurityListRequest,
    FIX::MsgType_SecurityList,
};

std::string_view DirectionLabel(Direction direction) {
  return direction == Direction::kIn ? "in" : "out";
}

std::string FieldOr(const FIX::FieldMap& map, int tag) {
  return map.isSetField(tag) ? map.getField(tag) : std::string();
}

}  // namespace

std::string_view ToString(RejectKind kind) {
  switch (kind) {
    case RejectKind::kLogon:
      return "logon";
    case RejectKind::kSession:
      return "session";
    case RejectKind::kBusiness:
      return "business";
    case RejectKind::kOrder:
      return "order";
    case RejectKind::kStatus:
      return "status";
    case RejectKind::kCancel:
      return "cancel";
    case RejectKind::kDefinition:
      return "definition";
    case RejectKind::kMarketData:
      return "market_data";
    case RejectKind::kSecurityList:
      return "security_list";
  }
  return "unknown";
}

absl::StatusOr<std::unique_ptr<GatewayMetrics>> GatewayMetrics::Create(
    prometheus::Registry& registry) {
  std::unique_ptr<GatewayMetrics> metrics(new GatewayMetrics());
  COMBO_ASSIGN_OR_RETURN(
      prometheus::Family<prometheus::Gauge> * sessions,
      core::DeclareGaugeFamily(registry, "combo_fix_sessions_logged_on",
                               "FIX counterparty sessions currently logged on to the gateway"));
  COMBO_ASSIGN_OR_RETURN(metrics->logged_on_, core::AddGauge(*sessions, {}));
  COMBO_ASSIGN_OR_RETURN(
      prometheus::Family<prometheus::Counter> * messages,
      core::DeclareCounterFamily(registry, "combo_fix_messages_total",
                                 "FIX messages received (direction=in) and sent (direction=out) "
                                 "by the gateway, by MsgType(35); other: outside the dictionary"));
  for (Direction direction : {Direction::kIn, Direction::kOut}) {
    const size_t d = static_cast<size_t>(direction);
    const std::string label(DirectionLabel(direction));
    for (std::string_view type : kMsgTypes) {
      COMBO_ASSIGN_OR_RETURN(
          prometheus::Counter * counter,
          core::AddCounter(*messages, {{"direction", label}, {"msg_type", std::string(type)}}));
      metrics->messages_[d].emplace(std::string(type), counter);
    }
    COMBO_ASSIGN_OR_RETURN(
        metrics->other_messages_[d],
        core::AddCounter(*messages, {{"direction", label}, {"msg_type", "other"}}));
  }
  COMBO_ASSIGN_OR_RETURN(
      prometheus::Family<prometheus::Counter> * rejects,
      core::DeclareCounterFamily(registry, "combo_fix_rejects_total",
                                 "Refusals the FIX gateway sent to counterparties, by kind"));
  COMBO_ASSIGN_OR_RETURN(metrics->rejects_, core::CountersByEnum<RejectKind>::Create(
                                                *rejects, "kind",
                                                std::vector<RejectKind>(kAllRejectKinds.begin(),
                                                                        kAllRejectKinds.end())));
  return metrics;
}

void GatewayMetrics::CountType(Direction direction, std::string_view msg_type) {
  const size_t d = static_cast<size_t>(direction);
  auto it = messages_[d].find(msg_type);
  (it == messages_[d].end() ? other_messages_[d] : it->second)->Increment();
}

void GatewayMetrics::CountSent(std::string_view msg_type) { CountType(Direction::kOut, msg_type); }

void GatewayMetrics::Count(Direction direction, const FIX::Message& message) {
  const FIX::Header& header = message.getHeader();
  const std::string type = FieldOr(header, FIX::FIELD::MsgType);
  CountType(direction, type);
  if (direction != Direction::kOut ||
      FieldOr(header, FIX::FIELD::PossDupFlag) == FixValue(FIX::PossDupFlag_YES)) {
    return;
  }
  if (type == FIX::MsgType_Reject) {
    rejects_.Increment(RejectKind::kSession);
  } else if (type == FIX::MsgType_BusinessMessageReject) {
    rejects_.Increment(RejectKind::kBusiness);
  } else if (type == FIX::MsgType_OrderCancelReject) {
    rejects_.Increment(RejectKind::kCancel);
  } else if (type == FIX::MsgType_MarketDataRequestReject) {
    rejects_.Increment(RejectKind::kMarketData);
  } else if (type == FIX::MsgType_SecurityDefinition &&
             SecurityResponseTypeFromFix(FieldOr(message, FIX::FIELD::SecurityResponseType)) ==
                 SecurityResponse::kRejected) {
    rejects_.Increment(RejectKind::kDefinition);
  } else if (type == FIX::MsgType_SecurityList &&
             FieldOr(message, FIX::FIELD::SecurityRequestResult) == "1") {
    rejects_.Increment(RejectKind::kSecurityList);
  } else if (type == FIX::MsgType_ExecutionReport) {
    const std::string exec_type = FieldOr(message, FIX::FIELD::ExecType);
    if (exec_type == FixValue(FIX::ExecType_REJECTED)) {
      rejects_.Increment(RejectKind::kOrder);
    } else if (exec_type == FixValue(FIX::ExecType_ORDER_STATUS) &&
               FieldOr(message, FIX::FIELD::OrdStatus) == FixValue(FIX::OrdStatus_REJECTED)) {
      rejects_.Increment(RejectKind::kStatus);
    }
  }
}

void GatewayMetrics::LogonRefused() { rejects_.Increment(RejectKind::kLogon); }

void GatewayMetrics::LoggedOn(const FIX::SessionID& session) {
  std::lock_guard lock(mutex_);
  sessions_.insert(session.toString());
  logged_on_->Set(static_cast<double>(sessions_.size()));
}

void GatewayMetrics::LoggedOut(const FIX::SessionID& session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session.toString());
  logged_on_->Set(static_cast<double>(sessions_.size()));
}

double GatewayMetrics::messages(Direction direction, std::string_view msg_type) const {
  const size_t d = static_cast<size_t>(direction);
  auto it = messages_[d].find(msg_type);
  return (it == messages_[d].end() ? other_messages_[d] : it->second)->Value();
}

double GatewayMetrics::sessions_logged_on() const {
  std::lock_guard lock(mutex_);
  return logged_on_->Value();
}

}  // namespace combo::fix

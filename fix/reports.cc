#include "fix/reports.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "core/absl_compat.h"
#include "core/rounding.h"
#include "fix/leg_fields.h"

namespace combo::fix {
namespace {

using core::AsAbsl;
using router::ClientOrderStatus;
using router::RejectReason;

constexpr std::string_view kNone = "NONE";

std::string SideText(core::Side side) { return side == core::Side::kBuy ? "1" : "2"; }

std::string Number(int64_t value) { return absl::StrCat(value); }

std::string OrdTypeText(router::ComboOrderType type) {
  return type == router::ComboOrderType::kMarket ? "1" : "2";
}

std::string TimeInForceText(router::ComboTimeInForce tif) {
  switch (tif) {
    case router::ComboTimeInForce::kDay:
      return "0";
    case router::ComboTimeInForce::kGoodTillCancel:
      return "1";
    case router::ComboTimeInForce::kImmediateOrCancel:
      return "3";
    case router::ComboTimeInForce::kFillOrKill:
      return "4";
  }
  return "0";
}

// OrdRejReason(103) for an order reject.
int OrdRejReason(RejectReason reason) {
  switch (reason) {
    case RejectReason::kUnknownInstrument:
      return 1;  // unknown symbol
    case RejectReason::kTradingHalted:
      return 2;  // exchange closed
    case RejectReason::kRiskDenied:
      return 3;  // order exceeds limit
    case RejectReason::kTooLateToCancel:
      return 4;
    case RejectReason::kUnknownOrder:
      return 5;
    case RejectReason::kDuplicateClientOrderId:
      return 6;
    case RejectReason::kInvalidQuantity:
      return 13;  // incorrect quantity
    case RejectReason::kUnsupportedOrder:
      return 11;  // unsupported order characteristic
    default:
      return 99;
  }
}

// CxlRejReason(102).
int CxlRejReason(RejectReason reason) {
  switch (reason) {
    case RejectReason::kTooLateToCancel:
      return 0;
    case RejectReason::kUnknownOrder:
      return 1;
    case RejectReason::kDuplicateClientOrderId:
      return 6;
    default:
      return 99;
  }
}

void SetHeader(FIX::Message& message, std::string_view msg_type) {
  message.getHeader().setField(35, std::string(msg_type));
}

void SetIfNotEmpty(FIX::FieldMap& map, int tag, const std::string& value) {
  if (!value.empty()) map.setField(tag, value);
}

}  // namespace

std::string FixTimestamp(core::Timestamp time) {
  return absl::FormatTime("%Y%m%d-%H:%M:%E3S", absl::FromUnixNanos(time.unix_nanos()),
                          absl::UTCTimeZone());
}

char OrdStatusChar(ClientOrderStatus status) {
  switch (status) {
    case ClientOrderStatus::kNew:
      return '0';
    case ClientOrderStatus::kPartiallyFilled:
      return '1';
    case ClientOrderStatus::kFilled:
      return '2';
    case ClientOrderStatus::kCanceled:
      return '4';
    case ClientOrderStatus::kRejected:
      return '8';
    case ClientOrderStatus::kPendingCancel:
      return '6';
    case ClientOrderStatus::kPendingReplace:
      return 'E';
  }
  return '0';
}

ReportBuilder::ReportBuilder(const core::InstrumentCatalog& instruments, std::string exec_id_prefix)
    : instruments_(instruments), exec_id_prefix_(std::move(exec_id_prefix)) {}

std::string ReportBuilder::NextExecId() {
  return absl::StrCat(exec_id_prefix_, "-", next_exec_id_++);
}

void ReportBuilder::AddLegGroup(FIX::Message& message, const core::ComboLeg& leg) const {
  FIX::Group group(555, 600);
  const core::Instrument* instrument = instruments_.Find(leg.instrument);
  LegInstrumentFields fields;
  if (instrument != nullptr) {
    fields = InstrumentToLegFields(*instrument);
  } else {
    fields.symbol = "[N/A]";
    fields.security_id = absl::StrCat(leg.instrument.value());
  }
  group.setField(600, fields.symbol);
  group.setField(602, fields.security_id);
  group.setField(603, "8");
  SetIfNotEmpty(group, 608, fields.cfi_code);
  SetIfNotEmpty(group, 609, fields.security_type);
  SetIfNotEmpty(group, 610, fields.maturity_month_year);
  SetIfNotEmpty(group, 611, fields.maturity_date);
  SetIfNotEmpty(group, 612, fields.strike);
  group.setField(623, Number(leg.ratio));
  group.setField(624, SideText(leg.side));
  message.addGroup(group);
}

void ReportBuilder::SetLegInstrument(FIX::Message& message, core::InstrumentId id) const {
  const core::Instrument* instrument = instruments_.Find(id);
  message.setField(48, absl::StrCat(id.value()));
  message.setField(22, "8");
  if (instrument == nullptr) return;
  const LegInstrumentFields fields = InstrumentToLegFields(*instrument);
  message.setField(55, fields.symbol);
  SetIfNotEmpty(message, 461, fields.cfi_code);
  SetIfNotEmpty(message, 167, fields.security_type);
  SetIfNotEmpty(message, 200, fields.maturity_month_year);
  SetIfNotEmpty(message, 541, fields.maturity_date);
  SetIfNotEmpty(message, 202, fields.strike);
}

void ReportBuilder::SetOrderFields(FIX::Message& message, const router::OrderSnapshot& order,
                                   char exec_type, core::Timestamp time) const {
  SetHeader(message, "8");
  message.setField(37, Number(static_cast<int64_t>(order.order_id.value())));
  message.setField(11, order.client_order_id.value());
  if (!order.original_client_order_id.value().empty() &&
      order.original_client_order_id != order.client_order_id) {
    message.setField(41, order.original_client_order_id.value());
  }
  message.setField(150, std::string(1, exec_type));
  message.setField(39, std::string(1, OrdStatusChar(order.status)));
  message.setField(1, order.account.value());
  message.setField(54, SideText(order.side));
  message.setField(40, OrdTypeText(order.type));
  message.setField(59, TimeInForceText(order.time_in_force));
  if (order.security_id.has_value()) {
    message.setField(48, absl::StrCat(order.security_id->value()));
    message.setField(22, "8");
  }
  message.setField(38, Number(order.order_quantity.value()));
  message.setField(14, Number(order.cumulative_quantity.value()));
  message.setField(151, Number(order.leaves_quantity.value()));
  message.setField(6, order.average_price.value_or(core::Price::Zero()).ToString());
  if (order.limit_price.has_value()) message.setField(44, order.limit_price->ToString());
  message.setField(60, FixTimestamp(time));
  message.setField(442, "3");
}

FIX::Message ReportBuilder::OrderReport(const router::OrderSnapshot& order, char exec_type,
                                        core::Timestamp time, std::string_view text) {
  FIX::Message message;
  SetOrderFields(message, order, exec_type, time);
  message.setField(17, NextExecId());
  if (!text.empty()) message.setField(58, std::string(text));
  for (const router::OrderLeg& leg : order.legs) AddLegGroup(message, leg.leg);
  return message;
}

std::vector<FIX::Message> ReportBuilder::Execution(const router::ComboExecution& execution) {
  const router::OrderSnapshot& order = execution.order;
  const std::string exec_id = NextExecId();
  FIX::Message combo;
  SetOrderFields(combo, order, 'F', execution.time);
  combo.setField(17, exec_id);
  combo.setField(32, Number(execution.last_quantity.value()));
  combo.setField(31, execution.last_price.ToString());
  std::vector<FIX::Message> legs;
  for (size_t i = 0; i < execution.legs.size(); ++i) {
    const router::LegExecutionReport& fill = execution.legs[i];
    const std::string leg_exec_id = absl::StrCat(exec_id, ".", i + 1);
    // The order's leg this fill belongs to gives its ratio and running totals.
    const router::OrderLeg* order_leg = nullptr;
    for (const router::OrderLeg& leg : order.legs) {
      if (leg.leg.instrument == fill.instrument) order_leg = &leg;
    }
    int64_t ratio = order_leg != nullptr ? order_leg->leg.ratio : 0;
    if (ratio == 0 && execution.last_quantity.is_positive()) {
      // Not a leg of the order as the client sent it: the fill itself gives the ratio.
      ratio = fill.quantity.value() / execution.last_quantity.value();
    }
    const core::Quantity leg_cumulative =
        order_leg != nullptr ? order_leg->cumulative_quantity : order.cumulative_quantity * ratio;
    const core::Price leg_average = order_leg != nullptr ? order_leg->AveragePrice() : fill.price;

    FIX::Group group(555, 600);
    const core::Instrument* instrument = instruments_.Find(fill.instrument);
    const LegInstrumentFields fields =
        instrument != nullptr ? InstrumentToLegFields(*instrument) : LegInstrumentFields{};
    group.setField(600, fields.symbol.empty() ? std::string("[N/A]") : fields.symbol);
    group.setField(602, absl::StrCat(fill.instrument.value()));
    group.setField(603, "8");
    SetIfNotEmpty(group, 608, fields.cfi_code);
    SetIfNotEmpty(group, 609, fields.security_type);
    SetIfNotEmpty(group, 610, fields.maturity_month_year);
    SetIfNotEmpty(group, 611, fields.maturity_date);
    SetIfNotEmpty(group, 612, fields.strike);
    if (ratio != 0) group.setField(623, Number(ratio));
    group.setField(624, SideText(fill.side));
    group.setField(687, Number(fill.quantity.value()));
    group.setField(654, leg_exec_id);
    group.setField(637, fill.price.ToString());
    combo.addGroup(group);

    FIX::Message leg;
    SetHeader(leg, "8");
    leg.setField(37, Number(static_cast<int64_t>(order.order_id.value())));
    leg.setField(11, order.client_order_id.value());
    leg.setField(17, leg_exec_id);
    leg.setField(527, exec_id);
    leg.setField(150, "F");
    leg.setField(39, std::string(1, OrdStatusChar(order.status)));
    leg.setField(1, order.account.value());
    SetLegInstrument(leg, fill.instrument);
    leg.setField(54, SideText(fill.side));
    leg.setField(38, Number((order.order_quantity * ratio).value()));
    leg.setField(32, Number(fill.quantity.value()));
    leg.setField(31, fill.price.ToString());
    leg.setField(30, absl::StrCat(fill.venue.value()));
    leg.setField(14, Number(leg_cumulative.value()));
    leg.setField(151, Number((order.leaves_quantity * ratio).value()));
    leg.setField(6, leg_average.ToString());
    leg.setField(60, FixTimestamp(execution.time));
    leg.setField(442, "2");
    legs.push_back(std::move(leg));
  }
  std::vector<FIX::Message> out;
  out.reserve(legs.size() + 1);
  out.push_back(std::move(combo));
  for (FIX::Message& leg : legs) out.push_back(std::move(leg));
  return out;
}

FIX::Message ReportBuilder::Rejected(const router::ComboOrderRejected& event) {
  const bool status_request = event.rejected_request == router::RejectedRequest::kStatusRequest;
  const router::NewComboOrder* order = event.order.has_value() ? &*event.order : nullptr;
  FIX::Message message;
  SetHeader(message, "8");
  message.setField(37, std::string(kNone));
  message.setField(11, event.client_order_id.value());
  message.setField(17, NextExecId());
  message.setField(150, status_request ? "I" : "8");
  message.setField(39, "8");
  if (!status_request) message.setField(103, Number(OrdRejReason(event.reason)));
  message.setField(54, SideText(order != nullptr ? order->side : core::Side::kBuy));
  message.setField(14, "0");
  message.setField(151, "0");
  message.setField(6, "0");
  message.setField(60, FixTimestamp(event.time));
  message.setField(58, event.text);
  if (order != nullptr) {
    message.setField(1, order->account.value());
    message.setField(40, OrdTypeText(order->type));
    message.setField(59, TimeInForceText(order->time_in_force));
    message.setField(442, "3");
    for (const core::ComboLeg& leg : order->combo.legs()) AddLegGroup(message, leg);
  }
  return message;
}

FIX::Message ReportBuilder::CancelReject(const router::CancelRejected& event) {
  FIX::Message message;
  SetHeader(message, "9");
  message.setField(37, event.order.has_value()
                           ? Number(static_cast<int64_t>(event.order->order_id.value()))
                           : std::string(kNone));
  message.setField(11, event.client_order_id.value());
  message.setField(41, event.original_client_order_id.value());
  message.setField(
      39, std::string(1, event.order.has_value() ? OrdStatusChar(event.order->status) : '8'));
  message.setField(60, FixTimestamp(event.time));
  message.setField(434, event.response_to == router::CancelRejectResponseTo::kCancel ? "1" : "2");
  message.setField(102, Number(CxlRejReason(event.reason)));
  message.setField(58, event.text);
  return message;
}

FIX::Message ReportBuilder::FromInboundReject(const InboundReject& reject) {
  FIX::Message message;
  switch (reject.channel) {
    case RejectChannel::kBusinessReject:
      SetHeader(message, "j");
      if (reject.ref_seq_num > 0) message.setField(45, Number(reject.ref_seq_num));
      message.setField(372, reject.msg_type.empty() ? std::string("?") : reject.msg_type);
      SetIfNotEmpty(message, 379,
                    !reject.client_order_id.empty() ? reject.client_order_id : reject.request_id);
      message.setField(380, Number(static_cast<int>(reject.business_code)));
      message.setField(58, reject.text);
      return message;
    case RejectChannel::kOrderReject:
      SetHeader(message, "8");
      message.setField(37, std::string(kNone));
      message.setField(11, reject.client_order_id);
      message.setField(17, NextExecId());
      message.setField(150, "8");
      message.setField(39, "8");
      message.setField(103, Number(OrdRejReason(reject.reason)));
      SetIfNotEmpty(message, 1, reject.account);
      message.setField(54, SideText(reject.side.value_or(core::Side::kBuy)));
      message.setField(14, "0");
      message.setField(151, "0");
      message.setField(6, "0");
      message.setField(442, "3");
      message.setField(58, reject.text);
      return message;
    case RejectChannel::kCancelReject:
      SetHeader(message, "9");
      message.setField(37, std::string(kNone));
      message.setField(11, reject.client_order_id);
      message.setField(41, reject.original_client_order_id.empty()
                               ? std::string(kNone)
                               : reject.original_client_order_id);
      message.setField(39, "8");
      message.setField(434,
                       reject.response_to == router::CancelRejectResponseTo::kCancel ? "1" : "2");
      message.setField(102, Number(CxlRejReason(reject.reason)));
      message.setField(58, reject.text);
      return message;
    case RejectChannel::kSecurityDefinitionReject:
      return SecurityDefinitionReject(reject.request_id, reject.text);
    case RejectChannel::kMarketDataReject: {
      char reason = '0';
      if (reject.ref_tag == 263) reason = '4';
      if (reject.ref_tag == 264) reason = '5';
      if (reject.ref_tag == 265) reason = '6';
      if (reject.ref_tag == 267 || reject.ref_tag == 269) reason = '8';
      return MarketDataReject(reject.request_id, reject.text, reason);
    }
  }
  return message;
}

FIX::Message ReportBuilder::SecurityDefinition(std::string_view request_id,
                                               const router::ComboDefinition& definition,
                                               const core::ComboSpec& requested) {
  FIX::Message message;
  SetHeader(message, "d");
  message.setField(320, std::string(request_id));
  message.setField(322, absl::StrCat(exec_id_prefix_, "-d", next_response_id_++));
  // 1: accepted as proposed; 2: accepted with revisions (the canonical form differs).
  message.setField(323, definition.canonical.spec == requested ? "1" : "2");
  message.setField(55, "[N/A]");
  message.setField(48, absl::StrCat(definition.id.value()));
  message.setField(22, "8");
  message.setField(231, Number(definition.combo_multiplier));
  for (const core::ComboLeg& leg : definition.canonical.spec.legs()) AddLegGroup(message, leg);
  return message;
}

FIX::Message ReportBuilder::SecurityDefinitionReject(std::string_view request_id,
                                                     std::string_view text) {
  FIX::Message message;
  SetHeader(message, "d");
  message.setField(320, request_id.empty() ? std::string("?") : std::string(request_id));
  message.setField(322, absl::StrCat(exec_id_prefix_, "-d", next_response_id_++));
  message.setField(323, "5");
  message.setField(58, std::string(text));
  return message;
}

FIX::Message ReportBuilder::MarketData(std::string_view request_id, const router::ComboQuote& quote,
                                       bool bids, bool offers) {
  FIX::Message message;
  SetHeader(message, "W");
  message.setField(262, std::string(request_id));
  message.setField(55, "[N/A]");
  message.setField(48, absl::StrCat(quote.combo.value()));
  message.setField(22, "8");
  int entries = 0;
  auto add = [&](const std::optional<router::ComboQuoteSide>& side, std::string_view type) {
    if (!side.has_value()) return;
    FIX::Group group(268, 269);
    group.setField(269, std::string(type));
    group.setField(270, side->price.ToString());
    group.setField(271, Number(side->quantity.value()));
    group.setField(275, side->source.venue.has_value() ? absl::StrCat(side->source.venue->value())
                                                       : std::string("IMPLIED"));
    message.addGroup(group);
    ++entries;
  };
  if (bids) add(quote.bid, "0");
  if (offers) add(quote.ask, "1");
  if (entries == 0) message.setField(268, "0");
  return message;
}

FIX::Message ReportBuilder::MarketDataReject(std::string_view request_id, std::string_view text,
                                             char reason) {
  FIX::Message message;
  SetHeader(message, "Y");
  message.setField(262, request_id.empty() ? std::string("?") : std::string(request_id));
  message.setField(281, std::string(1, reason));
  message.setField(58, std::string(text));
  return message;
}

}  // namespace combo::fix

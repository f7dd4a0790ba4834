#include "fix/reports.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/rounding.h"
#include "fix/fix_enums.h"
#include "fix/leg_fields.h"
#include "pricing/combo_terms.h"
#include "pricing/strategy.h"
#include "quickfix/FixFieldNumbers.h"

namespace combo::fix {
namespace {

using core::AsAbsl;

constexpr std::string_view kNone = "NONE";

// An empty NoLegs entry. Its field order (LegSymbol first) is built once: QuickFIX builds it
// anew, from variadic arguments, for every group constructed without one.
FIX::Group LegGroup() {
  static const FIX::message_order kLegOrder(FIX::FIELD::LegSymbol, 0);
  return FIX::Group(FIX::FIELD::NoLegs, FIX::FIELD::LegSymbol, kLegOrder);
}

std::string Number(int64_t value) { return absl::StrCat(value); }

void SetHeader(FIX::Message& message, std::string_view msg_type) {
  message.getHeader().setField(FIX::FIELD::MsgType, std::string(msg_type));
}

// Where a report's fields go. One list of fields per report, two destinations: a FIX::Message
// (sent through QuickFIX), or the bytes of the message body, which the core-thread acceptor
// sends with its own header (the reports every order gets: FixGateway::SendOrderReport).
class MessageFields {
 public:
  explicit MessageFields(FIX::FieldMap& map) : map_(map) {}
  void Set(int tag, std::string_view value) { map_.setField(tag, std::string(value)); }
  // QuickFIX writes a group's count itself.
  void BeginLegs(size_t) {}
  void SetLegInstrument(const LegInstrumentFields& fields, std::string_view /*body*/);
  template <class Fill>
  void AddLeg(const Fill& fill) {
    FIX::Group group = LegGroup();
    MessageFields entry(group);
    fill(entry);
    map_.addGroup(group.field(), group);
  }

 private:
  FIX::FieldMap& map_;
};

// "tag=value<SOH>" in the order written: a group's count, then each entry's fields from its
// delimiter (LegSymbol) on.
class BodyFields {
 public:
  explicit BodyFields(std::string& out) : out_(out) {}
  void Set(int tag, std::string_view value) {
    char digits[absl::numbers_internal::kFastToBufferSize];
    const char* end = absl::numbers_internal::FastIntToBuffer(tag, digits);
    out_.append(digits, static_cast<size_t>(end - digits));
    out_.push_back('=');
    out_.append(value);
    out_.push_back('\x01');
  }
  void BeginLegs(size_t count) { Set(FIX::FIELD::NoLegs, absl::StrCat(count)); }
  // An instrument's leg fields, written once as bytes (ReportBuilder::LegReportOf).
  void SetLegInstrument(const LegInstrumentFields& /*fields*/, std::string_view body) {
    out_.append(body);
  }
  template <class Fill>
  void AddLeg(const Fill& fill) {
    fill(*this);
  }

 private:
  std::string& out_;
};

template <class Fields>
void WriteIfNotEmpty(Fields& fields, int tag, const std::string& value) {
  if (!value.empty()) fields.Set(tag, value);
}

void SetIfNotEmpty(FIX::FieldMap& map, int tag, const std::string& value) {
  if (!value.empty()) map.setField(tag, value);
}

// A NoLegs entry's instrument: LegSymbol, LegSecurityID (the gateway's id) and whichever of
// LegCFICode, LegSecurityType, LegMaturityMonthYear, LegMaturityDate and LegStrikePrice it has.
template <class Fields>
void WriteLegInstrumentFields(Fields& group, const LegInstrumentFields& fields) {
  group.Set(FIX::FIELD::LegSymbol, fields.symbol);
  group.Set(FIX::FIELD::LegSecurityID, fields.security_id);
  group.Set(FIX::FIELD::LegSecurityIDSource, FIX::SecurityIDSource_EXCHANGE_SYMBOL);
  WriteIfNotEmpty(group, FIX::FIELD::LegCFICode, fields.cfi_code);
  WriteIfNotEmpty(group, FIX::FIELD::LegSecurityType, fields.security_type);
  WriteIfNotEmpty(group, FIX::FIELD::LegMaturityMonthYear, fields.maturity_month_year);
  WriteIfNotEmpty(group, FIX::FIELD::LegMaturityDate, fields.maturity_date);
  WriteIfNotEmpty(group, FIX::FIELD::LegStrikePrice, fields.strike);
}

void SetLegInstrumentFields(FIX::FieldMap& group, const LegInstrumentFields& fields) {
  MessageFields destination(group);
  WriteLegInstrumentFields(destination, fields);
}

void MessageFields::SetLegInstrument(const LegInstrumentFields& fields, std::string_view) {
  WriteLegInstrumentFields(*this, fields);
}

}  // namespace

namespace {

// Writes `value` as `width` decimal digits, zero-padded, at `out`.
void PutDigits(char* out, int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

int64_t FloorDiv(int64_t value, int64_t divisor) {
  const int64_t quotient = value / divisor;
  return quotient * divisor > value ? quotient - 1 : quotient;
}

}  // namespace

std::string FixTimestamp(core::Timestamp time) {
  // Every report carries one: computed from the Unix time directly (the proleptic Gregorian
  // calendar's civil date from days since 1970), not through a format string and a time zone.
  const int64_t seconds = FloorDiv(time.unix_nanos(), 1'000'000'000);
  const int64_t millis = (time.unix_nanos() - seconds * 1'000'000'000) / 1'000'000;
  const int64_t days = FloorDiv(seconds, 86'400);
  const int64_t second_of_day = seconds - days * 86'400;
  // Days to year, month, day, in 400-year eras that start on March 1st.
  const int64_t shifted = days + 719'468;
  const int64_t era = FloorDiv(shifted, 146'097);
  const int64_t day_of_era = shifted - era * 146'097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1'460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_index = (5 * day_of_year + 2) / 153;  // 0 = March
  const int64_t day = day_of_year - (153 * month_index + 2) / 5 + 1;
  const int64_t month = month_index < 10 ? month_index + 3 : month_index - 9;
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  std::string text(21, '-');  // YYYYMMDD-HH:MM:SS.sss
  PutDigits(&text[0], year, 4);
  PutDigits(&text[4], month, 2);
  PutDigits(&text[6], day, 2);
  PutDigits(&text[9], second_of_day / 3'600, 2);
  text[11] = ':';
  PutDigits(&text[12], second_of_day / 60 % 60, 2);
  text[14] = ':';
  PutDigits(&text[15], second_of_day % 60, 2);
  text[17] = '.';
  PutDigits(&text[18], millis, 3);
  return text;
}

ReportBuilder::ReportBuilder(const core::InstrumentCatalog& instruments, std::string exec_id_prefix)
    : instruments_(instruments), exec_id_prefix_(std::move(exec_id_prefix)) {}

std::string ReportBuilder::NextExecId() {
  return absl::StrCat(exec_id_prefix_, "-", next_exec_id_++);
}

const ReportBuilder::LegReportFields& ReportBuilder::LegReportOf(core::InstrumentId id) const {
  auto [it, inserted] = leg_fields_.try_emplace(id);
  if (inserted) {
    LegInstrumentFields& fields = it->second.fields;
    if (const core::Instrument* instrument = instruments_.Find(id); instrument != nullptr) {
      fields = InstrumentToLegFields(*instrument);
    } else {
      fields.symbol = "[N/A]";
      fields.security_id = absl::StrCat(id.value());
    }
    BodyFields body(it->second.body);
    WriteLegInstrumentFields(body, fields);
  }
  return it->second;
}

template <class Fields>
void ReportBuilder::WriteLeg(Fields& fields, const core::ComboLeg& leg) const {
  fields.AddLeg([&](auto& entry) {
    const LegReportFields& instrument = LegReportOf(leg.instrument);
    entry.SetLegInstrument(instrument.fields, instrument.body);
    entry.Set(FIX::FIELD::LegRatioQty, Number(leg.ratio));
    entry.Set(FIX::FIELD::LegSide, FixValue(SideToFix(leg.side)));
  });
}

void ReportBuilder::AddLegGroup(FIX::FieldMap& message, const core::ComboLeg& leg) const {
  MessageFields fields(message);
  WriteLeg(fields, leg);
}

void ReportBuilder::SetLegInstrument(FIX::Message& message, core::InstrumentId id) const {
  const core::Instrument* instrument = instruments_.Find(id);
  message.setField(FIX::FIELD::SecurityID, absl::StrCat(id.value()));
  message.setField(FIX::FIELD::SecurityIDSource, FIX::SecurityIDSource_EXCHANGE_SYMBOL);
  if (instrument == nullptr) return;
  const LegInstrumentFields fields = InstrumentToLegFields(*instrument);
  message.setField(FIX::FIELD::Symbol, fields.symbol);
  SetIfNotEmpty(message, FIX::FIELD::CFICode, fields.cfi_code);
  SetIfNotEmpty(message, FIX::FIELD::SecurityType, fields.security_type);
  SetIfNotEmpty(message, FIX::FIELD::MaturityMonthYear, fields.maturity_month_year);
  SetIfNotEmpty(message, FIX::FIELD::MaturityDate, fields.maturity_date);
  SetIfNotEmpty(message, FIX::FIELD::StrikePrice, fields.strike);
}

void ReportBuilder::SetOrderFields(FIX::Message& message, const router::OrderSnapshot& order,
                                   char exec_type, core::Timestamp time) const {
  SetHeader(message, FIX::MsgType_ExecutionReport);
  MessageFields fields(message);
  WriteOrderFields(fields, order, exec_type, time);
}

template <class Fields>
void ReportBuilder::WriteOrderFields(Fields& fields, const router::OrderSnapshot& order,
                                     char exec_type, core::Timestamp time) const {
  fields.Set(FIX::FIELD::OrderID, Number(static_cast<int64_t>(order.order_id.value())));
  fields.Set(FIX::FIELD::ClOrdID, order.client_order_id.value());
  if (!order.original_client_order_id.value().empty() &&
      order.original_client_order_id != order.client_order_id) {
    fields.Set(FIX::FIELD::OrigClOrdID, order.original_client_order_id.value());
  }
  fields.Set(FIX::FIELD::ExecType, std::string_view(&exec_type, 1));
  fields.Set(FIX::FIELD::OrdStatus, FixValue(OrdStatusToFix(order.status)));
  fields.Set(FIX::FIELD::Account, order.account.value());
  fields.Set(FIX::FIELD::Side, FixValue(SideToFix(order.side)));
  fields.Set(FIX::FIELD::OrdType, FixValue(OrdTypeToFix(order.type)));
  fields.Set(FIX::FIELD::TimeInForce, FixValue(TimeInForceToFix(order.time_in_force)));
  if (order.security_id.has_value()) {
    fields.Set(FIX::FIELD::SecurityID, absl::StrCat(order.security_id->value()));
    fields.Set(FIX::FIELD::SecurityIDSource, FIX::SecurityIDSource_EXCHANGE_SYMBOL);
  }
  // The multiplier of the combo in the report's legs: OrderQty x price x this is the value.
  fields.Set(FIX::FIELD::ContractMultiplier, Number(order.combo_multiplier));
  fields.Set(FIX::FIELD::OrderQty, Number(order.order_quantity.value()));
  fields.Set(FIX::FIELD::CumQty, Number(order.cumulative_quantity.value()));
  fields.Set(FIX::FIELD::LeavesQty, Number(order.leaves_quantity.value()));
  fields.Set(FIX::FIELD::AvgPx, order.average_price.value_or(core::Price::Zero()).ToString());
  if (order.limit_price.has_value()) fields.Set(FIX::FIELD::Price, order.limit_price->ToString());
  fields.Set(FIX::FIELD::TransactTime, FixTimestamp(time));
  fields.Set(FIX::FIELD::MultiLegReportingType,
             FixValue(FIX::MultiLegReportingType_MULTI_LEG_SECURITY));
}

FIX::Message ReportBuilder::OrderReport(const router::OrderSnapshot& order, char exec_type,
                                        core::Timestamp time, std::string_view text) {
  FIX::Message message;
  SetHeader(message, FIX::MsgType_ExecutionReport);
  MessageFields fields(message);
  WriteOrderReport(fields, order, exec_type, time, text);
  return message;
}

void ReportBuilder::OrderReportBody(const router::OrderSnapshot& order, char exec_type,
                                    core::Timestamp time, std::string_view text,
                                    std::string& body) {
  BodyFields fields(body);
  WriteOrderReport(fields, order, exec_type, time, text);
}

template <class Fields>
void ReportBuilder::WriteOrderReport(Fields& fields, const router::OrderSnapshot& order,
                                     char exec_type, core::Timestamp time, std::string_view text) {
  WriteOrderFields(fields, order, exec_type, time);
  fields.Set(FIX::FIELD::ExecID, NextExecId());
  if (!text.empty()) fields.Set(FIX::FIELD::Text, text);
  if (!order.legs.empty()) fields.BeginLegs(order.legs.size());
  for (const router::OrderLeg& leg : order.legs) WriteLeg(fields, leg.leg);
}

FIX::Message ReportBuilder::Restated(const router::ComboOrderRestated& event) {
  FIX::Message message = OrderReport(event.order, FIX::ExecType_RESTATED, event.time, event.text);
  message.setField(FIX::FIELD::ExecRestatementReason,
                   std::to_string(FIX::ExecRestatementReason_REPRICING_OF_ORDER));
  return message;
}

std::vector<FIX::Message> ReportBuilder::Execution(const router::ComboExecution& execution) {
  const router::OrderSnapshot& order = execution.order;
  const std::string exec_id = NextExecId();
  FIX::Message combo;
  SetOrderFields(combo, order, FIX::ExecType_TRADE, execution.time);
  combo.setField(FIX::FIELD::ExecID, exec_id);
  combo.setField(FIX::FIELD::LastQty, Number(execution.last_quantity.value()));
  combo.setField(FIX::FIELD::LastPx, execution.last_price.ToString());
  if (execution.commission.has_value()) {
    // The whole fill's charge as booked (CommType 3: absolute), exact decimal dollars.
    combo.setField(FIX::FIELD::Commission, execution.commission->ToString());
    combo.setField(FIX::FIELD::CommType, FixValue(FIX::CommType_ABSOLUTE));
  }
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

    FIX::Group group = LegGroup();
    SetLegInstrumentFields(group, LegFieldsOf(fill.instrument));
    if (ratio != 0) group.setField(FIX::FIELD::LegRatioQty, Number(ratio));
    group.setField(FIX::FIELD::LegSide, FixValue(SideToFix(fill.side)));
    group.setField(FIX::FIELD::LegQty, Number(fill.quantity.value()));
    group.setField(FIX::FIELD::LegRefID, leg_exec_id);
    group.setField(FIX::FIELD::LegLastPx, fill.price.ToString());
    combo.addGroup(group);

    FIX::Message leg;
    SetHeader(leg, FIX::MsgType_ExecutionReport);
    leg.setField(FIX::FIELD::OrderID, Number(static_cast<int64_t>(order.order_id.value())));
    leg.setField(FIX::FIELD::ClOrdID, order.client_order_id.value());
    leg.setField(FIX::FIELD::ExecID, leg_exec_id);
    leg.setField(FIX::FIELD::SecondaryExecID, exec_id);
    leg.setField(FIX::FIELD::ExecType, FixValue(FIX::ExecType_TRADE));
    leg.setField(FIX::FIELD::OrdStatus, FixValue(OrdStatusToFix(order.status)));
    leg.setField(FIX::FIELD::Account, order.account.value());
    SetLegInstrument(leg, fill.instrument);
    leg.setField(FIX::FIELD::Side, FixValue(SideToFix(fill.side)));
    leg.setField(FIX::FIELD::OrderQty, Number((order.order_quantity * ratio).value()));
    leg.setField(FIX::FIELD::LastQty, Number(fill.quantity.value()));
    leg.setField(FIX::FIELD::LastPx, fill.price.ToString());
    leg.setField(FIX::FIELD::LastMkt, absl::StrCat(fill.venue.value()));
    leg.setField(FIX::FIELD::CumQty, Number(leg_cumulative.value()));
    leg.setField(FIX::FIELD::LeavesQty, Number((order.leaves_quantity * ratio).value()));
    leg.setField(FIX::FIELD::AvgPx, leg_average.ToString());
    leg.setField(FIX::FIELD::TransactTime, FixTimestamp(execution.time));
    leg.setField(FIX::FIELD::MultiLegReportingType,
                 FixValue(FIX::MultiLegReportingType_INDIVIDUAL_LEG_OF_A_MULTI_LEG_SECURITY));
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
  SetHeader(message, FIX::MsgType_ExecutionReport);
  message.setField(FIX::FIELD::OrderID, std::string(kNone));
  message.setField(FIX::FIELD::ClOrdID, event.client_order_id.value());
  message.setField(FIX::FIELD::ExecID, NextExecId());
  message.setField(FIX::FIELD::ExecType,
                   FixValue(status_request ? FIX::ExecType_ORDER_STATUS : FIX::ExecType_REJECTED));
  message.setField(FIX::FIELD::OrdStatus, FixValue(FIX::OrdStatus_REJECTED));
  if (!status_request)
    message.setField(FIX::FIELD::OrdRejReason, Number(OrdRejReasonToFix(event.reason)));
  message.setField(FIX::FIELD::Side,
                   FixValue(SideToFix(order != nullptr ? order->side : core::Side::kBuy)));
  message.setField(FIX::FIELD::CumQty, "0");
  message.setField(FIX::FIELD::LeavesQty, "0");
  message.setField(FIX::FIELD::AvgPx, "0");
  message.setField(FIX::FIELD::TransactTime, FixTimestamp(event.time));
  message.setField(FIX::FIELD::Text, event.text);
  if (order != nullptr) {
    message.setField(FIX::FIELD::Account, order->account.value());
    message.setField(FIX::FIELD::OrdType, FixValue(OrdTypeToFix(order->type)));
    message.setField(FIX::FIELD::TimeInForce, FixValue(TimeInForceToFix(order->time_in_force)));
    message.setField(FIX::FIELD::MultiLegReportingType,
                     FixValue(FIX::MultiLegReportingType_MULTI_LEG_SECURITY));
    for (const core::ComboLeg& leg : order->combo.legs()) AddLegGroup(message, leg);
  }
  return message;
}

FIX::Message ReportBuilder::CancelReject(const router::CancelRejected& event) {
  FIX::Message message;
  SetHeader(message, FIX::MsgType_OrderCancelReject);
  message.setField(FIX::FIELD::OrderID,
                   event.order.has_value()
                       ? Number(static_cast<int64_t>(event.order->order_id.value()))
                       : std::string(kNone));
  message.setField(FIX::FIELD::ClOrdID, event.client_order_id.value());
  message.setField(FIX::FIELD::OrigClOrdID, event.original_client_order_id.value());
  message.setField(FIX::FIELD::OrdStatus,
                   FixValue(event.order.has_value() ? OrdStatusToFix(event.order->status)
                                                    : FIX::OrdStatus_REJECTED));
  message.setField(FIX::FIELD::TransactTime, FixTimestamp(event.time));
  message.setField(FIX::FIELD::CxlRejResponseTo, FixValue(CxlRejResponseToFix(event.response_to)));
  message.setField(FIX::FIELD::CxlRejReason, Number(CxlRejReasonToFix(event.reason)));
  message.setField(FIX::FIELD::Text, event.text);
  return message;
}

FIX::Message ReportBuilder::FromInboundReject(const InboundReject& reject) {
  FIX::Message message;
  switch (reject.channel) {
    case RejectChannel::kBusinessReject:
      SetHeader(message, FIX::MsgType_BusinessMessageReject);
      if (reject.ref_seq_num > 0)
        message.setField(FIX::FIELD::RefSeqNum, Number(reject.ref_seq_num));
      message.setField(FIX::FIELD::RefMsgType,
                       reject.msg_type.empty() ? std::string("?") : reject.msg_type);
      SetIfNotEmpty(message, FIX::FIELD::BusinessRejectRefID,
                    !reject.client_order_id.empty() ? reject.client_order_id : reject.request_id);
      message.setField(FIX::FIELD::BusinessRejectReason,
                       Number(static_cast<int>(reject.business_code)));
      message.setField(FIX::FIELD::Text, reject.text);
      return message;
    case RejectChannel::kOrderReject:
      SetHeader(message, FIX::MsgType_ExecutionReport);
      message.setField(FIX::FIELD::OrderID, std::string(kNone));
      message.setField(FIX::FIELD::ClOrdID, reject.client_order_id);
      message.setField(FIX::FIELD::ExecID, NextExecId());
      message.setField(FIX::FIELD::ExecType, FixValue(FIX::ExecType_REJECTED));
      message.setField(FIX::FIELD::OrdStatus, FixValue(FIX::OrdStatus_REJECTED));
      message.setField(FIX::FIELD::OrdRejReason, Number(OrdRejReasonToFix(reject.reason)));
      SetIfNotEmpty(message, FIX::FIELD::Account, reject.account);
      message.setField(FIX::FIELD::Side,
                       FixValue(SideToFix(reject.side.value_or(core::Side::kBuy))));
      message.setField(FIX::FIELD::CumQty, "0");
      message.setField(FIX::FIELD::LeavesQty, "0");
      message.setField(FIX::FIELD::AvgPx, "0");
      message.setField(FIX::FIELD::MultiLegReportingType,
                       FixValue(FIX::MultiLegReportingType_MULTI_LEG_SECURITY));
      message.setField(FIX::FIELD::Text, reject.text);
      return message;
    case RejectChannel::kCancelReject:
      SetHeader(message, FIX::MsgType_OrderCancelReject);
      message.setField(FIX::FIELD::OrderID, std::string(kNone));
      message.setField(FIX::FIELD::ClOrdID, reject.client_order_id);
      message.setField(FIX::FIELD::OrigClOrdID, reject.original_client_order_id.empty()
                                                    ? std::string(kNone)
                                                    : reject.original_client_order_id);
      message.setField(FIX::FIELD::OrdStatus, FixValue(FIX::OrdStatus_REJECTED));
      message.setField(FIX::FIELD::CxlRejResponseTo,
                       FixValue(CxlRejResponseToFix(reject.response_to)));
      message.setField(FIX::FIELD::CxlRejReason, Number(CxlRejReasonToFix(reject.reason)));
      message.setField(FIX::FIELD::Text, reject.text);
      return message;
    case RejectChannel::kSecurityDefinitionReject:
      return SecurityDefinitionReject(reject.request_id, reject.text);
    case RejectChannel::kSecurityListReject:
      return SecurityListRefusal(reject.request_id, SecurityListResult::kInvalidOrUnsupported,
                                 reject.text);
    case RejectChannel::kMarketDataReject: {
      const char reason = MdReqRejReasonForTag(reject.ref_tag);
      return MarketDataReject(reject.request_id, reject.text, reason);
    }
  }
  return message;
}

FIX::Message ReportBuilder::SecurityDefinition(const DefineComboRequest& request,
                                               const router::ComboDefinition& definition) {
  const core::CanonicalCombo& canonical = definition.canonical;
  const bool as_requested = canonical.spec == request.combo;
  FIX::Message message;
  SetHeader(message, FIX::MsgType_SecurityDefinition);
  message.setField(FIX::FIELD::SecurityReqID, request.request_id);
  message.setField(FIX::FIELD::SecurityResponseID,
                   absl::StrCat(exec_id_prefix_, "-d", next_response_id_++));
  // 1: accepted as proposed; 2: accepted with revisions (the canonical form differs).
  message.setField(
      FIX::FIELD::SecurityResponseType,
      Number(SecurityResponseTypeToFix(as_requested ? SecurityResponse::kAcceptedAsProposed
                                                    : SecurityResponse::kAcceptedWithRevisions)));
  if (request.strategy.has_value()) {
    message.setField(FIX::FIELD::Symbol, request.strategy->underlying);
    message.setField(FIX::FIELD::SecuritySubType,
                     std::string(pricing::ToString(request.strategy->strategy)));
  } else {
    message.setField(FIX::FIELD::Symbol, "[N/A]");
  }
  message.setField(FIX::FIELD::SecurityID, absl::StrCat(definition.id.value()));
  message.setField(FIX::FIELD::SecurityIDSource, FIX::SecurityIDSource_EXCHANGE_SYMBOL);
  // The multiplier of the legs below: legs x ratios x multiplier is one unit of this combo.
  message.setField(FIX::FIELD::ContractMultiplier, Number(definition.combo_multiplier));
  if (!as_requested) {
    std::string text =
        "defined in canonical form (legs by instrument id, ratios without a "
        "common factor, first leg a buy)";
    if (canonical.unit_factor > 1) {
      absl::StrAppend(&text, "; one unit as requested is ", canonical.unit_factor,
                      " units of this combo");
    }
    if (canonical.mirrored()) {
      absl::StrAppend(&text, "; buying this combo sells the combo as requested");
    }
    message.setField(FIX::FIELD::Text, text);
  }
  for (const core::ComboLeg& leg : canonical.spec.legs()) AddLegGroup(message, leg);
  return message;
}

FIX::Message ReportBuilder::SecurityDefinitionReject(std::string_view request_id,
                                                     std::string_view text) {
  FIX::Message message;
  SetHeader(message, FIX::MsgType_SecurityDefinition);
  message.setField(FIX::FIELD::SecurityReqID,
                   request_id.empty() ? std::string("?") : std::string(request_id));
  message.setField(FIX::FIELD::SecurityResponseID,
                   absl::StrCat(exec_id_prefix_, "-d", next_response_id_++));
  message.setField(FIX::FIELD::SecurityResponseType,
                   Number(SecurityResponseTypeToFix(SecurityResponse::kRejected)));
  message.setField(FIX::FIELD::Text, std::string(text));
  return message;
}

void ReportBuilder::AddSecurityListEntry(FIX::Message& message,
                                         const SecurityListEntry& entry) const {
  FIX::Group group(FIX::FIELD::NoRelatedSym, FIX::FIELD::Symbol);
  if (entry.instrument != nullptr) {
    const core::Instrument& instrument = *entry.instrument;
    const LegInstrumentFields fields = InstrumentToLegFields(instrument);
    group.setField(FIX::FIELD::Symbol, fields.symbol);
    group.setField(FIX::FIELD::SecurityID, fields.security_id);
    group.setField(FIX::FIELD::SecurityIDSource, FIX::SecurityIDSource_EXCHANGE_SYMBOL);
    SetIfNotEmpty(group, FIX::FIELD::CFICode, fields.cfi_code);
    group.setField(FIX::FIELD::SecurityType, fields.security_type);
    if (const std::optional<core::OptionTerms>& option = instrument.option(); option.has_value()) {
      // An option's expiry month as well as its day: the month is how a chain is browsed.
      group.setField(FIX::FIELD::MaturityMonthYear, fields.maturity_date.substr(0, 6));
      group.setField(FIX::FIELD::PutOrCall, option->right == core::OptionRight::kCall ? "1" : "0");
    } else {
      SetIfNotEmpty(group, FIX::FIELD::MaturityMonthYear, fields.maturity_month_year);
    }
    SetIfNotEmpty(group, FIX::FIELD::MaturityDate, fields.maturity_date);
    if (!instrument.is_option() && instrument.expiry().has_value()) {
      group.setField(FIX::FIELD::MaturityDate, FixDateText(*instrument.expiry()));
    }
    SetIfNotEmpty(group, FIX::FIELD::StrikePrice, fields.strike);
    group.setField(FIX::FIELD::ContractMultiplier, Number(instrument.multiplier()));
    group.setField(FIX::FIELD::SecurityDesc, instrument.symbol());
    const core::TickRule& rule = instrument.tick_rule();
    group.setField(FIX::FIELD::MinPriceIncrement, rule.FinestTick().ToString());
    if (!rule.is_uniform()) {
      // A tick that depends on price: each band as a FIX 5.0 TickRules entry (the first band
      // reaches down without a start, the last up without an end).
      const std::span<const core::TickBand> bands = rule.bands();
      for (size_t i = 0; i < bands.size(); ++i) {
        FIX::Group band(FIX::FIELD::NoTickRules, FIX::FIELD::StartTickPriceRange);
        if (i > 0) band.setField(FIX::FIELD::StartTickPriceRange, bands[i].from.ToString());
        if (i + 1 < bands.size()) {
          band.setField(FIX::FIELD::EndTickPriceRange, bands[i + 1].from.ToString());
        }
        band.setField(FIX::FIELD::TickIncrement, bands[i].tick.ToString());
        band.setField(FIX::FIELD::TickRuleType, "0");  // regular trading
        group.addGroup(band);
      }
    }
  } else {
    // A combo: Symbol its legs' common underlying (else [N/A]), SecurityID once defined.
    std::string underlying;
    for (const core::ComboLeg& leg : entry.combo->legs()) {
      const core::Instrument* instrument = instruments_.Find(leg.instrument);
      const std::string leg_underlying = instrument == nullptr ? std::string("[N/A]")
                                         : instrument->underlying().empty()
                                             ? instrument->symbol()
                                             : instrument->underlying();
      underlying = underlying.empty() || underlying == leg_underlying ? leg_underlying : "[N/A]";
    }
    group.setField(FIX::FIELD::Symbol, underlying.empty() ? std::string("[N/A]") : underlying);
    if (entry.defined) {
      group.setField(FIX::FIELD::SecurityID, absl::StrCat(entry.combo_id.value()));
      group.setField(FIX::FIELD::SecurityIDSource, FIX::SecurityIDSource_EXCHANGE_SYMBOL);
    }
    group.setField(FIX::FIELD::SecurityType, std::string(kSecurityTypeMultileg));
    if (absl::StatusOr<pricing::ComboTerms> terms =
            pricing::ComboTerms::Create(*entry.combo, instruments_);
        terms.ok()) {
      group.setField(FIX::FIELD::ContractMultiplier, Number(terms->multiplier()));
    }
    group.setField(FIX::FIELD::SecurityDesc, ComboLegText(*entry.combo, instruments_));
    for (const core::ComboLeg& leg : entry.combo->legs()) AddLegGroup(group, leg);
  }
  for (const router::ListingVenue& venue : entry.venues) {
    FIX::Group attribute(FIX::FIELD::NoInstrAttrib, FIX::FIELD::InstrAttribType);
    attribute.setField(FIX::FIELD::InstrAttribType, Number(kInstrAttribTypeVenue));
    attribute.setField(FIX::FIELD::InstrAttribValue, venue.name);
    group.addGroup(attribute);
  }
  message.addGroup(group);
}

std::vector<FIX::Message> ReportBuilder::SecurityList(std::string_view request_id,
                                                      const std::vector<SecurityListEntry>& entries,
                                                      size_t fragment_size) {
  if (entries.empty()) {
    return {SecurityListRefusal(request_id, SecurityListResult::kNoInstrumentsFound,
                                "no listed instrument or combo matches the request")};
  }
  const std::string response_id = absl::StrCat(exec_id_prefix_, "-l", next_response_id_++);
  const size_t size = std::max<size_t>(fragment_size, 1);
  std::vector<FIX::Message> messages;
  for (size_t first = 0; first < entries.size(); first += size) {
    const size_t last = std::min(entries.size(), first + size);
    FIX::Message message;
    SetHeader(message, FIX::MsgType_SecurityList);
    message.setField(FIX::FIELD::SecurityReqID, std::string(request_id));
    message.setField(FIX::FIELD::SecurityResponseID, response_id);
    message.setField(FIX::FIELD::SecurityRequestResult,
                     Number(static_cast<int64_t>(SecurityListResult::kValid)));
    message.setField(FIX::FIELD::TotNoRelatedSym, Number(static_cast<int64_t>(entries.size())));
    message.setField(FIX::FIELD::LastFragment, last == entries.size() ? "Y" : "N");
    for (size_t i = first; i < last; ++i) AddSecurityListEntry(message, entries[i]);
    messages.push_back(std::move(message));
  }
  return messages;
}

FIX::Message ReportBuilder::SecurityListRefusal(std::string_view request_id,
                                                SecurityListResult result, std::string_view text) {
  FIX::Message message;
  SetHeader(message, FIX::MsgType_SecurityList);
  message.setField(FIX::FIELD::SecurityReqID,
                   request_id.empty() ? std::string("?") : std::string(request_id));
  message.setField(FIX::FIELD::SecurityResponseID,
                   absl::StrCat(exec_id_prefix_, "-l", next_response_id_++));
  message.setField(FIX::FIELD::SecurityRequestResult, Number(static_cast<int64_t>(result)));
  message.setField(FIX::FIELD::TotNoRelatedSym, "0");
  message.setField(FIX::FIELD::LastFragment, "Y");
  message.setField(FIX::FIELD::Text, std::string(text));
  return message;
}

FIX::Message ReportBuilder::MarketData(std::string_view request_id, const router::ComboQuote& quote,
                                       bool bids, bool offers) {
  FIX::Message message;
  SetHeader(message, FIX::MsgType_MarketDataSnapshotFullRefresh);
  message.setField(FIX::FIELD::MDReqID, std::string(request_id));
  message.setField(FIX::FIELD::Symbol, "[N/A]");
  message.setField(FIX::FIELD::SecurityID, absl::StrCat(quote.combo.value()));
  message.setField(FIX::FIELD::SecurityIDSource, FIX::SecurityIDSource_EXCHANGE_SYMBOL);
  int entries = 0;
  auto add = [&](const std::optional<router::ComboQuoteSide>& side, QuoteSide type) {
    if (!side.has_value()) return;
    FIX::Group group(FIX::FIELD::NoMDEntries, FIX::FIELD::MDEntryType);
    group.setField(FIX::FIELD::MDEntryType, FixValue(MdEntryTypeToFix(type)));
    group.setField(FIX::FIELD::MDEntryPx, side->price.ToString());
    group.setField(FIX::FIELD::MDEntrySize, Number(side->quantity.value()));
    group.setField(FIX::FIELD::MDMkt, side->source.venue.has_value()
                                          ? absl::StrCat(side->source.venue->value())
                                          : std::string("IMPLIED"));
    message.addGroup(group);
    ++entries;
  };
  if (bids) add(quote.bid, QuoteSide::kBid);
  if (offers) add(quote.ask, QuoteSide::kOffer);
  if (entries == 0) message.setField(FIX::FIELD::NoMDEntries, "0");
  return message;
}

FIX::Message ReportBuilder::MarketDataReject(std::string_view request_id, std::string_view text,
                                             char reason) {
  FIX::Message message;
  SetHeader(message, FIX::MsgType_MarketDataRequestReject);
  message.setField(FIX::FIELD::MDReqID,
                   request_id.empty() ? std::string("?") : std::string(request_id));
  message.setField(FIX::FIELD::MDReqRejReason, std::string(1, reason));
  message.setField(FIX::FIELD::Text, std::string(text));
  return message;
}

}  // namespace combo::fix

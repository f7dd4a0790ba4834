#include "fix/report_format.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "fix/fix_enums.h"
#include "quickfix/FixFieldNumbers.h"
#include "quickfix/FixValues.h"

namespace combo::fix {
namespace {

const std::map<int, std::string_view>& Names() {
  static const auto* names = new std::map<int, std::string_view>{
      {FIX::FIELD::Account, "Account"},
      {FIX::FIELD::AvgPx, "AvgPx"},
      {FIX::FIELD::ClOrdID, "ClOrdID"},
      {FIX::FIELD::CumQty, "CumQty"},
      {FIX::FIELD::ExecID, "ExecID"},
      {FIX::FIELD::SecurityIDSource, "SecurityIDSource"},
      {FIX::FIELD::LastMkt, "LastMkt"},
      {FIX::FIELD::LastPx, "LastPx"},
      {FIX::FIELD::LastQty, "LastQty"},
      {FIX::FIELD::MsgSeqNum, "MsgSeqNum"},
      {FIX::FIELD::MsgType, "MsgType"},
      {FIX::FIELD::OrderID, "OrderID"},
      {FIX::FIELD::OrderQty, "OrderQty"},
      {FIX::FIELD::OrdStatus, "OrdStatus"},
      {FIX::FIELD::OrdType, "OrdType"},
      {FIX::FIELD::OrigClOrdID, "OrigClOrdID"},
      {FIX::FIELD::Price, "Price"},
      {FIX::FIELD::RefSeqNum, "RefSeqNum"},
      {FIX::FIELD::SecurityID, "SecurityID"},
      {FIX::FIELD::SenderCompID, "SenderCompID"},
      {FIX::FIELD::SendingTime, "SendingTime"},
      {FIX::FIELD::Side, "Side"},
      {FIX::FIELD::Symbol, "Symbol"},
      {FIX::FIELD::TargetCompID, "TargetCompID"},
      {FIX::FIELD::Text, "Text"},
      {FIX::FIELD::TimeInForce, "TimeInForce"},
      {FIX::FIELD::TransactTime, "TransactTime"},
      {FIX::FIELD::CxlRejReason, "CxlRejReason"},
      {FIX::FIELD::OrdRejReason, "OrdRejReason"},
      {FIX::FIELD::ExecType, "ExecType"},
      {FIX::FIELD::LeavesQty, "LeavesQty"},
      {FIX::FIELD::SecurityType, "SecurityType"},
      {FIX::FIELD::MaturityMonthYear, "MaturityMonthYear"},
      {FIX::FIELD::StrikePrice, "StrikePrice"},
      {FIX::FIELD::ContractMultiplier, "ContractMultiplier"},
      {FIX::FIELD::Commission, "Commission"},
      {FIX::FIELD::CommType, "CommType"},
      {FIX::FIELD::SecuritySubType, "SecuritySubType"},
      {FIX::FIELD::MDReqID, "MDReqID"},
      {FIX::FIELD::NoMDEntries, "NoMDEntries"},
      {FIX::FIELD::MDEntryType, "MDEntryType"},
      {FIX::FIELD::MDEntryPx, "MDEntryPx"},
      {FIX::FIELD::MDEntrySize, "MDEntrySize"},
      {FIX::FIELD::MDMkt, "MDMkt"},
      {FIX::FIELD::MDReqRejReason, "MDReqRejReason"},
      {FIX::FIELD::SecurityReqID, "SecurityReqID"},
      {FIX::FIELD::SecurityResponseID, "SecurityResponseID"},
      {FIX::FIELD::SecurityResponseType, "SecurityResponseType"},
      {FIX::FIELD::RefTagID, "RefTagID"},
      {FIX::FIELD::RefMsgType, "RefMsgType"},
      {FIX::FIELD::SessionRejectReason, "SessionRejectReason"},
      {FIX::FIELD::BusinessRejectRefID, "BusinessRejectRefID"},
      {FIX::FIELD::BusinessRejectReason, "BusinessRejectReason"},
      {FIX::FIELD::CxlRejResponseTo, "CxlRejResponseTo"},
      {FIX::FIELD::MultiLegReportingType, "MultilegReportingType"},
      {FIX::FIELD::CFICode, "CFICode"},
      {FIX::FIELD::SecondaryExecID, "SecondaryExecID"},
      {FIX::FIELD::MaturityDate, "MaturityDate"},
      {FIX::FIELD::NoLegs, "NoLegs"},
      {FIX::FIELD::LegSymbol, "LegSymbol"},
      {FIX::FIELD::LegSecurityID, "LegSecurityID"},
      {FIX::FIELD::LegSecurityIDSource, "LegSecurityIDSource"},
      {FIX::FIELD::LegCFICode, "LegCFICode"},
      {FIX::FIELD::LegSecurityType, "LegSecurityType"},
      {FIX::FIELD::LegMaturityMonthYear, "LegMaturityMonthYear"},
      {FIX::FIELD::LegMaturityDate, "LegMaturityDate"},
      {FIX::FIELD::LegStrikePrice, "LegStrikePrice"},
      {FIX::FIELD::LegRatioQty, "LegRatioQty"},
      {FIX::FIELD::LegSide, "LegSide"},
      {FIX::FIELD::LegLastPx, "LegLastPx"},
      {FIX::FIELD::LegRefID, "LegRefID"},
      {FIX::FIELD::LegQty, "LegQty"},
      {FIX::FIELD::SecurityIDSource, "SecurityIDSource"},
      {FIX::FIELD::SecurityDesc, "SecurityDesc"},
      {FIX::FIELD::PutOrCall, "PutOrCall"},
      {FIX::FIELD::SecurityExchange, "SecurityExchange"},
      {FIX::FIELD::UnderlyingSymbol, "UnderlyingSymbol"},
      {FIX::FIELD::NoRelatedSym, "NoRelatedSym"},
      {FIX::FIELD::TotNoRelatedSym, "TotNoRelatedSym"},
      {FIX::FIELD::SecurityListRequestType, "SecurityListRequestType"},
      {FIX::FIELD::SecurityRequestResult, "SecurityRequestResult"},
      {FIX::FIELD::NoInstrAttrib, "NoInstrAttrib"},
      {FIX::FIELD::InstrAttribType, "InstrAttribType"},
      {FIX::FIELD::InstrAttribValue, "InstrAttribValue"},
      {FIX::FIELD::LastFragment, "LastFragment"},
      {FIX::FIELD::MinPriceIncrement, "MinPriceIncrement"},
      {FIX::FIELD::NoTickRules, "NoTickRules"},
      {FIX::FIELD::StartTickPriceRange, "StartTickPriceRange"},
      {FIX::FIELD::EndTickPriceRange, "EndTickPriceRange"},
      {FIX::FIELD::TickIncrement, "TickIncrement"},
      {FIX::FIELD::TickRuleType, "TickRuleType"},
  };
  return *names;
}

std::string Get(const FIX::FieldMap& map, int tag) {
  return map.isSetField(tag) ? map.getField(tag) : std::string();
}

// "+" for a leg bought, "-" for one sold.
const char* LegSign(const FIX::FieldMap& leg) {
  return SideFromFix(Get(leg, FIX::FIELD::LegSide)) == core::Side::kBuy ? "+" : "-";
}

std::string LegName(const FIX::FieldMap& leg) {
  std::string name = Get(leg, FIX::FIELD::LegSymbol);
  if (leg.isSetField(FIX::FIELD::LegMaturityDate))
    absl::StrAppend(&name, " ", Get(leg, FIX::FIELD::LegMaturityDate));
  if (!leg.isSetField(FIX::FIELD::LegMaturityDate) &&
      leg.isSetField(FIX::FIELD::LegMaturityMonthYear))
    absl::StrAppend(&name, " ", Get(leg, FIX::FIELD::LegMaturityMonthYear));
  const std::string cfi = Get(leg, FIX::FIELD::LegCFICode);
  if (cfi.size() >= 2) absl::StrAppend(&name, " ", cfi.substr(1, 1));
  if (leg.isSetField(FIX::FIELD::LegStrikePrice))
    absl::StrAppend(&name, " ", Get(leg, FIX::FIELD::LegStrikePrice));
  return name;
}

void AppendJsonString(std::string& out, std::string_view value) {
  out += '"';
  for (char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppend(&out, "\\u00", absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void AppendFields(std::string& out, const FIX::FieldMap& map, bool& first) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    const int tag = it->getTag();
    if (map.groupCount(tag) > 0) continue;  // written below as an array
    if (!first) out += ',';
    first = false;
    const std::string_view name = FieldName(tag);
    AppendJsonString(out, name.empty() ? absl::StrCat(tag) : std::string(name));
    out += ':';
    std::string value = it->getString();
    if (tag == FIX::FIELD::MsgType) value = std::string(MsgTypeName(value));
    AppendJsonString(out, value);
  }
  for (auto it = map.g_begin(); it != map.g_end(); ++it) {
    if (!first) out += ',';
    first = false;
    const std::string_view name = FieldName(it->first);
    AppendJsonString(out, name.empty() ? absl::StrCat(it->first) : std::string(name));
    out += ":[";
    for (size_t i = 0; i < it->second.size(); ++i) {
      if (i > 0) out += ',';
      out += '{';
      bool inner_first = true;
      AppendFields(out, *it->second[i], inner_first);
      out += '}';
    }
    out += ']';
  }
}

// One NoRelatedSym entry of a SecurityList as the table shows it.
struct SecurityListRow {
  std::string security_id;
  std::string security_type;
  std::string symbol;
  std::string maturity;
  std::string right;
  std::string strike;
  std::string multiplier;
  std::string tick;
  std::string venues;
  std::string description;
};

SecurityListRow SecurityListRowOf(const FIX::FieldMap& entry) {
  auto or_dash = [](std::string text) { return text.empty() ? std::string("-") : text; };
  SecurityListRow row;
  row.security_id = or_dash(Get(entry, FIX::FIELD::SecurityID));
  row.security_type = Get(entry, FIX::FIELD::SecurityType);
  row.symbol = Get(entry, FIX::FIELD::Symbol);
  row.maturity = or_dash(entry.isSetField(FIX::FIELD::MaturityDate)
                             ? Get(entry, FIX::FIELD::MaturityDate)
                             : Get(entry, FIX::FIELD::MaturityMonthYear));
  const std::string put_or_call = Get(entry, FIX::FIELD::PutOrCall);
  row.right = put_or_call == "1" ? "C" : put_or_call == "0" ? "P" : "-";
  row.strike = or_dash(Get(entry, FIX::FIELD::StrikePrice));
  row.multiplier = or_dash(Get(entry, FIX::FIELD::ContractMultiplier));
  row.tick = or_dash(Get(entry, FIX::FIELD::MinPriceIncrement));
  // A tick that depends on price, as the config writes it: "0.01<3.00;0.05".
  const size_t tick_bands = entry.groupCount(FIX::FIELD::NoTickRules);
  if (tick_bands > 0) row.tick.clear();
  for (size_t i = 1; i <= tick_bands; ++i) {
    const FIX::FieldMap& band = entry.getGroupRef(static_cast<int>(i), FIX::FIELD::NoTickRules);
    absl::StrAppend(&row.tick, i > 1 ? ";" : "", Get(band, FIX::FIELD::TickIncrement));
    const std::string end = Get(band, FIX::FIELD::EndTickPriceRange);
    if (!end.empty()) absl::StrAppend(&row.tick, "<", end);
  }
  const size_t attributes = entry.groupCount(FIX::FIELD::NoInstrAttrib);
  for (size_t i = 1; i <= attributes; ++i) {
    const FIX::FieldMap& attribute =
        entry.getGroupRef(static_cast<int>(i), FIX::FIELD::NoInstrAttrib);
    absl::StrAppend(&row.venues, i > 1 ? "," : "", Get(attribute, FIX::FIELD::InstrAttribValue));
  }
  row.venues = or_dash(row.venues);
  row.description = Get(entry, FIX::FIELD::SecurityDesc);
  return row;
}

}  // namespace

std::string SecurityListTable(const std::vector<FIX::Message>& fragments) {
  std::vector<std::vector<std::string>> rows = {{"SECURITYID", "TYPE", "SYMBOL", "MATURITY", "P/C",
                                                 "STRIKE", "MULT", "TICK", "VENUES",
                                                 "DESCRIPTION"}};
  for (const FIX::Message& message : fragments) {
    const size_t entries = message.groupCount(FIX::FIELD::NoRelatedSym);
    for (size_t i = 1; i <= entries; ++i) {
      SecurityListRow row =
          SecurityListRowOf(message.getGroupRef(static_cast<int>(i), FIX::FIELD::NoRelatedSym));
      rows.push_back({row.security_id, row.security_type, row.symbol, row.maturity, row.right,
                      row.strike, row.multiplier, row.tick, row.venues, row.description});
    }
  }
  std::vector<size_t> widths(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  std::string table;
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      // The last column is not padded: no trailing blanks.
      if (c + 1 < row.size()) line += std::string(widths[c] - row[c].size() + 2, ' ');
    }
    absl::StrAppend(&table, line, "\n");
  }
  absl::StrAppend(&table, rows.size() - 1, rows.size() == 2 ? " security" : " securities", "\n");
  return table;
}

std::string_view FieldName(int tag) {
  auto it = Names().find(tag);
  return it == Names().end() ? std::string_view() : it->second;
}

std::string DescribeMessage(const FIX::Message& message) {
  const std::string type = Get(message.getHeader(), FIX::FIELD::MsgType);
  std::string line(MsgTypeName(type));
  if (type == FIX::MsgType_ExecutionReport) {
    const bool leg_report =
        Get(message, FIX::FIELD::MultiLegReportingType) ==
        FixValue(FIX::MultiLegReportingType_INDIVIDUAL_LEG_OF_A_MULTI_LEG_SECURITY);
    absl::StrAppend(&line, leg_report ? " leg" : " combo",
                    " ClOrdID=", Get(message, FIX::FIELD::ClOrdID));
    if (message.isSetField(FIX::FIELD::OrigClOrdID))
      absl::StrAppend(&line, " OrigClOrdID=", Get(message, FIX::FIELD::OrigClOrdID));
    absl::StrAppend(&line, " OrderID=", Get(message, FIX::FIELD::OrderID),
                    " ExecID=", Get(message, FIX::FIELD::ExecID), " ",
                    core::AsAbsl(ExecTypeName(Get(message, FIX::FIELD::ExecType))), " ",
                    core::AsAbsl(OrdStatusName(Get(message, FIX::FIELD::OrdStatus))), " ",
                    core::AsAbsl(SideName(Get(message, FIX::FIELD::Side))));
    if (leg_report)
      absl::StrAppend(&line, " ", Get(message, FIX::FIELD::Symbol), " ", LegName(message));
    if (message.isSetField(FIX::FIELD::LastQty)) {
      absl::StrAppend(&line, " last ", Get(message, FIX::FIELD::LastQty), " @ ",
                      Get(message, FIX::FIELD::LastPx));
      if (message.isSetField(FIX::FIELD::LastMkt))
        absl::StrAppend(&line, " on venue ", Get(message, FIX::FIELD::LastMkt));
    }
    absl::StrAppend(&line, " qty ", Get(message, FIX::FIELD::OrderQty), " cum ",
                    Get(message, FIX::FIELD::CumQty), " leaves ",
                    Get(message, FIX::FIELD::LeavesQty), " avg ", Get(message, FIX::FIELD::AvgPx));
    if (message.isSetField(FIX::FIELD::Price))
      absl::StrAppend(&line, " limit ", Get(message, FIX::FIELD::Price));
    const size_t legs = message.groupCount(FIX::FIELD::NoLegs);
    if (!leg_report && legs > 0) {
      line += " [";
      for (size_t i = 1; i <= legs; ++i) {
        const FIX::FieldMap& leg = message.getGroupRef(static_cast<int>(i), FIX::FIELD::NoLegs);
        if (i > 1) line += " / ";
        absl::StrAppend(&line, LegName(leg), " ", LegSign(leg), Get(leg, FIX::FIELD::LegRatioQty));
        if (leg.isSetField(FIX::FIELD::LegQty))
          absl::StrAppend(&line, " filled ", Get(leg, FIX::FIELD::LegQty), " @ ",
                          Get(leg, FIX::FIELD::LegLastPx));
      }
      line += "]";
    }
    if (!leg_report && message.isSetField(FIX::FIELD::ContractMultiplier))
      absl::StrAppend(&line, " multiplier ", Get(message, FIX::FIELD::ContractMultiplier));
    if (message.isSetField(FIX::FIELD::Commission)) {
      absl::StrAppend(&line, " commission ", Get(message, FIX::FIELD::Commission),
                      Get(message, FIX::FIELD::CommType) == FixValue(FIX::CommType_ABSOLUTE)
                          ? ""
                          : absl::StrCat(" (CommType ", Get(message, FIX::FIELD::CommType), ")"));
    }
  } else if (type == FIX::MsgType_OrderCancelReject) {
    absl::StrAppend(&line, " ClOrdID=", Get(message, FIX::FIELD::ClOrdID),
                    " OrigClOrdID=", Get(message, FIX::FIELD::OrigClOrdID),
                    " OrdStatus=", core::AsAbsl(OrdStatusName(Get(message, FIX::FIELD::OrdStatus))),
                    CxlRejResponseToFromFix(Get(message, FIX::FIELD::CxlRejResponseTo)) ==
                            router::CancelRejectResponseTo::kReplace
                        ? " (replace)"
                        : " (cancel)");
  } else if (type == FIX::MsgType_SecurityDefinition) {
    absl::StrAppend(&line, " SecurityReqID=", Get(message, FIX::FIELD::SecurityReqID));
    if (SecurityResponseTypeFromFix(Get(message, FIX::FIELD::SecurityResponseType)) ==
        SecurityResponse::kRejected) {
      line += " rejected";
    } else {
      absl::StrAppend(&line, " SecurityID=", Get(message, FIX::FIELD::SecurityID),
                      " ContractMultiplier=", Get(message, FIX::FIELD::ContractMultiplier));
      if (message.isSetField(FIX::FIELD::SecuritySubType)) {
        absl::StrAppend(&line, " strategy ", Get(message, FIX::FIELD::SecuritySubType), " on ",
                        Get(message, FIX::FIELD::Symbol));
      }
      const size_t legs = message.groupCount(FIX::FIELD::NoLegs);
      line += " canonical [";
      for (size_t i = 1; i <= legs; ++i) {
        const FIX::FieldMap& leg = message.getGroupRef(static_cast<int>(i), FIX::FIELD::NoLegs);
        if (i > 1) line += " / ";
        absl::StrAppend(&line, LegName(leg), " ", LegSign(leg), Get(leg, FIX::FIELD::LegRatioQty));
      }
      line += "]";
    }
  } else if (type == FIX::MsgType_MarketDataSnapshotFullRefresh) {
    absl::StrAppend(&line, " MDReqID=", Get(message, FIX::FIELD::MDReqID),
                    " SecurityID=", Get(message, FIX::FIELD::SecurityID));
    const size_t entries = message.groupCount(FIX::FIELD::NoMDEntries);
    if (entries == 0) line += " no quote";
    for (size_t i = 1; i <= entries; ++i) {
      const FIX::FieldMap& entry =
          message.getGroupRef(static_cast<int>(i), FIX::FIELD::NoMDEntries);
      absl::StrAppend(&line,
                      MdEntryTypeFromFix(Get(entry, FIX::FIELD::MDEntryType)) == QuoteSide::kBid
                          ? " bid "
                          : " ask ",
                      Get(entry, FIX::FIELD::MDEntrySize), " @ ", Get(entry, FIX::FIELD::MDEntryPx),
                      " (", Get(entry, FIX::FIELD::MDMkt), ")");
    }
  } else if (type == FIX::MsgType_SecurityList) {
    const size_t entries = message.groupCount(FIX::FIELD::NoRelatedSym);
    absl::StrAppend(&line, " SecurityReqID=", Get(message, FIX::FIELD::SecurityReqID),
                    " SecurityResponseID=", Get(message, FIX::FIELD::SecurityResponseID),
                    " SecurityRequestResult=", Get(message, FIX::FIELD::SecurityRequestResult),
                    " TotNoRelatedSym=", Get(message, FIX::FIELD::TotNoRelatedSym),
                    " LastFragment=", Get(message, FIX::FIELD::LastFragment), " entries=", entries);
    if (entries > 0) line += " [";
    for (size_t i = 1; i <= entries; ++i) {
      const FIX::FieldMap& entry =
          message.getGroupRef(static_cast<int>(i), FIX::FIELD::NoRelatedSym);
      const SecurityListRow row = SecurityListRowOf(entry);
      absl::StrAppend(&line, i > 1 ? "; " : "", row.description, " #", row.security_id, " ",
                      row.security_type, " @", row.venues);
    }
    if (entries > 0) line += "]";
  } else if (type == FIX::MsgType_BusinessMessageReject) {
    absl::StrAppend(&line, " RefMsgType=", Get(message, FIX::FIELD::RefMsgType),
                    " RefSeqNum=", Get(message, FIX::FIELD::RefSeqNum));
  } else if (type == FIX::MsgType_Reject) {
    absl::StrAppend(&line, " RefSeqNum=", Get(message, FIX::FIELD::RefSeqNum),
                    " RefTagID=", Get(message, FIX::FIELD::RefTagID));
  } else if (type == FIX::MsgType_MarketDataRequestReject) {
    absl::StrAppend(&line, " MDReqID=", Get(message, FIX::FIELD::MDReqID));
  }
  if (message.isSetField(FIX::FIELD::Text))
    absl::StrAppend(&line, " Text=\"", Get(message, FIX::FIELD::Text), "\"");
  return line;
}

std::string MessageToJson(const FIX::Message& message) {
  std::string out = "{";
  bool first = true;
  const FIX::Header& header = message.getHeader();
  for (int tag : {FIX::FIELD::MsgType, FIX::FIELD::MsgSeqNum, FIX::FIELD::SenderCompID,
                  FIX::FIELD::TargetCompID}) {
    if (!header.isSetField(tag)) continue;
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, FieldName(tag));
    out += ':';
    const std::string value = header.getField(tag);
    AppendJsonString(out, tag == FIX::FIELD::MsgType ? std::string(MsgTypeName(value)) : value);
  }
  AppendFields(out, message, first);
  out += '}';
  return out;
}

}  // namespace combo::fix

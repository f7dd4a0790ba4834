#include "fix/report_format.h"

#include <map>

#include "absl/strings/str_cat.h"

namespace combo::fix {
namespace {

const std::map<int, std::string_view>& Names() {
  static const auto* names = new std::map<int, std::string_view>{
      {1, "Account"},
      {6, "AvgPx"},
      {11, "ClOrdID"},
      {14, "CumQty"},
      {17, "ExecID"},
      {22, "SecurityIDSource"},
      {30, "LastMkt"},
      {31, "LastPx"},
      {32, "LastQty"},
      {34, "MsgSeqNum"},
      {35, "MsgType"},
      {37, "OrderID"},
      {38, "OrderQty"},
      {39, "OrdStatus"},
      {40, "OrdType"},
      {41, "OrigClOrdID"},
      {44, "Price"},
      {45, "RefSeqNum"},
      {48, "SecurityID"},
      {49, "SenderCompID"},
      {52, "SendingTime"},
      {54, "Side"},
      {55, "Symbol"},
      {56, "TargetCompID"},
      {58, "Text"},
      {59, "TimeInForce"},
      {60, "TransactTime"},
      {102, "CxlRejReason"},
      {103, "OrdRejReason"},
      {150, "ExecType"},
      {151, "LeavesQty"},
      {167, "SecurityType"},
      {200, "MaturityMonthYear"},
      {202, "StrikePrice"},
      {231, "ContractMultiplier"},
      {262, "MDReqID"},
      {268, "NoMDEntries"},
      {269, "MDEntryType"},
      {270, "MDEntryPx"},
      {271, "MDEntrySize"},
      {275, "MDMkt"},
      {281, "MDReqRejReason"},
      {320, "SecurityReqID"},
      {322, "SecurityResponseID"},
      {323, "SecurityResponseType"},
      {371, "RefTagID"},
      {372, "RefMsgType"},
      {373, "SessionRejectReason"},
      {379, "BusinessRejectRefID"},
      {380, "BusinessRejectReason"},
      {434, "CxlRejResponseTo"},
      {442, "MultilegReportingType"},
      {461, "CFICode"},
      {527, "SecondaryExecID"},
      {541, "MaturityDate"},
      {555, "NoLegs"},
      {600, "LegSymbol"},
      {602, "LegSecurityID"},
      {603, "LegSecurityIDSource"},
      {608, "LegCFICode"},
      {609, "LegSecurityType"},
      {610, "LegMaturityMonthYear"},
      {611, "LegMaturityDate"},
      {612, "LegStrikePrice"},
      {623, "LegRatioQty"},
      {624, "LegSide"},
      {637, "LegLastPx"},
      {654, "LegRefID"},
      {687, "LegQty"},
  };
  return *names;
}

std::string_view MsgTypeName(const std::string& type) {
  static const auto* names = new std::map<std::string, std::string_view, std::less<>>{
      {"3", "Reject"},
      {"8", "ExecutionReport"},
      {"9", "OrderCancelReject"},
      {"d", "SecurityDefinition"},
      {"j", "BusinessMessageReject"},
      {"W", "MarketDataSnapshotFullRefresh"},
      {"Y", "MarketDataRequestReject"},
  };
  auto it = names->find(type);
  return it == names->end() ? std::string_view(type) : it->second;
}

std::string Get(const FIX::FieldMap& map, int tag) {
  return map.isSetField(tag) ? map.getField(tag) : std::string();
}

const char* ExecTypeName(const std::string& type) {
  if (type == "0") return "New";
  if (type == "4") return "Canceled";
  if (type == "5") return "Replaced";
  if (type == "8") return "Rejected";
  if (type == "F") return "Trade";
  if (type == "I") return "Status";
  return "ExecType?";
}

const char* OrdStatusName(const std::string& status) {
  if (status == "0") return "New";
  if (status == "1") return "PartiallyFilled";
  if (status == "2") return "Filled";
  if (status == "4") return "Canceled";
  if (status == "6") return "PendingCancel";
  if (status == "8") return "Rejected";
  if (status == "E") return "PendingReplace";
  return "OrdStatus?";
}

const char* SideName(const std::string& side) {
  if (side == "1") return "buy";
  if (side == "2") return "sell";
  return "side?";
}

std::string LegName(const FIX::FieldMap& leg) {
  std::string name = Get(leg, 600);
  if (leg.isSetField(611)) absl::StrAppend(&name, " ", Get(leg, 611));
  if (!leg.isSetField(611) && leg.isSetField(610)) absl::StrAppend(&name, " ", Get(leg, 610));
  const std::string cfi = Get(leg, 608);
  if (cfi.size() >= 2) absl::StrAppend(&name, " ", cfi.substr(1, 1));
  if (leg.isSetField(612)) absl::StrAppend(&name, " ", Get(leg, 612));
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
    if (tag == 35) value = std::string(MsgTypeName(value));
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

}  // namespace

std::string_view FieldName(int tag) {
  auto it = Names().find(tag);
  return it == Names().end() ? std::string_view() : it->second;
}

std::string DescribeMessage(const FIX::Message& message) {
  const std::string type = Get(message.getHeader(), 35);
  std::string line(MsgTypeName(type));
  if (type == "8") {
    const std::string reporting = Get(message, 442);
    absl::StrAppend(&line, reporting == "2" ? " leg" : " combo", " ClOrdID=", Get(message, 11));
    if (message.isSetField(41)) absl::StrAppend(&line, " OrigClOrdID=", Get(message, 41));
    absl::StrAppend(&line, " OrderID=", Get(message, 37), " ExecID=", Get(message, 17), " ",
                    ExecTypeName(Get(message, 150)), " ", OrdStatusName(Get(message, 39)), " ",
                    SideName(Get(message, 54)));
    if (reporting == "2") absl::StrAppend(&line, " ", Get(message, 55), " ", LegName(message));
    if (message.isSetField(32)) {
      absl::StrAppend(&line, " last ", Get(message, 32), " @ ", Get(message, 31));
      if (message.isSetField(30)) absl::StrAppend(&line, " on venue ", Get(message, 30));
    }
    absl::StrAppend(&line, " qty ", Get(message, 38), " cum ", Get(message, 14), " leaves ",
                    Get(message, 151), " avg ", Get(message, 6));
    if (message.isSetField(44)) absl::StrAppend(&line, " limit ", Get(message, 44));
    const size_t legs = message.groupCount(555);
    if (reporting != "2" && legs > 0) {
      line += " [";
      for (size_t i = 1; i <= legs; ++i) {
        const FIX::FieldMap& leg = message.getGroupRef(static_cast<int>(i), 555);
        if (i > 1) line += " / ";
        absl::StrAppend(&line, LegName(leg), " ", Get(leg, 624) == "1" ? "+" : "-", Get(leg, 623));
        if (leg.isSetField(687))
          absl::StrAppend(&line, " filled ", Get(leg, 687), " @ ", Get(leg, 637));
      }
      line += "]";
    }
  } else if (type == "9") {
    absl::StrAppend(&line, " ClOrdID=", Get(message, 11), " OrigClOrdID=", Get(message, 41),
                    " OrdStatus=", OrdStatusName(Get(message, 39)),
                    Get(message, 434) == "2" ? " (replace)" : " (cancel)");
  } else if (type == "d") {
    absl::StrAppend(&line, " SecurityReqID=", Get(message, 320));
    if (Get(message, 323) == "5") {
      line += " rejected";
    } else {
      absl::StrAppend(&line, " SecurityID=", Get(message, 48),
                      " ContractMultiplier=", Get(message, 231));
      const size_t legs = message.groupCount(555);
      line += " canonical [";
      for (size_t i = 1; i <= legs; ++i) {
        const FIX::FieldMap& leg = message.getGroupRef(static_cast<int>(i), 555);
        if (i > 1) line += " / ";
        absl::StrAppend(&line, LegName(leg), " ", Get(leg, 624) == "1" ? "+" : "-", Get(leg, 623));
      }
      line += "]";
    }
  } else if (type == "W") {
    absl::StrAppend(&line, " MDReqID=", Get(message, 262), " SecurityID=", Get(message, 48));
    const size_t entries = message.groupCount(268);
    if (entries == 0) line += " no quote";
    for (size_t i = 1; i <= entries; ++i) {
      const FIX::FieldMap& entry = message.getGroupRef(static_cast<int>(i), 268);
      absl::StrAppend(&line, Get(entry, 269) == "0" ? " bid " : " ask ", Get(entry, 271), " @ ",
                      Get(entry, 270), " (", Get(entry, 275), ")");
    }
  } else if (type == "j") {
    absl::StrAppend(&line, " RefMsgType=", Get(message, 372), " RefSeqNum=", Get(message, 45));
  } else if (type == "3") {
    absl::StrAppend(&line, " RefSeqNum=", Get(message, 45), " RefTagID=", Get(message, 371));
  } else if (type == "Y") {
    absl::StrAppend(&line, " MDReqID=", Get(message, 262));
  }
  if (message.isSetField(58)) absl::StrAppend(&line, " Text=\"", Get(message, 58), "\"");
  return line;
}

std::string MessageToJson(const FIX::Message& message) {
  std::string out = "{";
  bool first = true;
  const FIX::Header& header = message.getHeader();
  for (int tag : {35, 34, 49, 56}) {
    if (!header.isSetField(tag)) continue;
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, FieldName(tag));
    out += ':';
    const std::string value = header.getField(tag);
    AppendJsonString(out, tag == 35 ? std::string(MsgTypeName(value)) : value);
  }
  AppendFields(out, message, first);
  out += '}';
  return out;
}

}  // namespace combo::fix

// ReportBuilder: the FIX messages the gateway sends, built from router events and translation
// rejects. The events carry everything a report says about an order (router::OrderSnapshot),
// so the builder keeps no order state. Prices are written from core::Price::ToString, never
// through double.
//
// ExecutionReports carry MultilegReportingType(442): 3 on the combo's report (with a NoLegs
// group describing each leg and, on a fill, each leg's LegQty/LegLastPx and LegRefID), 2 on each
// leg's own report. A leg report's ExecID is "<combo ExecID>.<n>", its SecondaryExecID(527) the
// combo ExecID, and LegRefID(654) in the combo report's leg entry names it: the reports link
// both ways.
//
// Not thread-safe: used on the core thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "core/combo_spec.h"
#include "core/ids.h"
#include "core/instrument_catalog.h"
#include "core/time.h"
#include "fix/leg_fields.h"
#include "fix/security_list.h"
#include "fix/translation.h"
#include "quickfix/FixValues.h"
#include "quickfix/Message.h"
#include "router/order_entry.h"

namespace combo::fix {

// "20261120-14:22:27.040": FIX UTCTimestamp with milliseconds.
std::string FixTimestamp(core::Timestamp time);

class ReportBuilder {
 public:
  // `exec_id_prefix` keeps ExecIDs unique across restarts (the gateway uses its start time).
  ReportBuilder(const core::InstrumentCatalog& instruments, std::string exec_id_prefix);

  // A report of the order's state: New (0), Canceled (4), Replaced (5), Order Status (I).
  FIX::Message OrderReport(const router::OrderSnapshot& order, char exec_type, core::Timestamp time,
                           std::string_view text);
  // The same report's body, appended to `body` as FIX bytes ("tag=value<SOH>", no header or
  // trailer): the fields OrderReport sets, the legs' group last. For a sender that writes the
  // header itself (AsioSocketAcceptor::SendBody).
  void OrderReportBody(const router::OrderSnapshot& order, char exec_type, core::Timestamp time,
                       std::string_view text, std::string& body);
  // A venue's AOP repriced the order's native order: ExecType D (Restated),
  // ExecRestatementReason(378) 3 (repricing of order), the order's own terms unchanged, the
  // working price in Text.
  FIX::Message Restated(const router::ComboOrderRestated& event);
  // The combo's fill report (442=3) followed by one report per leg (442=2); a leg's CumQty and
  // AvgPx are the order's totals for that leg.
  std::vector<FIX::Message> Execution(const router::ComboExecution& execution);
  // ExecutionReport ExecType=8 (new order) or ExecType=I OrdStatus=8 (status of an unknown order).
  FIX::Message Rejected(const router::ComboOrderRejected& event);
  FIX::Message CancelReject(const router::CancelRejected& event);
  // The reply to a message translation refused.
  FIX::Message FromInboundReject(const InboundReject& reject);
  // The combo `request` defined: the legs its SecurityID trades (the canonical form) with their
  // multiplier; SecurityResponseType 2 and a Text saying how the request maps onto them when
  // they differ from the legs requested; a strategy template's name and underlying echoed.
  FIX::Message SecurityDefinition(const DefineComboRequest& request,
                                  const router::ComboDefinition& definition);
  FIX::Message SecurityDefinitionReject(std::string_view request_id, std::string_view text);
  // The SecurityList (35=y) messages answering a SecurityListRequest with `entries`: fragments
  // of at most `fragment_size` entries, each with the same SecurityResponseID, TotNoRelatedSym
  // (all entries) and LastFragment(893) Y on the last only; with no entries, one message with
  // SecurityRequestResult 2 and a Text.
  std::vector<FIX::Message> SecurityList(std::string_view request_id,
                                         const std::vector<SecurityListEntry>& entries,
                                         size_t fragment_size = kSecurityListFragmentSize);
  // A SecurityList refusing the request: `result` and the reason in Text, no entries.
  FIX::Message SecurityListRefusal(std::string_view request_id, SecurityListResult result,
                                   std::string_view text);
  FIX::Message MarketData(std::string_view request_id, const router::ComboQuote& quote, bool bids,
                          bool offers);
  // MDReqRejReason(281): 0 unknown symbol, 1 duplicate MDReqID, 4 unsupported
  // SubscriptionRequestType, 5 unsupported MarketDepth, 6 unsupported MDUpdateType,
  // 8 unsupported MDEntryType.
  FIX::Message MarketDataReject(std::string_view request_id, std::string_view text,
                                char reason = FIX::MDReqRejReason_UNKNOWN_SYMBOL);

 private:
  std::string NextExecId();
  // The fields of the combo's own report (442=3) that describe the order, without its legs.
  void SetOrderFields(FIX::Message& message, const router::OrderSnapshot& order, char exec_type,
                      core::Timestamp time) const;
  void AddLegGroup(FIX::FieldMap& message, const core::ComboLeg& leg) const;
  // The writers behind the reports above, for either destination of their fields (a
  // FIX::Message or a body's bytes; reports.cc).
  template <class Fields>
  void WriteOrderReport(Fields& fields, const router::OrderSnapshot& order, char exec_type,
                        core::Timestamp time, std::string_view text);
  template <class Fields>
  void WriteOrderFields(Fields& fields, const router::OrderSnapshot& order, char exec_type,
                        core::Timestamp time) const;
  template <class Fields>
  void WriteLeg(Fields& fields, const core::ComboLeg& leg) const;
  // A leg instrument's fields as reports give them, formatted once per instrument (every
  // report repeats its order's legs), and the same as body bytes ("600=...<SOH>602=...").
  struct LegReportFields {
    LegInstrumentFields fields;
    std::string body;
  };
  const LegReportFields& LegReportOf(core::InstrumentId id) const;
  const LegInstrumentFields& LegFieldsOf(core::InstrumentId id) const {
    return LegReportOf(id).fields;
  }
  void SetLegInstrument(FIX::Message& message, core::InstrumentId instrument) const;
  // One NoRelatedSym entry of a SecurityList.
  void AddSecurityListEntry(FIX::Message& message, const SecurityListEntry& entry) const;

  const core::InstrumentCatalog& instruments_;
  mutable absl::flat_hash_map<core::InstrumentId, LegReportFields> leg_fields_;
  std::string exec_id_prefix_;
  uint64_t next_exec_id_ = 1;
  uint64_t next_response_id_ = 1;
};

}  // namespace combo::fix

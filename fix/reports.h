// ReportBuilder: the FIX messages the gateway sends, built from router events and translation
// rejects. Prices are written from core::Price::ToString, never through double.
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

#include "absl/numeric/int128.h"
#include "core/combo_spec.h"
#include "core/ids.h"
#include "core/instrument_catalog.h"
#include "core/time.h"
#include "fix/translation.h"
#include "quickfix/Message.h"
#include "router/order_entry.h"

namespace combo::fix {

// What the gateway remembers of an order so its reports can describe it in FIX.
struct ReportedOrder {
  // The client's legs, in its order.
  std::vector<core::ComboLeg> legs;
  core::Side side = core::Side::kBuy;
  core::AccountId account;
  router::ComboOrderType type = router::ComboOrderType::kLimit;
  router::ComboTimeInForce time_in_force = router::ComboTimeInForce::kDay;
  // Set when the order named a defined combo by SecurityID(48).
  std::optional<core::ComboId> security_id;
  // Per leg (same index as `legs`): contracts filled and the sum of price x contracts (raw).
  std::vector<core::Quantity> leg_filled;
  std::vector<absl::int128> leg_notional;
  // Every ClOrdID the order has had (the original, then each replace's).
  std::vector<std::string> client_order_ids;
};

ReportedOrder MakeReportedOrder(const router::NewComboOrder& order,
                                std::optional<core::ComboId> security_id);

// "20261120-14:22:27.040": FIX UTCTimestamp with milliseconds.
std::string FixTimestamp(core::Timestamp time);

// ExecType(150) / OrdStatus(39) characters.
char OrdStatusChar(router::ClientOrderStatus status);

class ReportBuilder {
 public:
  // `exec_id_prefix` keeps ExecIDs unique across restarts (the gateway uses its start time).
  ReportBuilder(const core::InstrumentCatalog& instruments, std::string exec_id_prefix);

  // A report of the order's state: New (0), Canceled (4), Replaced (5), Order Status (I).
  FIX::Message OrderReport(const router::OrderSnapshot& order, char exec_type,
                           const ReportedOrder* reported, core::Timestamp time,
                           std::string_view text);
  // The combo's fill report (442=3) followed by one report per leg (442=2). Updates `reported`'s
  // per-leg totals.
  std::vector<FIX::Message> Execution(const router::ComboExecution& execution,
                                      ReportedOrder* reported);
  // ExecutionReport ExecType=8 (new order) or ExecType=I OrdStatus=8 (status of an unknown order).
  FIX::Message Rejected(const router::ComboOrderRejected& event, const ReportedOrder* reported);
  FIX::Message CancelReject(const router::CancelRejected& event);
  // The reply to a message translation refused.
  FIX::Message FromInboundReject(const InboundReject& reject);
  FIX::Message SecurityDefinition(std::string_view request_id,
                                  const router::ComboDefinition& definition,
                                  const core::ComboSpec& requested);
  FIX::Message SecurityDefinitionReject(std::string_view request_id, std::string_view text);
  FIX::Message MarketData(std::string_view request_id, const router::ComboQuote& quote, bool bids,
                          bool offers);
  // MDReqRejReason(281): 0 unknown symbol, 1 duplicate MDReqID, 4 unsupported
  // SubscriptionRequestType, 5 unsupported MarketDepth, 6 unsupported MDUpdateType,
  // 8 unsupported MDEntryType.
  FIX::Message MarketDataReject(std::string_view request_id, std::string_view text,
                                char reason = '0');

 private:
  std::string NextExecId();
  void AddLegGroup(FIX::Message& message, const core::ComboLeg& leg) const;
  void SetLegInstrument(FIX::Message& message, core::InstrumentId instrument) const;

  const core::InstrumentCatalog& instruments_;
  std::string exec_id_prefix_;
  uint64_t next_exec_id_ = 1;
  uint64_t next_response_id_ = 1;
};

}  // namespace combo::fix

// GatewayMetrics: the FIX gateway's Prometheus families, declared in one place.
//
//   combo_fix_sessions_logged_on             gauge: counterparty sessions logged on now
//   combo_fix_messages_total{direction,msg_type}
//                                            counter: FIX messages received (in) and sent (out),
//                                            by MsgType(35) value; types outside the dictionary
//                                            count as msg_type="other"
//   combo_fix_rejects_total{kind}            counter: refusals sent to counterparties, by kind
//                                            (see RejectKind); resent copies are not counted again
//
// Labels are bounded: two directions, the dictionary's message types, the reject kinds; never
// a CompID, an order or a client id. Every series is built at Create.
// Thread-safe: QuickFIX threads and the core thread call it concurrently (counters are atomic;
// the set of logged-on sessions is guarded by a mutex).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "core/metrics.h"
#include "quickfix/Message.h"
#include "quickfix/SessionID.h"

namespace combo::fix {

enum class RejectKind : uint8_t {
  kLogon,         // Logon refused (Username/Password): Logout with the reason
  kSession,       // session-level Reject (35=3), e.g. a message the dictionary refuses
  kBusiness,      // BusinessMessageReject (35=j)
  kOrder,         // ExecutionReport ExecType=8: a new order rejected
  kStatus,        // ExecutionReport ExecType=I OrdStatus=8: status of an unknown order
  kCancel,        // OrderCancelReject (35=9), for a cancel or a replace
  kDefinition,    // SecurityDefinition SecurityResponseType=5: a combo definition refused
  kMarketData,    // MarketDataRequestReject (35=Y)
  kSecurityList,  // SecurityList SecurityRequestResult=1: a security list request refused
};
inline constexpr std::array<RejectKind, 9> kAllRejectKinds = {
    RejectKind::kLogon,      RejectKind::kSession,    RejectKind::kBusiness,
    RejectKind::kOrder,      RejectKind::kStatus,     RejectKind::kCancel,
    RejectKind::kDefinition, RejectKind::kMarketData, RejectKind::kSecurityList};
std::string_view ToString(RejectKind kind);

enum class Direction : uint8_t { kIn, kOut };

class GatewayMetrics {
 public:
  // Declares the families in `registry` (which must outlive this object) and builds every
  // series. Fails, naming the metric, if the registry refuses one.
  static absl::StatusOr<std::unique_ptr<GatewayMetrics>> Create(prometheus::Registry& registry);

  // A message received or about to be sent (its MsgType(35) decides the series; an outgoing
  // refusal also counts in combo_fix_rejects_total unless it is a resent copy).
  void Count(Direction direction, const FIX::Message& message);
  // A message sent from bytes, without a FIX::Message (BodySender: a new order's
  // acknowledgement), counted by its MsgType(35). Never a refusal.
  void CountSent(std::string_view msg_type);
  void LogonRefused();
  // Logon and logout of a session; the gauge counts distinct sessions logged on, so a logout
  // without a logon (QuickFIX reports both ends of a failed handshake) changes nothing.
  void LoggedOn(const FIX::SessionID& session);
  void LoggedOut(const FIX::SessionID& session);

  // For tests.
  double messages(Direction direction, std::string_view msg_type) const;
  double rejects(RejectKind kind) const { return rejects_.Value(kind); }
  double sessions_logged_on() const;

 private:
  GatewayMetrics() = default;
  // The messages series of `msg_type` (or "other") in `direction`, incremented.
  void CountType(Direction direction, std::string_view msg_type);

  // MsgType value -> counter, per direction; read-only after Create.
  std::array<std::map<std::string, prometheus::Counter*, std::less<>>, 2> messages_;
  std::array<prometheus::Counter*, 2> other_messages_{};
  core::CountersByEnum<RejectKind> rejects_;
  prometheus::Gauge* logged_on_ = nullptr;

  mutable std::mutex mutex_;
  std::set<std::string> sessions_;
};

}  // namespace combo::fix

// Pre-trade rules: the checks every combo order and every replace passes before the router
// accepts it, each a small function with its own reason code, and RiskChecker, which runs them
// in a fixed order and answers with the first denial.
//
// The order (cheapest and most fundamental first): trading halted, duplicate ClOrdID,
// instrument not allowed, max legs, max combo quantity, max notional, price collar, venue not
// available, client credit limit. Every limit is inclusive (at the limit is allowed).
// No rule allocates. Stateless functions over a PreTradeContext of const references; not
// thread-safe against changes to the referenced state.
#pragma once

#include <algorithm>
#include <array>
#include <vector>

#include "absl/status/statusor.h"
#include "core/ids.h"
#include "risk/client_book.h"
#include "risk/order_check.h"
#include "risk/risk_decision.h"
#include "risk/risk_limits.h"
#include "risk/risk_rule.h"
#include "risk/trading_state.h"
#include "risk/venue_availability.h"

namespace combo::risk {

// The allow- and block-lists of RiskLimits, sorted once for lookups without allocation.
class InstrumentFilter {
 public:
  explicit InstrumentFilter(const RiskLimits& limits);
  bool IsAllowed(core::InstrumentId id) const;

 private:
  std::vector<core::InstrumentId> allowed_;
  std::vector<core::InstrumentId> blocked_;
};

struct PreTradeContext {
  const RiskLimits& limits;
  const InstrumentFilter& instruments;
  TradingState state;
  const ClientBook& clients;
  const VenueAvailability& venues;
};

RiskDecision CheckTradingNotHalted(const OrderCheckRequest& request, const PreTradeContext& ctx);
RiskDecision CheckDuplicateClientOrderId(const OrderCheckRequest& request,
                                         const PreTradeContext& ctx);
RiskDecision CheckInstrumentsAllowed(const OrderCheckRequest& request, const PreTradeContext& ctx);
RiskDecision CheckMaxLegs(const OrderCheckRequest& request, const PreTradeContext& ctx);
RiskDecision CheckMaxComboQuantity(const OrderCheckRequest& request, const PreTradeContext& ctx);
RiskDecision CheckMaxNotional(const OrderCheckRequest& request, const PreTradeContext& ctx);
RiskDecision CheckPriceCollar(const OrderCheckRequest& request, const PreTradeContext& ctx);
RiskDecision CheckVenueAvailable(const OrderCheckRequest& request, const PreTradeContext& ctx);
RiskDecision CheckClientCreditLimit(const OrderCheckRequest& request, const PreTradeContext& ctx);

struct PreTradeRule {
  RiskRule rule;
  RiskDecision (*check)(const OrderCheckRequest&, const PreTradeContext&);
};

inline constexpr std::array<PreTradeRule, 9> kPreTradeRules = {{
    {RiskRule::kTradingHalted, &CheckTradingNotHalted},
    {RiskRule::kDuplicateClientOrderId, &CheckDuplicateClientOrderId},
    {RiskRule::kInstrumentNotAllowed, &CheckInstrumentsAllowed},
    {RiskRule::kMaxLegs, &CheckMaxLegs},
    {RiskRule::kMaxComboQuantity, &CheckMaxComboQuantity},
    {RiskRule::kMaxNotional, &CheckMaxNotional},
    {RiskRule::kPriceCollar, &CheckPriceCollar},
    {RiskRule::kVenueNotAvailable, &CheckVenueAvailable},
    {RiskRule::kClientCreditLimit, &CheckClientCreditLimit},
}};

// Checks that a request can be evaluated at all (the router's inputs, not the client's
// choices): legs and venues present, a positive quantity and tick, a non-negative notional, a
// replace naming a working order of the same client. Allocates only on failure.
absl::Status ValidateOrderCheckRequest(const OrderCheckRequest& request, const ClientBook& clients);

// Runs the rules in kPreTradeRules order; the first denial wins. Fails, naming the problem,
// for a request ValidateOrderCheckRequest rejects.
absl::StatusOr<RiskDecision> RunPreTradeChecks(const OrderCheckRequest& request,
                                               const PreTradeContext& ctx);

}  // namespace combo::risk

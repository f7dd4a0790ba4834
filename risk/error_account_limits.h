// ErrorAccountLimits: watches the error account (leg executions that did not make whole combo
// units) against its position and loss limits.
//
// The accounts/router side reports each instrument's position and the account's P&L. A limit
// is breached when a value goes over it (at the limit is fine): one instrument's |position|,
// the sum of |positions|, the loss (-P&L) over max loss, and over halt loss. Each breach raised
// or cleared is returned as a change; RequiredState() says how far trading must be restricted
// while they last (reducing, or halted for the halt loss). Not thread-safe: the core thread.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "core/ids.h"
#include "core/money.h"
#include "core/quantity.h"
#include "risk/risk_decision.h"
#include "risk/risk_limits.h"
#include "risk/trading_state.h"

namespace combo::risk {

enum class BreachTransition : uint8_t { kRaised, kCleared };

struct ErrorAccountBreachChange {
  // Deny-shaped: the limit (rule), the value, the limit value, and the instrument for a
  // per-instrument position breach.
  RiskDecision breach = RiskDecision::Allow();
  BreachTransition transition = BreachTransition::kRaised;
};

class ErrorAccountLimits {
 public:
  explicit ErrorAccountLimits(const RiskLimits& limits) : limits_(limits) {}

  // Sets the error account's position in `instrument`; appends breaches raised or cleared.
  void SetPosition(core::InstrumentId instrument, core::SignedQuantity position,
                   std::vector<ErrorAccountBreachChange>& changes);
  // Sets the error account's P&L (negative is a loss); appends breaches raised or cleared.
  void SetPnl(core::Money pnl, std::vector<ErrorAccountBreachChange>& changes);
  // Measures the current positions and P&L against the limits again (after the limits changed)
  // and appends every breach raised or cleared: positions by instrument, total, loss, halt loss.
  void Reevaluate(std::vector<ErrorAccountBreachChange>& changes);

  // kActive with no breach, kHalted while the halt loss is breached, else kReducing.
  TradingState RequiredState() const;
  // The breach that requires RequiredState() (Allow when none).
  RiskDecision RequiringBreach() const;

  core::SignedQuantity position(core::InstrumentId instrument) const;
  core::Quantity total_position() const { return core::Quantity(total_); }
  core::Money pnl() const { return pnl_; }
  bool breached(RiskRule limit) const;

 private:
  RiskDecision PositionBreach(core::InstrumentId instrument, core::Quantity magnitude) const;
  RiskDecision TotalBreach() const;
  RiskDecision LossBreach(RiskRule rule, core::Money limit) const;
  void Transition(bool was, bool now, const RiskDecision& breach,
                  std::vector<ErrorAccountBreachChange>& changes);

  const RiskLimits& limits_;
  std::map<core::InstrumentId, core::SignedQuantity> positions_;
  int64_t total_ = 0;
  core::Money pnl_;
  std::set<core::InstrumentId> position_breaches_;
  bool total_breached_ = false;
  bool loss_breached_ = false;
  bool halt_loss_breached_ = false;
};

}  // namespace combo::risk

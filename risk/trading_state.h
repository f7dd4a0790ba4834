// TradingState: how much trading the operator (or a breach) allows: active, reducing, halted.
//
//   active    every check applies; leg-ins start within the exposure limits.
//   reducing  orders are still accepted and may rest natively; a new leg-in may start only if
//             it reduces the open unhedged |dollar delta| (leg-in "only reduces").
//   halted    new orders and leg-ins are denied; on entering it risk tells its TradingControl
//             to cancel every resting native order and stop working leg-ins.
// States are ordered by how restrictive they are. Breaches only ever raise the state; the
// operator moves it either way (never below what an outstanding breach requires).
// Value types; safe to share between threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "risk/risk_decision.h"

namespace combo::risk {

enum class TradingState : uint8_t { kActive = 0, kReducing = 1, kHalted = 2 };

std::string_view ToString(TradingState state);

// Where an operator command came from.
enum class CommandSource : uint8_t { kFixAdminSession, kSignal };

std::string_view ToString(CommandSource source);

struct OperatorCommand {
  CommandSource source = CommandSource::kFixAdminSession;
  // Who gave it (the admin session's user, or "SIGUSR1"); required.
  std::string who;
  // Why; required.
  std::string why;
};

// What moved the trading state: an operator command, or a breached limit.
struct StateChangeCause {
  enum class Kind : uint8_t { kOperator, kBreach };
  Kind kind = Kind::kOperator;
  // For kOperator.
  OperatorCommand command;
  // For kBreach: the limit and the value that breached it.
  RiskDecision breach = RiskDecision::Allow();

  // "operator alice via fix_admin_session: end of day" or "breach: error-account loss 300000
  // exceeds max loss 250000".
  std::string Describe() const;
};

}  // namespace combo::risk

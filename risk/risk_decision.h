// RiskDecision: the answer of a risk check, allow or deny with the rule that fired and the
// values behind it.
//
// A check must not allocate (it runs on every order and every leg-in), so a denial carries no
// text: it holds the rule, the value that failed, the limit it failed against and, where the
// rule concerns one thing, that thing (an instrument). Describe() renders the reason text
// ("quantity 5000 exceeds max combo quantity 1000") only when the denial is reported.
// Value types; safe to share between threads.
#pragma once

#include <cstdint>
#include <string>

#include "absl/numeric/int128.h"
#include "core/ids.h"
#include "core/money.h"
#include "core/price.h"
#include "core/quantity.h"
#include "risk/risk_rule.h"

namespace combo::risk {

// One number of a decision, tagged with what it measures so it renders in its own units.
class RiskValue {
 public:
  enum class Kind : uint8_t { kNone, kCount, kQuantity, kMoney, kPrice, kDollarDelta, kInstrument };

  constexpr RiskValue() = default;
  static constexpr RiskValue Count(int64_t n) { return RiskValue(Kind::kCount, n, 0.0); }
  static constexpr RiskValue Units(core::Quantity q) {
    return RiskValue(Kind::kQuantity, q.value(), 0.0);
  }
  static RiskValue Amount(core::Money m) { return RiskValue(Kind::kMoney, m.raw(), 0.0); }
  static constexpr RiskValue At(core::Price p) { return RiskValue(Kind::kPrice, p.raw(), 0.0); }
  // A price in raw 1e-9 units that may lie outside Price's range (a collar bound).
  static constexpr RiskValue AtRaw(absl::int128 raw) { return RiskValue(Kind::kPrice, raw, 0.0); }
  static constexpr RiskValue DollarDelta(double d) { return RiskValue(Kind::kDollarDelta, 0, d); }
  static constexpr RiskValue Of(core::InstrumentId id) {
    return RiskValue(Kind::kInstrument, id.value(), 0.0);
  }

  Kind kind() const { return kind_; }
  // The integer behind a count, quantity, instrument id, or the raw 1e-9 units of a price or
  // an amount.
  absl::int128 integer() const { return integer_; }
  double real() const { return real_; }

  // "5000", "84.7", "1250000.5", "#7", "-1234.50"; empty for kNone.
  std::string ToString() const;

  friend bool operator==(const RiskValue& a, const RiskValue& b) {
    return a.kind_ == b.kind_ && a.integer_ == b.integer_ && a.real_ == b.real_;
  }

 private:
  constexpr RiskValue(Kind kind, absl::int128 integer, double real)
      : kind_(kind), integer_(integer), real_(real) {}
  Kind kind_ = Kind::kNone;
  absl::int128 integer_ = 0;
  double real_ = 0.0;
};

class RiskDecision {
 public:
  static constexpr RiskDecision Allow() { return RiskDecision(); }
  // `actual` is the value that failed, `limit` what it was measured against, `subject` the
  // thing concerned (an instrument) or none.
  static RiskDecision Deny(RiskRule rule, RiskValue actual, RiskValue limit,
                           RiskValue subject = RiskValue()) {
    RiskDecision d;
    d.allowed_ = false;
    d.rule_ = rule;
    d.actual_ = actual;
    d.limit_ = limit;
    d.subject_ = subject;
    return d;
  }

  bool allowed() const { return allowed_; }
  bool denied() const { return !allowed_; }
  // Meaningful only for a denial.
  RiskRule rule() const { return rule_; }
  const RiskValue& actual() const { return actual_; }
  const RiskValue& limit() const { return limit_; }
  const RiskValue& subject() const { return subject_; }

  // "allowed", or the reason naming the limit and the value: "quantity 5000 exceeds max combo
  // quantity 1000". Allocates: call it when reporting, never on the check path.
  std::string Describe() const;

 private:
  constexpr RiskDecision() = default;
  bool allowed_ = true;
  RiskRule rule_ = RiskRule::kTradingHalted;
  RiskValue actual_;
  RiskValue limit_;
  RiskValue subject_;
};

}  // namespace combo::risk

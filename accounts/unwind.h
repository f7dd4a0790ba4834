// ErrorAccountUnwinder: the optional policy that closes error-account positions through the
// venues (seed 003 R16: the error account is "for hedging or closing out").
//
// Off by default. When on, every `interval` it looks at the error account and, for each open
// position without an unwind order working, sends one closing limit order through an
// UnwindOrderSink (implemented by the router, which owns the venues). The limit follows the
// configured aggression against the consolidated market: passive joins the best price on the
// closing side, mid sits at the mid (rounded to the tick away from crossing), cross takes the
// opposite best. The router journals the unwind's executions as ErrorAccountBooking
// {kUnwindFill} and calls OnUnwindOrderDone when the order is finished. Not thread-safe: runs
// on the core thread's Scheduler.
#pragma once

#include <cstdint>
#include <map>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "accounts/ledger.h"
#include "accounts/marks.h"
#include "core/ids.h"
#include "core/instrument_catalog.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/scheduler.h"
#include "core/side.h"
#include "core/tick_rule.h"
#include "core/time.h"

namespace combo::accounts {

enum class UnwindMode : uint8_t { kOff, kOn };
enum class UnwindAggression : uint8_t { kPassive, kMid, kCross };
std::string_view ToString(UnwindAggression aggression);
absl::StatusOr<UnwindAggression> ParseUnwindAggression(std::string_view text);

struct UnwindPolicy {
  UnwindMode mode = UnwindMode::kOff;
  UnwindAggression aggression = UnwindAggression::kPassive;
  core::Duration interval = core::Duration::Seconds(1);
  // The largest unwind order; 0 sends the whole position at once.
  core::Quantity max_order_quantity;

  absl::Status Validate() const;
};

struct UnwindOrder {
  core::InstrumentId instrument;
  core::Side side = core::Side::kSell;
  core::Quantity quantity;
  core::Price limit;
  friend bool operator==(const UnwindOrder&, const UnwindOrder&) = default;
};

// Sends unwind orders to the venues (the router implements it).
class UnwindOrderSink {
 public:
  virtual ~UnwindOrderSink() = default;
  // Returns the router's id of the order it sent, or why it could not send it.
  virtual absl::StatusOr<core::OrderId> SendUnwindOrder(const UnwindOrder& order) = 0;
};

// The closing order's limit for a position of `held` against `top` (on the instrument's tick
// rule at that price), or none when the market lacks the side the aggression needs.
std::optional<UnwindOrder> PlanUnwind(core::InstrumentId instrument, core::SignedQuantity held,
                                      const core::TopOfBook& top, const core::TickRule& tick_rule,
                                      const UnwindPolicy& policy);

class ErrorAccountUnwinder {
 public:
  // Every reference must outlive the unwinder.
  ErrorAccountUnwinder(UnwindPolicy policy, core::Scheduler& scheduler, const Ledger& ledger,
                       const MarkSource& marks, const core::InstrumentCatalog& catalog,
                       UnwindOrderSink& sink);
  ~ErrorAccountUnwinder();
  ErrorAccountUnwinder(const ErrorAccountUnwinder&) = delete;
  ErrorAccountUnwinder& operator=(const ErrorAccountUnwinder&) = delete;

  // Checks the policy; when it is on, evaluates every `interval` from now on.
  absl::Status Start();
  void Stop();
  // One evaluation now; returns how many orders were sent. Sends nothing when the policy is off.
  int RunOnce();
  // The unwind order finished (filled, cancelled or rejected): the instrument may get another.
  void OnUnwindOrderDone(core::OrderId order);

  // Instrument -> the unwind order working for it.
  const std::map<core::InstrumentId, core::OrderId>& working() const { return working_; }

 private:
  void ScheduleNext();

  UnwindPolicy policy_;
  core::Scheduler& scheduler_;
  const Ledger& ledger_;
  const MarkSource& marks_;
  const core::InstrumentCatalog& catalog_;
  UnwindOrderSink& sink_;
  std::map<core::InstrumentId, core::OrderId> working_;
  core::TimerId timer_;
};

}  // namespace combo::accounts

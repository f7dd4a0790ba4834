// SimulatedOrderFlow: a seeded stream of journal events that a router could have produced.
//
// Drives the crash-recovery test, its child process and the journal benchmark: combo orders of
// several clients (option spreads, a covered call, a futures calendar, a butterfly), leg fills
// at several venues, combo fills, leg-in failures booked to the error account and unwound,
// cancels, replaces and marks. Every event it returns applies to the state built by the events
// before it, and the same seed gives the same stream on every platform. Not thread-safe.
#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "accounts/commission.h"
#include "accounts/events.h"
#include "accounts/ledger.h"
#include "core/random.h"
#include "core/time.h"

namespace combo::accounts {

class SimulatedOrderFlow {
 public:
  // `commission` must be the schedule of the AccountsService the events go to, so the combo
  // fills carry the commission the service will journal.
  SimulatedOrderFlow(uint64_t seed, CommissionSchedule commission);

  JournalEvent Next();
  // The state after every event returned so far.
  const Ledger& model() const { return model_; }

 private:
  std::optional<JournalEvent> Propose();
  std::optional<JournalEvent> NewOrder();
  std::optional<JournalEvent> FillLeg();
  std::optional<JournalEvent> FillCombo();
  std::optional<JournalEvent> BookToErrorAccount();
  std::optional<JournalEvent> Unwind();
  std::optional<JournalEvent> Cancel();
  std::optional<JournalEvent> Replace();
  std::optional<JournalEvent> Marks();
  // A random order among those `accept` keeps, or nullptr.
  template <typename Pred>
  const OrderRecord* PickOrder(Pred accept);
  core::Price RandomPrice(int64_t low_cents, int64_t high_cents);

  // Orders still working or holding unallocated leg executions: the only ones the flow picks
  // from, so a long stream stays fast.
  std::set<core::OrderId> live_;
  core::Rng rng_;
  CommissionSchedule commission_;
  Ledger model_;
  core::Timestamp now_;
  uint64_t next_order_ = 1;
  uint64_t next_execution_ = 1;
};

}  // namespace combo::accounts

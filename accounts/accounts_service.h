// AccountsService: the router's one entry point to accounts and durability.
//
// The router records every event that must survive (order accepted, leg fill, combo fill
// reported, error-account booking, cancel, replace) with Record, and sends the FIX message that
// tells the client only from the event's durability callback. Record checks the event against
// the accounts at once (an unknown order, an over-fill, a combo fill of legs never executed are
// refused with a clear error, nothing journaled, no callback); an accepted event is journaled and
// its callback runs exactly once: OK when it is durable (then it is in ledger()), or the journal
// error (then it is in no state at all and the client must not be told).
//
// Durability modes (docs/ACCOUNTS.md):
//   kSyncEachEvent (default): one transaction with synchronous=FULL per event; the callback runs
//     before Record returns.
//   kGroupCommit: events are gathered and committed together, when `max_events` are waiting or
//     `max_delay` after the first, on a timer of the injected Scheduler; each callback runs after
//     its batch commits. Same guarantee, fewer fsyncs.
//
// Open rebuilds orders, client accounts and the error account from the journal. Not
// thread-safe: owned by the core thread, like the Scheduler it uses.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "accounts/commission.h"
#include "accounts/events.h"
#include "accounts/journal.h"
#include "accounts/ledger.h"
#include "accounts/marks.h"
#include "core/scheduler.h"
#include "core/time.h"

namespace combo::accounts {

enum class DurabilityMode : uint8_t { kSyncEachEvent, kGroupCommit };
std::string_view ToString(DurabilityMode mode);
absl::StatusOr<DurabilityMode> ParseDurabilityMode(std::string_view text);

struct GroupCommitOptions {
  // A batch is committed as soon as this many events wait...
  int max_events = 64;
  // ...or this long after its first event was recorded.
  core::Duration max_delay = core::Duration::Milliseconds(1);
};

struct AccountsOptions {
  DurabilityMode durability = DurabilityMode::kSyncEachEvent;
  GroupCommitOptions group_commit;
  CommissionSchedule commission;
  JournalOptions journal;

  absl::Status Validate() const;
};

// Runs once with OK when the event is durable, or with the error that kept it from the journal.
using DurableCallback = absl::AnyInvocable<void(absl::Status) &&>;

class AccountsService {
 public:
  // Opens (or creates) the journal at `path` and rebuilds the accounts from it. `scheduler`
  // drives group commit and must outlive the service.
  static absl::StatusOr<std::unique_ptr<AccountsService>> Open(const std::string& path,
                                                               AccountsOptions options,
                                                               core::Scheduler& scheduler);
  ~AccountsService();
  AccountsService(const AccountsService&) = delete;
  AccountsService& operator=(const AccountsService&) = delete;

  // Checks `event` and journals it; see the file comment. For a ComboFillReported the commission
  // is set from the schedule (any value given is replaced). Returns the refusal, if any.
  absl::Status Record(JournalEvent event, DurableCallback on_durable);
  // Journals the mids of the error account's positions from `source` (for P&L when no market is
  // live). Does nothing when no position has a two-sided market.
  absl::Status RecordMarks(const MarkSource& source, DurableCallback on_durable);
  // Commits the waiting batch now (group commit); nothing to do in kSyncEachEvent.
  void Flush();

  // What is durable: everything a client may have been told.
  const Ledger& ledger() const { return durable_; }
  // Events recorded and not yet durable.
  size_t pending() const { return pending_events_.size(); }
  const AccountsOptions& options() const { return options_; }
  const Journal& journal() const { return *journal_; }

 private:
  AccountsService(AccountsOptions options, core::Scheduler& scheduler,
                  std::unique_ptr<Journal> journal, Ledger ledger);

  AccountsOptions options_;
  core::Scheduler& scheduler_;
  std::unique_ptr<Journal> journal_;
  // Durable state, and durable state plus the pending batch (what new events are checked on).
  Ledger durable_;
  Ledger staged_;
  std::vector<StoredEvent> pending_events_;
  std::vector<DurableCallback> pending_callbacks_;
  core::TimerId flush_timer_;
};

}  // namespace combo::accounts

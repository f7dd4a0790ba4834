// AccountsService: the router's one entry point to accounts and durability.
//
// The router records every event that must survive (order accepted, leg fill, combo fill
// reported, error-account booking, cancel, replace) with Record, and sends the FIX message that
// tells the client only from the event's durability callback. Record checks the event against
// the accounts at once (an unknown order, an over-fill, a combo fill of legs never executed are
// refused with a clear error, nothing journaled, no callback); an accepted event is journaled and
// its callback runs exactly once: OK when it is durable, or the journal error (then it is in no
// state at all and the client must not be told).
//
// Durability modes (docs/ACCOUNTS.md "Durability modes"):
//   kProcess (default): one transaction per event, committed to the operating system (WAL,
//     synchronous=NORMAL) before the callback runs, which is before Record returns; no fsync and
//     no timer on that path. The event survives the death of the process (SIGKILL, crash, OOM).
//     A JournalFlusher syncs the journal to disk on its own thread `flush_interval` after the
//     first unflushed event, so a power loss loses at most about that interval.
//   kDisk: one transaction per event with synchronous=FULL (an fsync); the callback runs before
//     Record returns. The event also survives a power loss.
//   A burst of input may hold commits (HoldCommits): its events are committed together when it
//   ends, before any of their callbacks run; the promise of the mode is the same.
//   kGroupCommit: kDisk's promise, batched: events are gathered and committed together, when
//     `max_events` are waiting or `max_delay` after the first, on a timer of the injected
//     Scheduler; each callback runs after its batch commits. Fewer fsyncs, later callbacks.
//
// A journal that cannot be written (a failed commit, or a failed background flush) stays marked
// in journal_health() until the process restarts: the daemon refuses new orders from then on.
// The accounts are one Ledger, checked and updated as each event is recorded: a failed commit
// takes its batch out again by rebuilding them from the journal (as a restart would). Should
// even that fail, the service records nothing more until a restart.
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
#include "accounts/journal_flusher.h"
#include "accounts/ledger.h"
#include "accounts/marks.h"
#include "core/scheduler.h"
#include "core/time.h"

namespace combo::accounts {

enum class DurabilityMode : uint8_t { kProcess, kDisk, kGroupCommit };
std::string_view ToString(DurabilityMode mode);
absl::StatusOr<DurabilityMode> ParseDurabilityMode(std::string_view text);

struct GroupCommitOptions {
  // A batch is committed as soon as this many events wait...
  int max_events = 64;
  // ...or this long after its first event was recorded.
  core::Duration max_delay = core::Duration::Milliseconds(1);
};

struct AccountsOptions {
  DurabilityMode durability = DurabilityMode::kProcess;
  // kProcess: how long after the first unflushed event the background flush runs (the most a
  // power loss can lose, plus the flush itself).
  core::Duration flush_interval = core::Duration::Seconds(1);
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
  // The commission Record books on `fill` (its order's legs and the schedule; zero for an
  // order the accounts do not know), so that the fill's report states the amount booked.
  core::Money CommissionFor(const ComboFillReported& fill) const;
  // Journals the mids of the error account's positions from `source` (for P&L when no market is
  // live). Does nothing when no position has a two-sided market.
  absl::Status RecordMarks(const MarkSource& source, DurableCallback on_durable);
  // Commits the waiting batch now (group commit, or commits held); nothing waits otherwise.
  void Flush();

  // Holds commits until the matching ReleaseCommits (they nest): in kProcess and kDisk, the
  // events recorded meanwhile are committed together, in one transaction, when the outermost
  // hold ends, and their callbacks run then, in order. For a burst of input handled at once (the
  // messages of one socket read): one commit for the burst rather than one per event, with no
  // timer; every callback still runs only after its event is in the journal. Group commit
  // batches on its own and ignores holds.
  void HoldCommits();
  void ReleaseCommits();
  // Runs `callback` once every event recorded before it is durable (or refused by a failed
  // commit): at once when none waits. A report that journals nothing (a reject, a status) goes
  // out through here so that it never overtakes the reports of earlier events.
  void AfterRecorded(absl::AnyInvocable<void() &&> callback);
  // kProcess: asks the background flusher to sync the journal to disk now (as its timer would)
  // and waits until it has; nothing to do in the other modes. For tests and orderly shutdown.
  void SyncToDisk();

  // OK while the journal can be written; otherwise the first failure (a commit or a background
  // flush), kept until the process restarts. Nothing acknowledged before it is lost.
  absl::Status journal_health() const;

  // The accounts: every event recorded. All of it is durable whenever pending() is 0: in kProcess
  // and kDisk always, except inside a burst that holds commits; in group commit the waiting batch
  // is in it too. (One Ledger, not a durable one and a staged one: each event is applied once.)
  const Ledger& ledger() const { return ledger_; }
  // Events recorded and not yet durable.
  size_t pending() const { return pending_events_.size(); }
  // The sequence number through which every event is in the journal.
  uint64_t durable_events() const { return ledger_.last_sequence() - pending_events_.size(); }
  const AccountsOptions& options() const { return options_; }
  const Journal& journal() const { return *journal_; }
  // kProcess only: the background flusher (null in the other modes).
  const JournalFlusher* flusher() const { return flusher_.get(); }

 private:
  AccountsService(AccountsOptions options, core::Scheduler& scheduler,
                  std::unique_ptr<Journal> journal, std::unique_ptr<JournalFlusher> flusher,
                  Ledger ledger);
  // kProcess: arms the background flush unless it is armed already.
  void ArmDiskSync();
  // After a failed commit: the accounts again as the journal holds them.
  void ForgetUnstoredEvents();

  AccountsOptions options_;
  core::Scheduler& scheduler_;
  std::unique_ptr<Journal> journal_;
  // Declared after journal_: destroyed (joined) before the journal closes.
  std::unique_ptr<JournalFlusher> flusher_;
  absl::Status commit_failure_;
  // Set when the accounts could not be rebuilt after a failed commit: they may hold events the
  // journal does not, so nothing more is recorded.
  absl::Status lost_track_;
  Ledger ledger_;
  std::vector<StoredEvent> pending_events_;
  std::vector<DurableCallback> pending_callbacks_;
  core::TimerId flush_timer_;
  core::TimerId disk_sync_timer_;
  int commit_holds_ = 0;
};

}  // namespace combo::accounts

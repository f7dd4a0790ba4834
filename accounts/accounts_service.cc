#include "accounts/accounts_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/status.h"

namespace combo::accounts {

std::string_view ToString(DurabilityMode mode) {
  switch (mode) {
    case DurabilityMode::kProcess:
      return "process";
    case DurabilityMode::kDisk:
      return "disk";
    case DurabilityMode::kGroupCommit:
      return "group_commit";
  }
  return "unknown";
}

absl::StatusOr<DurabilityMode> ParseDurabilityMode(std::string_view text) {
  if (text == "process") return DurabilityMode::kProcess;
  if (text == "disk") return DurabilityMode::kDisk;
  if (text == "group_commit") return DurabilityMode::kGroupCommit;
  return absl::InvalidArgumentError(absl::StrCat("unknown durability mode '", core::AsAbsl(text),
                                                 "' (expected process, disk or group_commit)"));
}

absl::Status AccountsOptions::Validate() const {
  if (flush_interval <= core::Duration::Zero()) {
    return absl::InvalidArgumentError(
        absl::StrCat("flush_interval must be positive, not ", flush_interval.ToString()));
  }
  if (group_commit.max_events < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("group_commit.max_events must be at least 1, not ", group_commit.max_events));
  }
  if (group_commit.max_delay < core::Duration::Zero()) {
    return absl::InvalidArgumentError(absl::StrCat("group_commit.max_delay must not be negative: ",
                                                   group_commit.max_delay.ToString()));
  }
  if (journal.max_pages < 0) {
    return absl::InvalidArgumentError("journal max_pages must not be negative");
  }
  return commission.Validate();
}

absl::StatusOr<std::unique_ptr<AccountsService>> AccountsService::Open(const std::string& path,
                                                                       AccountsOptions options,
                                                                       core::Scheduler& scheduler) {
  COMBO_RETURN_IF_ERROR(options.Validate());
  const bool process = options.durability == DurabilityMode::kProcess;
  options.journal.sync = process ? CommitSync::kOsWrite : CommitSync::kFsync;
  COMBO_ASSIGN_OR_RETURN(std::unique_ptr<Journal> journal, Journal::Open(path, options.journal));
  COMBO_ASSIGN_OR_RETURN(std::vector<StoredEvent> events, journal->ReadAll());
  COMBO_ASSIGN_OR_RETURN(Ledger ledger, ReplayJournal(events));
  std::unique_ptr<JournalFlusher> flusher;
  if (process) {
    COMBO_ASSIGN_OR_RETURN(flusher, JournalFlusher::Start(path, journal->wal_frames()));
  }
  return std::unique_ptr<AccountsService>(new AccountsService(
      std::move(options), scheduler, std::move(journal), std::move(flusher), std::move(ledger)));
}

AccountsService::AccountsService(AccountsOptions options, core::Scheduler& scheduler,
                                 std::unique_ptr<Journal> journal,
                                 std::unique_ptr<JournalFlusher> flusher, Ledger ledger)
    : options_(std::move(options)),
      scheduler_(scheduler),
      journal_(std::move(journal)),
      flusher_(std::move(flusher)),
      ledger_(std::move(ledger)) {}

AccountsService::~AccountsService() {
  // Events still waiting were never acknowledged; dropping them breaks no promise.
  if (flush_timer_.valid()) scheduler_.Cancel(flush_timer_);
  if (disk_sync_timer_.valid()) scheduler_.Cancel(disk_sync_timer_);
  // The flusher finishes a flush already requested; closing the journal (the last connection)
  // then checkpoints and syncs the rest.
}

absl::Status AccountsService::journal_health() const {
  if (!commit_failure_.ok()) return commit_failure_;
  if (!lost_track_.ok()) return lost_track_;
  if (flusher_ != nullptr && flusher_->failed()) return flusher_->status();
  return absl::OkStatus();
}

void AccountsService::SyncToDisk() {
  if (flusher_ == nullptr) return;
  if (disk_sync_timer_.valid()) {
    scheduler_.Cancel(disk_sync_timer_);
    disk_sync_timer_ = core::TimerId{};
  }
  flusher_->Request();
  flusher_->WaitIdle();
}

void AccountsService::ArmDiskSync() {
  if (flusher_ == nullptr || disk_sync_timer_.valid()) return;
  disk_sync_timer_ = scheduler_.ScheduleAfter(options_.flush_interval, [this] {
    disk_sync_timer_ = core::TimerId{};
    flusher_->Request();
  });
}

core::Money AccountsService::CommissionFor(const ComboFillReported& fill) const {
  const OrderRecord* order = ledger_.FindOrder(fill.order);
  return order == nullptr ? core::Money::Zero()
                          : options_.commission.ChargeFor(order->accepted.legs, fill.units);
}

absl::Status AccountsService::Record(JournalEvent event, DurableCallback on_durable) {
  // Accounts that lost track of the journal check nothing reliably: nothing more is recorded.
  if (!lost_track_.ok()) return lost_track_;
  if (auto* fill = std::get_if<ComboFillReported>(&event)) fill->commission = CommissionFor(*fill);
  const uint64_t sequence = ledger_.last_sequence() + 1;
  COMBO_RETURN_IF_ERROR(ledger_.Apply(sequence, event));
  pending_events_.push_back(StoredEvent{sequence, std::move(event)});
  pending_callbacks_.push_back(std::move(on_durable));
  if (options_.durability != DurabilityMode::kGroupCommit) {
    if (commit_holds_ == 0) Flush();
  } else if (pending_events_.size() >= static_cast<size_t>(options_.group_commit.max_events)) {
    Flush();
  } else if (!flush_timer_.valid()) {
    flush_timer_ = scheduler_.ScheduleAfter(options_.group_commit.max_delay, [this] {
      flush_timer_ = core::TimerId{};
      Flush();
    });
  }
  return absl::OkStatus();
}

void AccountsService::HoldCommits() { ++commit_holds_; }

void AccountsService::ReleaseCommits() {
  if (commit_holds_ == 0) return;
  if (--commit_holds_ == 0 && options_.durability != DurabilityMode::kGroupCommit) Flush();
}

void AccountsService::AfterRecorded(absl::AnyInvocable<void() &&> callback) {
  if (pending_callbacks_.empty()) {
    std::move(callback)();
    return;
  }
  pending_callbacks_.push_back(
      [callback = std::move(callback)](absl::Status) mutable { std::move(callback)(); });
}

absl::Status AccountsService::RecordMarks(const MarkSource& source, DurableCallback on_durable) {
  MarksRecorded marks;
  marks.time = scheduler_.Now();
  for (const auto& [instrument, mid] : LiveMarks(ledger_, source)) {
    marks.marks.push_back(InstrumentMark{instrument, mid});
  }
  if (marks.marks.empty()) return absl::OkStatus();
  return Record(std::move(marks), std::move(on_durable));
}

void AccountsService::Flush() {
  if (flush_timer_.valid()) {
    scheduler_.Cancel(flush_timer_);
    flush_timer_ = core::TimerId{};
  }
  if (pending_events_.empty()) return;
  // Callbacks may record further events: take the batch out first.
  std::vector<StoredEvent> batch = std::move(pending_events_);
  std::vector<DurableCallback> callbacks = std::move(pending_callbacks_);
  pending_events_.clear();
  pending_callbacks_.clear();
  const absl::Status status = journal_->Append(batch);
  if (!status.ok()) {
    if (commit_failure_.ok()) commit_failure_ = status;
    ForgetUnstoredEvents();
  }
  // The reports go out from here, at once: in kProcess nothing below waits for the disk.
  for (DurableCallback& callback : callbacks) std::move(callback)(status);
  if (status.ok()) ArmDiskSync();
}

void AccountsService::ForgetUnstoredEvents() {
  // The accounts hold the failed batch: they are rebuilt from what the journal holds, as a
  // restart would. The batch is then in no state at all, as if it had never been recorded (and
  // should the failed commit have stored it after all, the accounts follow the journal).
  absl::StatusOr<std::vector<StoredEvent>> stored = journal_->ReadAll();
  absl::StatusOr<Ledger> rebuilt =
      stored.ok() ? ReplayJournal(*stored) : absl::StatusOr<Ledger>(stored.status());
  if (rebuilt.ok()) {
    ledger_ = *std::move(rebuilt);
    return;
  }
  lost_track_ = absl::Status(
      rebuilt.status().code(),
      absl::StrCat("the accounts could not be rebuilt from the journal after a failed commit (",
                   rebuilt.status().message(), "); nothing more is recorded until a restart"));
}

}  // namespace combo::accounts

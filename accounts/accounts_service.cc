#include "accounts/accounts_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/status.h"

namespace combo::accounts {

std::string_view ToString(DurabilityMode mode) {
  switch (mode) {
    case DurabilityMode::kSyncEachEvent:
      return "sync_each_event";
    case DurabilityMode::kGroupCommit:
      return "group_commit";
  }
  return "unknown";
}

absl::StatusOr<DurabilityMode> ParseDurabilityMode(std::string_view text) {
  if (text == "sync_each_event") return DurabilityMode::kSyncEachEvent;
  if (text == "group_commit") return DurabilityMode::kGroupCommit;
  return absl::InvalidArgumentError(absl::StrCat("unknown durability mode '", core::AsAbsl(text),
                                                 "' (expected sync_each_event or group_commit)"));
}

absl::Status AccountsOptions::Validate() const {
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
  COMBO_ASSIGN_OR_RETURN(std::unique_ptr<Journal> journal, Journal::Open(path, options.journal));
  COMBO_ASSIGN_OR_RETURN(std::vector<StoredEvent> events, journal->ReadAll());
  COMBO_ASSIGN_OR_RETURN(Ledger ledger, ReplayJournal(events));
  return std::unique_ptr<AccountsService>(
      new AccountsService(std::move(options), scheduler, std::move(journal), std::move(ledger)));
}

AccountsService::AccountsService(AccountsOptions options, core::Scheduler& scheduler,
                                 std::unique_ptr<Journal> journal, Ledger ledger)
    : options_(std::move(options)),
      scheduler_(scheduler),
      journal_(std::move(journal)),
      durable_(std::move(ledger)),
      staged_(durable_) {}

AccountsService::~AccountsService() {
  // Events still waiting were never acknowledged; dropping them breaks no promise.
  if (flush_timer_.valid()) scheduler_.Cancel(flush_timer_);
}

absl::Status AccountsService::Record(JournalEvent event, DurableCallback on_durable) {
  if (auto* fill = std::get_if<ComboFillReported>(&event)) {
    const OrderRecord* order = staged_.FindOrder(fill->order);
    fill->commission = order == nullptr
                           ? core::Money::Zero()
                           : options_.commission.ChargeFor(order->accepted.legs, fill->units);
  }
  const uint64_t sequence = staged_.last_sequence() + 1;
  COMBO_RETURN_IF_ERROR(staged_.Apply(sequence, event));
  pending_events_.push_back(StoredEvent{sequence, std::move(event)});
  pending_callbacks_.push_back(std::move(on_durable));
  if (options_.durability == DurabilityMode::kSyncEachEvent ||
      pending_events_.size() >= static_cast<size_t>(options_.group_commit.max_events)) {
    Flush();
  } else if (!flush_timer_.valid()) {
    flush_timer_ = scheduler_.ScheduleAfter(options_.group_commit.max_delay, [this] {
      flush_timer_ = core::TimerId{};
      Flush();
    });
  }
  return absl::OkStatus();
}

absl::Status AccountsService::RecordMarks(const MarkSource& source, DurableCallback on_durable) {
  MarksRecorded marks;
  marks.time = scheduler_.Now();
  for (const auto& [instrument, mid] : LiveMarks(staged_, source)) {
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
  absl::Status status = journal_->Append(batch);
  if (status.ok()) {
    for (const StoredEvent& stored : batch) {
      // Checked against staged_, which equals durable_ plus this batch: this cannot fail.
      absl::Status applied = durable_.Apply(stored.sequence, stored.event);
      if (!applied.ok()) {
        status = absl::InternalError(
            absl::StrCat("durable event ", stored.sequence, " did not apply: ", applied.message()));
      }
    }
  } else {
    // Nothing of the batch is stored: forget it, as if it had never been recorded.
    staged_ = durable_;
  }
  for (DurableCallback& callback : callbacks) std::move(callback)(status);
}

}  // namespace combo::accounts

#include "accounts/accounts_service.h"

#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "accounts/test_util.h"
#include "core/simulated_time.h"
#include "gtest/gtest.h"

namespace combo::accounts {
namespace {

using core::Side;
using testing::P;
using testing::T;

// Collects durability outcomes in the order callbacks ran.
struct Acks {
  std::vector<absl::Status> outcomes;
  DurableCallback Callback() {
    return [this](absl::Status status) { outcomes.push_back(std::move(status)); };
  }
  int ok() const {
    int n = 0;
    for (const auto& s : outcomes) n += s.ok() ? 1 : 0;
    return n;
  }
};

class AccountsServiceTest : public ::testing::Test {
 protected:
  std::unique_ptr<AccountsService> Open(AccountsOptions options = {}) {
    auto service = AccountsService::Open(path_, std::move(options), time_);
    EXPECT_TRUE(service.ok()) << service.status();
    return service.ok() ? *std::move(service) : nullptr;
  }
  AccountsOptions GroupCommit(int max_events) {
    AccountsOptions options;
    options.durability = DurabilityMode::kGroupCommit;
    options.group_commit.max_events = max_events;
    options.group_commit.max_delay = core::Duration::Milliseconds(1);
    return options;
  }

  // Records orders with long client order ids from *next_id on until a journal write fails (the
  // test sets a page cap); *next_id ends as the id after the last one recorded.
  void RecordOrdersUntilAWriteFails(AccountsService& service, uint64_t* next_id) {
    while (acks_.outcomes.empty() || acks_.outcomes.back().ok()) {
      ASSERT_LT(*next_id, 5000u);
      ASSERT_TRUE(service.Record(testing::BulkyOrder((*next_id)++), acks_.Callback()).ok());
    }
  }

  std::string path_ = testing::FreshDir() + "/journal.db";
  core::SimulatedTime time_;
  Acks acks_;
};

TEST_F(AccountsServiceTest, DefaultModeIsDurableBeforeRecordReturns) {
  auto service = Open();
  EXPECT_EQ(service->options().durability, DurabilityMode::kProcess);
  ASSERT_TRUE(service->Record(testing::Vertical(1, 2), acks_.Callback()).ok());
  ASSERT_EQ(acks_.outcomes.size(), 1u);
  EXPECT_TRUE(acks_.outcomes[0].ok());
  EXPECT_NE(service->ledger().FindOrder(core::OrderId(1)), nullptr);
  EXPECT_EQ(service->journal().ReadAll()->size(), 1u);
}

// durability: process reports from the journal write itself (no timer before the callback) and
// syncs to disk on the flusher's thread flush_interval after the first unsynced event.
TEST_F(AccountsServiceTest, ProcessModeReportsAtOnceAndSyncsToDiskAfterTheFlushInterval) {
  AccountsOptions options;
  options.flush_interval = core::Duration::Milliseconds(200);
  auto service = Open(options);
  ASSERT_NE(service->flusher(), nullptr);
  ASSERT_TRUE(service->Record(testing::Vertical(1, 2), acks_.Callback()).ok());
  ASSERT_TRUE(service->Record(testing::Vertical(2, 2), acks_.Callback()).ok());
  EXPECT_EQ(acks_.ok(), 2) << "each callback ran inside its Record";
  EXPECT_EQ(service->journal().ReadAll()->size(), 2u);
  EXPECT_EQ(time_.pending(), 1u) << "one background sync armed for both events";

  time_.AdvanceBy(core::Duration::Milliseconds(199));
  service->flusher()->WaitIdle();
  EXPECT_EQ(service->flusher()->flushes(), 0u);
  time_.AdvanceBy(core::Duration::Milliseconds(1));
  service->flusher()->WaitIdle();
  EXPECT_EQ(service->flusher()->flushes(), 1u);
  EXPECT_TRUE(service->journal_health().ok()) << service->journal_health();
  EXPECT_EQ(time_.pending(), 0u) << "nothing unsynced, nothing armed";
}

TEST_F(AccountsServiceTest, DiskModesHaveNoBackgroundFlusher) {
  AccountsOptions disk;
  disk.durability = DurabilityMode::kDisk;
  auto service = Open(disk);
  EXPECT_EQ(service->flusher(), nullptr);
  ASSERT_TRUE(service->Record(testing::Vertical(1, 2), acks_.Callback()).ok());
  EXPECT_EQ(acks_.ok(), 1);
  EXPECT_EQ(time_.pending(), 0u);
  service.reset();
  EXPECT_EQ(Open(GroupCommit(4))->flusher(), nullptr);
}

TEST_F(AccountsServiceTest, RefusedEventIsNeitherJournaledNorAcknowledged) {
  auto service = Open();
  absl::Status status =
      service->Record(testing::Fill(9, 1, Side::kBuy, 1, P(1), "x"), acks_.Callback());
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(acks_.outcomes.empty());
  EXPECT_TRUE(service->journal().ReadAll()->empty());
}

TEST_F(AccountsServiceTest, GroupCommitAcknowledgesOnlyAfterItsBatchCommits) {
  auto service = Open(GroupCommit(4));
  ASSERT_TRUE(service->Record(testing::Vertical(1, 2), acks_.Callback()).ok());
  // Checked against the pending order, though it is not durable yet.
  ASSERT_TRUE(
      service->Record(testing::Fill(1, 1, Side::kBuy, 1, P(3), "a"), acks_.Callback()).ok());
  EXPECT_TRUE(acks_.outcomes.empty());
  EXPECT_EQ(service->pending(), 2u);
  // In the accounts (later events are checked on it), not yet in the journal.
  EXPECT_NE(service->ledger().FindOrder(core::OrderId(1)), nullptr);
  EXPECT_TRUE(service->journal().ReadAll()->empty());

  time_.AdvanceBy(core::Duration::Microseconds(999));
  EXPECT_TRUE(acks_.outcomes.empty());
  time_.AdvanceBy(core::Duration::Microseconds(1));
  EXPECT_EQ(acks_.ok(), 2);
  EXPECT_EQ(service->journal().ReadAll()->size(), 2u);
  EXPECT_NE(service->ledger().FindOrder(core::OrderId(1)), nullptr);
}

TEST_F(AccountsServiceTest, GroupCommitCommitsAFullBatchAtOnce) {
  auto service = Open(GroupCommit(3));
  for (uint64_t id = 1; id <= 3; ++id) {
    ASSERT_TRUE(service->Record(testing::Vertical(id, 1), acks_.Callback()).ok());
  }
  EXPECT_EQ(acks_.ok(), 3);
  EXPECT_EQ(service->pending(), 0u);
  EXPECT_EQ(time_.pending(), 0u) << "the batch timer is cancelled once the batch commits";
}

// A burst of input (one socket read) holds commits: its events go to the journal in one
// transaction when the burst ends, and only then are their reports released, in order.
TEST_F(AccountsServiceTest, HeldCommitsAreOneTransactionAndReportsWaitForIt) {
  for (DurabilityMode mode : {DurabilityMode::kProcess, DurabilityMode::kDisk}) {
    SCOPED_TRACE(ToString(mode));
    path_ = testing::FreshDir() + "/journal.db";
    acks_.outcomes.clear();
    AccountsOptions options;
    options.durability = mode;
    auto service = Open(options);
    std::vector<std::string> reports;
    service->HoldCommits();
    service->HoldCommits();  // holds nest
    for (uint64_t id = 1; id <= 3; ++id) {
      ASSERT_TRUE(service
                      ->Record(testing::Vertical(id, 1),
                               [&, id](absl::Status status) {
                                 ASSERT_TRUE(status.ok());
                                 reports.push_back(absl::StrCat("ack ", id));
                               })
                      .ok());
      // A report that journals nothing waits behind the events recorded before it.
      service->AfterRecorded([&, id] { reports.push_back(absl::StrCat("status ", id)); });
    }
    EXPECT_TRUE(reports.empty());
    EXPECT_EQ(service->pending(), 3u);
    EXPECT_TRUE(service->journal().ReadAll()->empty());
    service->ReleaseCommits();
    EXPECT_TRUE(reports.empty()) << "the outer hold still holds";
    service->ReleaseCommits();
    EXPECT_EQ(reports, (std::vector<std::string>{"ack 1", "status 1", "ack 2", "status 2", "ack 3",
                                                 "status 3"}));
    EXPECT_EQ(service->journal().ReadAll()->size(), 3u);
    EXPECT_NE(service->ledger().FindOrder(core::OrderId(3)), nullptr);
    // Without a hold, nothing waits: the report goes at once.
    bool told = false;
    service->AfterRecorded([&] { told = true; });
    EXPECT_TRUE(told);
  }
}

// A failed commit of a held burst acknowledges none of its events; the reports that journal
// nothing still go out, after the refusals, in order.
TEST_F(AccountsServiceTest, AFailedHeldCommitAcknowledgesNothingOfTheBurst) {
  AccountsOptions options;
  options.journal.max_pages = 12;
  auto service = Open(options);
  uint64_t next_id = 1;
  RecordOrdersUntilAWriteFails(*service, &next_id);
  if (HasFatalFailure()) return;
  acks_.outcomes.clear();
  bool told = false;
  service->HoldCommits();
  ASSERT_TRUE(service->Record(testing::BulkyOrder(next_id++), acks_.Callback()).ok());
  service->AfterRecorded([&] {
    told = true;
    EXPECT_EQ(acks_.outcomes.size(), 1u) << "after the event's own outcome";
  });
  service->ReleaseCommits();
  ASSERT_EQ(acks_.outcomes.size(), 1u);
  EXPECT_FALSE(acks_.outcomes[0].ok());
  EXPECT_TRUE(told);
  EXPECT_FALSE(service->journal_health().ok());
}

TEST_F(AccountsServiceTest, CallbackMayRecordTheNextEvent) {
  auto service = Open(GroupCommit(2));
  bool fill_acked = false;
  ASSERT_TRUE(service
                  ->Record(testing::Vertical(1, 1),
                           [&](absl::Status status) {
                             ASSERT_TRUE(status.ok());
                             ASSERT_TRUE(service
                                             ->Record(testing::Fill(1, 1, Side::kBuy, 1, P(3), "a"),
                                                      [&](absl::Status s) { fill_acked = s.ok(); })
                                             .ok());
                           })
                  .ok());
  service->Flush();
  service->Flush();
  EXPECT_TRUE(fill_acked);
  EXPECT_EQ(service->ledger().last_sequence(), 2u);
}

TEST_F(AccountsServiceTest, CommissionIsChargedOnlyOnExecutedCombosByTheSchedule) {
  AccountsOptions options;
  options.commission.per_trade = core::Money::FromPrice(P(1));
  options.commission.per_leg_contract[SubAccount::kOptions] = P(0, 650'000'000);
  auto service = Open(options);
  ASSERT_TRUE(service->Record(testing::Vertical(1, 5), acks_.Callback()).ok());
  ASSERT_TRUE(
      service->Record(testing::Fill(1, 1, Side::kBuy, 3, P(3), "a"), acks_.Callback()).ok());
  ASSERT_TRUE(
      service->Record(testing::Fill(1, 2, Side::kSell, 2, P(1), "b"), acks_.Callback()).ok());
  ASSERT_TRUE(
      service->Record(testing::ToErrorAccount(1, 1, Side::kBuy, 1, P(3)), acks_.Callback()).ok());
  const core::AccountId acme("ACME");
  EXPECT_TRUE(service->ledger().clients().at(acme).commissions.is_zero());

  ComboFillReported fill = testing::ComboFill(
      1, 2, P(2), {{core::InstrumentId(1), P(3)}, {core::InstrumentId(2), P(1)}});
  fill.commission = core::Money::FromPrice(P(999));  // the service sets it from the schedule
  ASSERT_TRUE(service->Record(fill, acks_.Callback()).ok());
  // 1 + 0.65 x (2 + 2) = 3.60.
  const core::Money expected = core::Money::FromPrice(P(3, 600'000'000));
  EXPECT_EQ(service->ledger().clients().at(acme).commissions, expected);
  auto stored = service->journal().ReadAll();
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(std::get<ComboFillReported>(stored->back().event).commission, expected);
}

TEST_F(AccountsServiceTest, RestartRebuildsOrdersPositionsAndTheErrorAccount) {
  Ledger before;
  {
    auto service = Open();
    ASSERT_TRUE(service->Record(testing::Vertical(1, 10), acks_.Callback()).ok());
    ASSERT_TRUE(
        service->Record(testing::Fill(1, 1, Side::kBuy, 10, P(3), "a"), acks_.Callback()).ok());
    ASSERT_TRUE(
        service->Record(testing::Fill(1, 2, Side::kSell, 6, P(1), "b"), acks_.Callback()).ok());
    ASSERT_TRUE(service
                    ->Record(testing::ComboFill(
                                 1, 6, P(2),
                                 {{core::InstrumentId(1), P(3)}, {core::InstrumentId(2), P(1)}}),
                             acks_.Callback())
                    .ok());
    ASSERT_TRUE(
        service->Record(testing::ToErrorAccount(1, 1, Side::kBuy, 4, P(3)), acks_.Callback()).ok());
    ASSERT_TRUE(
        service->Record(OrderCancelled{core::OrderId(1), "client", T(9)}, acks_.Callback()).ok());
    before = service->ledger();
  }
  auto service = Open();
  EXPECT_TRUE(service->ledger() == before);
  EXPECT_EQ(service->ledger().max_order_id(), core::OrderId(1));
  EXPECT_EQ(service->ledger().FindOrder(core::OrderId(1))->state, OrderState::kCancelled);
  EXPECT_EQ(service->ledger().error_account().positions.at(core::InstrumentId(1)).quantity(),
            core::SignedQuantity(4));
  // New events continue the sequence.
  ASSERT_TRUE(service->Record(testing::Vertical(2, 1), acks_.Callback()).ok());
  EXPECT_EQ(service->ledger().last_sequence(), 7u);
}

TEST_F(AccountsServiceTest, PendingBatchDroppedAtShutdownWasNeverAcknowledged) {
  {
    auto service = Open(GroupCommit(10));
    ASSERT_TRUE(service->Record(testing::Vertical(1, 1), acks_.Callback()).ok());
  }
  EXPECT_TRUE(acks_.outcomes.empty());
  EXPECT_EQ(time_.pending(), 0u);
  auto service = Open();
  EXPECT_EQ(service->ledger().last_sequence(), 0u);
}

TEST_F(AccountsServiceTest, FullDiskFailsTheBatchLeavingNoPartialState) {
  AccountsOptions options = GroupCommit(4);
  options.journal.max_pages = 12;
  auto service = Open(options);
  uint64_t id = 1;
  RecordOrdersUntilAWriteFails(*service, &id);
  if (HasFatalFailure()) return;
  // The whole batch failed together.
  const absl::Status failure = acks_.outcomes.back();
  EXPECT_EQ(failure.code(), absl::StatusCode::kResourceExhausted) << failure;
  const int acked = acks_.ok();
  EXPECT_EQ(acks_.outcomes.size() - static_cast<size_t>(acked), 4u);
  EXPECT_EQ(service->ledger().orders().size(), static_cast<size_t>(acked));
  EXPECT_EQ(service->ledger().last_sequence(), static_cast<uint64_t>(acked));
  // An event building on a failed one is refused: the failed events are in no state.
  EXPECT_EQ(
      service->Record(testing::Fill(id - 1, 1, Side::kBuy, 1, P(1), "z"), acks_.Callback()).code(),
      absl::StatusCode::kNotFound);
  const Ledger durable = service->ledger();
  service.reset();
  auto reopened = Open();
  EXPECT_TRUE(reopened->ledger() == durable);
}

// A journal that could not be written stays unhealthy (the daemon refuses new orders on it), and
// every event acknowledged before the failure is still there after a restart.
TEST_F(AccountsServiceTest, FailedWriteMarksTheJournalUnhealthyAndLosesNothingAcknowledged) {
  for (DurabilityMode mode :
       {DurabilityMode::kProcess, DurabilityMode::kDisk, DurabilityMode::kGroupCommit}) {
    SCOPED_TRACE(ToString(mode));
    path_ = testing::FreshDir() + "/journal.db";
    acks_.outcomes.clear();
    AccountsOptions options = GroupCommit(4);
    options.durability = mode;
    options.journal.max_pages = 12;
    auto service = Open(options);
    EXPECT_TRUE(service->journal_health().ok());
    uint64_t id = 1;
    RecordOrdersUntilAWriteFails(*service, &id);
    if (HasFatalFailure()) return;
    const absl::Status health = service->journal_health();
    EXPECT_EQ(health.code(), absl::StatusCode::kResourceExhausted) << health;
    EXPECT_NE(health.message().find("journal"), std::string::npos) << health;
    const int acked = acks_.ok();
    service.reset();
    options.journal.max_pages = 0;
    auto reopened = Open(options);
    EXPECT_EQ(reopened->ledger().orders().size(), static_cast<size_t>(acked));
    EXPECT_TRUE(reopened->journal_health().ok()) << "a restart starts healthy";
  }
}

// Edits the journal behind the service's back, as a damaged disk or a careless hand would.
void Tamper(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

// A failed commit takes its batch out of the accounts by rebuilding them from the journal. When
// the journal no longer replays (damaged behind the service's back), the accounts cannot know
// what is stored: they refuse every later event rather than build on a guess.
TEST_F(AccountsServiceTest, AccountsThatCannotBeRebuiltAfterAFailedCommitRecordNothingMore) {
  AccountsOptions options;
  options.journal.max_pages = 12;
  auto service = Open(options);
  uint64_t id = 1;
  ASSERT_TRUE(service->Record(testing::BulkyOrder(id++), acks_.Callback()).ok());
  ASSERT_TRUE(acks_.outcomes.back().ok());
  Tamper(path_, "UPDATE events SET payload = 'v=1;order=1;' WHERE sequence = 1");
  RecordOrdersUntilAWriteFails(*service, &id);
  if (HasFatalFailure()) return;
  EXPECT_EQ(service->journal_health().code(), absl::StatusCode::kResourceExhausted)
      << "the first failure: the commit";
  const absl::Status refused =
      service->Record(testing::Fill(1, 1, Side::kBuy, 1, P(1), "z"), acks_.Callback());
  EXPECT_EQ(refused.code(), absl::StatusCode::kDataLoss) << refused;
  EXPECT_NE(refused.message().find("could not be rebuilt from the journal"), std::string::npos)
      << refused;
  EXPECT_EQ(service->Record(testing::BulkyOrder(id), acks_.Callback()), refused);
}

TEST_F(AccountsServiceTest, JournalRecordThatDoesNotDecodeStopsTheStartNamingIt) {
  {
    auto service = Open();
    ASSERT_TRUE(service->Record(testing::Vertical(1, 2), acks_.Callback()).ok());
    ASSERT_TRUE(
        service->Record(testing::Fill(1, 1, Side::kBuy, 1, P(3), "a"), acks_.Callback()).ok());
  }
  Tamper(path_, "UPDATE events SET payload = 'v=1;order=1;' WHERE sequence = 2");
  auto service = AccountsService::Open(path_, AccountsOptions{}, time_);
  ASSERT_FALSE(service.ok());
  EXPECT_EQ(service.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(service.status().message().find("event 2 (leg_fill) does not decode"),
            std::string::npos)
      << service.status();
}

TEST_F(AccountsServiceTest, JournalThatDoesNotReplayStopsTheStartNamingTheEvent) {
  {
    auto service = Open();
    ASSERT_TRUE(service->Record(testing::Vertical(1, 2), acks_.Callback()).ok());
    ASSERT_TRUE(
        service->Record(testing::Fill(1, 1, Side::kBuy, 1, P(3), "a"), acks_.Callback()).ok());
  }
  // The fill now names an instrument that is not a leg of its order.
  Tamper(path_,
         "UPDATE events SET payload = replace(payload, 'instrument=1;', 'instrument=3;') "
         "WHERE sequence = 2");
  auto service = AccountsService::Open(path_, AccountsOptions{}, time_);
  ASSERT_FALSE(service.ok());
  EXPECT_EQ(service.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(service.status().message().find("journal event 2 (leg_fill) cannot be replayed"),
            std::string::npos)
      << service.status();
}

TEST_F(AccountsServiceTest, JournalWithAMissingEventStopsTheStart) {
  {
    auto service = Open();
    ASSERT_TRUE(service->Record(testing::Vertical(1, 2), acks_.Callback()).ok());
    ASSERT_TRUE(service->Record(testing::Vertical(2, 2), acks_.Callback()).ok());
    ASSERT_TRUE(service->Record(testing::Vertical(3, 2), acks_.Callback()).ok());
  }
  Tamper(path_, "DELETE FROM events WHERE sequence = 2");
  auto service = AccountsService::Open(path_, AccountsOptions{}, time_);
  ASSERT_FALSE(service.ok());
  EXPECT_EQ(service.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(service.status().message().find("journal is missing event 2"), std::string::npos)
      << service.status();
}

TEST_F(AccountsServiceTest, InvalidOptionsAreRefused) {
  AccountsOptions options = GroupCommit(0);
  auto service = AccountsService::Open(path_, options, time_);
  ASSERT_FALSE(service.ok());
  EXPECT_NE(service.status().message().find("max_events"), std::string::npos);
  EXPECT_FALSE(ParseDurabilityMode("fast").ok());
  EXPECT_EQ(*ParseDurabilityMode("group_commit"), DurabilityMode::kGroupCommit);
}

class FixedMarks : public MarkSource {
 public:
  std::optional<core::TopOfBook> ConsolidatedTop(core::InstrumentId instrument) const override {
    auto it = tops.find(instrument);
    if (it == tops.end()) return std::nullopt;
    return it->second;
  }
  std::map<core::InstrumentId, core::TopOfBook> tops;
};

TEST_F(AccountsServiceTest, MarksAreJournaledForTheErrorAccountsOpenPositions) {
  auto service = Open();
  ASSERT_TRUE(service->Record(testing::Vertical(1, 4), acks_.Callback()).ok());
  ASSERT_TRUE(
      service->Record(testing::Fill(1, 1, Side::kBuy, 4, P(3), "a"), acks_.Callback()).ok());
  ASSERT_TRUE(
      service->Record(testing::ToErrorAccount(1, 1, Side::kBuy, 4, P(3)), acks_.Callback()).ok());
  FixedMarks marks;
  marks.tops[core::InstrumentId(1)] =
      core::TopOfBook{core::PriceLevel{P(3, 100'000'000), core::Quantity(5)},
                      core::PriceLevel{P(3, 300'000'000), core::Quantity(5)}};
  ASSERT_TRUE(service->RecordMarks(marks, acks_.Callback()).ok());
  EXPECT_EQ(service->ledger().marks().mids.at(core::InstrumentId(1)), P(3, 200'000'000));
  EXPECT_EQ(service->ledger().marks().time, time_.Now());
  const ErrorAccountValue value =
      ValueErrorAccount(service->ledger(), service->ledger().marks().mids);
  // (3.20 - 3) x 4 x 100.
  EXPECT_EQ(value.unrealized, core::Money::FromPrice(P(80)));
}

}  // namespace
}  // namespace combo::accounts

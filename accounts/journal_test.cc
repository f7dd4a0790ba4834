#include "accounts/journal.h"

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "accounts/test_util.h"
#include "gtest/gtest.h"

namespace combo::accounts {
namespace {

using core::Side;
using testing::CancelledEvents;
using testing::P;
using testing::T;

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// Runs SQL on a database with plain SQLite, as another program would.
void RawExec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

TEST(JournalTest, NewJournalUsesWalAndTheLatestSchema) {
  const std::string path = testing::FreshDir() + "/j.db";
  auto journal = Journal::Open(path);
  ASSERT_TRUE(journal.ok()) << journal.status();
  EXPECT_EQ((*journal)->schema_version(), Journal::kSchemaVersion);
  ASSERT_TRUE((*journal)->Append(CancelledEvents(1, 3)).ok());
  journal->reset();

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &statement, nullptr);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)), "wal");
  sqlite3_finalize(statement);
  sqlite3_close(db);
}

TEST(JournalTest, EventsComeBackInSequenceOrderAndByOrder) {
  const std::string path = testing::FreshDir() + "/j.db";
  auto journal = Journal::Open(path);
  ASSERT_TRUE(journal.ok());
  std::vector<StoredEvent> events = {
      {1, testing::Vertical(1, 2)},
      {2, testing::Vertical(2, 2)},
      {3, testing::Fill(1, 1, Side::kBuy, 1, P(3), "a")},
      {4, MarksRecorded{{{core::InstrumentId(1), P(3)}}, T(4)}},
  };
  ASSERT_TRUE((*journal)->Append(events).ok());
  auto all = (*journal)->ReadAll();
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(*all == events);
  auto order = (*journal)->ReadOrder(core::OrderId(1));
  ASSERT_TRUE(order.ok());
  ASSERT_EQ(order->size(), 2u);
  EXPECT_EQ((*order)[0].sequence, 1u);
  EXPECT_EQ((*order)[1].sequence, 3u);
  EXPECT_EQ(*(*journal)->LastSequence(), 4u);
}

TEST(JournalTest, AppendRefusesAGapInSequenceNumbers) {
  const std::string path = testing::FreshDir() + "/j.db";
  auto journal = Journal::Open(path);
  ASSERT_TRUE(journal.ok());
  ASSERT_TRUE((*journal)->Append(CancelledEvents(1, 2)).ok());
  absl::Status status = (*journal)->Append(CancelledEvents(4, 1));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*journal)->ReadAll()->size(), 2u);
}

TEST(JournalTest, OlderSchemaIsMigratedKeepingItsEvents) {
  const std::string path = testing::FreshDir() + "/j.db";
  ASSERT_TRUE(Journal::CreateAtSchemaVersionForTesting(path, 1).ok());
  const JournalEvent event = testing::Vertical(7, 3);
  RawExec(path,
          "INSERT INTO events VALUES (1, 'order_accepted', 7, 0, '" + EncodePayload(event) + "')");
  auto journal = Journal::Open(path);
  ASSERT_TRUE(journal.ok()) << journal.status();
  EXPECT_EQ((*journal)->schema_version(), Journal::kSchemaVersion);
  auto all = (*journal)->ReadAll();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_TRUE((*all)[0].event == event);
  journal->reset();
  RawExec(path, "SELECT 1 FROM sqlite_master WHERE name = 'events_by_order'");
}

TEST(JournalTest, FileThatIsNotADatabaseIsRefusedAndLeftUntouched) {
  const std::string path = testing::FreshDir() + "/j.db";
  const std::string bytes =
      std::string("these are my notes, not a journal\n") + std::string(5000, 'x');
  WriteBytes(path, bytes);
  auto journal = Journal::Open(path);
  ASSERT_FALSE(journal.ok());
  EXPECT_EQ(journal.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(journal.status().message().find("not a SQLite database"), std::string::npos)
      << journal.status();
  EXPECT_NE(journal.status().message().find(path), std::string::npos);
  EXPECT_EQ(ReadBytes(path), bytes);
  EXPECT_FALSE(Journal::OpenReadOnly(path).ok());
  EXPECT_EQ(ReadBytes(path), bytes);
}

TEST(JournalTest, CorruptJournalIsRefusedAndLeftUntouched) {
  const std::string path = testing::FreshDir() + "/j.db";
  {
    auto journal = Journal::Open(path);
    ASSERT_TRUE(journal.ok());
    for (int i = 0; i < 20; ++i)
      ASSERT_TRUE((*journal)->Append(CancelledEvents(1 + i * 10, 10)).ok());
  }
  std::string bytes = ReadBytes(path);
  ASSERT_GT(bytes.size(), 4u * 4096);
  // Scribble over the start of the third page: a b-tree page header no longer makes sense.
  for (size_t i = 2 * 4096; i < 2 * 4096 + 64; ++i) bytes[i] = static_cast<char>(0xA5);
  WriteBytes(path, bytes);
  auto journal = Journal::Open(path);
  ASSERT_FALSE(journal.ok());
  EXPECT_EQ(journal.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(journal.status().message().find("corrupt"), std::string::npos) << journal.status();
  EXPECT_EQ(ReadBytes(path), bytes);
}

TEST(JournalTest, DatabaseOfAnotherProgramIsRefusedAndLeftUntouched) {
  const std::string path = testing::FreshDir() + "/j.db";
  RawExec(path, "CREATE TABLE customers (name TEXT); INSERT INTO customers VALUES ('x')");
  const std::string bytes = ReadBytes(path);
  auto journal = Journal::Open(path);
  ASSERT_FALSE(journal.ok());
  EXPECT_EQ(journal.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(journal.status().message().find("written by another program"), std::string::npos)
      << journal.status();
  EXPECT_EQ(ReadBytes(path), bytes);
}

TEST(JournalTest, SchemaFromANewerVersionIsRefusedAndLeftUntouched) {
  const std::string path = testing::FreshDir() + "/j.db";
  {
    auto journal = Journal::Open(path);
    ASSERT_TRUE(journal.ok());
    ASSERT_TRUE((*journal)->Append(CancelledEvents(1, 2)).ok());
  }
  RawExec(path, "PRAGMA user_version = 99");
  const std::string bytes = ReadBytes(path);
  for (bool read_only : {false, true}) {
    auto journal = read_only ? Journal::OpenReadOnly(path) : Journal::Open(path);
    ASSERT_FALSE(journal.ok());
    EXPECT_EQ(journal.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_NE(journal.status().message().find("schema version 99, newer than this build"),
              std::string::npos)
        << journal.status();
    EXPECT_EQ(ReadBytes(path), bytes);
  }
}

TEST(JournalTest, FullDiskFailsTheWholeBatchAndStoresNothingOfIt) {
  const std::string path = testing::FreshDir() + "/j.db";
  auto journal = Journal::Open(path, JournalOptions{.max_pages = 12});
  ASSERT_TRUE(journal.ok()) << journal.status();
  uint64_t next = 1;
  absl::Status status;
  while (status.ok() && next < 10'000) {
    status = (*journal)->Append(CancelledEvents(next, 5));
    if (status.ok()) next += 5;
  }
  ASSERT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;
  EXPECT_NE(status.message().find("full"), std::string::npos) << status;
  EXPECT_NE(status.message().find("none of the 5 events"), std::string::npos) << status;
  auto all = (*journal)->ReadAll();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), next - 1);
  journal->reset();

  // With room again, the journal is intact and continues where it stopped.
  auto reopened = Journal::Open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(*(*reopened)->LastSequence(), next - 1);
  EXPECT_TRUE((*reopened)->Append(CancelledEvents(next, 5)).ok());
}

TEST(JournalTest, ReadOnlyOpenOfAMissingJournalCreatesNothing) {
  const std::string path = testing::FreshDir() + "/missing.db";
  auto journal = Journal::OpenReadOnly(path);
  ASSERT_FALSE(journal.ok());
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(JournalTest, NegativePageCapIsRefused) {
  const std::string path = testing::FreshDir() + "/j.db";
  EXPECT_EQ(Journal::Open(path, JournalOptions{.max_pages = -1}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace combo::accounts

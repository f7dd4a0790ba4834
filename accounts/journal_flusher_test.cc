#include "accounts/journal_flusher.h"

#include <string>
#include <vector>

#include "accounts/journal.h"
#include "accounts/test_util.h"
#include "gtest/gtest.h"

namespace combo::accounts {
namespace {

using testing::CancelledEvents;
using testing::T;

std::unique_ptr<Journal> OpenJournal(const std::string& path, CommitSync sync) {
  JournalOptions options;
  options.sync = sync;
  auto journal = Journal::Open(path, options);
  EXPECT_TRUE(journal.ok()) << journal.status();
  return journal.ok() ? *std::move(journal) : nullptr;
}

// An OS-write commit never checkpoints (SQLite's automatic checkpoint would sync inside the
// commit): the WAL only grows until the flusher takes it.
TEST(JournalFlusherTest, OsWriteCommitsLeaveEveryCheckpointToTheFlusher) {
  const std::string path = testing::FreshDir() + "/j.db";
  auto journal = OpenJournal(path, CommitSync::kOsWrite);
  ASSERT_TRUE(journal->Append(CancelledEvents(1, 1)).ok());
  const int after_one = journal->wal_frames().load();
  EXPECT_GT(after_one, 0);
  // Each commit writes at least two frames (the table's and the index's last pages).
  for (uint64_t sequence = 2; sequence <= 600; ++sequence) {
    ASSERT_TRUE(journal->Append(CancelledEvents(sequence, 1)).ok());
  }
  EXPECT_GT(journal->wal_frames().load(), 1000) << "past SQLite's automatic checkpoint";
}

TEST(JournalFlusherTest, FlushBelowTheThresholdSyncsTheWalWithoutACheckpoint) {
  const std::string path = testing::FreshDir() + "/j.db";
  auto journal = OpenJournal(path, CommitSync::kOsWrite);
  auto flusher = JournalFlusher::Start(path, journal->wal_frames());
  ASSERT_TRUE(flusher.ok()) << flusher.status();
  ASSERT_TRUE(journal->Append(CancelledEvents(1, 5)).ok());
  const int frames = journal->wal_frames().load();
  (*flusher)->Request();
  (*flusher)->WaitIdle();
  EXPECT_EQ((*flusher)->flushes(), 1u);
  EXPECT_EQ((*flusher)->checkpoints(), 0u);
  EXPECT_TRUE((*flusher)->status().ok()) << (*flusher)->status();
  ASSERT_TRUE(journal->Append(CancelledEvents(6, 1)).ok());
  EXPECT_GT(journal->wal_frames().load(), frames) << "the WAL was not restarted";
}

TEST(JournalFlusherTest, FlushPastTheThresholdCheckpointsAndTheWalRestarts) {
  const std::string path = testing::FreshDir() + "/j.db";
  auto journal = OpenJournal(path, CommitSync::kOsWrite);
  auto flusher = JournalFlusher::Start(path, journal->wal_frames(), /*checkpoint_frames=*/4);
  ASSERT_TRUE(flusher.ok()) << flusher.status();
  for (uint64_t i = 1; i <= 10; ++i) ASSERT_TRUE(journal->Append(CancelledEvents(i, 1)).ok());
  const int frames = journal->wal_frames().load();
  ASSERT_GE(frames, 4);
  (*flusher)->Request();
  (*flusher)->WaitIdle();
  EXPECT_EQ((*flusher)->checkpoints(), 1u);
  ASSERT_TRUE(journal->Append(CancelledEvents(11, 1)).ok());
  EXPECT_LT(journal->wal_frames().load(), frames) << "the next commit restarts the WAL";
  EXPECT_EQ(journal->ReadAll()->size(), 11u);
}

TEST(JournalFlusherTest, WaitIdleCoversEveryEarlierRequest) {
  const std::string path = testing::FreshDir() + "/j.db";
  auto journal = OpenJournal(path, CommitSync::kOsWrite);
  auto flusher = JournalFlusher::Start(path, journal->wal_frames());
  ASSERT_TRUE(flusher.ok()) << flusher.status();
  ASSERT_TRUE(journal->Append(CancelledEvents(1, 1)).ok());
  for (int i = 0; i < 5; ++i) (*flusher)->Request();
  (*flusher)->WaitIdle();
  EXPECT_GE((*flusher)->flushes(), 1u);
  EXPECT_LE((*flusher)->flushes(), 5u);
  const uint64_t before = (*flusher)->flushes();
  (*flusher)->WaitIdle();
  EXPECT_EQ((*flusher)->flushes(), before) << "nothing requested, nothing done";
}

TEST(JournalFlusherTest, FsyncJournalCountsNoWalFrames) {
  const std::string path = testing::FreshDir() + "/j.db";
  auto journal = OpenJournal(path, CommitSync::kFsync);
  ASSERT_TRUE(journal->Append(CancelledEvents(1, 3)).ok());
  EXPECT_EQ(journal->wal_frames().load(), 0) << "SQLite's own checkpoints stay in place";
}

TEST(JournalFlusherTest, BadArgumentsAreRefused) {
  const std::string dir = testing::FreshDir();
  std::atomic<int> frames{0};
  EXPECT_EQ(JournalFlusher::Start(dir + "/missing.db", frames).status().code(),
            absl::StatusCode::kUnavailable);
  auto journal = OpenJournal(dir + "/j.db", CommitSync::kOsWrite);
  EXPECT_EQ(JournalFlusher::Start(dir + "/j.db", journal->wal_frames(), 0).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace combo::accounts

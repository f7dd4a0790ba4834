// JournalFlusher: the background flush behind `accounts.durability: process`.
//
// A journal opened with CommitSync::kOsWrite commits to the operating system only, so the
// report path never waits for the disk. Each Flush request makes everything committed so far
// durable on disk, on the flusher's own thread with its own SQLite connection: an fdatasync of
// the WAL file, or, once the WAL holds `checkpoint_frames` frames, a passive checkpoint (which
// syncs the WAL, copies it into the database and syncs that) so the WAL does not grow without
// end. A passive checkpoint never blocks the writer (SQLite's WAL lets it run beside commits);
// after one, SQLite restarts the WAL and the writer's next commit syncs the new WAL header once.
// The AccountsService requests a flush `flush_interval` after the first unflushed event, so a
// power loss loses at most about that interval of acknowledged events.
//
// Thread-safety: Request, WaitIdle, flushes(), checkpoints() and status() from any thread; the
// work runs on the flusher's thread; the destructor finishes a requested flush and joins it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

struct sqlite3;

namespace combo::accounts {

class JournalFlusher {
 public:
  // The WAL size (in 4 KiB frames, about 16 MiB) past which a flush checkpoints.
  static constexpr int kCheckpointFrames = 4096;

  // Opens a second connection to the journal at `path` and starts the thread. `wal_frames` is the
  // writer's count (Journal::wal_frames()) and must outlive the flusher.
  static absl::StatusOr<std::unique_ptr<JournalFlusher>> Start(
      const std::string& path, const std::atomic<int>& wal_frames,
      int checkpoint_frames = kCheckpointFrames);
  ~JournalFlusher();
  JournalFlusher(const JournalFlusher&) = delete;
  JournalFlusher& operator=(const JournalFlusher&) = delete;

  // Asks for a flush and returns at once; requests made while one waits are merged into it.
  void Request();
  // Returns once every flush requested before the call has run (tests, orderly shutdown).
  void WaitIdle() const;

  // Flushes done, and how many of them were checkpoints.
  uint64_t flushes() const { return flushes_.load(); }
  uint64_t checkpoints() const { return checkpoints_.load(); }
  // OK, or the first failure: the disk refused to make the journal durable.
  absl::Status status() const;
  // Whether status() is a failure, without the lock (the order path asks on every order).
  bool failed() const { return failed_.load(std::memory_order_acquire); }

 private:
  JournalFlusher(std::string path, sqlite3* db, const std::atomic<int>& wal_frames,
                 int checkpoint_frames);
  void Run();
  absl::Status FlushOnce();

  const std::string path_;
  sqlite3* const db_;
  const std::atomic<int>& wal_frames_;
  const int checkpoint_frames_;
  int wal_fd_ = -1;  // the WAL file, opened on first use (flusher thread only)

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  mutable std::condition_variable done_;
  uint64_t requested_ = 0;  // requests made (under mutex_)
  uint64_t served_ = 0;     // requests covered by a finished flush (under mutex_)
  bool stopping_ = false;   // under mutex_
  absl::Status status_;     // under mutex_
  std::atomic<bool> failed_{false};
  std::atomic<uint64_t> flushes_{0};
  std::atomic<uint64_t> checkpoints_{0};
  std::thread thread_;
};

}  // namespace combo::accounts

#include "accounts/journal_flusher.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace combo::accounts {

absl::StatusOr<std::unique_ptr<JournalFlusher>> JournalFlusher::Start(
    const std::string& path, const std::atomic<int>& wal_frames, int checkpoint_frames) {
  if (checkpoint_frames < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "journal flusher: checkpoint_frames must be at least 1, not ", checkpoint_frames));
  }
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  // synchronous=NORMAL on this connection: its checkpoints sync the WAL before copying it and
  // the database after.
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(db, "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);
  // A first read joins the WAL: while this connection is open the WAL file stays in place.
  if (rc == SQLITE_OK) {
    rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
  }
  if (rc != SQLITE_OK) {
    absl::Status error = absl::UnavailableError(absl::StrCat(
        "journal ", path, ": the flusher cannot open it: ",
        db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc), " (sqlite code ", rc, ")"));
    sqlite3_close_v2(db);
    return error;
  }
  return std::unique_ptr<JournalFlusher>(
      new JournalFlusher(path, db, wal_frames, checkpoint_frames));
}

JournalFlusher::JournalFlusher(std::string path, sqlite3* db, const std::atomic<int>& wal_frames,
                               int checkpoint_frames)
    : path_(std::move(path)),
      db_(db),
      wal_frames_(wal_frames),
      checkpoint_frames_(checkpoint_frames),
      thread_([this] { Run(); }) {}

JournalFlusher::~JournalFlusher() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  if (wal_fd_ >= 0) close(wal_fd_);
  sqlite3_close_v2(db_);
}

void JournalFlusher::Request() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++requested_;
  }
  wake_.notify_one();
}

void JournalFlusher::WaitIdle() const {
  std::unique_lock<std::mutex> lock(mutex_);
  const uint64_t wanted = requested_;
  done_.wait(lock, [&] { return served_ >= wanted; });
}

absl::Status JournalFlusher::status() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return status_;
}

void JournalFlusher::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || requested_ > served_; });
    // A request made before the stop is still served: the destructor finishes it.
    if (requested_ == served_) return;
    const uint64_t covering = requested_;
    lock.unlock();
    absl::Status result = FlushOnce();
    lock.lock();
    if (!result.ok() && status_.ok()) {
      status_ = std::move(result);
      failed_.store(true, std::memory_order_release);
    }
    served_ = covering;
    done_.notify_all();
  }
}

absl::Status JournalFlusher::FlushOnce() {
  flushes_.fetch_add(1);
  if (wal_frames_.load(std::memory_order_relaxed) >= checkpoint_frames_) {
    int log_frames = 0;
    int copied_frames = 0;
    const int rc = sqlite3_wal_checkpoint_v2(db_, "main", SQLITE_CHECKPOINT_PASSIVE, &log_frames,
                                             &copied_frames);
    if (rc != SQLITE_OK) {
      return absl::UnavailableError(
          absl::StrCat("journal ", path_, ": background checkpoint failed: ", sqlite3_errmsg(db_),
                       " (sqlite code ", rc, ")"));
    }
    checkpoints_.fetch_add(1);
    return absl::OkStatus();
  }
  if (wal_fd_ < 0) {
    // The WAL exists while a connection (this one) is open; it is never replaced meanwhile.
    const std::string wal = path_ + "-wal";
    wal_fd_ = open(wal.c_str(), O_RDONLY | O_CLOEXEC);
    if (wal_fd_ < 0) {
      // No WAL yet: nothing was ever committed through one, so there is nothing to sync.
      if (errno == ENOENT) return absl::OkStatus();
      return absl::UnavailableError(
          absl::StrCat("journal ", path_, ": cannot open ", wal, ": ", std::strerror(errno)));
    }
  }
  if (fdatasync(wal_fd_) != 0) {
    return absl::UnavailableError(
        absl::StrCat("journal ", path_, ": background sync failed: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace combo::accounts

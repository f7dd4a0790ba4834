// Journal: the durable, append-only log of JournalEvents in a SQLite database (WAL mode).
//
// One row per event, keyed by its sequence number, with the event's text record. The schema is
// versioned (PRAGMA user_version) and marked as ours (PRAGMA application_id); Open migrates an
// older schema forward in one transaction. Before it writes anything, Open checks the file: a
// file that is not a SQLite database or is corrupt, a database another program wrote, or a
// schema newer than this build are refused with an error naming the problem, and the file is
// left untouched. Append writes a batch in one transaction; what an OK return promises depends
// on JournalOptions::sync (CommitSync below); when it fails nothing of the batch is stored.
// Not thread-safe: one owner (AccountsService, or the read-only operator tool); wal_frames() may
// be read from any thread (the JournalFlusher's).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "accounts/events.h"
#include "core/ids.h"

struct sqlite3;
struct sqlite3_stmt;

namespace combo::accounts {

// What a commit waits for before Append returns.
enum class CommitSync : uint8_t {
  // synchronous=FULL: the commit fsyncs the WAL; the batch survives a power loss.
  kFsync,
  // synchronous=NORMAL with no checkpoint on commit: the commit is written to the operating
  // system (write(2) into the WAL) and returns without waiting for the disk; the batch survives
  // the death of the process, and a JournalFlusher makes it durable on disk in the background.
  kOsWrite,
};

struct JournalOptions {
  CommitSync sync = CommitSync::kFsync;
  // A cap on the database size in pages (PRAGMA max_page_count); 0 leaves SQLite's own limit.
  // Reaching it fails an Append exactly as a full disk does.
  int64_t max_pages = 0;
};

class Journal {
 public:
  // The schema this build writes; Open migrates older ones to it.
  static constexpr int kSchemaVersion = 6;
  // PRAGMA application_id of a combo-router journal: "CMBJ".
  static constexpr int32_t kApplicationId = 0x434D424A;

  // Opens (creating it if missing) and migrates the journal at `path` for appending.
  static absl::StatusOr<std::unique_ptr<Journal>> Open(const std::string& path,
                                                       JournalOptions options = {});
  // Opens an existing journal without ever writing to it (the operator command).
  static absl::StatusOr<std::unique_ptr<Journal>> OpenReadOnly(const std::string& path);
  // Creates a journal with the schema of an older version (tests of migration only).
  static absl::Status CreateAtSchemaVersionForTesting(const std::string& path, int version);

  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Stores `events` (consecutive sequence numbers following the last stored one) in one
  // transaction, durable when this returns OK. ResourceExhausted when the disk or the page cap
  // is full; nothing of the batch is stored on any failure.
  absl::Status Append(std::span<const StoredEvent> events);

  // Every stored event in sequence order; fails naming the first record that does not decode.
  absl::StatusOr<std::vector<StoredEvent>> ReadAll() const;
  // The events of one order in sequence order.
  absl::StatusOr<std::vector<StoredEvent>> ReadOrder(core::OrderId order) const;
  // The highest stored sequence number, 0 when empty.
  absl::StatusOr<uint64_t> LastSequence() const;

  // Frames in the WAL after the last commit (CommitSync::kOsWrite only; 0 otherwise): how far
  // the WAL has grown since SQLite last restarted it. Read by the JournalFlusher's thread.
  const std::atomic<int>& wal_frames() const { return wal_frames_; }

  int schema_version() const { return schema_version_; }
  const std::string& path() const { return path_; }

 private:
  Journal(std::string path, sqlite3* db, int schema_version);
  absl::Status PrepareStatements();
  absl::Status Exec(const char* sql);
  // Steps a prepared statement that returns no rows (BEGIN, COMMIT, ROLLBACK).
  absl::Status Step(sqlite3_stmt* statement, std::string_view what);
  absl::Status Error(std::string_view what, int code) const;
  absl::StatusOr<std::vector<StoredEvent>> ReadRows(sqlite3_stmt* statement) const;
  // SQLite's WAL hook (after each commit): records the WAL's frame count, checkpoints nothing.
  static int OnWalCommit(void* journal, sqlite3* db, const char* schema, int frames);

  std::string path_;
  sqlite3* db_ = nullptr;
  int schema_version_ = 0;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* select_all_ = nullptr;
  sqlite3_stmt* select_order_ = nullptr;
  sqlite3_stmt* last_sequence_ = nullptr;
  sqlite3_stmt* begin_ = nullptr;
  sqlite3_stmt* commit_ = nullptr;
  sqlite3_stmt* rollback_ = nullptr;
  // The last sequence this connection stored, once it has stored or read one: the journal has
  // one writer (the daemon's AccountsService), so Append need not ask the database each time.
  std::optional<uint64_t> appended_through_;
  std::atomic<int> wal_frames_{0};
};

}  // namespace combo::accounts

#include "accounts/journal.h"

#include <sqlite3.h>

#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/status.h"

namespace combo::accounts {
namespace {

// Migration i takes the schema from version i - 1 to version i. Never edit a released step;
// add a new one and raise Journal::kSchemaVersion.
constexpr const char* kMigrations[] = {
    "",
    // 1: the event log.
    "CREATE TABLE events ("
    "  sequence INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL,"
    "  order_id INTEGER,"
    "  time_ns INTEGER NOT NULL,"
    "  payload TEXT NOT NULL);",
    // 2: an order's history without a scan (operator command, router recovery of one order).
    "CREATE INDEX events_by_order ON events(order_id);",
    // 3: events a restarted router resumes orders from: order_accepted records the client, order
    // type, time in force and SecurityID; combo_defined records a client's combo definition.
    // Older records still read (their new fields take defaults); the version keeps an older
    // build from misreading the new kinds.
    "CREATE INDEX events_by_kind ON events(kind);",
    // 4: order_accepted may carry tif "gtd" and expires_at (when the order ends on its own);
    // no table changes: the version alone keeps an older build from misreading them (it would
    // resume a good-till-date order as a day order, or one that has expired).
    "SELECT 1;",
    // 5: the residual resolver's events (residual_action, resolver_fill, residual_delivered);
    // no table changes: the version keeps an older build from refusing or misreading them.
    "SELECT 1;",
    // 6: no query reads events by kind (a restart replays every event in sequence), and each
    // index is one more page written on every commit, on the path to every acknowledgement.
    "DROP INDEX IF EXISTS events_by_kind;",
};
static_assert(std::size(kMigrations) == Journal::kSchemaVersion + 1);

// What Open learns about a file before deciding whether it may write to it.
struct FileFacts {
  int64_t schema_objects = 0;
  int64_t application_id = 0;
  int64_t user_version = 0;
};

absl::Status SqliteError(const std::string& path, std::string_view what, sqlite3* db, int code) {
  const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  const std::string text = absl::StrCat("journal ", path, ": ", core::AsAbsl(what), ": ", message,
                                        " (sqlite code ", code, ")");
  switch (code & 0xff) {
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(text);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return absl::DataLossError(text);
    case SQLITE_CANTOPEN:
      return absl::NotFoundError(text);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
      return absl::UnavailableError(text);
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return absl::PermissionDeniedError(text);
    case SQLITE_CONSTRAINT:
      return absl::AlreadyExistsError(text);
    default:
      return absl::InternalError(text);
  }
}

absl::StatusOr<int64_t> QueryInt(sqlite3* db, const std::string& path, const char* sql) {
  sqlite3_stmt* statement = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &statement, nullptr);
  if (rc != SQLITE_OK) return SqliteError(path, sql, db, rc);
  rc = sqlite3_step(statement);
  int64_t value = 0;
  if (rc == SQLITE_ROW) value = sqlite3_column_int64(statement, 0);
  sqlite3_finalize(statement);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqliteError(path, sql, db, rc);
  return value;
}

absl::StatusOr<std::string> QueryText(sqlite3* db, const std::string& path, const char* sql) {
  sqlite3_stmt* statement = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &statement, nullptr);
  if (rc != SQLITE_OK) return SqliteError(path, sql, db, rc);
  std::string text;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    const unsigned char* column = sqlite3_column_text(statement, 0);
    if (!text.empty()) text += "; ";
    text += column == nullptr ? "" : reinterpret_cast<const char*>(column);
  }
  sqlite3_finalize(statement);
  if (rc != SQLITE_DONE) return SqliteError(path, sql, db, rc);
  return text;
}

absl::Status ExecOn(sqlite3* db, const std::string& path, const char* sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
  sqlite3_free(message);
  if (rc != SQLITE_OK) return SqliteError(path, sql, db, rc);
  return absl::OkStatus();
}

// Reads the facts without writing; a file that is not a database fails here.
absl::StatusOr<FileFacts> Inspect(sqlite3* db, const std::string& path) {
  FileFacts facts;
  auto objects = QueryInt(db, path, "SELECT count(*) FROM sqlite_master");
  if (!objects.ok()) {
    return absl::Status(objects.status().code(),
                        absl::StrCat(objects.status().message(),
                                     "; it is not a SQLite database or it is corrupt; "
                                     "the file was left untouched"));
  }
  facts.schema_objects = *objects;
  COMBO_ASSIGN_OR_RETURN(facts.application_id, QueryInt(db, path, "PRAGMA application_id"));
  COMBO_ASSIGN_OR_RETURN(facts.user_version, QueryInt(db, path, "PRAGMA user_version"));
  return facts;
}

bool IsFresh(const FileFacts& facts) {
  return facts.schema_objects == 0 && facts.application_id == 0 && facts.user_version == 0;
}

// Refuses a database that is not a journal of ours, or whose schema is newer than this build.
absl::Status CheckOwnership(const FileFacts& facts, const std::string& path) {
  if (facts.application_id != Journal::kApplicationId) {
    return absl::FailedPreconditionError(absl::StrCat(
        "journal ", path, " is a SQLite database written by another program (application_id ",
        facts.application_id, ", expected ", Journal::kApplicationId,
        "); refusing to use it; the file was left untouched"));
  }
  if (facts.user_version > Journal::kSchemaVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("journal ", path, " has schema version ", facts.user_version,
                     ", newer than this build supports (", Journal::kSchemaVersion,
                     "); upgrade combo-router; the file was left untouched"));
  }
  if (facts.user_version < 1) {
    return absl::DataLossError(absl::StrCat("journal ", path,
                                            " is marked as a combo-router journal but has no "
                                            "schema version; the file was left untouched"));
  }
  return absl::OkStatus();
}

absl::Status QuickCheck(sqlite3* db, const std::string& path) {
  auto result = QueryText(db, path, "PRAGMA quick_check");
  if (!result.ok()) {
    return absl::DataLossError(absl::StrCat(
        result.status().message(), "; the journal is corrupt; the file was left untouched"));
  }
  if (*result != "ok") {
    return absl::DataLossError(
        absl::StrCat("journal ", path, " is corrupt (", *result, "); the file was left untouched"));
  }
  return absl::OkStatus();
}

// Migrates from `from` to `to` in one transaction: a crash leaves the old schema or the new one.
absl::Status Migrate(sqlite3* db, const std::string& path, int64_t from, int to) {
  COMBO_RETURN_IF_ERROR(ExecOn(db, path, "BEGIN IMMEDIATE"));
  absl::Status status;
  for (int64_t version = from + 1; version <= to && status.ok(); ++version) {
    status = ExecOn(db, path, kMigrations[version]);
  }
  if (status.ok()) {
    status =
        ExecOn(db, path, absl::StrCat("PRAGMA application_id = ", Journal::kApplicationId).c_str());
  }
  if (status.ok()) {
    status = ExecOn(db, path, absl::StrCat("PRAGMA user_version = ", to).c_str());
  }
  if (status.ok()) status = ExecOn(db, path, "COMMIT");
  if (!status.ok() && sqlite3_get_autocommit(db) == 0) {
    ExecOn(db, path, "ROLLBACK").IgnoreError();
  }
  return status;
}

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbHandle = std::unique_ptr<sqlite3, DbCloser>;

// How long a statement waits for a lock another connection holds before it fails.
constexpr int kBusyTimeoutMs = 2000;

absl::StatusOr<DbHandle> OpenHandle(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  DbHandle db(raw);
  if (rc != SQLITE_OK) return SqliteError(path, "cannot open", db.get(), rc);
  sqlite3_extended_result_codes(db.get(), 1);
  // The background flusher's connection (journal_flusher.h) checkpoints beside the writer, and
  // a checkpoint briefly locks parts of the WAL index: a commit that meets one waits for it (a
  // few milliseconds at most) instead of failing, which would stop new orders as if the disk
  // had refused the journal.
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  return db;
}

}  // namespace

Journal::Journal(std::string path, sqlite3* db, int schema_version)
    : path_(std::move(path)), db_(db), schema_version_(schema_version) {}

Journal::~Journal() {
  for (sqlite3_stmt* statement :
       {insert_, select_all_, select_order_, last_sequence_, begin_, commit_, rollback_}) {
    sqlite3_finalize(statement);
  }
  sqlite3_close_v2(db_);
}

absl::StatusOr<std::unique_ptr<Journal>> Journal::Open(const std::string& path,
                                                       JournalOptions options) {
  if (options.max_pages < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("journal max_pages must not be negative: ", options.max_pages));
  }
  COMBO_ASSIGN_OR_RETURN(DbHandle db, OpenHandle(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  COMBO_ASSIGN_OR_RETURN(FileFacts facts, Inspect(db.get(), path));
  const bool fresh = IsFresh(facts);
  if (!fresh) {
    COMBO_RETURN_IF_ERROR(CheckOwnership(facts, path));
    COMBO_RETURN_IF_ERROR(QuickCheck(db.get(), path));
  }
  // Only now, with the file known to be ours (or empty), may anything be written.
  COMBO_ASSIGN_OR_RETURN(std::string mode, QueryText(db.get(), path, "PRAGMA journal_mode=WAL"));
  if (mode != "wal") {
    return absl::FailedPreconditionError(
        absl::StrCat("journal ", path, " cannot use WAL mode (got '", mode, "')"));
  }
  COMBO_RETURN_IF_ERROR(ExecOn(db.get(), path,
                               options.sync == CommitSync::kFsync ? "PRAGMA synchronous=FULL"
                                                                  : "PRAGMA synchronous=NORMAL"));
  if (options.max_pages > 0) {
    COMBO_RETURN_IF_ERROR(ExecOn(
        db.get(), path, absl::StrCat("PRAGMA max_page_count = ", options.max_pages).c_str()));
  }
  if (facts.user_version < kSchemaVersion) {
    COMBO_RETURN_IF_ERROR(Migrate(db.get(), path, facts.user_version, kSchemaVersion));
  }
  std::unique_ptr<Journal> journal(new Journal(path, db.release(), kSchemaVersion));
  if (options.sync == CommitSync::kOsWrite) {
    // Replaces SQLite's automatic checkpoint, which would sync the WAL and the database inside
    // a commit every 1000 frames: the JournalFlusher checkpoints instead, on its own thread.
    sqlite3_wal_hook(journal->db_, &Journal::OnWalCommit, journal.get());
  }
  COMBO_RETURN_IF_ERROR(journal->PrepareStatements());
  return journal;
}

int Journal::OnWalCommit(void* journal, sqlite3* /*db*/, const char* /*schema*/, int frames) {
  static_cast<Journal*>(journal)->wal_frames_.store(frames, std::memory_order_relaxed);
  return SQLITE_OK;
}

absl::StatusOr<std::unique_ptr<Journal>> Journal::OpenReadOnly(const std::string& path) {
  COMBO_ASSIGN_OR_RETURN(DbHandle db, OpenHandle(path, SQLITE_OPEN_READONLY));
  COMBO_ASSIGN_OR_RETURN(FileFacts facts, Inspect(db.get(), path));
  COMBO_RETURN_IF_ERROR(CheckOwnership(facts, path));
  COMBO_RETURN_IF_ERROR(QuickCheck(db.get(), path));
  std::unique_ptr<Journal> journal(
      new Journal(path, db.release(), static_cast<int>(facts.user_version)));
  COMBO_RETURN_IF_ERROR(journal->PrepareStatements());
  return journal;
}

absl::Status Journal::CreateAtSchemaVersionForTesting(const std::string& path, int version) {
  if (version < 1 || version > kSchemaVersion) {
    return absl::InvalidArgumentError(absl::StrCat("no schema version ", version));
  }
  COMBO_ASSIGN_OR_RETURN(DbHandle db, OpenHandle(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  COMBO_RETURN_IF_ERROR(ExecOn(db.get(), path, "PRAGMA journal_mode=WAL"));
  return Migrate(db.get(), path, 0, version);
}

absl::Status Journal::PrepareStatements() {
  struct {
    const char* sql;
    sqlite3_stmt** statement;
  } const statements[] = {
      {"INSERT INTO events (sequence, kind, order_id, time_ns, payload) VALUES (?, ?, ?, ?, ?)",
       &insert_},
      {"SELECT sequence, kind, payload FROM events ORDER BY sequence", &select_all_},
      {"SELECT sequence, kind, payload FROM events WHERE order_id = ? ORDER BY sequence",
       &select_order_},
      {"SELECT coalesce(max(sequence), 0) FROM events", &last_sequence_},
      {"BEGIN IMMEDIATE", &begin_},
      {"COMMIT", &commit_},
      {"ROLLBACK", &rollback_},
  };
  for (const auto& s : statements) {
    const int rc = sqlite3_prepare_v2(db_, s.sql, -1, s.statement, nullptr);
    if (rc != SQLITE_OK) return Error(s.sql, rc);
  }
  return absl::OkStatus();
}

absl::Status Journal::Exec(const char* sql) { return ExecOn(db_, path_, sql); }

absl::Status Journal::Step(sqlite3_stmt* statement, std::string_view what) {
  const int rc = sqlite3_step(statement);
  sqlite3_reset(statement);
  if (rc != SQLITE_DONE) return Error(what, rc);
  return absl::OkStatus();
}

absl::Status Journal::Error(std::string_view what, int code) const {
  return SqliteError(path_, what, db_, code);
}

absl::Status Journal::Append(std::span<const StoredEvent> events) {
  if (events.empty()) return absl::OkStatus();
  if (!appended_through_.has_value()) {
    COMBO_ASSIGN_OR_RETURN(appended_through_, LastSequence());
  }
  const uint64_t last = *appended_through_;
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].sequence != last + 1 + i) {
      return absl::InvalidArgumentError(absl::StrCat("journal ", path_, ": event sequence ",
                                                     events[i].sequence, " does not follow ",
                                                     last + i, "; nothing was stored"));
    }
  }
  absl::Status status = Step(begin_, "BEGIN IMMEDIATE");
  for (size_t i = 0; i < events.size() && status.ok(); ++i) {
    const StoredEvent& stored = events[i];
    const std::string_view kind = ToString(KindOf(stored.event));
    const std::string payload = EncodePayload(stored.event);
    const std::optional<core::OrderId> order = OrderOf(stored.event);
    sqlite3_reset(insert_);
    sqlite3_bind_int64(insert_, 1, static_cast<int64_t>(stored.sequence));
    sqlite3_bind_text(insert_, 2, kind.data(), static_cast<int>(kind.size()), SQLITE_STATIC);
    if (order.has_value()) {
      sqlite3_bind_int64(insert_, 3, static_cast<int64_t>(order->value()));
    } else {
      sqlite3_bind_null(insert_, 3);
    }
    sqlite3_bind_int64(insert_, 4, TimeOf(stored.event).unix_nanos());
    // Not copied: the statement is reset (letting go of the text) before `payload` goes.
    sqlite3_bind_text(insert_, 5, payload.data(), static_cast<int>(payload.size()), SQLITE_STATIC);
    const int rc = sqlite3_step(insert_);
    if (rc != SQLITE_DONE) status = Error("storing an event", rc);
    sqlite3_reset(insert_);
  }
  if (status.ok()) status = Step(commit_, "COMMIT");
  if (!status.ok()) {
    if (sqlite3_get_autocommit(db_) == 0) Step(rollback_, "ROLLBACK").IgnoreError();
    appended_through_.reset();  // ask the database again next time
    return absl::Status(status.code(),
                        absl::StrCat(status.message(), "; none of the ", events.size(),
                                     " events of this batch was stored"));
  }
  appended_through_ = events.back().sequence;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<StoredEvent>> Journal::ReadRows(sqlite3_stmt* statement) const {
  std::vector<StoredEvent> events;
  int rc;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    const auto sequence = static_cast<uint64_t>(sqlite3_column_int64(statement, 0));
    const auto* kind_text = reinterpret_cast<const char*>(sqlite3_column_text(statement, 1));
    const auto* payload_text = reinterpret_cast<const char*>(sqlite3_column_text(statement, 2));
    // Copied: the column's text dies with the statement's reset below.
    const std::string kind_view = kind_text == nullptr ? "" : kind_text;
    const std::string_view payload =
        payload_text == nullptr
            ? std::string_view()
            : std::string_view(payload_text,
                               static_cast<size_t>(sqlite3_column_bytes(statement, 2)));
    auto kind = ParseEventKind(kind_view);
    absl::StatusOr<JournalEvent> event =
        kind.ok() ? DecodePayload(*kind, payload) : absl::StatusOr<JournalEvent>(kind.status());
    if (!event.ok()) {
      sqlite3_reset(statement);
      return absl::DataLossError(absl::StrCat("journal ", path_, ": event ", sequence, " (",
                                              core::AsAbsl(kind_view),
                                              ") does not decode: ", event.status().message()));
    }
    events.push_back(StoredEvent{sequence, *std::move(event)});
  }
  sqlite3_reset(statement);
  if (rc != SQLITE_DONE) return Error("reading events", rc);
  return events;
}

absl::StatusOr<std::vector<StoredEvent>> Journal::ReadAll() const { return ReadRows(select_all_); }

absl::StatusOr<std::vector<StoredEvent>> Journal::ReadOrder(core::OrderId order) const {
  sqlite3_reset(select_order_);
  sqlite3_bind_int64(select_order_, 1, static_cast<int64_t>(order.value()));
  return ReadRows(select_order_);
}

absl::StatusOr<uint64_t> Journal::LastSequence() const {
  const int rc = sqlite3_step(last_sequence_);
  uint64_t last = 0;
  if (rc == SQLITE_ROW) last = static_cast<uint64_t>(sqlite3_column_int64(last_sequence_, 0));
  sqlite3_reset(last_sequence_);
  if (rc != SQLITE_ROW) return Error("reading the last sequence", rc);
  return last;
}

}  // namespace combo::accounts

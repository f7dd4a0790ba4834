// Logging: the daemon's structured one-line log records (logfmt on spdlog).
//
// Every record is one line: an ISO-8601 UTC timestamp, the level, an event name and key=value
// fields, values quoted when they hold spaces, quotes or '=':
//   2026-11-21T19:30:00.123456Z level=info event=fix_listening port=9878 sessions=2
// Components log state changes (a venue down, a reload, a trading-state change) at info and
// above; anything per order or per message is debug, so the default level (info) logs nothing
// on the hot path. Configure once at start (and again on reload of the level); Log is
// thread-safe (spdlog's synchronized sinks).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "spdlog/common.h"

namespace combo::daemon {

// The config spellings: trace, debug, info, warn, error, critical, off. Anything else fails,
// listing what is accepted.
absl::StatusOr<spdlog::level::level_enum> ParseLogLevel(std::string_view text);

struct LogOptions {
  spdlog::level::level_enum level = spdlog::level::info;
  // Where records go: stderr when empty, else appended to this file.
  std::string file;
};

// Installs the daemon's logger as spdlog's default. Fails (keeping the previous logger) when the
// log file cannot be opened.
absl::Status ConfigureLogging(const LogOptions& options);
void SetLogLevel(spdlog::level::level_enum level);
bool LogEnabled(spdlog::level::level_enum level);

using LogField = std::pair<std::string_view, std::string_view>;

// "event=<event> k1=v1 k2=v2", values quoted as needed (exposed for tests).
std::string FormatRecord(std::string_view event, std::initializer_list<LogField> fields);

// Logs one record at `level` (nothing is formatted when the level is off).
void Log(spdlog::level::level_enum level, std::string_view event,
         std::initializer_list<LogField> fields = {});

}  // namespace combo::daemon

#include "daemon/logging.h"

#include <exception>
#include <memory>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "spdlog/pattern_formatter.h"
#include "spdlog/sinks/basic_file_sink.h"
#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace combo::daemon {
namespace {

constexpr std::string_view kLoggerName = "combo-routerd";

bool NeedsQuotes(std::string_view value) {
  if (value.empty()) return true;
  for (char c : value) {
    if (c == ' ' || c == '"' || c == '=' || c == '\t' || c == '\n') return true;
  }
  return false;
}

void AppendValue(std::string& out, std::string_view value) {
  if (!NeedsQuotes(value)) {
    out.append(value);
    return;
  }
  out.push_back('"');
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out.append("\\n");
      continue;
    }
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace

absl::StatusOr<spdlog::level::level_enum> ParseLogLevel(std::string_view text) {
  using spdlog::level::level_enum;
  static constexpr std::pair<std::string_view, level_enum> kLevels[] = {
      {"trace", level_enum::trace}, {"debug", level_enum::debug},
      {"info", level_enum::info},   {"warn", level_enum::warn},
      {"error", level_enum::err},   {"critical", level_enum::critical},
      {"off", level_enum::off}};
  for (const auto& [name, level] : kLevels) {
    if (text == name) return level;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown log level '", core::AsAbsl(text),
                   "' (expected trace, debug, info, warn, error, critical or off)"));
}

absl::Status ConfigureLogging(const LogOptions& options) {
  std::shared_ptr<spdlog::logger> logger;
  try {
    if (options.file.empty()) {
      logger = std::make_shared<spdlog::logger>(std::string(kLoggerName),
                                                std::make_shared<spdlog::sinks::stderr_sink_mt>());
    } else {
      logger = std::make_shared<spdlog::logger>(
          std::string(kLoggerName),
          std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file));
    }
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot open log file ", options.file, ": ", e.what()));
  }
  // UTC timestamps with microseconds, then the level; the message is the logfmt body.
  logger->set_formatter(std::make_unique<spdlog::pattern_formatter>(
      "%Y-%m-%dT%H:%M:%S.%fZ level=%l %v", spdlog::pattern_time_type::utc));
  logger->set_level(options.level);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(std::move(logger));
  return absl::OkStatus();
}

void SetLogLevel(spdlog::level::level_enum level) {
  spdlog::default_logger_raw()->set_level(level);
}

bool LogEnabled(spdlog::level::level_enum level) {
  return spdlog::default_logger_raw()->should_log(level);
}

std::string FormatRecord(std::string_view event, std::initializer_list<LogField> fields) {
  std::string out = "event=";
  AppendValue(out, event);
  for (const auto& [key, value] : fields) {
    out.push_back(' ');
    out.append(key);
    out.push_back('=');
    AppendValue(out, value);
  }
  return out;
}

void Log(spdlog::level::level_enum level, std::string_view event,
         std::initializer_list<LogField> fields) {
  spdlog::logger* logger = spdlog::default_logger_raw();
  if (!logger->should_log(level)) return;
  logger->log(level, "{}", FormatRecord(event, fields));
}

}  // namespace combo::daemon

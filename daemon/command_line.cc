#include "daemon/command_line.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "boost/asio/io_context.hpp"
#include "config/daemon_config.h"
#include "daemon/daemon.h"
#include "daemon/daemon_metrics.h"
#include "daemon/listing_date.h"
#include "daemon/logging.h"

namespace combo::daemon {
namespace {

spdlog::level::level_enum ToSpdlog(config::LogLevel level) {
  switch (level) {
    case config::LogLevel::kTrace:
      return spdlog::level::trace;
    case config::LogLevel::kDebug:
      return spdlog::level::debug;
    case config::LogLevel::kInfo:
      return spdlog::level::info;
    case config::LogLevel::kWarn:
      return spdlog::level::warn;
    case config::LogLevel::kError:
      return spdlog::level::err;
    case config::LogLevel::kCritical:
      return spdlog::level::critical;
    case config::LogLevel::kOff:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

// Written next to the target and renamed, so a reader never sees half a file.
absl::Status WriteListenFile(const std::string& path, const Listening& listening) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << "fix_address=" << listening.fix_address << "\n"
        << "fix_port=" << listening.fix_port << "\n"
        << "metrics_url=" << listening.metrics_url << "\n"
        << "metrics_port=" << listening.metrics_port << "\n"
        << "negotiation_address=" << listening.negotiation_address << "\n"
        << "negotiation_port=" << listening.negotiation_port << "\n";
    if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", temporary));
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    return absl::UnavailableError(absl::StrCat("cannot write ", path, ": ", error.message()));
  }
  return absl::OkStatus();
}

// Expiries are judged by today's date, as the daemon would at start.
config::LoadOptions Today() {
  const core::WallClock clock;
  return config::LoadOptions{ListingDate(clock)};
}

int CheckConfig(const std::string& path) {
  absl::StatusOr<config::DaemonConfig> loaded = config::LoadDaemonConfigFile(path, Today());
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s: invalid config\n%s\n", path.c_str(),
                 std::string(loaded.status().message()).c_str());
    return 1;
  }
  size_t sessions = loaded->fix.sessions.size();
  const size_t expired =
      loaded->instrument_master.has_value() ? loaded->instrument_master->expired : 0;
  const std::string shard = loaded->sharding.has_value()
                                ? absl::StrCat(", shard ", loaded->sharding->this_shard().name,
                                               " of ", loaded->sharding->map().shards.size())
                                : std::string();
  std::printf(
      "%s: OK (%zu instruments, %zu expired skipped, %zu combos, %zu venues, %zu FIX sessions, "
      "simulation %s%s)\n",
      path.c_str(), loaded->instruments.all().size(), expired, loaded->combos.size(),
      loaded->venues.size(), sessions, loaded->simulation.enabled ? "on" : "off", shard.c_str());
  return 0;
}

int Run(const CommandLine& command) {
  absl::StatusOr<config::DaemonConfig> loaded =
      config::LoadDaemonConfigFile(command.config_path, Today());
  if (!loaded.ok()) {
    std::fprintf(stderr, "combo-routerd: %s: invalid config\n%s\n", command.config_path.c_str(),
                 std::string(loaded.status().message()).c_str());
    return 1;
  }
  LogOptions log_options;
  log_options.level = ToSpdlog(loaded->logging.level);
  if (!loaded->logging.file.empty()) {
    // Resolved against daemon.data_dir by the loader.
    log_options.file = loaded->logging.file;
    std::error_code ignored;
    std::filesystem::create_directories(std::filesystem::path(log_options.file).parent_path(),
                                        ignored);
  }
  if (absl::Status logging = ConfigureLogging(log_options); !logging.ok()) {
    std::fprintf(stderr, "combo-routerd: %s\n", std::string(logging.message()).c_str());
    return 1;
  }
  boost::asio::io_context io;
  absl::StatusOr<std::unique_ptr<Daemon>> daemon = Daemon::Create(*std::move(loaded), io);
  if (!daemon.ok()) {
    Log(spdlog::level::critical, "start_failed",
        {{"error", std::string(daemon.status().message())}});
    std::fprintf(stderr, "combo-routerd: %s\n", std::string(daemon.status().message()).c_str());
    return 1;
  }
  if (absl::Status started = (*daemon)->Start(); !started.ok()) {
    Log(spdlog::level::critical, "start_failed", {{"error", std::string(started.message())}});
    std::fprintf(stderr, "combo-routerd: %s\n", std::string(started.message()).c_str());
    return 1;
  }
  const Listening& listening = (*daemon)->listening();
  std::vector<std::string> clients;
  for (const auto& session : (*daemon)->config().fix.sessions) {
    clients.push_back(session.client_comp_id);
  }
  std::printf(
      "combo-routerd %s is running (config %s)\n"
      "  FIX 4.4 acceptor: %s  (SenderCompID %s, TargetCompID %s)\n"
      "  metrics:          %s\n"
      "  stop with Ctrl-C or SIGTERM; SIGHUP reloads the leg-in policy, risk limits and new "
      "instruments\n",
      std::string(Version()).c_str(), command.config_path.c_str(),
      listening.fix_port == 0
          ? "off"
          : absl::StrCat(listening.fix_address, ":", listening.fix_port).c_str(),
      clients.empty() ? "-" : absl::StrJoin(clients, " or ").c_str(),
      (*daemon)->config().fix.sessions.empty()
          ? "-"
          : (*daemon)->config().fix.sessions.front().gateway_comp_id.c_str(),
      listening.metrics_port == 0 ? "off" : listening.metrics_url.c_str());
  std::fflush(stdout);
  if (!command.listen_file.empty()) {
    if (absl::Status written = WriteListenFile(command.listen_file, listening); !written.ok()) {
      std::fprintf(stderr, "combo-routerd: %s\n", std::string(written.message()).c_str());
      return 1;
    }
  }
  const int code = (*daemon)->Run();
  daemon->reset();
  Log(spdlog::level::info, "exit", {{"code", std::to_string(code)}});
  return code;
}

}  // namespace

absl::StatusOr<CommandLine> ParseCommandLine(const std::vector<std::string>& args) {
  CommandLine command;
  bool config_given = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&](absl::string_view flag) -> absl::StatusOr<std::string> {
      if (i + 1 >= args.size() || args[i + 1].rfind("--", 0) == 0) {
        return absl::InvalidArgumentError(absl::StrCat(flag, " needs a value"));
      }
      return args[++i];
    };
    if (arg == "--help" || arg == "-h") {
      command.action = CommandLine::Action::kHelp;
    } else if (arg == "--version") {
      command.action = CommandLine::Action::kVersion;
    } else if (arg == "--check-config") {
      command.action = CommandLine::Action::kCheckConfig;
      // The file may follow the flag directly.
      if (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0) {
        if (config_given) return absl::InvalidArgumentError("two config files given");
        command.config_path = args[++i];
        config_given = true;
      }
    } else if (arg == "--config") {
      absl::StatusOr<std::string> path = value("--config");
      if (!path.ok()) return path.status();
      if (config_given) return absl::InvalidArgumentError("two config files given");
      command.config_path = *path;
      config_given = true;
    } else if (arg == "--listen-file") {
      absl::StatusOr<std::string> path = value("--listen-file");
      if (!path.ok()) return path.status();
      command.listen_file = *path;
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown argument '", arg, "'"));
    }
  }
  return command;
}

std::string Usage() {
  return absl::StrCat(
      "usage: combo-routerd [--config FILE] [--listen-file FILE]\n"
      "       combo-routerd --check-config [FILE]\n"
      "       combo-routerd --version | --help\n"
      "FILE defaults to ",
      kDefaultConfigPath,
      ".\n"
      "Signals: SIGTERM/SIGINT drain and exit; SIGHUP reloads the leg-in policy and risk limits;\n"
      "SIGUSR1 halts trading, SIGUSR2 makes it active again, SIGRTMIN sets it to reducing.\n"
      "See docs/OPERATIONS.md.\n");
}

int RunMain(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  absl::StatusOr<CommandLine> command = ParseCommandLine(args);
  if (!command.ok()) {
    std::fprintf(stderr, "combo-routerd: %s\n%s", std::string(command.status().message()).c_str(),
                 Usage().c_str());
    return 2;
  }
  switch (command->action) {
    case CommandLine::Action::kHelp:
      std::printf("%s", Usage().c_str());
      return 0;
    case CommandLine::Action::kVersion:
      std::printf("combo-routerd %s\n", std::string(Version()).c_str());
      return 0;
    case CommandLine::Action::kCheckConfig:
      return CheckConfig(command->config_path);
    case CommandLine::Action::kRun:
      return Run(*command);
  }
  return 2;
}

}  // namespace combo::daemon

// CommandLine: combo-routerd's flags, and the program around the Daemon.
//
//   combo-routerd [--config FILE] [--listen-file FILE]   run the daemon
//   combo-routerd --check-config [FILE]                  validate a config file and exit
//   combo-routerd --version | --help
//
// FILE defaults to config/examples/demo.yaml. --listen-file writes where the daemon listens
// ("fix_port=...", "metrics_port=...", ... one per line) once everything listens, for scripts
// and tests that start it on ephemeral ports. Exit codes: 0 after a clean drain or a valid
// config, 1 when the config or start-up fails (or the shutdown timeout forced the exit), 2 for
// a usage error.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace combo::daemon {

inline constexpr char kDefaultConfigPath[] = "config/examples/demo.yaml";

struct CommandLine {
  enum class Action : uint8_t { kRun, kCheckConfig, kVersion, kHelp };
  Action action = Action::kRun;
  std::string config_path = kDefaultConfigPath;
  std::string listen_file;
};

// Fails naming the flag for an unknown flag, a missing value or a stray argument.
absl::StatusOr<CommandLine> ParseCommandLine(const std::vector<std::string>& args);

std::string Usage();

// main(): parses, then runs the action. Returns the process exit code.
int RunMain(int argc, char** argv);

}  // namespace combo::daemon

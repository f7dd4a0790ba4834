// Test helpers that run combo-routerd as a child process: start it on a config, signal it, wait
// for its exit, read back the ports it listens on; and a bounded poll for conditions a test waits
// on (the daemon runs in real time, so tests poll with deadlines, never sleep a fixed time).
// Test-only; a DaemonProcess is used from one thread (Signal from any).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace combo::daemon::testing {

// Polls `done` every 20 ms until it holds or `limit` passes; whether it held.
bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds limit);

// The whole file, or empty when it cannot be read.
std::string ReadFile(const std::string& path);

// The value of `key=` in a --listen-file, or 0.
int ListenedPort(const std::string& listen_file, const std::string& key);

// combo-routerd as a child process; killed with SIGKILL if still running when destroyed.
class DaemonProcess {
 public:
  DaemonProcess() = default;
  ~DaemonProcess();
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  // Starts `binary --config config --listen-file listen_file`, stdout and stderr to `out`.
  // False when it could not be spawned.
  bool Start(const std::string& binary, const std::string& config, const std::string& listen_file,
             const std::string& out);
  // False when the process is gone.
  bool Signal(int signal_number) const;
  // The exit status (128 + signal for a signal) once it exited within `limit`, else nullopt.
  std::optional<int> WaitExit(std::chrono::milliseconds limit);
  bool running() const;

 private:
  pid_t pid_ = -1;
};

}  // namespace combo::daemon::testing

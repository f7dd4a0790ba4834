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

// The config sections of the market the process tests trade: SPY and its 450 and 460 calls of
// 2036-12-19 (the vertical "SPY 20361219 C 450 +1 / SPY 20361219 C 460 -1"), with pricing.
inline constexpr char kSpyCallsConfig[] = R"(instruments:
  - {id: 1, symbol: SPY, asset_class: etf, tick_size: 0.01}
  - {id: 11, asset_class: option, underlying: SPY, right: call, strike: 450, expiry: 2036-12-19}
  - {id: 12, asset_class: option, underlying: SPY, right: call, strike: 460, expiry: 2036-12-19}
pricing:
  underlyings:
    SPY: {volatility: 0.20, rate: 0.05}
)";

// The accounts and fix sections of a process test's config: the journal at journal.sqlite, the
// FIX acceptor on 127.0.0.1:`fix_port` with its session stores, one session for `client`.
std::string JournalAndFixConfig(int fix_port, const std::string& client,
                                const std::string& dictionary);

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

#include "daemon/testing/daemon_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"

extern char** environ;

namespace combo::daemon::testing {

std::string JournalAndFixConfig(int fix_port, const std::string& client,
                                const std::string& dictionary) {
  return absl::StrCat(R"(accounts:
  journal:
    path: journal.sqlite
fix:
  enabled: true
  listen_address: 127.0.0.1
  port: )",
                      fix_port, R"(
  data_dictionary: )",
                      dictionary, R"(
  store_directory: fix/store
  sessions:
    - {client_comp_id: )",
                      client, "}\n");
}

bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int ListenedPort(const std::string& listen_file, const std::string& key) {
  std::stringstream in(ReadFile(listen_file));
  const std::string prefix = key + "=";
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) return std::stoi(line.substr(prefix.size()));
  }
  return 0;
}

DaemonProcess::~DaemonProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

bool DaemonProcess::Start(const std::string& binary, const std::string& config,
                          const std::string& listen_file, const std::string& out) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<std::string> args = {binary, "--config", config, "--listen-file", listen_file};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const int spawned = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) pid_ = -1;
  return spawned == 0;
}

bool DaemonProcess::Signal(int signal_number) const {
  return pid_ > 0 && kill(pid_, signal_number) == 0;
}

std::optional<int> DaemonProcess::WaitExit(std::chrono::milliseconds limit) {
  std::optional<int> code;
  WaitFor(
      [&] {
        int status = 0;
        if (pid_ <= 0 || waitpid(pid_, &status, WNOHANG) != pid_) return false;
        pid_ = -1;
        code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return true;
      },
      limit);
  return code;
}

bool DaemonProcess::running() const { return pid_ > 0 && kill(pid_, 0) == 0; }

}  // namespace combo::daemon::testing

// Crash recovery: an engine killed with SIGKILL at random points loses nothing it acknowledged.
//
// Each run starts accounts_crash_child on a fresh journal, reads its acknowledgements, and kills
// it with SIGKILL after a seeded random number of them; then restarts it on the same journal
// (the child itself checks that what it recovered is the start of its seeded flow) and kills it
// again. Finally the parent rebuilds the accounts from the journal and checks that every
// acknowledged event is there, that the journal holds exactly a prefix of the flow, that the
// rebuilt state equals the state of that prefix, and that the positions reconcile.
// The CI form runs COMBO_CRASH_RUNS runs (20); the soak form (label "soak") many more.
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "accounts/accounts_service.h"
#include "accounts/simulated_order_flow.h"
#include "core/random.h"
#include "core/simulated_time.h"
#include "gtest/gtest.h"

#ifndef COMBO_CRASH_CHILD
#error "COMBO_CRASH_CHILD must name the accounts_crash_child binary"
#endif
#ifndef COMBO_CRASH_RUNS
#define COMBO_CRASH_RUNS 20
#endif
// The soak form uses other seeds than the CI form.
// The soak form is its own test suite, so CTest keeps the two apart (labels go by test name).
#ifndef COMBO_CRASH_SUITE
#define COMBO_CRASH_SUITE CrashRecoveryTest
#endif
#ifndef COMBO_CRASH_FIRST_SEED
#define COMBO_CRASH_FIRST_SEED 1
#endif

namespace combo::accounts {
namespace {

// The child's own commission schedule (crash_child_main.cc), for regenerating its flow.
CommissionSchedule ChildCommission() {
  CommissionSchedule schedule;
  schedule.per_trade = core::Money::FromPrice(core::Price::FromParts(1, 0));
  schedule.per_leg_contract[SubAccount::kOptions] = core::Price::FromParts(0, 650'000'000);
  return schedule;
}

struct Child {
  pid_t pid = -1;
  FILE* out = nullptr;
};

Child Spawn(const std::vector<std::string>& args) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(fds[1]);
  return Child{pid, fdopen(fds[0], "r")};
}

struct CycleResult {
  uint64_t recovered = 0;
  uint64_t last_ack = 0;
  int acks = 0;
  bool finished = false;
  bool killed = false;
  int exit_code = -1;
};

// Runs the child until it has acknowledged `kill_after` events, then kills it with SIGKILL.
CycleResult RunCycle(const std::string& db, uint64_t seed, DurabilityMode mode, int64_t events,
                     int kill_after) {
  CycleResult result;
  Child child = Spawn({COMBO_CRASH_CHILD, "--db", db, "--seed", absl::StrCat(seed), "--events",
                       absl::StrCat(events), "--mode", std::string(ToString(mode))});
  if (child.pid <= 0 || child.out == nullptr) return result;
  char line[256];
  while (std::fgets(line, sizeof(line), child.out) != nullptr) {
    std::string text(line);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    uint64_t value = 0;
    if (text.rfind("recovered ", 0) == 0 && absl::SimpleAtoi(text.substr(10), &value)) {
      result.recovered = value;
    } else if (text.rfind("ack ", 0) == 0 && absl::SimpleAtoi(text.substr(4), &value)) {
      result.last_ack = std::max(result.last_ack, value);
      if (++result.acks == kill_after) {
        kill(child.pid, SIGKILL);
        result.killed = true;
        break;
      }
    } else if (text == "done") {
      result.finished = true;
    }
  }
  std::fclose(child.out);
  int status = 0;
  waitpid(child.pid, &status, 0);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

void RunOnce(uint64_t seed) {
  SCOPED_TRACE(absl::StrCat("seed ", seed));
  const std::string dir = absl::StrCat(::testing::TempDir(), "/combo_crash_", getpid(), "_", seed);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db = dir + "/journal.db";
  core::Rng rng(seed);
  // Every durability mode in turn: each promises that what it acknowledged survives SIGKILL.
  constexpr DurabilityMode kModes[] = {DurabilityMode::kProcess, DurabilityMode::kDisk,
                                       DurabilityMode::kGroupCommit};
  const DurabilityMode mode = kModes[seed % std::size(kModes)];
  SCOPED_TRACE(ToString(mode));

  uint64_t acknowledged = 0;
  for (int cycle = 0; cycle < 2; ++cycle) {
    const int kill_after = static_cast<int>(rng.UniformInt(1, 40));
    const CycleResult result = RunCycle(db, seed, mode, 100'000, kill_after);
    ASSERT_TRUE(result.killed) << "cycle " << cycle << ": child ended (exit code "
                               << result.exit_code << ") after " << result.acks << " acks";
    // Everything acknowledged before the previous kill was recovered by the restarted child.
    EXPECT_GE(result.recovered, acknowledged) << "cycle " << cycle;
    acknowledged = std::max(acknowledged, result.last_ack);
  }

  core::SimulatedTime time;
  AccountsOptions options;
  options.commission = ChildCommission();
  auto service = AccountsService::Open(db, options, time);
  ASSERT_TRUE(service.ok()) << service.status();
  const Ledger& rebuilt = (*service)->ledger();
  EXPECT_GE(rebuilt.last_sequence(), acknowledged);

  auto stored = (*service)->journal().ReadAll();
  ASSERT_TRUE(stored.ok()) << stored.status();
  SimulatedOrderFlow flow(seed, ChildCommission());
  for (const StoredEvent& event : *stored) {
    ASSERT_EQ(flow.Next(), event.event) << "journal event " << event.sequence;
  }
  EXPECT_TRUE(rebuilt == flow.model()) << "rebuilt state differs from the acknowledged prefix";
  EXPECT_TRUE(rebuilt.Reconcile().ok()) << rebuilt.Reconcile();
  std::filesystem::remove_all(dir);
}

bool SoakEnabled() {
  const char* soak = std::getenv("COMBO_SOAK");
  return soak != nullptr && std::string(soak) == "1";
}

TEST(COMBO_CRASH_SUITE, KilledEngineLosesNothingItAcknowledged) {
  if (COMBO_CRASH_RUNS > 20 && !SoakEnabled()) {
    GTEST_SKIP() << "soak form: set COMBO_SOAK=1 to run it";
  }
  for (uint64_t seed = COMBO_CRASH_FIRST_SEED; seed < COMBO_CRASH_FIRST_SEED + COMBO_CRASH_RUNS;
       ++seed) {
    RunOnce(seed);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace combo::accounts

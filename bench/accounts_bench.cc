// Journal throughput: events journaled per second through AccountsService, the path the router
// takes before every client message. The default durability, process (one transaction per
// event written to the operating system, synced in the background), costs a write(2) per
// event (the simulated clock never fires the background sync here); disk (one synchronous=FULL
// transaction per event) is bounded by the disk's fsync latency; group commit shares one fsync
// among a batch. Also the time to rebuild the accounts from a journal at start.
// The journal lives in the directory of $COMBO_BENCH_DIR (default /tmp): put it on the disk you
// want to measure.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "accounts/accounts_service.h"
#include "accounts/simulated_order_flow.h"
#include "benchmark/benchmark.h"
#include "core/absl_compat.h"
#include "core/simulated_time.h"

namespace combo::accounts {
namespace {

void RemoveJournal(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

std::string BenchPath(std::string_view name) {
  const char* dir = std::getenv("COMBO_BENCH_DIR");
  const std::string base = dir != nullptr ? dir : "/tmp";
  const std::string path =
      absl::StrCat(base, "/combo_accounts_bench_", getpid(), "_", core::AsAbsl(name));
  RemoveJournal(path);
  return path;
}

// A realistic mix of events (orders, leg fills, combo fills, error-account bookings, cancels,
// replaces), generated once.
const std::vector<JournalEvent>& Flow() {
  static const std::vector<JournalEvent> events = [] {
    SimulatedOrderFlow flow(2026, CommissionSchedule{});
    std::vector<JournalEvent> out;
    for (int i = 0; i < 10'000; ++i) out.push_back(flow.Next());
    return out;
  }();
  return events;
}

// Records the flow in a fresh journal, starting over in a new one when the flow runs out.
void RunRecord(benchmark::State& state, AccountsOptions options, std::string_view name) {
  const std::vector<JournalEvent>& events = Flow();
  const std::string path = BenchPath(name);
  core::SimulatedTime time;
  auto service = AccountsService::Open(path, options, time);
  if (!service.ok()) {
    state.SkipWithError(std::string(service.status().message()).c_str());
    return;
  }
  size_t next = 0;
  int64_t acknowledged = 0;
  for (auto _ : state) {
    if (next == events.size()) {
      state.PauseTiming();
      (*service)->Flush();
      service->reset();
      RemoveJournal(path);
      service = AccountsService::Open(path, options, time);
      next = 0;
      state.ResumeTiming();
    }
    absl::Status status =
        (*service)->Record(events[next++], [&](absl::Status s) { acknowledged += s.ok(); });
    if (!status.ok()) {
      state.SkipWithError(std::string(status.message()).c_str());
      break;
    }
  }
  (*service)->Flush();
  state.SetItemsProcessed(acknowledged);
  service->reset();
  RemoveJournal(path);
}

void BM_JournalProcessDurability(benchmark::State& state) {
  RunRecord(state, AccountsOptions{}, "process");
}
BENCHMARK(BM_JournalProcessDurability)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_JournalDiskDurability(benchmark::State& state) {
  AccountsOptions options;
  options.durability = DurabilityMode::kDisk;
  RunRecord(state, options, "disk");
}
BENCHMARK(BM_JournalDiskDurability)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_JournalGroupCommit(benchmark::State& state) {
  AccountsOptions options;
  options.durability = DurabilityMode::kGroupCommit;
  options.group_commit.max_events = static_cast<int>(state.range(0));
  RunRecord(state, options, absl::StrCat("group", state.range(0)));
}
BENCHMARK(BM_JournalGroupCommit)
    ->Arg(8)
    ->Arg(64)
    ->Arg(256)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

// Start-up: open a journal of N events and rebuild every account from it.
void BM_RebuildFromJournal(benchmark::State& state) {
  const std::string path = BenchPath("rebuild");
  const auto count = static_cast<size_t>(state.range(0));
  {
    core::SimulatedTime time;
    AccountsOptions options;
    options.durability = DurabilityMode::kGroupCommit;
    options.group_commit.max_events = 1000;
    auto service = AccountsService::Open(path, options, time);
    if (!service.ok()) {
      state.SkipWithError(std::string(service.status().message()).c_str());
      return;
    }
    for (size_t i = 0; i < count; ++i) {
      (*service)->Record(Flow()[i], [](absl::Status) {}).IgnoreError();
    }
    (*service)->Flush();
  }
  for (auto _ : state) {
    core::SimulatedTime time;
    auto service = AccountsService::Open(path, AccountsOptions{}, time);
    benchmark::DoNotOptimize(service);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * count));
  RemoveJournal(path);
}
BENCHMARK(BM_RebuildFromJournal)->Arg(10'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace combo::accounts

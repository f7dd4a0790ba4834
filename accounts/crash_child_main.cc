// accounts_crash_child: the engine under test of crash_recovery_test.cc.
//
//   accounts_crash_child --db PATH --seed N --events N --mode process|disk|group_commit
//
// Opens the accounts journal (rebuilding the accounts from it), checks that what it recovered is
// exactly the start of the seeded SimulatedOrderFlow, prints "recovered <last sequence>", then
// records the rest of the flow and prints "ack <sequence>" for each event only once it is
// durable, with an unbuffered write so the parent sees every acknowledgement the moment it is
// given. The parent kills it with SIGKILL at a random point. Exit 0 after "done"; 3 when the
// journal cannot be opened, 4 when the recovered events differ from the flow, 5 on a journal
// error.
#include <unistd.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "accounts/accounts_service.h"
#include "accounts/simulated_order_flow.h"
#include "core/absl_compat.h"
#include "core/simulated_time.h"

namespace {

void Say(const std::string& line) {
  const std::string text = line + "\n";
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = write(STDOUT_FILENO, text.data() + written, text.size() - written);
    if (n <= 0) _exit(6);
    written += static_cast<size_t>(n);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace combo;
  std::string db;
  uint64_t seed = 1;
  int64_t events = 100;
  accounts::AccountsOptions options;
  options.commission.per_trade = core::Money::FromPrice(core::Price::FromParts(1, 0));
  options.commission.per_leg_contract[accounts::SubAccount::kOptions] =
      core::Price::FromParts(0, 650'000'000);
  options.group_commit.max_events = 8;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const char* value = argv[i + 1];
    bool ok = true;
    if (flag == "--db") {
      db = value;
    } else if (flag == "--seed") {
      ok = absl::SimpleAtoi(value, &seed);
    } else if (flag == "--events") {
      ok = absl::SimpleAtoi(value, &events);
    } else if (flag == "--mode") {
      auto mode = accounts::ParseDurabilityMode(value);
      ok = mode.ok();
      if (ok) options.durability = *mode;
    } else {
      ok = false;
    }
    if (!ok) {
      std::fprintf(stderr, "accounts_crash_child: bad argument %s %s\n", argv[i], value);
      return 2;
    }
  }

  core::SimulatedTime time;
  auto service = accounts::AccountsService::Open(db, options, time);
  if (!service.ok()) {
    std::fprintf(stderr, "accounts_crash_child: %s\n",
                 std::string(service.status().message()).c_str());
    return 3;
  }
  accounts::SimulatedOrderFlow flow(seed, options.commission);
  auto stored = (*service)->journal().ReadAll();
  if (!stored.ok()) return 3;
  for (const accounts::StoredEvent& event : *stored) {
    if (flow.Next() != event.event) {
      std::fprintf(stderr, "accounts_crash_child: recovered event %llu differs from the flow\n",
                   static_cast<unsigned long long>(event.sequence));
      return 4;
    }
  }
  Say(absl::StrCat("recovered ", (*service)->ledger().last_sequence()));
  for (int64_t i = static_cast<int64_t>(stored->size()); i < events; ++i) {
    const uint64_t sequence = (*service)->ledger().last_sequence() + 1;
    absl::Status refused = (*service)->Record(flow.Next(), [sequence](absl::Status status) {
      if (!status.ok()) {
        std::fprintf(stderr, "accounts_crash_child: %s\n", std::string(status.message()).c_str());
        _exit(5);
      }
      Say(absl::StrCat("ack ", sequence));
    });
    if (!refused.ok()) {
      std::fprintf(stderr, "accounts_crash_child: refused: %s\n",
                   std::string(refused.message()).c_str());
      return 5;
    }
    // Group commit: let the batch timer fire now and then, as a live scheduler would.
    time.AdvanceBy(core::Duration::Microseconds(300));
  }
  (*service)->Flush();
  Say("done");
  return 0;
}

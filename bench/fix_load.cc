// fix_load: the FIX gateway's load generator. N initiator sessions send combo orders
// (NewOrderMultileg, a two-leg vertical) to an in-process FixAcceptor at a target total rate for
// a set time, and report the acknowledged throughput and the acknowledgement (send -> ER New)
// and fill (send -> ER Filled) latency percentiles.
//
// The acceptor fronts the FakeOrderEntry stand-in, which acknowledges at once and (with --fill)
// fills at once: the figures measure the gateway, QuickFIX, the loopback TCP path and the
// core-thread hop, not routing (the router's decision cost is router_bench's; the path with the
// real router is fix/end_to_end_test.cc). See docs/BENCHMARKS.md "FIX gateway".
//
//   fix_load --sessions 4 --rate 12000 --duration 10 --fill
//   fix_load --sessions 1 --rate 100 --duration 10 --stages
//
// --stages (one session, orders far enough apart not to overlap) also splits each round trip
// at the gateway's hand-off to the core thread and at the core task's start and end:
//   send -> hand-off     client Send (serialize, socket write), loopback, the acceptor session
//                        thread's wake-up, QuickFIX parse + dictionary validation + store
//   hand-off -> core     the core thread's wake-up
//   core task            translation, the stand-in's accept, the ExecutionReport built,
//                        serialized, persisted and written to the socket
//   core start -> ack    the core task up to the ack's socket write, the client session
//                        thread's wake-up, its parse and validation (the ack is written inside
//                        the core task, so the client may read it before the task ends)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/clock.h"
#include "fix/client.h"
#include "fix/testing/gateway_harness.h"

namespace {

using combo::core::Duration;
using combo::core::MonotonicClock;
using combo::core::Timestamp;
using combo::fix::testing::GatewayHarness;
using combo::fix::testing::HarnessOptions;
using combo::fix::testing::TempDir;

struct Options {
  int sessions = 4;
  int rate = 10'000;  // orders per second, all sessions together
  int duration_seconds = 10;
  bool fill = false;
  bool stages = false;
};

// Stage timestamps of the order in flight (--stages: one session, no overlap).
struct StageStamps {
  std::vector<int64_t> handoff_ns;
  std::vector<int64_t> core_start_ns;
  std::vector<int64_t> core_end_ns;
  std::atomic<int64_t> current{-1};
};

// One session's send times and the latencies measured on its replies.
struct SessionLoad {
  std::vector<int64_t> sent_ns;
  std::vector<int64_t> ack_ns;
  std::vector<int64_t> fill_ns;
  std::atomic<int64_t> acks{0};
  std::atomic<int64_t> fills{0};
  std::atomic<int64_t> rejects{0};
  std::atomic<int64_t> last_ack_ns{0};
};

int64_t Percentile(std::vector<int64_t> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t index = std::min(
      values.size() - 1, static_cast<size_t>(p / 100.0 * static_cast<double>(values.size())));
  return values[index];
}

void PrintLatency(const char* name, const std::vector<int64_t>& values) {
  std::printf("%-13s latency (us): n=%zu p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f max=%.1f\n", name,
              values.size(), Percentile(values, 50) / 1e3, Percentile(values, 90) / 1e3,
              Percentile(values, 99) / 1e3, Percentile(values, 99.9) / 1e3,
              Percentile(values, 100) / 1e3);
}

bool ParseFlag(const std::string& arg, const char* name, int* value) {
  const std::string prefix = std::string(name) + "=";
  if (arg.rfind(prefix, 0) != 0) return false;
  return absl::SimpleAtoi(arg.substr(prefix.size()), value);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 < argc && arg.find('=') == std::string::npos && arg != "--fill" &&
        arg != "--stages") {
      arg += std::string("=") + argv[++i];
    }
    if (arg == "--fill") {
      options.fill = true;
    } else if (arg == "--stages") {
      options.stages = true;
    } else if (!ParseFlag(arg, "--sessions", &options.sessions) &&
               !ParseFlag(arg, "--rate", &options.rate) &&
               !ParseFlag(arg, "--duration", &options.duration_seconds)) {
      std::fprintf(stderr,
                   "usage: fix_load [--sessions N] [--rate ORDERS_PER_SECOND] "
                   "[--duration SECONDS] [--fill] [--stages]\n");
      return 2;
    }
  }
  if (options.sessions < 1 || options.rate < 1 || options.duration_seconds < 1) {
    std::fprintf(stderr, "fix_load: sessions, rate and duration must be positive\n");
    return 2;
  }
  if (options.stages && (options.sessions != 1 || options.rate > 1000)) {
    std::fprintf(stderr, "fix_load: --stages needs one session and at most 1000 orders/s\n");
    return 2;
  }

  TempDir dir;
  HarnessOptions harness_options;
  harness_options.sessions.clear();
  for (int s = 0; s < options.sessions; ++s) {
    harness_options.sessions.push_back(
        {"COMBO", absl::StrCat("LOAD", s + 1), std::nullopt, std::nullopt, ""});
  }
  harness_options.fills = options.fill ? combo::fix::testing::FakeOrderEntry::Fills::kImmediately
                                       : combo::fix::testing::FakeOrderEntry::Fills::kOnCommand;
  const MonotonicClock clock;
  const int64_t per_session =
      static_cast<int64_t>(options.rate) * options.duration_seconds / options.sessions;
  StageStamps stamps;
  if (options.stages) {
    stamps.handoff_ns.assign(static_cast<size_t>(per_session), 0);
    stamps.core_start_ns.assign(static_cast<size_t>(per_session), 0);
    stamps.core_end_ns.assign(static_cast<size_t>(per_session), 0);
    // Only the first hand-off of an order is its own (a fill is not handed off).
    auto stamp = [&stamps, &clock](std::vector<int64_t>& into) {
      const int64_t n = stamps.current.load();
      if (n >= 0 && into[static_cast<size_t>(n)] == 0) {
        into[static_cast<size_t>(n)] = clock.Now().unix_nanos();
      }
    };
    harness_options.on_handoff = [&, stamp] { stamp(stamps.handoff_ns); };
    harness_options.on_core_start = [&, stamp] { stamp(stamps.core_start_ns); };
    harness_options.on_core_end = [&, stamp] { stamp(stamps.core_end_ns); };
  }
  GatewayHarness harness(dir, harness_options);
  std::vector<std::unique_ptr<SessionLoad>> loads;
  std::vector<std::unique_ptr<combo::fix::FixClient>> clients;
  for (int s = 0; s < options.sessions; ++s) {
    auto load = std::make_unique<SessionLoad>();
    load->sent_ns.assign(static_cast<size_t>(per_session), 0);
    load->ack_ns.reserve(static_cast<size_t>(per_session));
    load->fill_ns.reserve(static_cast<size_t>(per_session));
    SessionLoad* raw = load.get();
    // Called on the session's own QuickFIX thread only: the vectors need no lock.
    auto handler = [raw, &clock](const FIX::Message& message) {
      const int64_t now = clock.Now().unix_nanos();
      if (!message.isSetField(11) || !message.isSetField(150)) return;
      if (message.isSetField(442) && message.getField(442) == "2") return;  // leg reports
      const std::string& id = message.getField(11);
      int64_t n = 0;
      if (!absl::SimpleAtoi(combo::core::AsAbsl(id).substr(1), &n) || n < 0 ||
          n >= static_cast<int64_t>(raw->sent_ns.size())) {
        return;
      }
      const std::string& exec_type = message.getField(150);
      if (exec_type == "0") {
        raw->ack_ns.push_back(now - raw->sent_ns[static_cast<size_t>(n)]);
        raw->last_ack_ns.store(now);
        raw->acks.fetch_add(1);
      } else if (exec_type == "F" && message.getField(39) == "2") {
        raw->fill_ns.push_back(now - raw->sent_ns[static_cast<size_t>(n)]);
        raw->fills.fetch_add(1);
      } else if (exec_type == "8") {
        raw->rejects.fetch_add(1);
      }
    };
    std::unique_ptr<combo::fix::FixClient> client =
        harness.Connect(absl::StrCat("LOAD", s + 1), handler);
    if (client == nullptr || !client->WaitForLogon(Duration::Seconds(10))) {
      std::fprintf(stderr, "fix_load: session %d did not log on\n", s + 1);
      return 1;
    }
    loads.push_back(std::move(load));
    clients.push_back(std::move(client));
  }

  combo::fix::ComboOrderParams params;
  params.side = combo::core::Side::kBuy;
  params.quantity = 1;
  params.legs = *combo::fix::ParseLegText("SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1");
  params.limit_price = combo::core::Price::FromParts(2, 350'000'000);

  const Duration interval =
      Duration::Nanoseconds(1'000'000'000LL * options.sessions / options.rate);
  const Timestamp start = clock.Now();
  std::vector<std::thread> senders;
  for (int s = 0; s < options.sessions; ++s) {
    senders.emplace_back([&, s] {
      SessionLoad& load = *loads[static_cast<size_t>(s)];
      combo::fix::ComboOrderParams mine = params;
      // Sessions start staggered across one interval.
      Timestamp next = start + interval * s / options.sessions;
      for (int64_t n = 0; n < per_session; ++n) {
        // Sleep, never spin: on a 2-core machine a spinning sender would take the CPU the
        // gateway needs.
        if (const Duration left = next - clock.Now(); left > Duration::Zero()) {
          std::this_thread::sleep_for(std::chrono::nanoseconds(left.nanoseconds()));
        }
        mine.client_order_id = absl::StrCat("o", n);
        FIX::Message message = combo::fix::MakeNewOrderMultileg(mine, clock.Now());
        if (options.stages) stamps.current.store(n);
        load.sent_ns[static_cast<size_t>(n)] = clock.Now().unix_nanos();
        (void)clients[static_cast<size_t>(s)]->Send(std::move(message));
        next += interval;
      }
    });
  }
  for (std::thread& sender : senders) sender.join();
  const Timestamp sent_all = clock.Now();

  // Wait (bounded) for the last acknowledgements and fills.
  const Timestamp deadline = sent_all + Duration::Seconds(20);
  for (;;) {
    int64_t acks = 0;
    int64_t fills = 0;
    int64_t rejects = 0;
    for (const auto& load : loads) {
      acks += load->acks.load();
      fills += load->fills.load();
      rejects += load->rejects.load();
    }
    const bool done =
        acks + rejects >= per_session * options.sessions && (!options.fill || fills >= acks);
    if (done || clock.Now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (auto& client : clients) client->Disconnect();

  std::vector<int64_t> acks;
  std::vector<int64_t> fills;
  int64_t last_ack = 0;
  int64_t rejects = 0;
  for (const auto& load : loads) {
    acks.insert(acks.end(), load->ack_ns.begin(), load->ack_ns.end());
    fills.insert(fills.end(), load->fill_ns.begin(), load->fill_ns.end());
    last_ack = std::max(last_ack, load->last_ack_ns.load());
    rejects += load->rejects.load();
  }
  const double send_seconds = (sent_all - start).ToSecondsDouble();
  const double ack_seconds = static_cast<double>(last_ack - start.unix_nanos()) / 1e9;
  std::printf("fix_load: %d session(s), target %d orders/s for %d s%s\n", options.sessions,
              options.rate, options.duration_seconds,
              options.fill ? ", stand-in fills at once" : "");
  std::printf("sent %lld orders in %.2f s (%.0f/s); acknowledged %zu (%.0f/s), rejected %lld\n",
              static_cast<long long>(per_session * options.sessions), send_seconds,
              static_cast<double>(per_session * options.sessions) / send_seconds, acks.size(),
              ack_seconds > 0 ? static_cast<double>(acks.size()) / ack_seconds : 0.0,
              static_cast<long long>(rejects));
  PrintLatency("ack", acks);
  if (options.fill) PrintLatency("fill", fills);
  if (options.stages) {
    // Order n's stages; acks are in order on the one session, so ack_ns[n] is order n's.
    const SessionLoad& load = *loads[0];
    std::vector<int64_t> to_handoff, to_core, core_task, core_to_ack;
    for (size_t n = 0; n < load.ack_ns.size() && n < stamps.handoff_ns.size(); ++n) {
      const int64_t sent = load.sent_ns[n];
      if (stamps.handoff_ns[n] == 0 || stamps.core_start_ns[n] == 0 || stamps.core_end_ns[n] == 0) {
        continue;
      }
      to_handoff.push_back(stamps.handoff_ns[n] - sent);
      to_core.push_back(stamps.core_start_ns[n] - stamps.handoff_ns[n]);
      core_task.push_back(stamps.core_end_ns[n] - stamps.core_start_ns[n]);
      core_to_ack.push_back(sent + load.ack_ns[n] - stamps.core_start_ns[n]);
    }
    PrintLatency("send->handoff", to_handoff);
    PrintLatency("handoff->core", to_core);
    PrintLatency("core task", core_task);
    PrintLatency("core->ack", core_to_ack);
  }
  return acks.size() == static_cast<size_t>(per_session * options.sessions) ? 0 : 1;
}

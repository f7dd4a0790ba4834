// fix_load: the FIX gateway's load generator. N initiator sessions send combo orders
// (NewOrderMultileg, a two-leg vertical) to an in-process FixAcceptor at a target total rate for
// a set time, and report the acknowledged throughput and the acknowledgement (send -> ER New)
// and fill (send -> ER Filled) latency percentiles.
//
// The acceptor fronts the FakeOrderEntry stand-in, which acknowledges at once and (with --fill)
// fills at once: the figures measure the gateway, QuickFIX, the loopback TCP path and the
// threads involved, not routing (the router's decision cost is router_bench's; the path with
// the real router is fix/end_to_end_test.cc). See docs/BENCHMARKS.md "FIX gateway".
//
//   fix_load --sessions 4 --rate 12000 --duration 10 --fill
//   fix_load --sessions 1 --rate 100 --duration 10 --stages
//   fix_load --mode busy --client raw --sessions 1 --rate 100 --duration 10
//
// --mode picks the gateway's threads (docs/FIX.md "Sockets"):
//   threads  sockets on QuickFIX session threads, handing each message to a core thread that
//            sleeps when idle (default)
//   core     sockets on the core thread (no hand-off), which sleeps when idle
//   busy     sockets on the core thread, which busy-polls (the daemon's daemon.busy_poll)
// --client picks the load generator's side:
//   quickfix  one fix::FixClient per session (QuickFIX initiator: store, validation of what it
//             receives); on their own threads, or polled by one busy thread with --mode busy
//             (default)
//   raw       the sessions speak FIX directly over non-blocking sockets, all on one
//             busy-polling thread: a message is built before the clock starts, and the clock
//             stops when the reply's ClOrdID and ExecType are read. The gateway's round trip
//             without a client engine's own costs (a client's FIX engine is the broker's).
//
// --stages (one session, orders far enough apart not to overlap) also splits each round trip
// where the order reaches the stand-in (every mode):
//   send -> order entry  client send, loopback, the gateway's socket read (and, with session
//                        threads, that thread's wake-up and the hand-off to the core thread),
//                        QuickFIX parse + dictionary validation, translation
//   order entry -> ack   the stand-in's accept, the ExecutionReport built, serialized, stored
//                        and written, the client's read
// and, with --mode threads (the only mode that hands messages over), at the gateway's hand-off
// to the core thread and at the core task's start and end:
//   send -> hand-off     client send, loopback, the session thread's wake-up and socket read,
//                        QuickFIX parse + dictionary validation + store
//   hand-off -> core     the core thread's wake-up, or its next turn
//   core task            translation, the stand-in's accept, the ExecutionReport built,
//                        serialized, persisted and written to the socket
//   core start -> ack    the core task up to the ack's socket write, the client's read, parse
//                        (the ack is written inside the core task, so the client may read it
//                        before the task ends)
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
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

enum class Mode { kThreads, kCore, kBusy };
enum class Client { kQuickFix, kRaw };

struct Options {
  Mode mode = Mode::kThreads;
  Client client = Client::kQuickFix;
  int sessions = 4;
  int rate = 10'000;  // orders per second, all sessions together
  int duration_seconds = 10;
  bool fill = false;
  bool stages = false;
};

// Stage timestamps of the order in flight (--stages: one session, no overlap).
struct StageStamps {
  std::vector<int64_t> submit_ns;
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

  // A combo-level ExecutionReport for ClOrdID `id` received at `now`. Called on one thread per
  // session only: the vectors need no lock.
  void Record(std::string_view id, std::string_view exec_type, std::string_view ord_status,
              int64_t now) {
    int64_t n = 0;
    if (id.size() < 2 || !absl::SimpleAtoi(combo::core::AsAbsl(id).substr(1), &n) || n < 0 ||
        n >= static_cast<int64_t>(sent_ns.size())) {
      return;
    }
    if (exec_type == "0") {
      ack_ns.push_back(now - sent_ns[static_cast<size_t>(n)]);
      last_ack_ns.store(now);
      acks.fetch_add(1);
    } else if (exec_type == "F" && ord_status == "2") {
      fill_ns.push_back(now - sent_ns[static_cast<size_t>(n)]);
      fills.fetch_add(1);
    } else if (exec_type == "8") {
      rejects.fetch_add(1);
    }
  }
};

// The value of `tag` in a raw FIX message, or empty.
std::string_view RawField(std::string_view message, std::string_view tag) {
  const std::string key = absl::StrCat("\x01", combo::core::AsAbsl(tag), "=");
  const size_t at = message.find(key);
  if (at == std::string_view::npos) return {};
  const size_t start = at + key.size();
  const size_t end = message.find('\x01', start);
  return message.substr(start, end == std::string_view::npos ? end : end - start);
}

// A FIX 4.4 initiator session spoken directly over a non-blocking TCP socket (--client raw):
// Logon, then application messages with consecutive sequence numbers; TestRequests are
// answered. Nothing is stored or validated: it exists to measure the gateway, not itself.
class RawSession {
 public:
  RawSession(int port, std::string comp_id)
      : comp_id_(std::move(comp_id)), fd_(combo::fix::testing::ConnectToLoopback(port)) {
    if (fd_ < 0) return;
    const int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) | O_NONBLOCK);
  }
  ~RawSession() {
    if (fd_ >= 0) close(fd_);
  }
  RawSession(const RawSession&) = delete;
  RawSession& operator=(const RawSession&) = delete;

  // Sends Logon and polls until the gateway's Logon arrives (false after `timeout`).
  bool LogOn(const MonotonicClock& clock, Duration timeout) {
    if (fd_ < 0) return false;
    Write(Build("A", "98=0|108=30"));
    const Timestamp deadline = clock.Now() + timeout;
    while (!logged_on_ && clock.Now() < deadline) Poll();
    return logged_on_;
  }

  // A complete message with the next sequence number (`body`: fields joined by '|').
  std::string Build(const std::string& msg_type, const std::string& body) {
    return combo::fix::testing::RawFix(msg_type, comp_id_, "COMBO", next_seq_++, body);
  }
  void Write(const std::string& message) {
    size_t done = 0;
    while (done < message.size()) {
      const ssize_t n = send(fd_, message.data() + done, message.size() - done, MSG_NOSIGNAL);
      if (n > 0) {
        done += static_cast<size_t>(n);
      } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        return;
      }
    }
  }

  // Reads what arrived; `on_message` gets every application message.
  void Poll(const std::function<void(std::string_view)>& on_message = nullptr) {
    char buffer[16384];
    const ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
    if (n <= 0) return;
    in_.append(buffer, static_cast<size_t>(n));
    size_t start = 0;
    for (;;) {
      // 8=FIX.4.4|9=<length>|<body>10=nnn|
      const size_t length_at = in_.find(
          "\x01"
          "9=",
          start);
      if (length_at == std::string::npos) break;
      const size_t body_at = in_.find('\x01', length_at + 3);
      if (body_at == std::string::npos) break;
      size_t length = 0;
      if (!absl::SimpleAtoi(combo::core::AsAbsl(std::string_view(in_).substr(
                                length_at + 3, body_at - length_at - 3)),
                            &length)) {
        in_.clear();
        return;
      }
      const size_t end = body_at + 1 + length + 7;
      if (end > in_.size()) break;
      Handle(std::string_view(in_).substr(start, end - start), on_message);
      start = end;
    }
    in_.erase(0, start);
  }

 private:
  void Handle(std::string_view message, const std::function<void(std::string_view)>& on_message) {
    const std::string_view type = RawField(message, "35");
    if (type == "A") {
      logged_on_ = true;
    } else if (type == "1") {
      Write(Build("0", absl::StrCat("112=", combo::core::AsAbsl(RawField(message, "112")))));
    } else if (type != "0" && on_message) {
      on_message(message);
    }
  }

  std::string comp_id_;
  int fd_ = -1;
  int next_seq_ = 1;
  bool logged_on_ = false;
  std::string in_;
};

// The body (fields joined by '|', ClOrdID left as "{id}") of the load's NewOrderMultileg, as
// fix::MakeNewOrderMultileg builds it.
std::string NewOrderBodyTemplate(combo::fix::ComboOrderParams params, Timestamp now) {
  params.client_order_id = "{id}";
  const std::string text = combo::fix::MakeNewOrderMultileg(params, now).toString();
  std::vector<std::string> fields;
  for (absl::string_view field : absl::StrSplit(text, '\x01', absl::SkipEmpty())) {
    const absl::string_view tag = field.substr(0, field.find('='));
    if (tag == "8" || tag == "9" || tag == "35" || tag == "10") continue;
    fields.emplace_back(field);
  }
  return absl::StrJoin(fields, "|");
}

int64_t Percentile(std::vector<int64_t> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t index = std::min(
      values.size() - 1, static_cast<size_t>(p / 100.0 * static_cast<double>(values.size())));
  return values[index];
}

void PrintLatency(const char* name, const std::vector<int64_t>& values) {
  std::printf("%-17s latency (us): n=%zu p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f max=%.1f\n", name,
              values.size(), Percentile(values, 50) / 1e3, Percentile(values, 90) / 1e3,
              Percentile(values, 99) / 1e3, Percentile(values, 99.9) / 1e3,
              Percentile(values, 100) / 1e3);
}

bool ParseFlag(const std::string& arg, const char* name, int* value) {
  const std::string prefix = std::string(name) + "=";
  if (arg.rfind(prefix, 0) != 0) return false;
  return absl::SimpleAtoi(arg.substr(prefix.size()), value);
}

int Usage() {
  std::fprintf(stderr,
               "usage: fix_load [--mode threads|core|busy] [--client quickfix|raw] [--sessions N] "
               "[--rate ORDERS_PER_SECOND] [--duration SECONDS] [--fill] [--stages]\n");
  return 2;
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
    } else if (arg == "--mode=threads") {
      options.mode = Mode::kThreads;
    } else if (arg == "--mode=core") {
      options.mode = Mode::kCore;
    } else if (arg == "--mode=busy") {
      options.mode = Mode::kBusy;
    } else if (arg == "--client=quickfix") {
      options.client = Client::kQuickFix;
    } else if (arg == "--client=raw") {
      options.client = Client::kRaw;
    } else if (!ParseFlag(arg, "--sessions", &options.sessions) &&
               !ParseFlag(arg, "--rate", &options.rate) &&
               !ParseFlag(arg, "--duration", &options.duration_seconds)) {
      return Usage();
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
  const bool busy_core = options.mode == Mode::kBusy;
  // One busy thread sends and reads every session: raw clients, or QuickFIX clients polled.
  const bool one_client_thread = options.client == Client::kRaw || busy_core;
  harness_options.socket_threads = options.mode == Mode::kThreads
                                       ? combo::fix::SocketThreads::kSessionThreads
                                       : combo::fix::SocketThreads::kCoreThread;
  harness_options.busy_poll_core = busy_core;
  harness_options.fills = options.fill ? combo::fix::testing::FakeOrderEntry::Fills::kImmediately
                                       : combo::fix::testing::FakeOrderEntry::Fills::kOnCommand;
  const MonotonicClock clock;
  const int64_t per_session =
      static_cast<int64_t>(options.rate) * options.duration_seconds / options.sessions;
  StageStamps stamps;
  if (options.stages) {
    stamps.submit_ns.assign(static_cast<size_t>(per_session), 0);
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
    harness_options.on_submit = [&, stamp] { stamp(stamps.submit_ns); };
    harness_options.on_handoff = [&, stamp] { stamp(stamps.handoff_ns); };
    harness_options.on_core_start = [&, stamp] { stamp(stamps.core_start_ns); };
    harness_options.on_core_end = [&, stamp] { stamp(stamps.core_end_ns); };
  }
  GatewayHarness harness(dir, harness_options);

  combo::fix::ComboOrderParams params;
  params.side = combo::core::Side::kBuy;
  params.quantity = 1;
  params.legs = *combo::fix::ParseLegText("SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1");
  params.limit_price = combo::core::Price::FromParts(2, 350'000'000);
  const std::string body_template = NewOrderBodyTemplate(params, clock.Now());

  std::vector<std::unique_ptr<SessionLoad>> loads;
  std::vector<std::unique_ptr<combo::fix::FixClient>> clients;
  std::vector<std::unique_ptr<RawSession>> raw_sessions;
  // Per session: read what arrived (one-thread modes) and send order n.
  std::vector<std::function<void()>> poll;
  std::vector<std::function<void(int64_t)>> send;
  for (int s = 0; s < options.sessions; ++s) {
    auto owned = std::make_unique<SessionLoad>();
    SessionLoad* load = owned.get();
    load->sent_ns.assign(static_cast<size_t>(per_session), 0);
    load->ack_ns.reserve(static_cast<size_t>(per_session));
    load->fill_ns.reserve(static_cast<size_t>(per_session));
    loads.push_back(std::move(owned));
    const std::string comp_id = absl::StrCat("LOAD", s + 1);
    auto stamp_send = [&, load](int64_t n) {
      if (options.stages) stamps.current.store(n);
      load->sent_ns[static_cast<size_t>(n)] = clock.Now().unix_nanos();
    };
    if (options.client == Client::kRaw) {
      auto session = std::make_unique<RawSession>(harness.port(), comp_id);
      if (!session->LogOn(clock, Duration::Seconds(10))) {
        std::fprintf(stderr, "fix_load: session %d did not log on\n", s + 1);
        return 1;
      }
      RawSession* raw = session.get();
      raw_sessions.push_back(std::move(session));
      poll.push_back([raw, load, &clock] {
        raw->Poll([load, &clock](std::string_view message) {
          const int64_t now = clock.Now().unix_nanos();
          if (RawField(message, "442") == "2") return;  // leg reports
          load->Record(RawField(message, "11"), RawField(message, "150"), RawField(message, "39"),
                       now);
        });
      });
      send.push_back([raw, &body_template, stamp_send](int64_t n) {
        const std::string message =
            raw->Build("AB", absl::StrReplaceAll(body_template, {{"{id}", absl::StrCat("o", n)}}));
        stamp_send(n);
        raw->Write(message);
      });
      continue;
    }
    auto handler = [load, &clock](const FIX::Message& message) {
      const int64_t now = clock.Now().unix_nanos();
      if (!message.isSetField(11) || !message.isSetField(150)) return;
      if (message.isSetField(442) && message.getField(442) == "2") return;  // leg reports
      load->Record(message.getField(11), message.getField(150),
                   message.isSetField(39) ? message.getField(39) : std::string(), now);
    };
    std::unique_ptr<combo::fix::FixClient> client =
        harness.Connect(comp_id, handler, /*polled=*/one_client_thread);
    if (client == nullptr || !client->WaitForLogon(Duration::Seconds(10))) {
      std::fprintf(stderr, "fix_load: session %d did not log on\n", s + 1);
      return 1;
    }
    combo::fix::FixClient* raw_client = client.get();
    clients.push_back(std::move(client));
    poll.push_back([raw_client] { raw_client->Poll(); });
    send.push_back([raw_client, params, stamp_send, &clock](int64_t n) mutable {
      params.client_order_id = absl::StrCat("o", n);
      FIX::Message message = combo::fix::MakeNewOrderMultileg(params, clock.Now());
      stamp_send(n);
      (void)raw_client->Send(std::move(message));
    });
  }

  auto all_answered = [&] {
    int64_t acks = 0;
    int64_t fills = 0;
    int64_t rejects = 0;
    for (const auto& load : loads) {
      acks += load->acks.load();
      fills += load->fills.load();
      rejects += load->rejects.load();
    }
    return acks + rejects >= per_session * options.sessions && (!options.fill || fills >= acks);
  };
  const Duration interval =
      Duration::Nanoseconds(1'000'000'000LL * options.sessions / options.rate);
  const Timestamp start = clock.Now();
  Timestamp sent_all = start;
  if (one_client_thread) {
    // One thread sends every session's orders when due (round robin) and polls every session,
    // never sleeping, until everything is answered (or 20 s after the last send).
    const Duration spacing = interval / options.sessions;
    const int64_t total = per_session * options.sessions;
    int64_t next_order = 0;
    Timestamp deadline = Timestamp::Max();
    for (;;) {
      for (const auto& read : poll) read();
      const Timestamp now = clock.Now();
      if (next_order < total && now >= start + spacing * next_order) {
        send[static_cast<size_t>(next_order % options.sessions)](next_order / options.sessions);
        if (++next_order == total) {
          sent_all = clock.Now();
          deadline = sent_all + Duration::Seconds(20);
        }
      }
      if (next_order == total && (all_answered() || now > deadline)) break;
    }
  } else {
    std::vector<std::thread> senders;
    for (int s = 0; s < options.sessions; ++s) {
      senders.emplace_back([&, s] {
        // Sessions start staggered across one interval.
        Timestamp next = start + interval * s / options.sessions;
        for (int64_t n = 0; n < per_session; ++n) {
          // Sleep, never spin: the gateway's threads sleep too, and on a 2-core machine a
          // spinning sender would take the CPU they need.
          if (const Duration left = next - clock.Now(); left > Duration::Zero()) {
            std::this_thread::sleep_for(std::chrono::nanoseconds(left.nanoseconds()));
          }
          send[static_cast<size_t>(s)](n);
          next += interval;
        }
      });
    }
    for (std::thread& sender : senders) sender.join();
    sent_all = clock.Now();
    // Wait (bounded) for the last acknowledgements and fills.
    const Timestamp deadline = sent_all + Duration::Seconds(20);
    while (!all_answered() && clock.Now() <= deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
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
  const char* mode_name = options.mode == Mode::kThreads ? "threads"
                          : options.mode == Mode::kCore  ? "core"
                                                         : "busy";
  std::printf("fix_load: mode %s, client %s, %d session(s), target %d orders/s for %d s%s\n",
              mode_name, options.client == Client::kRaw ? "raw" : "quickfix", options.sessions,
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
    std::vector<int64_t> to_submit, submit_to_ack, to_handoff, to_core, core_task, core_to_ack;
    for (size_t n = 0; n < load.ack_ns.size() && n < stamps.handoff_ns.size(); ++n) {
      const int64_t sent = load.sent_ns[n];
      if (stamps.submit_ns[n] != 0) {
        to_submit.push_back(stamps.submit_ns[n] - sent);
        submit_to_ack.push_back(sent + load.ack_ns[n] - stamps.submit_ns[n]);
      }
      if (stamps.handoff_ns[n] == 0 || stamps.core_start_ns[n] == 0 || stamps.core_end_ns[n] == 0) {
        continue;
      }
      to_handoff.push_back(stamps.handoff_ns[n] - sent);
      to_core.push_back(stamps.core_start_ns[n] - stamps.handoff_ns[n]);
      core_task.push_back(stamps.core_end_ns[n] - stamps.core_start_ns[n]);
      core_to_ack.push_back(sent + load.ack_ns[n] - stamps.core_start_ns[n]);
    }
    PrintLatency("send->order entry", to_submit);
    PrintLatency("order entry->ack", submit_to_ack);
    if (options.mode == Mode::kThreads) {
      PrintLatency("send->handoff", to_handoff);
      PrintLatency("handoff->core", to_core);
      PrintLatency("core task", core_task);
      PrintLatency("core->ack", core_to_ack);
    }
  }
  return acks.size() == static_cast<size_t>(per_session * options.sessions) ? 0 : 1;
}

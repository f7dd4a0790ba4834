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
//   fix_load --connect 127.0.0.1:9878 --sender BROKER1 --mode cancel --rate 100 --duration 10
//
// --connect HOST:PORT drives any FIX 4.4 acceptor over TCP instead of the in-process one (the
// daemon, bench/bare_acceptor, another engine): raw sessions (below) with SenderCompID from
// --sender (a comma-separated list, one per session; a single name with --sessions N > 1 gives
// NAME1..NAMEN), TargetCompID --target (COMBO), and Username/Password --username/--password on
// the Logon when given. The acceptor must know the CompIDs and the order's legs. --limit sets the
// order's limit (default 2.35, resting below the demo's market; above the ask the daemon legs in,
// which --mode fill times to the client's Filled report); --legs sets the combo ("SPY 20261218 C
// 450 +1 / SPY 20261218 C 460 -1" by default, which the demo's OPT-B lists natively).
//
// --mode ack|fill|cancel says what each order measures:
//   ack     send -> ExecutionReport New (default)
//   fill    also send -> ExecutionReport Filled (the in-process stand-in fills at once; --fill
//           is the same)
//   cancel  also, from the acknowledgement, an OrderCancelRequest sent at once -> its first
//           answer ("cancel ack": Pending Cancel, or Canceled when that comes first) and its
//           ExecutionReport Canceled ("cancel") (raw client only)
// Orders go out paced at --rate (all sessions together), or, with --pipelined, as fast as the
// sessions take them with at most --window orders unanswered per session (the acknowledgements
// per second are then the acceptor's throughput).
//
// In process, --mode threads|core|busy also picks the gateway's threads (docs/FIX.md "Sockets"):
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
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
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
#include "fix/fix_enums.h"
#include "fix/testing/gateway_harness.h"
#include "quickfix/FixFieldNumbers.h"
#include "quickfix/FixValues.h"

namespace {

using combo::core::Duration;
using combo::core::MonotonicClock;
using combo::core::Timestamp;
using combo::fix::FixValue;
using combo::fix::testing::GatewayHarness;
using combo::fix::testing::HarnessOptions;
using combo::fix::testing::TempDir;

enum class Mode { kThreads, kCore, kBusy };
enum class Client { kQuickFix, kRaw };
enum class Measure { kAck, kFill, kCancel };

struct Options {
  Mode mode = Mode::kThreads;
  Client client = Client::kQuickFix;
  Measure measure = Measure::kAck;
  int sessions = 4;
  int rate = 10'000;  // orders per second, all sessions together (paced)
  int duration_seconds = 10;
  bool pipelined = false;
  int window = 256;  // unanswered orders per session (pipelined)
  bool stages = false;
  // --connect: an acceptor over TCP instead of the in-process gateway.
  std::string connect_host;
  int connect_port = 0;
  std::vector<std::string> senders;
  std::string target = "COMBO";
  std::string username;
  std::string password;
  // The vertical's limit: 2.35 rests below the demo's market; above its ask the order legs in.
  std::string limit = "2.35";
  // The combo's legs, as combo-client writes them.
  std::string legs = "SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1";

  bool fill() const { return measure == Measure::kFill; }
  bool cancel() const { return measure == Measure::kCancel; }
  bool remote() const { return connect_port > 0; }
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
  std::vector<int64_t> cancel_sent_ns;  // --mode cancel: when order n's cancel went out
  std::vector<int64_t> ack_ns;
  std::vector<int64_t> fill_ns;
  std::vector<int64_t> cancel_ns;
  // --mode cancel: the cancel's first answer, Pending Cancel or Canceled, whichever comes first.
  std::vector<int64_t> cancel_ack_ns;
  std::vector<bool> cancel_answered;
  std::atomic<int64_t> acks{0};
  std::atomic<int64_t> fills{0};
  std::atomic<int64_t> cancels{0};
  std::atomic<int64_t> rejects{0};
  std::atomic<int64_t> last_ack_ns{0};

  int64_t answered() const { return acks.load() + rejects.load(); }

  // A combo-level ExecutionReport for ClOrdID `id` received at `now` ("o<n>" for order n, "c<n>"
  // for its cancel). Returns the order's number when this is its acknowledgement, else -1.
  // Called on one thread per session only: the vectors need no lock.
  int64_t Record(std::string_view id, std::string_view exec_type, std::string_view ord_status,
                 int64_t now) {
    int64_t n = 0;
    if (id.size() < 2 || !absl::SimpleAtoi(combo::core::AsAbsl(id).substr(1), &n) || n < 0 ||
        n >= static_cast<int64_t>(sent_ns.size())) {
      return -1;
    }
    if (id[0] == 'c') {
      if ((exec_type == FixValue(FIX::ExecType_PENDING_CANCEL) ||
           exec_type == FixValue(FIX::ExecType_CANCELED)) &&
          n < static_cast<int64_t>(cancel_sent_ns.size()) &&
          !cancel_answered[static_cast<size_t>(n)]) {
        cancel_answered[static_cast<size_t>(n)] = true;
        cancel_ack_ns.push_back(now - cancel_sent_ns[static_cast<size_t>(n)]);
      }
      if (exec_type == FixValue(FIX::ExecType_CANCELED) &&
          n < static_cast<int64_t>(cancel_sent_ns.size())) {
        cancel_ns.push_back(now - cancel_sent_ns[static_cast<size_t>(n)]);
        cancels.fetch_add(1);
      }
      return -1;
    }
    if (exec_type == FixValue(FIX::ExecType_NEW)) {
      ack_ns.push_back(now - sent_ns[static_cast<size_t>(n)]);
      last_ack_ns.store(now);
      acks.fetch_add(1);
      return n;
    } else if (exec_type == FixValue(FIX::ExecType_TRADE) &&
               ord_status == FixValue(FIX::OrdStatus_FILLED)) {
      fill_ns.push_back(now - sent_ns[static_cast<size_t>(n)]);
      fills.fetch_add(1);
    } else if (exec_type == FixValue(FIX::ExecType_REJECTED)) {
      rejects.fetch_add(1);
    }
    return -1;
  }
};

// A TCP connection to `host`:`port` (a name or an address), or -1.
int ConnectTo(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return -1;
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  return fd;
}

// The value of `tag` in a raw FIX message, or empty.
std::string_view RawField(std::string_view message, int tag) {
  const std::string key = absl::StrCat("\x01", tag, "=");
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
  // Over `fd` (a connected socket, owned from now on; -1 fails the Logon).
  RawSession(int fd, std::string comp_id, std::string target, std::string logon_extra)
      : comp_id_(std::move(comp_id)),
        target_(std::move(target)),
        logon_extra_(std::move(logon_extra)),
        fd_(fd) {
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
    Write(Build(FIX::MsgType_Logon, absl::StrCat("98=0|108=30", logon_extra_)));
    const Timestamp deadline = clock.Now() + timeout;
    while (!logged_on_ && clock.Now() < deadline) Poll();
    return logged_on_;
  }

  // A complete message with the next sequence number (`body`: fields joined by '|').
  std::string Build(const std::string& msg_type, const std::string& body) {
    return combo::fix::testing::RawFix(msg_type, comp_id_, target_, next_seq_++, body);
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
    const std::string_view type = RawField(message, FIX::FIELD::MsgType);
    if (type == FIX::MsgType_Logon) {
      logged_on_ = true;
    } else if (type == FIX::MsgType_TestRequest) {
      Write(Build(
          FIX::MsgType_Heartbeat,
          absl::StrCat("112=", combo::core::AsAbsl(RawField(message, FIX::FIELD::TestReqID)))));
    } else if (type != FIX::MsgType_Heartbeat && on_message) {
      on_message(message);
    }
  }

  std::string comp_id_;
  std::string target_;
  std::string logon_extra_;
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
    int tag = 0;
    const bool numbered = absl::SimpleAtoi(field.substr(0, field.find('=')), &tag);
    if (numbered && (tag == FIX::FIELD::BeginString || tag == FIX::FIELD::BodyLength ||
                     tag == FIX::FIELD::MsgType || tag == FIX::FIELD::CheckSum)) {
      continue;
    }
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
               "usage: fix_load [--mode threads|core|busy] [--mode ack|fill|cancel] "
               "[--client quickfix|raw] [--sessions N] [--rate ORDERS_PER_SECOND] "
               "[--duration SECONDS] [--pipelined [--window N]] [--fill] [--stages]\n"
               "                [--connect HOST:PORT [--sender ID[,ID...]] [--target ID] "
               "[--username U --password P] [--limit PRICE] [--legs LEGS]]\n");
  return 2;
}

bool ParseText(const std::string& arg, const char* name, std::string* value) {
  const std::string prefix = std::string(name) + "=";
  if (arg.rfind(prefix, 0) != 0) return false;
  *value = arg.substr(prefix.size());
  return true;
}

// HOST:PORT (the last colon splits, so HOST may be a bracket-free IPv6 address).
bool ParseEndpoint(const std::string& text, std::string* host, int* port) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  *host = text.substr(0, colon);
  return absl::SimpleAtoi(text.substr(colon + 1), port) && *port > 0 && *port < 65536;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  std::string connect;
  std::string senders;
  bool client_given = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 < argc && arg.find('=') == std::string::npos && arg != "--fill" &&
        arg != "--stages" && arg != "--pipelined") {
      arg += std::string("=") + argv[++i];
    }
    if (arg == "--fill" || arg == "--mode=fill") {
      options.measure = Measure::kFill;
    } else if (arg == "--mode=ack") {
      options.measure = Measure::kAck;
    } else if (arg == "--mode=cancel") {
      options.measure = Measure::kCancel;
    } else if (arg == "--stages") {
      options.stages = true;
    } else if (arg == "--pipelined") {
      options.pipelined = true;
    } else if (arg == "--mode=threads") {
      options.mode = Mode::kThreads;
    } else if (arg == "--mode=core") {
      options.mode = Mode::kCore;
    } else if (arg == "--mode=busy") {
      options.mode = Mode::kBusy;
    } else if (arg == "--client=quickfix") {
      options.client = Client::kQuickFix;
      client_given = true;
    } else if (arg == "--client=raw") {
      options.client = Client::kRaw;
      client_given = true;
    } else if (!ParseFlag(arg, "--sessions", &options.sessions) &&
               !ParseFlag(arg, "--rate", &options.rate) &&
               !ParseFlag(arg, "--duration", &options.duration_seconds) &&
               !ParseFlag(arg, "--window", &options.window) &&
               !ParseText(arg, "--connect", &connect) && !ParseText(arg, "--sender", &senders) &&
               !ParseText(arg, "--target", &options.target) &&
               !ParseText(arg, "--username", &options.username) &&
               !ParseText(arg, "--password", &options.password) &&
               !ParseText(arg, "--limit", &options.limit) &&
               !ParseText(arg, "--legs", &options.legs)) {
      return Usage();
    }
  }
  if (options.sessions < 1 || options.rate < 1 || options.duration_seconds < 1 ||
      options.window < 1) {
    std::fprintf(stderr, "fix_load: sessions, rate, duration and window must be positive\n");
    return 2;
  }
  if (!connect.empty()) {
    if (!ParseEndpoint(connect, &options.connect_host, &options.connect_port)) {
      std::fprintf(stderr, "fix_load: --connect wants HOST:PORT, got %s\n", connect.c_str());
      return 2;
    }
    if (client_given && options.client != Client::kRaw) {
      std::fprintf(stderr, "fix_load: --connect speaks raw FIX sessions (--client raw)\n");
      return 2;
    }
    options.client = Client::kRaw;
    if (options.stages) {
      std::fprintf(stderr, "fix_load: --stages needs the in-process gateway (no --connect)\n");
      return 2;
    }
  }
  if (options.cancel() && options.client != Client::kRaw) {
    std::fprintf(stderr, "fix_load: --mode cancel needs --client raw (or --connect)\n");
    return 2;
  }
  if (options.username.empty() != options.password.empty()) {
    std::fprintf(stderr, "fix_load: --username and --password go together\n");
    return 2;
  }
  for (absl::string_view name : absl::StrSplit(senders, ',', absl::SkipEmpty())) {
    options.senders.emplace_back(name);
  }
  if (options.senders.empty()) options.senders.push_back("LOAD");
  if (options.senders.size() == 1 && (options.sessions > 1 || senders.empty())) {
    // One name for N sessions: NAME1..NAMEN (the in-process gateway's sessions are LOAD1..).
    const std::string base = options.senders[0];
    options.senders.clear();
    for (int s = 0; s < options.sessions; ++s) options.senders.push_back(absl::StrCat(base, s + 1));
  }
  if (static_cast<int>(options.senders.size()) != options.sessions) {
    std::fprintf(stderr, "fix_load: %zu sender CompIDs for %d sessions\n", options.senders.size(),
                 options.sessions);
    return 2;
  }
  if (options.stages && (options.sessions != 1 || options.rate > 1000 || options.pipelined)) {
    std::fprintf(stderr, "fix_load: --stages needs one session, paced at most 1000 orders/s\n");
    return 2;
  }

  TempDir dir;
  HarnessOptions harness_options;
  harness_options.sessions.clear();
  for (const std::string& sender : options.senders) {
    harness_options.sessions.push_back({"COMBO", sender, std::nullopt, std::nullopt, ""});
  }
  const bool busy_core = options.mode == Mode::kBusy;
  // One busy thread sends and reads every session: raw clients, or QuickFIX clients polled.
  const bool one_client_thread = options.client == Client::kRaw || busy_core;
  harness_options.socket_threads = options.mode == Mode::kThreads
                                       ? combo::fix::SocketThreads::kSessionThreads
                                       : combo::fix::SocketThreads::kCoreThread;
  harness_options.busy_poll_core = busy_core;
  harness_options.fills = options.fill() ? combo::fix::testing::FakeOrderEntry::Fills::kImmediately
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
  // The in-process gateway, unless an acceptor is given.
  std::unique_ptr<GatewayHarness> harness;
  if (!options.remote()) harness = std::make_unique<GatewayHarness>(dir, harness_options);
  auto connect_session = [&]() -> int {
    return options.remote() ? ConnectTo(options.connect_host, options.connect_port)
                            : combo::fix::testing::ConnectToLoopback(harness->port());
  };
  const std::string logon_extra =
      options.username.empty() ? std::string()
                               : absl::StrCat("|553=", options.username, "|554=", options.password);

  combo::fix::ComboOrderParams params;
  params.side = combo::core::Side::kBuy;
  params.quantity = 1;
  const absl::StatusOr<std::vector<combo::fix::LegSpec>> legs =
      combo::fix::ParseLegText(options.legs);
  if (!legs.ok()) {
    std::fprintf(stderr, "fix_load: --legs: %s\n", std::string(legs.status().message()).c_str());
    return 2;
  }
  params.legs = *legs;
  const absl::StatusOr<combo::core::Price> limit = combo::core::Price::Parse(options.limit);
  if (!limit.ok()) {
    std::fprintf(stderr, "fix_load: --limit wants a price, got %s\n", options.limit.c_str());
    return 2;
  }
  params.limit_price = *limit;
  const std::string body_template = NewOrderBodyTemplate(params, clock.Now());
  // The cancel of order n ("c<n>" for "o<n>"), with the order's TransactTime.
  const std::string soh_body =
      absl::StrCat("\x01", absl::StrReplaceAll(body_template, {{"|", "\x01"}}), "\x01");
  const std::string cancel_template =
      absl::StrCat("41=o{n}|11=c{n}|54=1|60=",
                   combo::core::AsAbsl(RawField(soh_body, FIX::FIELD::TransactTime)));

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
    if (options.cancel()) {
      load->cancel_sent_ns.assign(static_cast<size_t>(per_session), 0);
      load->cancel_answered.assign(static_cast<size_t>(per_session), false);
    }
    load->ack_ns.reserve(static_cast<size_t>(per_session));
    load->fill_ns.reserve(static_cast<size_t>(per_session));
    load->cancel_ns.reserve(static_cast<size_t>(options.cancel() ? per_session : 0));
    loads.push_back(std::move(owned));
    const std::string& comp_id = options.senders[static_cast<size_t>(s)];
    auto stamp_send = [&, load](int64_t n) {
      if (options.stages) stamps.current.store(n);
      load->sent_ns[static_cast<size_t>(n)] = clock.Now().unix_nanos();
    };
    if (options.client == Client::kRaw) {
      auto session =
          std::make_unique<RawSession>(connect_session(), comp_id, options.target, logon_extra);
      if (!session->LogOn(clock, Duration::Seconds(10))) {
        std::fprintf(stderr, "fix_load: session %d (%s) did not log on\n", s + 1, comp_id.c_str());
        return 1;
      }
      RawSession* raw = session.get();
      raw_sessions.push_back(std::move(session));
      const bool cancel = options.cancel();
      poll.push_back([raw, load, &clock, &cancel_template, cancel] {
        raw->Poll([raw, load, &clock, &cancel_template, cancel](std::string_view message) {
          const int64_t now = clock.Now().unix_nanos();
          if (RawField(message, FIX::FIELD::MultiLegReportingType) ==
              FixValue(FIX::MultiLegReportingType_INDIVIDUAL_LEG_OF_A_MULTI_LEG_SECURITY))
            return;  // leg reports
          const int64_t acknowledged = load->Record(RawField(message, FIX::FIELD::ClOrdID),
                                                    RawField(message, FIX::FIELD::ExecType),
                                                    RawField(message, FIX::FIELD::OrdStatus), now);
          if (cancel && acknowledged >= 0) {
            // The cancel leaves the moment its order is acknowledged.
            const std::string request = raw->Build(
                FIX::MsgType_OrderCancelRequest,
                absl::StrReplaceAll(cancel_template, {{"{n}", absl::StrCat(acknowledged)}}));
            load->cancel_sent_ns[static_cast<size_t>(acknowledged)] = clock.Now().unix_nanos();
            raw->Write(request);
          }
        });
      });
      send.push_back([raw, &body_template, stamp_send](int64_t n) {
        const std::string message =
            raw->Build(FIX::MsgType_NewOrderMultileg,
                       absl::StrReplaceAll(body_template, {{"{id}", absl::StrCat("o", n)}}));
        stamp_send(n);
        raw->Write(message);
      });
      continue;
    }
    auto handler = [load, &clock](const FIX::Message& message) {
      const int64_t now = clock.Now().unix_nanos();
      if (!message.isSetField(FIX::FIELD::ClOrdID) || !message.isSetField(FIX::FIELD::ExecType))
        return;
      if (message.isSetField(FIX::FIELD::MultiLegReportingType) &&
          message.getField(FIX::FIELD::MultiLegReportingType) == "2")
        return;  // leg reports
      load->Record(message.getField(FIX::FIELD::ClOrdID), message.getField(FIX::FIELD::ExecType),
                   message.isSetField(FIX::FIELD::OrdStatus)
                       ? message.getField(FIX::FIELD::OrdStatus)
                       : std::string(),
                   now);
    };
    std::unique_ptr<combo::fix::FixClient> client =
        harness->Connect(comp_id, handler, /*polled=*/one_client_thread);
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
    int64_t cancels = 0;
    int64_t rejects = 0;
    for (const auto& load : loads) {
      acks += load->acks.load();
      fills += load->fills.load();
      cancels += load->cancels.load();
      rejects += load->rejects.load();
    }
    return acks + rejects >= per_session * options.sessions && (!options.fill() || fills >= acks) &&
           (!options.cancel() || cancels >= acks);
  };
  const Duration interval =
      Duration::Nanoseconds(1'000'000'000LL * options.sessions / options.rate);
  const Timestamp start = clock.Now();
  Timestamp sent_all = start;
  if (one_client_thread) {
    // One thread sends every session's orders when due (round robin; pipelined: whenever the
    // session has fewer than --window unanswered) and polls every session, never sleeping,
    // until everything is answered (or 20 s after the last send).
    const Duration spacing = interval / options.sessions;
    const int64_t total = per_session * options.sessions;
    int64_t next_order = 0;
    Timestamp deadline = Timestamp::Max();
    for (;;) {
      for (const auto& read : poll) read();
      const Timestamp now = clock.Now();
      if (next_order < total) {
        const size_t session = static_cast<size_t>(next_order % options.sessions);
        const int64_t n = next_order / options.sessions;
        const bool due = options.pipelined ? n - loads[session]->answered() < options.window
                                           : now >= start + spacing * next_order;
        if (due) {
          send[session](n);
          if (++next_order == total) {
            sent_all = clock.Now();
            deadline = sent_all + Duration::Seconds(20);
          }
        }
      }
      if (next_order == total && (all_answered() || now > deadline)) break;
    }
  } else {
    std::vector<std::thread> senders_threads;
    for (int s = 0; s < options.sessions; ++s) {
      senders_threads.emplace_back([&, s] {
        // Sessions start staggered across one interval.
        Timestamp next = start + interval * s / options.sessions;
        for (int64_t n = 0; n < per_session; ++n) {
          if (options.pipelined) {
            // Keep at most --window orders unanswered; wait for answers without spinning.
            while (n - loads[static_cast<size_t>(s)]->answered() >= options.window) {
              std::this_thread::sleep_for(std::chrono::microseconds(50));
            }
          } else if (const Duration left = next - clock.Now(); left > Duration::Zero()) {
            // Sleep, never spin: the gateway's threads sleep too, and on a 2-core machine a
            // spinning sender would take the CPU they need.
            std::this_thread::sleep_for(std::chrono::nanoseconds(left.nanoseconds()));
          }
          send[static_cast<size_t>(s)](n);
          next += interval;
        }
      });
    }
    for (std::thread& sender : senders_threads) sender.join();
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
  std::vector<int64_t> cancels;
  std::vector<int64_t> cancel_acks;
  int64_t last_ack = 0;
  int64_t rejects = 0;
  for (const auto& load : loads) {
    acks.insert(acks.end(), load->ack_ns.begin(), load->ack_ns.end());
    fills.insert(fills.end(), load->fill_ns.begin(), load->fill_ns.end());
    cancels.insert(cancels.end(), load->cancel_ns.begin(), load->cancel_ns.end());
    cancel_acks.insert(cancel_acks.end(), load->cancel_ack_ns.begin(), load->cancel_ack_ns.end());
    last_ack = std::max(last_ack, load->last_ack_ns.load());
    rejects += load->rejects.load();
  }
  const double send_seconds = (sent_all - start).ToSecondsDouble();
  const double ack_seconds = static_cast<double>(last_ack - start.unix_nanos()) / 1e9;
  const char* mode_name = options.mode == Mode::kThreads ? "threads"
                          : options.mode == Mode::kCore  ? "core"
                                                         : "busy";
  const char* measure_name = options.fill() ? "fill" : options.cancel() ? "cancel" : "ack";
  const std::string pacing =
      options.pipelined
          ? absl::StrCat("pipelined (window ", options.window, "), ",
                         per_session * options.sessions, " orders")
          : absl::StrCat("target ", options.rate, " orders/s for ", options.duration_seconds, " s");
  if (options.remote()) {
    std::printf("fix_load: acceptor %s:%d, mode %s, client raw, %d session(s), %s\n",
                options.connect_host.c_str(), options.connect_port, measure_name, options.sessions,
                pacing.c_str());
  } else {
    std::printf("fix_load: threads %s, mode %s, client %s, %d session(s), %s%s\n", mode_name,
                measure_name, options.client == Client::kRaw ? "raw" : "quickfix", options.sessions,
                pacing.c_str(), options.fill() ? ", stand-in fills at once" : "");
  }
  std::printf("sent %lld orders in %.2f s (%.0f/s); acknowledged %zu (%.0f/s), rejected %lld\n",
              static_cast<long long>(per_session * options.sessions), send_seconds,
              static_cast<double>(per_session * options.sessions) / send_seconds, acks.size(),
              ack_seconds > 0 ? static_cast<double>(acks.size()) / ack_seconds : 0.0,
              static_cast<long long>(rejects));
  PrintLatency("ack", acks);
  if (options.fill()) PrintLatency("fill", fills);
  if (options.cancel()) {
    PrintLatency("cancel ack", cancel_acks);
    PrintLatency("cancel", cancels);
  }
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
  const size_t expected = static_cast<size_t>(per_session * options.sessions);
  const bool complete =
      acks.size() == expected && (!options.cancel() || cancels.size() == expected);
  return complete ? 0 : 1;
}

// Test harness (test code, not production): a FixAcceptor on an ephemeral loopback port in front
// of a FakeOrderEntry on a CoreThread, FixClient initiators that collect what they receive, and
// a raw TCP connection for bytes no FIX engine would send.
//
// Waiting is bounded: every wait has a deadline (condition variables and poll(2) timeouts);
// nothing sleeps. Thread-safe where noted.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/instrument_catalog.h"
#include "core/simulated_time.h"
#include "core/time.h"
#include "fix/client.h"
#include "fix/gateway.h"
#include "fix/testing/catalog_listings.h"
#include "fix/testing/core_thread.h"
#include "fix/testing/fake_order_entry.h"
#include "prometheus/registry.h"
#include "quickfix/Message.h"

namespace combo::fix::testing {

inline constexpr core::Duration kWait = core::Duration::Seconds(10);

// Both kinds of FIX sockets, for suites that run once with each, and their test-name parts.
inline constexpr SocketThreads kEverySocketThreads[] = {SocketThreads::kSessionThreads,
                                                        SocketThreads::kCoreThread};
inline std::string SocketThreadsTestName(SocketThreads threads) {
  return threads == SocketThreads::kCoreThread ? "CoreThread" : "SessionThreads";
}

// Messages received by a client, in arrival order. Thread-safe.
class MessageCollector {
 public:
  void Add(const FIX::Message& message);
  // The first message (from the start, counting earlier ones) that `match` accepts, waiting at
  // most `timeout` for it. `skip` matching messages are passed over first.
  std::optional<FIX::Message> WaitFor(const std::function<bool(const FIX::Message&)>& match,
                                      core::Duration timeout = kWait, size_t skip = 0);
  std::vector<FIX::Message> All() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<FIX::Message> messages_;
};

// Matchers.
std::function<bool(const FIX::Message&)> HasMsgType(std::string type);
std::function<bool(const FIX::Message&)> Report(std::string cl_ord_id, std::string exec_type,
                                                std::string reporting_type = "3");

// A fresh directory under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A TCP port nobody listens on right now (the kernel's choice). Another process may take it
// before it is bound again: callers retry with a fresh one (kPortAttempts times).
int PickFreePort();
inline constexpr int kPortAttempts = 20;

// Instruments the tests use: SPY (stock, id 1), SPY 20261218 C 450 (id 2), C 460 (id 3),
// P 440 (id 4), all 100 multiplier and 0.01 tick except SPY (1, 0.01); ES 202612 (future,
// id 5, multiplier 50, tick 0.25); C 455 (id 6) with tick 0.05.
core::InstrumentCatalog TestCatalog();

struct HarnessOptions {
  std::vector<SessionConfig> sessions = {{"COMBO", "BROKER1", std::nullopt, std::nullopt, "ACC1"}};
  std::optional<TlsConfig> tls;
  FakeOrderEntry::Fills fills = FakeOrderEntry::Fills::kOnCommand;
  size_t max_legs = 4;
  // When set (not owned), the acceptor exports its metrics there.
  prometheus::Registry* registry = nullptr;
  // Instrumentation for the load generator's stage timings: called on the QuickFIX session
  // thread when the gateway hands a message to the core thread (session threads only: with
  // core-thread sockets nothing is handed over), on the core thread just before and after that
  // task runs, and on the core thread when an order reaches the stand-in. Must be thread-safe
  // where they share state.
  std::function<void()> on_handoff;
  std::function<void()> on_core_start;
  std::function<void()> on_core_end;
  std::function<void()> on_submit;
  // Which thread serves the sockets, and whether the core thread busy-polls (load generator).
  SocketThreads socket_threads = SocketThreads::kSessionThreads;
  bool busy_poll_core = false;
};

class GatewayHarness {
 public:
  // Stores live under `dir` (so a second harness on the same dir resumes sequence numbers).
  // `port` 0 picks a free one (again when binding it fails); port() is the one listening.
  GatewayHarness(const TempDir& dir, HarnessOptions options = {}, int port = 0);
  ~GatewayHarness();

  int port() const { return port_; }
  FakeOrderEntry& fake() { return *fake_; }
  CoreThread& core() { return core_; }
  FixAcceptor& acceptor() { return *acceptor_; }
  const core::InstrumentCatalog& catalog() const { return catalog_; }

  // A client session for `comp_id`, started, with its messages collected into `collector`.
  std::unique_ptr<FixClient> Connect(const std::string& comp_id, MessageCollector& collector,
                                     std::optional<std::string> username = std::nullopt,
                                     std::optional<std::string> password = std::nullopt);
  // The same with a handler of one's own (called on the client's QuickFIX thread, or in Poll for
  // a `polled` client) and the client's sequence numbers in memory only (the load generator
  // measures the gateway's store, not the client's).
  std::unique_ptr<FixClient> Connect(const std::string& comp_id, FixClient::MessageHandler handler,
                                     bool polled = false);

 private:
  const TempDir& dir_;
  HarnessOptions options_;
  int port_;
  core::InstrumentCatalog catalog_;
  core::SimulatedTime clock_;
  CoreThread core_;
  std::unique_ptr<FakeOrderEntry> fake_;
  // Every catalog instrument at venue 1 "FAKE", and the fake's defined combos.
  std::unique_ptr<CatalogListings> listings_;
  std::unique_ptr<FixAcceptor> acceptor_;
};

// A TCP connection to 127.0.0.1:`port` (a blocking socket), or -1 when refused.
int ConnectToLoopback(int port);

// A plain TCP connection for raw bytes.
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  bool connected() const { return fd_ >= 0; }
  void Send(const std::string& bytes);
  // Reads until `text` appears in what was received, the peer closes, or `timeout` passes.
  // Returns everything received so far.
  std::string ReadUntil(const std::string& text, core::Duration timeout = kWait);
  // True when the peer closed the connection within `timeout`.
  bool WaitForClose(core::Duration timeout = kWait);

 private:
  int fd_ = -1;
  bool closed_ = false;
  std::string received_;
};

// A complete FIX 4.4 message: header (BeginString, BodyLength, MsgType, CompIDs, MsgSeqNum,
// SendingTime), `body` ("tag=value" fields joined by SOH) and checksum.
std::string RawFix(const std::string& msg_type, const std::string& sender,
                   const std::string& target, int seq_num, const std::string& body,
                   const std::string& begin_string = "FIX.4.4");
// A raw Logon.
std::string RawLogon(const std::string& sender, int seq_num, const std::string& extra = "");

}  // namespace combo::fix::testing

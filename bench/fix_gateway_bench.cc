// fix_gateway_bench: where the time of one FIX acknowledgement round trip goes, stage by stage,
// on one thread with warm caches, plus the machine's floor for the thread wake-ups the round trip
// needs. fix_load measures the whole round trip; this explains it (docs/BENCHMARKS.md
// "FIX gateway: where the round trip goes").
//
// Stages, in the order a NewOrderMultileg and its ExecutionReport New travel:
//   BM_ClientBuildNewOrder      the initiator builds the message and serializes it
//   BM_AcceptorParseNewOrder    QuickFIX parses it against the dictionary and validates it
//   BM_AcceptorCopyForCore      the gateway copies it to hand it to the core thread
//   BM_CoreTranslate            FIX -> router::NewComboOrder
//   BM_CoreNewOrderToAck        on the core thread: translation, the stand-in router's accept,
//                               the ExecutionReport built, serialized and persisted in the file
//                               store (the session is not connected, so no socket write)
//   BM_ClientParseAck           the initiator parses the ExecutionReport against the dictionary
// Wake-ups (manual time, wall clock):
//   BM_LoopbackEchoAfterIdle/gap_us   a 300-byte TCP echo between two threads (TCP_NODELAY,
//                                     select, as QuickFIX's session threads), the sender idle
//                                     for gap_us before each: two thread wake-ups
//   BM_CoreThreadHopAfterIdle/gap_us  a task posted to a CoreThread and waited for: two wake-ups
//   BM_BusyLoopbackRoundTripAfterIdle/gap_us
//                                     300 bytes out and 600 back between two threads that spin
//                                     on non-blocking sockets, gap_us apart: no wake-up, the
//                                     kernel's TCP path alone (p50_us / p99_us counters)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/quantile.h"
#include "benchmark/benchmark.h"
#include "core/simulated_time.h"
#include "fix/client.h"
#include "fix/gateway.h"
#include "fix/reports.h"
#include "fix/testing/core_thread.h"
#include "fix/testing/fake_order_entry.h"
#include "fix/testing/gateway_harness.h"
#include "fix/translation.h"
#include "quickfix/DataDictionary.h"
#include "quickfix/FixFieldNumbers.h"

namespace {

using combo::core::Price;
using combo::fix::ComboOrderParams;

constexpr combo::core::Timestamp kTime =
    combo::core::Timestamp::FromUnixNanos(1'795'000'000'000'000'000);

ComboOrderParams Vertical(int n) {
  ComboOrderParams params;
  params.client_order_id = absl::StrCat("o", n);
  params.quantity = 1;
  params.legs = *combo::fix::ParseLegText("SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1");
  params.limit_price = Price::FromParts(2, 350'000'000);
  return params;
}

void SetHeader(FIX::Message& message, const std::string& sender, const std::string& target,
               int seq) {
  FIX::Header& header = message.getHeader();
  header.setField(FIX::FIELD::BeginString, "FIX.4.4");
  header.setField(FIX::FIELD::SenderCompID, sender);
  header.setField(FIX::FIELD::TargetCompID, target);
  header.setField(FIX::FIELD::MsgSeqNum, absl::StrCat(seq));
  header.setField(FIX::FIELD::SendingTime, "20261121-19:00:00.000");
}

const FIX::DataDictionary& Dictionary() {
  static const FIX::DataDictionary* dictionary = new FIX::DataDictionary(COMBO_FIX_DICTIONARY);
  return *dictionary;
}

std::string NewOrderWire(int n) {
  FIX::Message message = combo::fix::MakeNewOrderMultileg(Vertical(n), kTime);
  SetHeader(message, "BROKER1", "COMBO", n + 2);
  std::string wire;
  message.toString(wire);
  return wire;
}

void BM_ClientBuildNewOrder(benchmark::State& state) {
  int n = 0;
  std::string wire;
  const ComboOrderParams params = Vertical(0);
  for (auto _ : state) {
    FIX::Message message = combo::fix::MakeNewOrderMultileg(params, kTime);
    SetHeader(message, "BROKER1", "COMBO", ++n);
    message.toString(wire);
    benchmark::DoNotOptimize(wire.data());
  }
}
BENCHMARK(BM_ClientBuildNewOrder);

void BM_AcceptorParseNewOrder(benchmark::State& state) {
  const std::string wire = NewOrderWire(1);
  for (auto _ : state) {
    FIX::Message message(wire, Dictionary(), true);
    Dictionary().validate(message);
    benchmark::DoNotOptimize(&message);
  }
}
BENCHMARK(BM_AcceptorParseNewOrder);

void BM_AcceptorCopyForCore(benchmark::State& state) {
  const FIX::Message parsed(NewOrderWire(1), Dictionary(), true);
  for (auto _ : state) {
    FIX::Message copy = parsed;
    benchmark::DoNotOptimize(&copy);
  }
}
BENCHMARK(BM_AcceptorCopyForCore);

void BM_CoreTranslate(benchmark::State& state) {
  const combo::core::InstrumentCatalog catalog = combo::fix::testing::TestCatalog();
  const FIX::Message parsed(NewOrderWire(1), Dictionary(), true);
  combo::fix::TranslationContext context;
  context.client = combo::core::ClientId("BROKER1");
  context.default_account = combo::core::AccountId("ACC1");
  context.instruments = &catalog;
  context.find_combo = [](combo::core::ComboId) -> const combo::core::ComboSpec* {
    return nullptr;
  };
  for (auto _ : state) {
    combo::fix::Inbound inbound = combo::fix::Translate(parsed, context);
    benchmark::DoNotOptimize(&inbound);
  }
}
BENCHMARK(BM_CoreTranslate);

void BM_CoreNewOrderToAck(benchmark::State& state) {
  combo::fix::testing::TempDir dir;
  const combo::core::InstrumentCatalog catalog = combo::fix::testing::TestCatalog();
  combo::core::SimulatedTime clock;
  combo::fix::testing::FakeOrderEntry stand_in(catalog, clock);
  const combo::fix::testing::CatalogListings listings(catalog, stand_in.combos(), stand_in,
                                                      {combo::core::VenueId(1), "FAKE"});
  combo::fix::GatewayConfig config;
  config.port = 1;  // never started
  config.data_dictionary = COMBO_FIX_DICTIONARY;
  config.store_directory = dir.Sub("store");
  config.sessions = {{"COMBO", "BROKER1", std::nullopt, std::nullopt, "ACC1"}};
  absl::StatusOr<std::unique_ptr<combo::fix::FixAcceptor>> acceptor =
      combo::fix::FixAcceptor::Create(
          config, stand_in, catalog, listings, [](std::function<void()> task) { task(); }, clock);
  if (!acceptor.ok()) {
    state.SkipWithError(std::string(acceptor.status().message()).c_str());
    return;
  }
  const FIX::SessionID session("FIX.4.4", "COMBO", "BROKER1");
  // Distinct ClOrdIDs, parsed ahead (parsing is BM_AcceptorParseNewOrder's).
  std::vector<FIX::Message> orders;
  for (int n = 0; n < 4096; ++n) orders.emplace_back(NewOrderWire(n), Dictionary(), true);
  size_t next = 0;
  int64_t round = 0;
  for (auto _ : state) {
    if (next == orders.size()) {
      state.PauseTiming();
      // New ClOrdIDs for the next round (the stand-in refuses duplicates).
      ++round;
      for (size_t i = 0; i < orders.size(); ++i) {
        orders[i].setField(FIX::FIELD::ClOrdID, absl::StrCat("r", round, "o", i));
      }
      next = 0;
      state.ResumeTiming();
    }
    (*acceptor)->gateway().HandleOnCore(orders[next++], session);
  }
  state.counters["accepted"] = static_cast<double>(stand_in.submitted().size());
}
BENCHMARK(BM_CoreNewOrderToAck);

void BM_ClientParseAck(benchmark::State& state) {
  // The acknowledgement the gateway sends (its legs described), built as the gateway does.
  const combo::core::InstrumentCatalog catalog = combo::fix::testing::TestCatalog();
  combo::fix::TranslationContext context;
  context.client = combo::core::ClientId("BROKER1");
  context.default_account = combo::core::AccountId("ACC1");
  context.instruments = &catalog;
  context.find_combo = [](combo::core::ComboId) -> const combo::core::ComboSpec* {
    return nullptr;
  };
  const FIX::Message parsed(NewOrderWire(1), Dictionary(), true);
  combo::fix::Inbound inbound = combo::fix::Translate(parsed, context);
  const auto* order = std::get_if<combo::router::NewComboOrder>(&inbound);
  if (order == nullptr) {
    state.SkipWithError("the order did not translate");
    return;
  }
  combo::router::OrderSnapshot snapshot;
  snapshot.client = order->client;
  snapshot.client_order_id = order->client_order_id;
  snapshot.original_client_order_id = order->client_order_id;
  snapshot.order_id = combo::core::OrderId(17);
  snapshot.account = order->account;
  snapshot.side = order->side;
  snapshot.type = order->type;
  snapshot.time_in_force = order->time_in_force;
  for (const combo::core::ComboLeg& leg : order->combo.legs())
    snapshot.legs.push_back({leg, {}, {}});
  snapshot.order_quantity = order->quantity;
  snapshot.leaves_quantity = order->quantity;
  snapshot.limit_price = order->limit_price;
  combo::fix::ReportBuilder reports(catalog, "1795000000000");
  FIX::Message ack = reports.OrderReport(snapshot, '0', kTime, "");
  SetHeader(ack, "COMBO", "BROKER1", 2);
  std::string wire;
  ack.toString(wire);
  for (auto _ : state) {
    FIX::Message message(wire, Dictionary(), true);
    Dictionary().validate(message);
    benchmark::DoNotOptimize(&message);
  }
}
BENCHMARK(BM_ClientParseAck);

// Reads exactly `size` bytes, waiting in select(2) first as QuickFIX's session threads do.
bool ReadAll(int fd, char* buffer, size_t size) {
  size_t got = 0;
  while (got < size) {
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(fd, &readable);
    timeval timeout{1, 0};
    if (select(fd + 1, &readable, nullptr, nullptr, &timeout) <= 0) return false;
    const ssize_t n = read(fd, buffer + got, size - got);
    if (n <= 0) return false;
    got += static_cast<size_t>(n);
  }
  return true;
}

// Two ends of a loopback TCP connection with TCP_NODELAY (the listener is closed at once).
struct LoopbackPair {
  int client = -1;
  int server = -1;
  ~LoopbackPair() {
    if (client >= 0) close(client);
    if (server >= 0) close(server);
  }
  bool ok() const { return client >= 0 && server >= 0; }
};

std::unique_ptr<LoopbackPair> ConnectLoopbackPair() {
  auto pair = std::make_unique<LoopbackPair>();
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0 &&
      listen(listener, 1) == 0) {
    pair->client = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(pair->client, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
      pair->server = accept(listener, nullptr, nullptr);
    }
  }
  close(listener);
  const int one = 1;
  setsockopt(pair->client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  setsockopt(pair->server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return pair;
}

void BM_LoopbackEchoAfterIdle(benchmark::State& state) {
  const auto gap = std::chrono::microseconds(state.range(0));
  std::unique_ptr<LoopbackPair> pair = ConnectLoopbackPair();
  if (!pair->ok()) {
    state.SkipWithError("cannot connect on loopback");
    return;
  }
  constexpr size_t kSize = 300;  // about a NewOrderMultileg
  std::thread echo([server = pair->server] {
    char buffer[kSize];
    while (ReadAll(server, buffer, kSize)) {
      if (write(server, buffer, kSize) != static_cast<ssize_t>(kSize)) return;
    }
  });
  char buffer[kSize] = {};
  for (auto _ : state) {
    if (gap.count() > 0) std::this_thread::sleep_for(gap);
    const auto start = std::chrono::steady_clock::now();
    if (write(pair->client, buffer, kSize) != static_cast<ssize_t>(kSize) ||
        !ReadAll(pair->client, buffer, kSize)) {
      state.SkipWithError("echo failed");
      break;
    }
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  shutdown(pair->client, SHUT_RDWR);
  echo.join();
}
BENCHMARK(BM_LoopbackEchoAfterIdle)
    ->Arg(0)
    ->Arg(100)
    ->Arg(10'000)
    ->UseManualTime()
    ->Iterations(300)
    ->Unit(benchmark::kMicrosecond);

// Reads exactly `size` bytes from a non-blocking socket, spinning (a busy-polling thread).
bool SpinReadAll(int fd, char* buffer, size_t size, const std::atomic<bool>& stop) {
  size_t got = 0;
  while (got < size) {
    const ssize_t n = recv(fd, buffer + got, size - got, MSG_DONTWAIT);
    if (n > 0) {
      got += static_cast<size_t>(n);
    } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) ||
               stop.load(std::memory_order_relaxed)) {
      return false;
    }
  }
  return true;
}

// The floor under fix_load --mode busy --client raw: the same loopback round trip (300 bytes
// out, about a NewOrderMultileg; 600 back, about its acknowledgement) between two threads that
// both spin on non-blocking sockets, with nothing else done, `gap_us` apart. It is what the
// kernel's TCP path costs the gateway's round trip at a given rate, before any FIX work.
void BM_BusyLoopbackRoundTripAfterIdle(benchmark::State& state) {
  const auto gap = std::chrono::microseconds(state.range(0));
  std::unique_ptr<LoopbackPair> pair = ConnectLoopbackPair();
  if (!pair->ok()) {
    state.SkipWithError("cannot connect on loopback");
    return;
  }
  constexpr size_t kRequest = 300;
  constexpr size_t kReply = 600;
  std::atomic<bool> stop{false};
  std::thread echo([server = pair->server, &stop] {
    char request[kRequest];
    char reply[kReply] = {};
    while (SpinReadAll(server, request, kRequest, stop)) {
      if (send(server, reply, kReply, MSG_NOSIGNAL) != static_cast<ssize_t>(kReply)) return;
    }
  });
  char request[kRequest] = {};
  char reply[kReply];
  std::vector<int64_t> samples;
  for (auto _ : state) {
    const auto due = std::chrono::steady_clock::now() + gap;
    while (std::chrono::steady_clock::now() < due) {
    }
    const auto start = std::chrono::steady_clock::now();
    if (send(pair->client, request, kRequest, MSG_NOSIGNAL) != static_cast<ssize_t>(kRequest) ||
        !SpinReadAll(pair->client, reply, kReply, stop)) {
      state.SkipWithError("round trip failed");
      break;
    }
    const auto took = std::chrono::steady_clock::now() - start;
    samples.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(took).count());
    state.SetIterationTime(std::chrono::duration<double>(took).count());
  }
  stop = true;
  shutdown(pair->client, SHUT_RDWR);
  echo.join();
  if (!samples.empty()) {
    std::sort(samples.begin(), samples.end());
    state.counters["p50_us"] = combo::bench::QuantileOfSorted(samples, 0.5) / 1e3;
    state.counters["p99_us"] = combo::bench::QuantileOfSorted(samples, 0.99) / 1e3;
  }
}
BENCHMARK(BM_BusyLoopbackRoundTripAfterIdle)
    ->Arg(0)
    ->Arg(200)
    ->Arg(1'000)
    ->Arg(10'000)
    ->UseManualTime()
    ->Iterations(500)
    ->Unit(benchmark::kMicrosecond);

void BM_CoreThreadHopAfterIdle(benchmark::State& state) {
  const auto gap = std::chrono::microseconds(state.range(0));
  combo::fix::testing::CoreThread core;
  for (auto _ : state) {
    if (gap.count() > 0) std::this_thread::sleep_for(gap);
    const auto start = std::chrono::steady_clock::now();
    core.RunAndWait([] {});
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
}
BENCHMARK(BM_CoreThreadHopAfterIdle)
    ->Arg(0)
    ->Arg(100)
    ->Arg(10'000)
    ->UseManualTime()
    ->Iterations(300)
    ->Unit(benchmark::kMicrosecond);

}  // namespace

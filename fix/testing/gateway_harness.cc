#include "fix/testing/gateway_harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/civil_time.h"
#include "core/clock.h"
#include "quickfix/FixFieldNumbers.h"
#include "quickfix/FixValues.h"

namespace combo::fix::testing {

void MessageCollector::Add(const FIX::Message& message) {
  std::lock_guard lock(mutex_);
  messages_.push_back(message);
  changed_.notify_all();
}

std::optional<FIX::Message> MessageCollector::WaitFor(
    const std::function<bool(const FIX::Message&)>& match, core::Duration timeout, size_t skip) {
  std::unique_lock lock(mutex_);
  std::optional<FIX::Message> found;
  auto find = [&] {
    size_t skipped = 0;
    for (const FIX::Message& message : messages_) {
      if (!match(message)) continue;
      if (skipped++ < skip) continue;
      found = message;
      return true;
    }
    return false;
  };
  changed_.wait_for(lock, std::chrono::nanoseconds(timeout.nanoseconds()), find);
  return found;
}

std::vector<FIX::Message> MessageCollector::All() const {
  std::lock_guard lock(mutex_);
  return messages_;
}

std::function<bool(const FIX::Message&)> HasMsgType(std::string type) {
  return [type = std::move(type)](const FIX::Message& message) {
    return message.getHeader().getField(FIX::FIELD::MsgType) == type;
  };
}

std::function<bool(const FIX::Message&)> Report(std::string cl_ord_id, std::string exec_type,
                                                std::string reporting_type) {
  return [=](const FIX::Message& message) {
    return message.getHeader().getField(FIX::FIELD::MsgType) == FIX::MsgType_ExecutionReport &&
           message.isSetField(FIX::FIELD::ClOrdID) &&
           message.getField(FIX::FIELD::ClOrdID) == cl_ord_id &&
           message.getField(FIX::FIELD::ExecType) == exec_type &&
           message.isSetField(FIX::FIELD::MultiLegReportingType) &&
           message.getField(FIX::FIELD::MultiLegReportingType) == reporting_type;
  };
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "combo-fix-XXXXXX").string();
  char* made = mkdtemp(pattern.data());
  path_ = made != nullptr ? std::string(made) : std::string();
}

TempDir::~TempDir() {
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
}

int PickFreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

core::InstrumentCatalog TestCatalog() {
  core::InstrumentCatalog catalog;
  auto add = [&](core::InstrumentDefinition d) { (void)catalog.Add(*core::Instrument::Create(d)); };
  add({core::InstrumentId(1), "SPY", core::AssetClass::kEtf, "SPY", 1,
       core::Price::FromParts(0, 10'000'000), std::nullopt, std::nullopt});
  auto option = [&](uint32_t id, core::OptionRight right, int64_t strike, core::Price tick) {
    const char* letter = right == core::OptionRight::kCall ? "C" : "P";
    add({core::InstrumentId(id), absl::StrCat("SPY 20261218 ", letter, " ", strike),
         core::AssetClass::kOption, "SPY", 100, tick,
         core::OptionTerms{right, core::Price::FromParts(strike, 0), absl::CivilDay(2026, 12, 18)},
         std::nullopt});
  };
  option(2, core::OptionRight::kCall, 450, core::Price::FromParts(0, 10'000'000));
  option(3, core::OptionRight::kCall, 460, core::Price::FromParts(0, 10'000'000));
  option(4, core::OptionRight::kPut, 440, core::Price::FromParts(0, 10'000'000));
  add({core::InstrumentId(5), "ES 202612", core::AssetClass::kFuture, "ES", 50,
       core::Price::FromParts(0, 250'000'000), std::nullopt, absl::CivilDay(2026, 12, 18)});
  option(6, core::OptionRight::kCall, 455, core::Price::FromParts(0, 50'000'000));
  return catalog;
}

GatewayHarness::GatewayHarness(const TempDir& dir, HarnessOptions options, int port)
    : dir_(dir),
      options_(std::move(options)),
      port_(port),
      catalog_(TestCatalog()),
      core_(options_.busy_poll_core) {
  fake_ = std::make_unique<FakeOrderEntry>(catalog_, clock_, options_.fills);
  if (options_.on_submit) fake_->SetOnSubmit(options_.on_submit);
  listings_ = std::make_unique<CatalogListings>(catalog_, fake_->combos(), *fake_,
                                                router::ListingVenue{core::VenueId(1), "FAKE"});
  GatewayConfig config;
  config.data_dictionary = COMBO_FIX_DICTIONARY;
  config.store_directory = dir_.Sub("acceptor-store");
  config.sessions = options_.sessions;
  config.tls = options_.tls;
  config.max_legs = options_.max_legs;
  config.listen_address = "127.0.0.1";
  config.socket_threads = options_.socket_threads;
  // A port picked free can be taken by someone else before the acceptor binds it: pick again.
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    config.port = port != 0 ? port : PickFreePort();
    core_.RunAndWait([&] {
      acceptor_.reset();
      absl::StatusOr<std::unique_ptr<FixAcceptor>> made = FixAcceptor::Create(
          config, *fake_, catalog_, *listings_,
          [this](std::function<void()> task) {
            // As the daemon: at once on the core thread (core-thread sockets), else posted.
            if (core_.OnThisThread()) return task();
            if (options_.on_handoff) options_.on_handoff();
            core_.Post([this, task = std::move(task)] {
              if (options_.on_core_start) options_.on_core_start();
              task();
              if (options_.on_core_end) options_.on_core_end();
            });
          },
          clock_, options_.registry, &core_.io());
      if (made.ok()) acceptor_ = *std::move(made);
    });
    if (acceptor_ == nullptr) return;
    bool started = false;
    core_.RunAndWait([&] { started = acceptor_->Start().ok(); });
    if (started) {
      port_ = config.port;
      return;
    }
    if (port != 0) return;
  }
}

GatewayHarness::~GatewayHarness() {
  // The gateway's state lives on the core thread: let it finish, then destroy it there.
  core_.RunAndWait([this] {
    if (acceptor_ != nullptr) acceptor_->Disconnect();
  });
  core_.RunAndWait([this] { acceptor_.reset(); });
}

std::unique_ptr<FixClient> GatewayHarness::Connect(const std::string& comp_id,
                                                   FixClient::MessageHandler handler, bool polled) {
  ClientConfig config;
  config.polled = polled;
  config.port = port_;
  config.sender_comp_id = comp_id;
  config.data_dictionary = COMBO_FIX_DICTIONARY;
  config.tls = options_.tls.has_value();
  absl::StatusOr<std::unique_ptr<FixClient>> client = FixClient::Create(config, std::move(handler));
  if (!client.ok() || !(*client)->Start().ok()) return nullptr;
  return *std::move(client);
}

std::unique_ptr<FixClient> GatewayHarness::Connect(const std::string& comp_id,
                                                   MessageCollector& collector,
                                                   std::optional<std::string> username,
                                                   std::optional<std::string> password) {
  ClientConfig config;
  config.port = port_;
  config.sender_comp_id = comp_id;
  config.target_comp_id = "COMBO";
  config.username = std::move(username);
  config.password = std::move(password);
  config.data_dictionary = COMBO_FIX_DICTIONARY;
  config.store_directory = dir_.Sub("client-store-" + comp_id);
  config.tls = options_.tls.has_value();
  absl::StatusOr<std::unique_ptr<FixClient>> client =
      FixClient::Create(config, [&collector](const FIX::Message& m) { collector.Add(m); });
  if (!client.ok()) return nullptr;
  if (!(*client)->Start().ok()) return nullptr;
  return *std::move(client);
}

int ConnectToLoopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    fd = -1;
  }
  return fd;
}

RawConnection::RawConnection(int port) : fd_(ConnectToLoopback(port)) {}

RawConnection::~RawConnection() {
  if (fd_ >= 0) close(fd_);
}

void RawConnection::Send(const std::string& bytes) {
  size_t sent = 0;
  while (fd_ >= 0 && sent < bytes.size()) {
    const ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
}

std::string RawConnection::ReadUntil(const std::string& text, core::Duration timeout) {
  const core::MonotonicClock clock;
  const core::Timestamp deadline = clock.Now() + timeout;
  while (fd_ >= 0 && !closed_ && received_.find(text) == std::string::npos) {
    const core::Duration left = deadline - clock.Now();
    if (left <= core::Duration::Zero()) break;
    pollfd pfd{fd_, POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(left.ToMilliseconds()) + 1) <= 0) continue;
    char buffer[4096];
    const ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
    if (n <= 0) {
      closed_ = true;
      break;
    }
    received_.append(buffer, static_cast<size_t>(n));
  }
  return received_;
}

bool RawConnection::WaitForClose(core::Duration timeout) {
  // A marker that never arrives: read until the peer closes or time runs out.
  ReadUntil(std::string("\x01\x02never\x03", 8), timeout);
  return closed_;
}

std::string RawFix(const std::string& msg_type, const std::string& sender,
                   const std::string& target, int seq_num, const std::string& body,
                   const std::string& begin_string) {
  std::string fields = absl::StrCat("35=", msg_type, "\x01", "49=", sender, "\x01", "56=", target,
                                    "\x01", "34=", seq_num, "\x01", "52=20261120-14:22:27.040\x01");
  if (!body.empty()) absl::StrAppend(&fields, absl::StrReplaceAll(body, {{"|", "\x01"}}), "\x01");
  std::string message =
      absl::StrCat("8=", begin_string, "\x01", "9=", fields.size(), "\x01", fields);
  unsigned sum = 0;
  for (unsigned char c : message) sum += c;
  absl::StrAppend(&message, "10=", absl::Dec(sum % 256, absl::kZeroPad3), "\x01");
  return message;
}

std::string RawLogon(const std::string& sender, int seq_num, const std::string& extra) {
  std::string body = "98=0|108=30";
  if (!extra.empty()) absl::StrAppend(&body, "|", extra);
  return RawFix(FIX::MsgType_Logon, sender, "COMBO", seq_num, body);
}

}  // namespace combo::fix::testing

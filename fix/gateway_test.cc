// The session layer of the acceptor: the CompID allow-list, Username/Password, the data
// dictionary's validation on receipt (session Rejects), bytes that are not FIX, a wrong
// BeginString, and TLS. Raw TCP where a FIX engine would refuse to send the bytes.
#include "fix/gateway.h"

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>

#include "fix/client.h"
#include "fix/testing/gateway_harness.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "quickfix/FixFieldNumbers.h"

// QuickFIX's TLS connections leave OpenSSL objects allocated at exit; the leak is inside QuickFIX
// 1.15.1 and OpenSSL, not ours. LeakSanitizer (debug preset) reads this hook.
extern "C" const char* __lsan_default_suppressions() { return "leak:libcrypto.so\n"; }

namespace combo::fix {
namespace {

using testing::GatewayHarness;
using testing::HarnessOptions;
using ::testing::HasSubstr;
using testing::MessageCollector;
using ::testing::Not;
using testing::RawConnection;
using testing::RawFix;
using testing::RawLogon;
using testing::TempDir;

constexpr core::Timestamp kTime = core::Timestamp::FromUnixNanos(1'795'000'000'000'000'000);

// A valid NewOrderMultileg body, '|' for SOH.
const std::string kOrderBody =
    "11=o1|54=1|555=2|600=SPY|608=OCXXXS|609=OPT|611=20261218|612=450|623=1|624=1|"
    "600=SPY|608=OCXXXS|609=OPT|611=20261218|612=460|623=1|624=2|"
    "60=20261120-14:22:27.040|38=10|40=2|44=2.35";

class SessionLayerTest : public ::testing::TestWithParam<SocketThreads> {
 protected:
  void SetUp() override {
    HarnessOptions options;
    options.socket_threads = GetParam();
    harness_ = std::make_unique<GatewayHarness>(dir_, options);
  }

  // A raw connection logged on as BROKER1 (sequence number 1 used).
  std::unique_ptr<RawConnection> LoggedOn() {
    auto connection = std::make_unique<RawConnection>(harness_->port());
    EXPECT_TRUE(connection->connected());
    connection->Send(RawLogon("BROKER1", 1));
    EXPECT_THAT(connection->ReadUntil("\x01"
                                      "35=A\x01"),
                HasSubstr("35=A"));
    return connection;
  }

  size_t Submitted() {
    size_t count = 0;
    harness_->core().RunAndWait([&] { count = harness_->fake().submitted().size(); });
    return count;
  }

  TempDir dir_;
  std::unique_ptr<GatewayHarness> harness_;
};

TEST_P(SessionLayerTest, ValidOrderOverRawSocketIsAcknowledged) {
  auto connection = LoggedOn();
  connection->Send(RawFix("AB", "BROKER1", "COMBO", 2, kOrderBody));
  EXPECT_THAT(connection->ReadUntil("150=0"), HasSubstr("\x01"
                                                        "11=o1\x01"));
  EXPECT_EQ(Submitted(), 1u);
}

TEST_P(SessionLayerTest, MissingRequiredTagGetsSessionReject) {
  auto connection = LoggedOn();
  std::string body = kOrderBody;
  body.erase(0, std::string("11=o1|").size());
  connection->Send(RawFix("AB", "BROKER1", "COMBO", 2, body));
  const std::string reply = connection->ReadUntil("35=3\x01");
  EXPECT_THAT(reply, HasSubstr("\x01"
                               "371=11\x01"));
  EXPECT_THAT(reply, HasSubstr("\x01"
                               "373=1\x01"));
  EXPECT_THAT(reply, HasSubstr("58=Required tag missing"));
  EXPECT_EQ(Submitted(), 0u);
}

TEST_P(SessionLayerTest, UndefinedTagGetsSessionReject) {
  auto connection = LoggedOn();
  connection->Send(RawFix("AB", "BROKER1", "COMBO", 2, kOrderBody + "|9876=x"));
  const std::string reply = connection->ReadUntil("35=3\x01");
  EXPECT_THAT(reply, HasSubstr("\x01"
                               "371=9876\x01"));
  EXPECT_THAT(reply, HasSubstr("58=Invalid tag number"));
  EXPECT_EQ(Submitted(), 0u);
}

TEST_P(SessionLayerTest, FieldOfAnotherMessageGetsSessionReject) {
  auto connection = LoggedOn();
  // MDReqID is in the dictionary, but not in NewOrderMultileg.
  connection->Send(RawFix("AB", "BROKER1", "COMBO", 2, kOrderBody + "|262=x"));
  const std::string reply = connection->ReadUntil("35=3\x01");
  EXPECT_THAT(reply, HasSubstr("\x01"
                               "371=262\x01"));
  EXPECT_THAT(reply, HasSubstr("58=Tag not defined for this message type"));
  EXPECT_EQ(Submitted(), 0u);
}

TEST_P(SessionLayerTest, UnsupportedMessageTypeGetsSessionReject) {
  auto connection = LoggedOn();
  // NewOrderSingle: not in the gateway's dictionary.
  connection->Send(
      RawFix("D", "BROKER1", "COMBO", 2, "11=o1|54=1|55=SPY|60=20261120-14:22:27|40=1"));
  const std::string reply = connection->ReadUntil("35=3\x01");
  EXPECT_THAT(reply, HasSubstr("\x01"
                               "373=11\x01"));
  EXPECT_THAT(reply, HasSubstr("58=Invalid MsgType"));
  EXPECT_EQ(Submitted(), 0u);
}

TEST_P(SessionLayerTest, BadlyFormattedValueGetsSessionReject) {
  auto connection = LoggedOn();
  std::string body = kOrderBody;
  body.replace(body.find("38=10"), 5, "38=ten");
  connection->Send(RawFix("AB", "BROKER1", "COMBO", 2, body));
  const std::string reply = connection->ReadUntil("35=3\x01");
  EXPECT_THAT(reply, HasSubstr("\x01"
                               "371=38\x01"));
  EXPECT_THAT(reply, HasSubstr("58=Incorrect data format for value"));
  EXPECT_EQ(Submitted(), 0u);
}

TEST_P(SessionLayerTest, EmptyValueGetsSessionReject) {
  auto connection = LoggedOn();
  std::string body = kOrderBody;
  body.replace(body.find("11=o1"), 5, "11=");
  connection->Send(RawFix("AB", "BROKER1", "COMBO", 2, body));
  EXPECT_THAT(connection->ReadUntil("35=3\x01"), HasSubstr("58=Tag specified without a value"));
  EXPECT_EQ(Submitted(), 0u);
}

TEST_P(SessionLayerTest, GarbageBytesAreDiscardedAndTheSessionCarriesOn) {
  auto connection = LoggedOn();
  connection->Send(
      std::string("\x00\xff garbage 8=FIX.4.4\x01"
                  "9=zz\x01 more junk",
                  36));
  connection->Send(RawFix("1", "BROKER1", "COMBO", 2, "112=still-there"));
  const std::string reply = connection->ReadUntil("112=still-there");
  EXPECT_THAT(reply, HasSubstr("35=0\x01"));
  EXPECT_EQ(Submitted(), 0u);
}

TEST_P(SessionLayerTest, WrongBeginStringEndsTheSession) {
  auto connection = LoggedOn();
  connection->Send(RawFix("AB", "BROKER1", "COMBO", 2, kOrderBody, "FIX.4.2"));
  EXPECT_TRUE(connection->WaitForClose());
  EXPECT_THAT(connection->ReadUntil("", core::Duration::Zero()), HasSubstr("35=5\x01"));
  EXPECT_EQ(Submitted(), 0u);
}

TEST_P(SessionLayerTest, LogonFromUnknownCompIdIsDisconnectedWithoutAReply) {
  RawConnection connection(harness_->port());
  ASSERT_TRUE(connection.connected());
  connection.Send(RawLogon("STRANGER", 1));
  EXPECT_TRUE(connection.WaitForClose());
  EXPECT_THAT(connection.ReadUntil("35=A", core::Duration::Zero()), Not(HasSubstr("35=A")));
}

TEST_P(SessionLayerTest, LogonToAnotherGatewayCompIdIsDisconnected) {
  RawConnection connection(harness_->port());
  connection.Send(RawFix("A", "BROKER1", "OTHER", 1, "98=0|108=30"));
  EXPECT_TRUE(connection.WaitForClose());
}

TEST_P(SessionLayerTest, ApplicationMessageBeforeLogonIsRefused) {
  RawConnection connection(harness_->port());
  connection.Send(RawFix("AB", "BROKER1", "COMBO", 1, kOrderBody));
  EXPECT_TRUE(connection.WaitForClose());
  EXPECT_EQ(Submitted(), 0u);
}

TEST_P(SessionLayerTest, MessageTheGatewayOnlySendsGetsBusinessMessageReject) {
  auto connection = LoggedOn();
  connection->Send(RawFix("j", "BROKER1", "COMBO", 2, "372=8|380=0"));
  const std::string reply = connection->ReadUntil("35=j\x01");
  EXPECT_THAT(reply, HasSubstr("\x01"
                               "380=3\x01"));
  EXPECT_THAT(reply, HasSubstr("is not accepted by the gateway"));
}

class PasswordTest : public ::testing::TestWithParam<SocketThreads> {
 protected:
  void SetUp() override {
    HarnessOptions options;
    options.socket_threads = GetParam();
    options.sessions = {{"COMBO", "BROKER1", "alice", "s3cret", ""}};
    harness_ = std::make_unique<GatewayHarness>(dir_, options);
  }
  TempDir dir_;
  std::unique_ptr<GatewayHarness> harness_;
};

TEST_P(PasswordTest, WrongPasswordIsRefusedWithLogoutText) {
  RawConnection connection(harness_->port());
  connection.Send(RawLogon("BROKER1", 1, "553=alice|554=guess"));
  const std::string reply = connection.ReadUntil("35=5\x01");
  EXPECT_THAT(reply, HasSubstr("Logon refused: wrong Username(553) or Password(554)"));
  EXPECT_THAT(reply, Not(HasSubstr("35=A\x01")));
  EXPECT_TRUE(connection.WaitForClose());
}

TEST_P(PasswordTest, MissingPasswordIsRefused) {
  RawConnection connection(harness_->port());
  connection.Send(RawLogon("BROKER1", 1));
  EXPECT_THAT(connection.ReadUntil("35=5\x01"),
              HasSubstr("Username(553) and Password(554) are required"));
}

TEST_P(PasswordTest, RightPasswordLogsOnAndDefaultAccountIsTheCompId) {
  MessageCollector received;
  std::unique_ptr<FixClient> client =
      harness_->Connect("BROKER1", received, std::string("alice"), std::string("s3cret"));
  ASSERT_TRUE(client->WaitForLogon(testing::kWait));
  ComboOrderParams params;
  params.client_order_id = "o1";
  params.quantity = 1;
  params.legs = *ParseLegText("SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1");
  params.limit_price = core::Price::FromParts(1, 0);
  ASSERT_TRUE(client->Send(MakeNewOrderMultileg(params, kTime)).ok());
  const std::optional<FIX::Message> ack = received.WaitFor(testing::Report("o1", "0"));
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->getField(FIX::FIELD::Account), "BROKER1");
}

INSTANTIATE_TEST_SUITE_P(Sockets, SessionLayerTest,
                         ::testing::ValuesIn(testing::kEverySocketThreads), [](const auto& info) {
                           return testing::SocketThreadsTestName(info.param);
                         });

INSTANTIATE_TEST_SUITE_P(Sockets, PasswordTest, ::testing::ValuesIn(testing::kEverySocketThreads),
                         [](const auto& info) {
                           return testing::SocketThreadsTestName(info.param);
                         });

TEST(GatewayConfigTest, InvalidConfigIsRefusedNamingTheProblem) {
  GatewayConfig config;
  config.data_dictionary = COMBO_FIX_DICTIONARY;
  config.store_directory = "/tmp";
  EXPECT_THAT(Validate(config).message(), HasSubstr("no session"));
  config.sessions = {{"COMBO", "A", std::nullopt, std::nullopt, ""},
                     {"COMBO", "A", std::nullopt, std::nullopt, ""}};
  EXPECT_THAT(Validate(config).message(), HasSubstr("listed twice"));
  config.sessions = {{"COMBO", "A", std::string("user"), std::nullopt, ""}};
  EXPECT_THAT(Validate(config).message(), HasSubstr("both username and password"));
  config.sessions = {{"COMBO", "A", std::nullopt, std::nullopt, ""}};
  config.port = 70000;
  EXPECT_THAT(Validate(config).message(), HasSubstr("port 70000"));
  config.port = 9000;
  EXPECT_TRUE(Validate(config).ok());
  config.tls = TlsConfig{"cert.pem", "key.pem", std::nullopt};
  config.socket_threads = SocketThreads::kCoreThread;
  EXPECT_THAT(Validate(config).message(), HasSubstr("tls needs the session threads' sockets"));
}

// Core-thread sockets bind the configured address, so it must be one.
TEST(CoreThreadSocketsTest, ListenAddressThatIsNotAnAddressFailsAtStart) {
  TempDir dir;
  core::InstrumentCatalog catalog = testing::TestCatalog();
  const core::SimulatedTime clock;
  testing::FakeOrderEntry fake(catalog, clock);
  const testing::CatalogListings listings(catalog, fake.combos(), fake, {core::VenueId(1), "FAKE"});
  testing::CoreThread core;
  GatewayConfig config;
  config.data_dictionary = COMBO_FIX_DICTIONARY;
  config.store_directory = dir.Sub("store");
  config.sessions = {{"COMBO", "A", std::nullopt, std::nullopt, ""}};
  config.socket_threads = SocketThreads::kCoreThread;
  config.listen_address = "gateway.local";
  config.port = testing::PickFreePort();
  absl::Status started;
  core.RunAndWait([&] {
    absl::StatusOr<std::unique_ptr<FixAcceptor>> acceptor = FixAcceptor::Create(
        config, fake, catalog, listings,
        [&core](std::function<void()> task) { core.Post(std::move(task)); }, clock, nullptr,
        &core.io());
    ASSERT_TRUE(acceptor.ok()) << acceptor.status();
    started = (*acceptor)->Start();
  });
  EXPECT_THAT(started.message(), HasSubstr("\"gateway.local\" is not an IP address"));
  // Without the core thread's io_context there is nothing to serve them.
  EXPECT_THAT(FixAcceptor::Create(
                  config, fake, catalog, listings, [](std::function<void()>) {}, clock)
                  .status()
                  .message(),
              HasSubstr("need the core thread's io_context"));
}

// Stopping core-thread sockets logs every session out; the acceptor is stopped once the
// Logouts are done, while the core thread runs on.
TEST(CoreThreadSocketsTest, StopLogsSessionsOutThenTheAcceptorIsStopped) {
  TempDir dir;
  HarnessOptions options;
  options.socket_threads = SocketThreads::kCoreThread;
  GatewayHarness harness(dir, options);
  MessageCollector received;
  std::unique_ptr<FixClient> client = harness.Connect("BROKER1", received);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->WaitForLogon(testing::kWait));
  harness.core().RunAndWait([&] {
    harness.acceptor().Stop();
    EXPECT_FALSE(harness.acceptor().stopped());  // the Logout is on its way
  });
  EXPECT_TRUE(client->WaitForLogout(testing::kWait));
  bool stopped = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!stopped && std::chrono::steady_clock::now() < deadline) {
    harness.core().RunAndWait([&] { stopped = harness.acceptor().stopped(); });
  }
  EXPECT_TRUE(stopped);
  // Nothing listens any more.
  RawConnection late(harness.port());
  EXPECT_FALSE(late.connected());
}

TEST(GatewayConfigTest, MissingDictionaryFileFailsAtCreate) {
  TempDir dir;
  core::InstrumentCatalog catalog = testing::TestCatalog();
  const core::SimulatedTime clock;
  testing::FakeOrderEntry fake(catalog, clock);
  const testing::CatalogListings listings(catalog, fake.combos(), fake, {core::VenueId(1), "FAKE"});
  GatewayConfig config;
  config.data_dictionary = dir.Sub("missing.xml");
  config.store_directory = dir.Sub("store");
  config.sessions = {{"COMBO", "A", std::nullopt, std::nullopt, ""}};
  absl::StatusOr<std::unique_ptr<FixAcceptor>> acceptor = FixAcceptor::Create(
      config, fake, catalog, listings, [](std::function<void()> task) { task(); }, clock);
  EXPECT_FALSE(acceptor.ok());
}

// TLS with a self-signed certificate made at test time.
TEST(TlsTest, ClientLogsOnOverTls) {
  if (std::system("openssl version > /dev/null 2>&1") != 0) {
    GTEST_SKIP() << "the openssl command-line tool is not installed; TLS not tested";
  }
  TempDir dir;
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -keyout " +
      dir.Sub("key.pem") + " -out " + dir.Sub("cert.pem") + " > /dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  HarnessOptions options;
  options.tls = TlsConfig{dir.Sub("cert.pem"), dir.Sub("key.pem"), std::nullopt};
  GatewayHarness harness(dir, options);
  MessageCollector received;
  std::unique_ptr<FixClient> client = harness.Connect("BROKER1", received);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->WaitForLogon(testing::kWait));
  ComboOrderParams params;
  params.client_order_id = "o1";
  params.quantity = 1;
  params.legs = *ParseLegText("SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1");
  params.limit_price = core::Price::FromParts(1, 0);
  ASSERT_TRUE(client->Send(MakeNewOrderMultileg(params, kTime)).ok());
  EXPECT_TRUE(received.WaitFor(testing::Report("o1", "0")).has_value());

  // A plain-text client cannot log on to the TLS acceptor.
  RawConnection plain(harness.port());
  plain.Send(RawLogon("BROKER1", 1));
  EXPECT_THAT(plain.ReadUntil("35=A", core::Duration::Seconds(2)), Not(HasSubstr("35=A")));
}

}  // namespace
}  // namespace combo::fix

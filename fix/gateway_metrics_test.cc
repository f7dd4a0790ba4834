// The gateway's metric families: message and reject counters over a real session, and the
// logged-on gauge's bookkeeping.
#include "fix/gateway_metrics.h"

#include <memory>
#include <string>

#include "fix/client.h"
#include "fix/testing/gateway_harness.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "prometheus/text_serializer.h"
#include "quickfix/FixFieldNumbers.h"

namespace combo::fix {
namespace {

using testing::GatewayHarness;
using testing::HarnessOptions;
using ::testing::HasSubstr;
using testing::MessageCollector;
using testing::RawConnection;
using testing::RawFix;
using testing::RawLogon;
using testing::TempDir;

constexpr core::Timestamp kTime = core::Timestamp::FromUnixNanos(1'795'000'000'000'000'000);

ComboOrderParams Vertical(const std::string& id) {
  ComboOrderParams params;
  params.client_order_id = id;
  params.quantity = 1;
  params.legs = *ParseLegText("SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1");
  params.limit_price = core::Price::FromParts(2, 350'000'000);
  return params;
}

std::string Exposition(prometheus::Registry& registry) {
  return prometheus::TextSerializer().Serialize(registry.Collect());
}

TEST(GatewayMetricsTest, MessagesAndRejectsAreCountedByTypeAndKind) {
  TempDir dir;
  prometheus::Registry registry;
  HarnessOptions options;
  options.registry = &registry;
  GatewayHarness harness(dir, options);
  const GatewayMetrics* metrics = harness.acceptor().metrics();
  ASSERT_NE(metrics, nullptr);

  MessageCollector received;
  std::unique_ptr<FixClient> client = harness.Connect("BROKER1", received);
  ASSERT_TRUE(client->WaitForLogon(testing::kWait));
  ASSERT_TRUE(client->Send(MakeNewOrderMultileg(Vertical("o1"), kTime)).ok());
  ASSERT_TRUE(received.WaitFor(testing::Report("o1", "0")).has_value());
  // A translation reject (ratio 0) and a router reject (duplicate ClOrdID): both order rejects.
  ComboOrderParams bad = Vertical("bad");
  bad.legs[1].ratio = 0;
  ASSERT_TRUE(client->Send(MakeNewOrderMultileg(bad, kTime)).ok());
  ASSERT_TRUE(received.WaitFor(testing::Report("bad", "8")).has_value());
  ASSERT_TRUE(client->Send(MakeNewOrderMultileg(Vertical("o1"), kTime)).ok());
  ASSERT_TRUE(received.WaitFor(testing::Report("o1", "8")).has_value());
  ASSERT_TRUE(client->Send(MakeCancelRequest("c1", "nope", core::Side::kBuy, kTime)).ok());
  ASSERT_TRUE(received.WaitFor(testing::HasMsgType("9")).has_value());

  EXPECT_EQ(metrics->messages(Direction::kIn, "A"), 1);
  EXPECT_EQ(metrics->messages(Direction::kOut, "A"), 1);
  EXPECT_EQ(metrics->messages(Direction::kIn, "AB"), 3);
  EXPECT_EQ(metrics->messages(Direction::kIn, "F"), 1);
  EXPECT_EQ(metrics->messages(Direction::kOut, "8"), 3);
  EXPECT_EQ(metrics->messages(Direction::kOut, "9"), 1);
  EXPECT_EQ(metrics->rejects(RejectKind::kOrder), 2);
  EXPECT_EQ(metrics->rejects(RejectKind::kCancel), 1);
  EXPECT_EQ(metrics->rejects(RejectKind::kSession), 0);

  client.reset();

  const std::string text = Exposition(registry);
  EXPECT_THAT(text, HasSubstr("combo_fix_messages_total{direction=\"in\",msg_type=\"AB\"} 3"));
  EXPECT_THAT(text, HasSubstr("combo_fix_rejects_total{kind=\"order\"} 2"));
  EXPECT_THAT(text, HasSubstr("combo_fix_sessions_logged_on"));
}

TEST(GatewayMetricsTest, SessionRejectAndRefusedLogonAreCounted) {
  TempDir dir;
  prometheus::Registry registry;
  HarnessOptions options;
  options.registry = &registry;
  options.sessions = {{"COMBO", "BROKER1", std::nullopt, std::nullopt, ""},
                      {"COMBO", "BROKER2", "alice", "s3cret", ""}};
  GatewayHarness harness(dir, options);
  const GatewayMetrics* metrics = harness.acceptor().metrics();
  ASSERT_NE(metrics, nullptr);

  RawConnection refused(harness.port());
  refused.Send(RawLogon("BROKER2", 1, "553=alice|554=guess"));
  EXPECT_THAT(refused.ReadUntil("35=5\x01"), HasSubstr("Logon refused"));
  EXPECT_EQ(metrics->rejects(RejectKind::kLogon), 1);

  RawConnection connection(harness.port());
  connection.Send(RawLogon("BROKER1", 1));
  ASSERT_THAT(connection.ReadUntil("35=A\x01"), HasSubstr("35=A"));
  // No ClOrdID(11): the dictionary refuses it before the gateway sees it.
  connection.Send(RawFix("AB", "BROKER1", "COMBO", 2,
                         "54=1|555=1|600=SPY|623=1|624=1|60=20261120-14:22:27.040|38=1|40=1"));
  ASSERT_THAT(connection.ReadUntil("35=3\x01"), HasSubstr("35=3"));
  EXPECT_EQ(metrics->rejects(RejectKind::kSession), 1);
  EXPECT_EQ(metrics->messages(Direction::kOut, "3"), 1);
  EXPECT_EQ(metrics->messages(Direction::kIn, "AB"), 0);
}

TEST(GatewayMetricsTest, LoggedOnGaugeCountsDistinctSessions) {
  prometheus::Registry registry;
  absl::StatusOr<std::unique_ptr<GatewayMetrics>> metrics = GatewayMetrics::Create(registry);
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  const FIX::SessionID one("FIX.4.4", "COMBO", "BROKER1");
  const FIX::SessionID two("FIX.4.4", "COMBO", "BROKER2");
  (*metrics)->LoggedOn(one);
  (*metrics)->LoggedOn(two);
  (*metrics)->LoggedOn(one);
  EXPECT_EQ((*metrics)->sessions_logged_on(), 2);
  (*metrics)->LoggedOut(one);
  (*metrics)->LoggedOut(one);  // a logout QuickFIX reports for a failed handshake
  EXPECT_EQ((*metrics)->sessions_logged_on(), 1);
  (*metrics)->LoggedOut(two);
  EXPECT_EQ((*metrics)->sessions_logged_on(), 0);
}

TEST(GatewayMetricsTest, UnknownMessageTypeCountsAsOther) {
  prometheus::Registry registry;
  absl::StatusOr<std::unique_ptr<GatewayMetrics>> metrics = GatewayMetrics::Create(registry);
  ASSERT_TRUE(metrics.ok());
  FIX::Message message;
  message.getHeader().setField(FIX::FIELD::MsgType, "ZZ");
  (*metrics)->Count(Direction::kIn, message);
  EXPECT_EQ((*metrics)->messages(Direction::kIn, "other"), 1);
  EXPECT_EQ((*metrics)->messages(Direction::kIn, "ZZ"), 1);  // the same series
}

TEST(GatewayMetricsTest, ResentRefusalIsNotCountedTwice) {
  prometheus::Registry registry;
  absl::StatusOr<std::unique_ptr<GatewayMetrics>> metrics = GatewayMetrics::Create(registry);
  ASSERT_TRUE(metrics.ok());
  FIX::Message reject;
  reject.getHeader().setField(FIX::FIELD::MsgType, "9");
  (*metrics)->Count(Direction::kOut, reject);
  reject.getHeader().setField(FIX::FIELD::PossDupFlag, "Y");
  (*metrics)->Count(Direction::kOut, reject);
  EXPECT_EQ((*metrics)->rejects(RejectKind::kCancel), 1);
  EXPECT_EQ((*metrics)->messages(Direction::kOut, "9"), 2);
}

TEST(GatewayMetricsTest, TwoGatewaysShareOneRegistry) {
  prometheus::Registry registry;
  ASSERT_TRUE(GatewayMetrics::Create(registry).ok());
  EXPECT_TRUE(GatewayMetrics::Create(registry).ok());
}

}  // namespace
}  // namespace combo::fix

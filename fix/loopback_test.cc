// End to end over loopback on an ephemeral port: FixClient (initiator) -> FixAcceptor -> the
// router's OrderEntry, here the FakeOrderEntry test double on a core thread. The real router
// replaces the double when it lands.
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "core/absl_compat.h"
#include "fix/client.h"
#include "fix/gateway.h"
#include "fix/testing/gateway_harness.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "quickfix/FixFieldNumbers.h"
#include "quickfix/Session.h"

namespace combo::fix {
namespace {

using testing::GatewayHarness;
using testing::HasMsgType;
using ::testing::HasSubstr;
using testing::MessageCollector;
using ::testing::Not;
using testing::Report;
using testing::TempDir;

constexpr core::Timestamp kTime = core::Timestamp::FromUnixNanos(1'795'000'000'000'000'000);
const std::string kVertical = "SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1";

ComboOrderParams Vertical(const std::string& id, int64_t quantity = 10) {
  ComboOrderParams params;
  params.client_order_id = id;
  params.quantity = quantity;
  params.legs = *ParseLegText(kVertical);
  params.limit_price = core::Price::FromParts(2, 350'000'000);
  return params;
}

int64_t Int(const FIX::FieldMap& map, int tag) {
  int64_t value = 0;
  EXPECT_TRUE(absl::SimpleAtoi(core::AsAbsl(map.getField(tag)), &value));
  return value;
}

class LoopbackTest : public ::testing::TestWithParam<SocketThreads> {
 protected:
  void SetUp() override {
    testing::HarnessOptions options;
    options.socket_threads = GetParam();
    options.sessions.push_back({"COMBO", "BROKER2", std::nullopt, std::nullopt, "ACC2"});
    harness_ = std::make_unique<GatewayHarness>(dir_, options);
    client_ = harness_->Connect("BROKER1", received_);
    ASSERT_NE(client_, nullptr);
    ASSERT_TRUE(client_->WaitForLogon(testing::kWait));
  }
  void TearDown() override {
    client_.reset();
    harness_.reset();
  }

  FIX::Message Expect(const std::function<bool(const FIX::Message&)>& match, size_t skip = 0) {
    std::optional<FIX::Message> message = received_.WaitFor(match, testing::kWait, skip);
    EXPECT_TRUE(message.has_value()) << "timed out";
    return message.value_or(FIX::Message());
  }

  core::OrderId OrderIdOf(const std::string& cl_ord_id) {
    std::optional<core::OrderId> id;
    harness_->core().RunAndWait([&] {
      id = harness_->fake().FindOrder(core::ClientId("BROKER1"), core::ClientOrderId(cl_ord_id));
    });
    return id.value_or(core::OrderId(0));
  }

  void FillOnCore(const std::string& cl_ord_id, int64_t units, core::Price price,
                  std::vector<core::Price> legs) {
    const core::OrderId id = OrderIdOf(cl_ord_id);
    absl::Status status;
    harness_->core().RunAndWait([&] {
      status = harness_->fake().Fill(id, core::Quantity(units), price, legs, core::VenueId(3));
    });
    ASSERT_TRUE(status.ok()) << status;
  }

  TempDir dir_;
  std::unique_ptr<GatewayHarness> harness_;
  MessageCollector received_;
  std::unique_ptr<FixClient> client_;
};

TEST_P(LoopbackTest, NewOrderIsAcknowledgedWithComboAndLegDescription) {
  ASSERT_TRUE(client_->Send(MakeNewOrderMultileg(Vertical("o1"), kTime)).ok());
  const FIX::Message ack = Expect(Report("o1", "0"));
  EXPECT_EQ(ack.getField(FIX::FIELD::OrdStatus), "0");
  EXPECT_EQ(ack.getField(FIX::FIELD::OrderQty), "10");
  EXPECT_EQ(ack.getField(FIX::FIELD::LeavesQty), "10");
  EXPECT_EQ(ack.getField(FIX::FIELD::CumQty), "0");
  EXPECT_EQ(ack.getField(FIX::FIELD::Price), "2.35");
  EXPECT_EQ(ack.getField(FIX::FIELD::Account), "ACC1");
  EXPECT_EQ(ack.groupCount(FIX::FIELD::NoLegs), 2u);
  EXPECT_NE(ack.getField(FIX::FIELD::OrderID), "NONE");
}

TEST_P(LoopbackTest, PartialFillReplaceAndCancelWithConsistentQuantities) {
  ASSERT_TRUE(client_->Send(MakeNewOrderMultileg(Vertical("o1"), kTime)).ok());
  Expect(Report("o1", "0"));

  // A leg-in fill of 4 units: 5.10 - 2.75 = 2.35 per unit.
  FillOnCore("o1", 4, core::Price::FromParts(2, 350'000'000),
             {core::Price::FromParts(5, 100'000'000), core::Price::FromParts(2, 750'000'000)});
  const FIX::Message fill = Expect(Report("o1", "F"));
  EXPECT_EQ(fill.getField(FIX::FIELD::OrdStatus), "1");
  EXPECT_EQ(fill.getField(FIX::FIELD::LastQty), "4");
  EXPECT_EQ(fill.getField(FIX::FIELD::LastPx), "2.35");
  EXPECT_EQ(Int(fill, FIX::FIELD::CumQty), 4);
  EXPECT_EQ(Int(fill, FIX::FIELD::LeavesQty), 6);
  EXPECT_EQ(fill.getField(FIX::FIELD::AvgPx), "2.35");
  const FIX::Message long_leg = Expect(Report("o1", "F", "2"));
  const FIX::Message short_leg = Expect(Report("o1", "F", "2"), 1);
  EXPECT_EQ(long_leg.getField(FIX::FIELD::SecondaryExecID), fill.getField(FIX::FIELD::ExecID));
  EXPECT_EQ(short_leg.getField(FIX::FIELD::SecondaryExecID), fill.getField(FIX::FIELD::ExecID));
  const core::Price reproduced = *core::Price::Parse(long_leg.getField(FIX::FIELD::LastPx)) -
                                 *core::Price::Parse(short_leg.getField(FIX::FIELD::LastPx));
  EXPECT_EQ(reproduced, *core::Price::Parse(fill.getField(FIX::FIELD::LastPx)));
  EXPECT_EQ(long_leg.getField(FIX::FIELD::Side), "1");
  EXPECT_EQ(short_leg.getField(FIX::FIELD::Side), "2");
  EXPECT_EQ(Int(long_leg, FIX::FIELD::CumQty) + Int(long_leg, FIX::FIELD::LeavesQty),
            Int(long_leg, FIX::FIELD::OrderQty));

  // Status shows the partial fill.
  ASSERT_TRUE(client_->Send(MakeStatusRequest("o1", core::Side::kBuy)).ok());
  const FIX::Message status = Expect(Report("o1", "I"));
  EXPECT_EQ(status.getField(FIX::FIELD::OrdStatus), "1");
  EXPECT_EQ(Int(status, FIX::FIELD::CumQty), 4);

  // Replace: 12 units at 2.40; 8 left.
  ASSERT_TRUE(client_
                  ->Send(MakeReplaceRequest("r1", "o1", core::Side::kBuy, 12,
                                            core::Price::FromParts(2, 400'000'000), kTime))
                  .ok());
  const FIX::Message replaced = Expect(Report("r1", "5"));
  EXPECT_EQ(replaced.getField(FIX::FIELD::OrigClOrdID), "o1");
  EXPECT_EQ(Int(replaced, FIX::FIELD::OrderQty), 12);
  EXPECT_EQ(Int(replaced, FIX::FIELD::CumQty), 4);
  EXPECT_EQ(Int(replaced, FIX::FIELD::LeavesQty), 8);
  EXPECT_EQ(replaced.getField(FIX::FIELD::Price), "2.4");

  // A replace below the filled quantity is refused and changes nothing.
  ASSERT_TRUE(client_
                  ->Send(MakeReplaceRequest("r2", "r1", core::Side::kBuy, 3,
                                            core::Price::FromParts(2, 400'000'000), kTime))
                  .ok());
  const FIX::Message refused = Expect(HasMsgType("9"));
  EXPECT_EQ(refused.getField(FIX::FIELD::CxlRejResponseTo), "2");
  EXPECT_THAT(refused.getField(FIX::FIELD::Text),
              HasSubstr("replace to 3 units is not above the 4 already filled"));

  // A replace that changes the side is refused (by the router's replace rules) and changes
  // nothing: the order still reads 12 units at 2.40 under ClOrdID r1.
  ASSERT_TRUE(client_
                  ->Send(MakeReplaceRequest("r3", "r1", core::Side::kSell, 11,
                                            core::Price::FromParts(2, 450'000'000), kTime))
                  .ok());
  const FIX::Message side_refused = Expect(HasMsgType("9"), 1);
  EXPECT_THAT(side_refused.getField(FIX::FIELD::Text), HasSubstr("cannot change the side"));
  EXPECT_EQ(side_refused.getField(FIX::FIELD::CxlRejResponseTo), "2");
  ASSERT_TRUE(client_->Send(MakeStatusRequest("r1", core::Side::kBuy)).ok());
  const FIX::Message unchanged = Expect(Report("r1", "I"));
  EXPECT_EQ(Int(unchanged, FIX::FIELD::OrderQty), 12);
  EXPECT_EQ(unchanged.getField(FIX::FIELD::Price), "2.4");

  // Cancel: the rest is cancelled, what filled stays filled.
  ASSERT_TRUE(client_->Send(MakeCancelRequest("c1", "r1", core::Side::kBuy, kTime)).ok());
  const FIX::Message cancelled = Expect(Report("c1", "4"));
  EXPECT_EQ(cancelled.getField(FIX::FIELD::OrdStatus), "4");
  EXPECT_EQ(cancelled.getField(FIX::FIELD::OrigClOrdID), "r1");
  EXPECT_EQ(Int(cancelled, FIX::FIELD::CumQty), 4);
  EXPECT_EQ(Int(cancelled, FIX::FIELD::LeavesQty), 0);
  EXPECT_EQ(cancelled.getField(FIX::FIELD::AvgPx), "2.35");

  // Cancelling again is too late.
  ASSERT_TRUE(client_->Send(MakeCancelRequest("c2", "r1", core::Side::kBuy, kTime)).ok());
  const FIX::Message too_late = Expect(HasMsgType("9"), 2);
  EXPECT_EQ(too_late.getField(FIX::FIELD::CxlRejReason), "0");
  EXPECT_EQ(too_late.getField(FIX::FIELD::OrdStatus), "4");
}

TEST_P(LoopbackTest, FullFillEndsTheOrder) {
  ASSERT_TRUE(client_->Send(MakeNewOrderMultileg(Vertical("o1", 5), kTime)).ok());
  Expect(Report("o1", "0"));
  FillOnCore("o1", 5, core::Price::FromParts(2, 350'000'000),
             {core::Price::FromParts(5, 100'000'000), core::Price::FromParts(2, 750'000'000)});
  const FIX::Message fill = Expect(Report("o1", "F"));
  EXPECT_EQ(fill.getField(FIX::FIELD::OrdStatus), "2");
  EXPECT_EQ(Int(fill, FIX::FIELD::LeavesQty), 0);
  const FIX::Message leg = Expect(Report("o1", "F", "2"));
  EXPECT_EQ(leg.getField(FIX::FIELD::OrdStatus), "2");
  EXPECT_EQ(leg.getField(FIX::FIELD::LastMkt), "3");
}

TEST_P(LoopbackTest, DuplicateClOrdIdIsRejectedByTheRouter) {
  ASSERT_TRUE(client_->Send(MakeNewOrderMultileg(Vertical("o1"), kTime)).ok());
  Expect(Report("o1", "0"));
  ASSERT_TRUE(client_->Send(MakeNewOrderMultileg(Vertical("o1"), kTime)).ok());
  const FIX::Message reject = Expect(Report("o1", "8"));
  EXPECT_EQ(reject.getField(FIX::FIELD::OrdStatus), "8");
  EXPECT_EQ(reject.getField(FIX::FIELD::OrdRejReason), "6");
  EXPECT_THAT(reject.getField(FIX::FIELD::Text), HasSubstr("duplicate ClOrdID \"o1\""));
}

TEST_P(LoopbackTest, MalformedOrderNeverReachesTheRouter) {
  ComboOrderParams params = Vertical("bad");
  params.legs[1].ratio = 0;
  ASSERT_TRUE(client_->Send(MakeNewOrderMultileg(params, kTime)).ok());
  const FIX::Message reject = Expect(Report("bad", "8"));
  EXPECT_THAT(reject.getField(FIX::FIELD::Text), HasSubstr("leg 2: LegRatioQty(623)"));
  size_t submitted = 1;
  harness_->core().RunAndWait([&] { submitted = harness_->fake().submitted().size(); });
  EXPECT_EQ(submitted, 0u);
}

TEST_P(LoopbackTest, CancelOfUnknownOrderGetsOrderCancelReject) {
  ASSERT_TRUE(client_->Send(MakeCancelRequest("c1", "nope", core::Side::kBuy, kTime)).ok());
  const FIX::Message reject = Expect(HasMsgType("9"));
  EXPECT_EQ(reject.getField(FIX::FIELD::CxlRejReason), "1");
  EXPECT_EQ(reject.getField(FIX::FIELD::OrigClOrdID), "nope");
  EXPECT_THAT(reject.getField(FIX::FIELD::Text), HasSubstr("unknown order"));
}

TEST_P(LoopbackTest, StatusOfUnknownOrderIsAStatusReportRejected) {
  ASSERT_TRUE(client_->Send(MakeStatusRequest("nope", core::Side::kBuy)).ok());
  const FIX::Message report = Expect(HasMsgType("8"));
  EXPECT_EQ(report.getField(FIX::FIELD::ExecType), "I");
  EXPECT_EQ(report.getField(FIX::FIELD::OrdStatus), "8");
  EXPECT_THAT(report.getField(FIX::FIELD::Text), HasSubstr("unknown order"));
}

TEST_P(LoopbackTest, DefinedComboIsTradedBySecurityIdAndQuoted) {
  // Defined as the mirror: the canonical form buys the 450 call, so the answer revises it.
  ASSERT_TRUE(client_
                  ->Send(MakeSecurityDefinitionRequest(
                      "d1", *ParseLegText("SPY 20261218 C 460 +2 / SPY 20261218 C 450 -2")))
                  .ok());
  const FIX::Message definition = Expect(HasMsgType("d"));
  EXPECT_EQ(definition.getField(FIX::FIELD::SecurityResponseType), "2");
  EXPECT_EQ(definition.getField(FIX::FIELD::ContractMultiplier), "100");
  const std::string combo_id = definition.getField(FIX::FIELD::SecurityID);
  ASSERT_EQ(definition.groupCount(FIX::FIELD::NoLegs), 2u);
  EXPECT_EQ(definition.getGroupRef(1, FIX::FIELD::NoLegs).getField(FIX::FIELD::LegStrikePrice),
            "450");
  EXPECT_EQ(definition.getGroupRef(1, FIX::FIELD::NoLegs).getField(FIX::FIELD::LegSide), "1");
  EXPECT_EQ(definition.getGroupRef(1, FIX::FIELD::NoLegs).getField(FIX::FIELD::LegRatioQty), "1");

  // Order by SecurityID.
  ComboOrderParams params = Vertical("o1");
  params.legs.clear();
  params.combo_id = static_cast<uint32_t>(std::stoul(combo_id));
  ASSERT_TRUE(client_->Send(MakeNewOrderMultileg(params, kTime)).ok());
  const FIX::Message ack = Expect(Report("o1", "0"));
  EXPECT_EQ(ack.getField(FIX::FIELD::SecurityID), combo_id);

  // Quotes: snapshot, then an update naming the source of each side.
  ASSERT_TRUE(client_->Send(MakeMarketDataRequest("m1", *params.combo_id, '1')).ok());
  const FIX::Message snapshot = Expect(HasMsgType("W"));
  EXPECT_EQ(snapshot.getField(FIX::FIELD::NoMDEntries), "0");
  harness_->core().RunAndWait([&] {
    ASSERT_TRUE(
        harness_->fake()
            .PublishQuote(
                {core::ComboId(*params.combo_id),
                 router::ComboQuoteSide{
                     core::Price::FromParts(2, 300'000'000), core::Quantity(5), {core::VenueId(2)}},
                 router::ComboQuoteSide{
                     core::Price::FromParts(2, 400'000'000), core::Quantity(7), {}},
                 kTime})
            .ok());
  });
  const FIX::Message update = Expect(HasMsgType("W"), 1);
  ASSERT_EQ(update.groupCount(FIX::FIELD::NoMDEntries), 2u);
  EXPECT_EQ(update.getGroupRef(1, FIX::FIELD::NoMDEntries).getField(FIX::FIELD::MDEntryPx), "2.3");
  EXPECT_EQ(update.getGroupRef(1, FIX::FIELD::NoMDEntries).getField(FIX::FIELD::MDMkt), "2");
  EXPECT_EQ(update.getGroupRef(2, FIX::FIELD::NoMDEntries).getField(FIX::FIELD::MDEntryPx), "2.4");
  EXPECT_EQ(update.getGroupRef(2, FIX::FIELD::NoMDEntries).getField(FIX::FIELD::MDMkt), "IMPLIED");

  // Unsubscribe; a second unsubscribe is refused.
  ASSERT_TRUE(client_->Send(MakeMarketDataRequest("m1", *params.combo_id, '2')).ok());
  ASSERT_TRUE(client_->Send(MakeMarketDataRequest("m1", *params.combo_id, '2')).ok());
  const FIX::Message refused = Expect(HasMsgType("Y"));
  EXPECT_THAT(refused.getField(FIX::FIELD::Text), HasSubstr("has no subscription"));
  size_t subscribers = 1;
  harness_->core().RunAndWait([&] { subscribers = harness_->fake().subscribers(); });
  EXPECT_EQ(subscribers, 0u);
}

TEST_P(LoopbackTest, QuoteOfUndefinedComboIsRejected) {
  ASSERT_TRUE(client_->Send(MakeMarketDataRequest("m1", 99, '1')).ok());
  const FIX::Message refused = Expect(HasMsgType("Y"));
  EXPECT_THAT(refused.getField(FIX::FIELD::Text), HasSubstr("unknown combo"));
}

TEST_P(LoopbackTest, DefinitionWithUnknownLegIsRejected) {
  ASSERT_TRUE(client_
                  ->Send(MakeSecurityDefinitionRequest(
                      "d1", *ParseLegText("SPY 20261218 C 450 +1 / SPY 20261218 C 999 -1")))
                  .ok());
  const FIX::Message definition = Expect(HasMsgType("d"));
  EXPECT_EQ(definition.getField(FIX::FIELD::SecurityResponseType), "5");
  EXPECT_THAT(definition.getField(FIX::FIELD::Text), HasSubstr("leg 2: unknown instrument"));
}

// A polled client has no thread: whoever polls it sends and reads, and its handler runs there.
TEST_P(LoopbackTest, PolledClientTradesFromTheThreadThatPollsIt) {
  std::vector<FIX::Message> received;  // this thread only
  std::unique_ptr<FixClient> polled = harness_->Connect(
      "BROKER2", [&received](const FIX::Message& m) { received.push_back(m); }, /*polled=*/true);
  ASSERT_NE(polled, nullptr);
  ASSERT_TRUE(polled->WaitForLogon(testing::kWait));
  ASSERT_TRUE(polled->Send(MakeNewOrderMultileg(Vertical("p1"), kTime)).ok());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  const auto acked = [&received] {
    return std::any_of(received.begin(), received.end(), Report("p1", "0"));
  };
  while (!acked() && std::chrono::steady_clock::now() < deadline) polled->Poll();
  EXPECT_TRUE(acked());
  polled->Stop();
  EXPECT_FALSE(polled->logged_on());
}

// With core-thread sockets an order goes from the socket to the order entry and back in one
// call on the core thread: nothing is posted. Session threads hand each message over.
TEST(LoopbackHandOffTest, CoreThreadSocketsHandleAnOrderWithoutPostingIt) {
  for (const SocketThreads threads : testing::kEverySocketThreads) {
    SCOPED_TRACE(testing::SocketThreadsTestName(threads));
    TempDir dir;
    std::atomic<int> hand_offs{0};
    testing::HarnessOptions options;
    options.socket_threads = threads;
    options.on_handoff = [&hand_offs] { ++hand_offs; };
    GatewayHarness harness(dir, options);
    MessageCollector received;
    std::unique_ptr<FixClient> client = harness.Connect("BROKER1", received);
    ASSERT_NE(client, nullptr);
    ASSERT_TRUE(client->WaitForLogon(testing::kWait));
    ASSERT_TRUE(client->Send(MakeNewOrderMultileg(Vertical("h1"), kTime)).ok());
    ASSERT_TRUE(received.WaitFor(Report("h1", "0")).has_value());
    size_t submitted = 0;
    harness.core().RunAndWait([&] { submitted = harness.fake().submitted().size(); });
    EXPECT_EQ(submitted, 1u);
    EXPECT_EQ(hand_offs.load(), threads == SocketThreads::kCoreThread ? 0 : 1);
    client->Stop();
  }
}

// Restarting both ends resumes the session: sequence numbers continue from the file stores,
// and a report sent while the client was away is delivered when it comes back.
class LoopbackRestartTest : public ::testing::TestWithParam<SocketThreads> {};

TEST_P(LoopbackRestartTest, SessionResumesSequenceNumbersAcrossRestarts) {
  TempDir dir;
  testing::HarnessOptions options;
  options.socket_threads = GetParam();
  MessageCollector first;
  int client_next_sender = 0;
  {
    GatewayHarness harness(dir, options);
    std::unique_ptr<FixClient> client = harness.Connect("BROKER1", first);
    ASSERT_TRUE(client->WaitForLogon(testing::kWait));
    ASSERT_TRUE(client->Send(MakeNewOrderMultileg(Vertical("o1"), kTime)).ok());
    ASSERT_TRUE(first.WaitFor(Report("o1", "0")).has_value());
    ASSERT_TRUE(client->Send(MakeNewOrderMultileg(Vertical("o2"), kTime)).ok());
    ASSERT_TRUE(first.WaitFor(Report("o2", "0")).has_value());
    client_next_sender = client->next_sender_seq_num();
    EXPECT_GE(client_next_sender, 4);  // Logon, o1, o2
    client->Disconnect();
  }
  {
    // A fresh process: new acceptor (on a fresh port), new client, same stores.
    GatewayHarness harness(dir, options);
    FIX::Session* session = harness.acceptor().FindSession("BROKER1");
    ASSERT_NE(session, nullptr);
    // The client vanished without a Logout: the acceptor expects exactly what it would send.
    EXPECT_EQ(session->getExpectedTargetNum(), client_next_sender);
    MessageCollector second;
    std::unique_ptr<FixClient> client = harness.Connect("BROKER1", second);
    ASSERT_TRUE(client->WaitForLogon(testing::kWait));
    // Its Logon took the next number (and a ResendRequest may follow it): nothing was reset.
    EXPECT_GT(client->next_sender_seq_num(), client_next_sender);
    // The resumed session still works.
    ASSERT_TRUE(client->Send(MakeNewOrderMultileg(Vertical("o3"), kTime)).ok());
    ASSERT_TRUE(second.WaitFor(Report("o3", "0")).has_value());

    // The client goes away; a report is sent meanwhile; the client comes back and gets it.
    client->Disconnect();
    client.reset();
    std::optional<core::OrderId> id;
    harness.core().RunAndWait([&] {
      id = harness.fake().FindOrder(core::ClientId("BROKER1"), core::ClientOrderId("o3"));
      ASSERT_TRUE(id.has_value());
      ASSERT_TRUE(harness.fake()
                      .Fill(*id, core::Quantity(10), core::Price::FromParts(2, 350'000'000),
                            {core::Price::FromParts(5, 100'000'000),
                             core::Price::FromParts(2, 750'000'000)},
                            core::VenueId(3))
                      .ok());
    });
    MessageCollector third;
    client = harness.Connect("BROKER1", third);
    ASSERT_TRUE(client->WaitForLogon(testing::kWait));
    const std::optional<FIX::Message> resent = third.WaitFor(Report("o3", "F"));
    ASSERT_TRUE(resent.has_value());
    EXPECT_EQ(resent->getField(FIX::FIELD::OrdStatus), "2");
    EXPECT_EQ(resent->getHeader().getField(FIX::FIELD::PossDupFlag), "Y");  // PossDupFlag: a resend
    client.reset();  // before `third`, which it feeds
  }
}

INSTANTIATE_TEST_SUITE_P(Sockets, LoopbackTest, ::testing::ValuesIn(testing::kEverySocketThreads),
                         [](const auto& info) {
                           return testing::SocketThreadsTestName(info.param);
                         });

INSTANTIATE_TEST_SUITE_P(Sockets, LoopbackRestartTest,
                         ::testing::ValuesIn(testing::kEverySocketThreads), [](const auto& info) {
                           return testing::SocketThreadsTestName(info.param);
                         });

}  // namespace
}  // namespace combo::fix

namespace combo::fix {
namespace {

struct CommandResult {
  int exit_code = -1;
  std::string output;
};

// Runs combo-client against `port` with a store under `dir`.
CommandResult RunClient(int port, const TempDir& dir, const std::string& args) {
  const std::string command = std::string(COMBO_FIX_CLIENT) + " --port " + std::to_string(port) +
                              " --sender BROKER1 --timeout 10 --store " + dir.Sub("cli-store") +
                              " " + args + " 2>&1";
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

TEST(ComboClientTest, EverySubcommandFromTheCommandLine) {
  TempDir dir;
  GatewayHarness harness(dir);

  CommandResult buy =
      RunClient(harness.port(), dir,
                "--id o1 buy 10 \"SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1\" --limit 2.35");
  EXPECT_EQ(buy.exit_code, 0) << buy.output;
  EXPECT_THAT(buy.output, HasSubstr("ExecutionReport combo ClOrdID=o1"));
  EXPECT_THAT(buy.output, HasSubstr("New New buy"));
  EXPECT_THAT(buy.output, HasSubstr("SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1"));

  CommandResult status = RunClient(harness.port(), dir, "--json status o1");
  EXPECT_EQ(status.exit_code, 0) << status.output;
  EXPECT_THAT(status.output, HasSubstr("\"MsgType\":\"ExecutionReport\""));
  EXPECT_THAT(status.output, HasSubstr("\"ExecType\":\"I\""));
  EXPECT_THAT(status.output, HasSubstr("\"NoLegs\":[{"));

  CommandResult define =
      RunClient(harness.port(), dir, "define \"SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1\"");
  EXPECT_EQ(define.exit_code, 0) << define.output;
  EXPECT_THAT(define.output, HasSubstr("SecurityID=1 ContractMultiplier=100"));

  CommandResult quote = RunClient(harness.port(), dir, "quote 1 --count 1");
  EXPECT_EQ(quote.exit_code, 0) << quote.output;
  EXPECT_THAT(quote.output, HasSubstr("MarketDataSnapshotFullRefresh"));
  EXPECT_THAT(quote.output, HasSubstr("SecurityID=1 no quote"));

  CommandResult replace = RunClient(harness.port(), dir, "--id r1 replace o1 --qty 12 --limit 2.4");
  EXPECT_EQ(replace.exit_code, 0) << replace.output;
  EXPECT_THAT(replace.output, HasSubstr("ClOrdID=r1 OrigClOrdID=o1"));
  EXPECT_THAT(replace.output, HasSubstr("Replaced"));

  CommandResult cancel = RunClient(harness.port(), dir, "--id c1 cancel r1");
  EXPECT_EQ(cancel.exit_code, 0) << cancel.output;
  EXPECT_THAT(cancel.output, HasSubstr("Canceled Canceled"));

  CommandResult too_late = RunClient(harness.port(), dir, "--id c2 cancel r1");
  EXPECT_EQ(too_late.exit_code, 1) << too_late.output;
  EXPECT_THAT(too_late.output, HasSubstr("OrderCancelReject"));

  CommandResult reject =
      RunClient(harness.port(), dir,
                "--id o2 buy 10 \"SPY 20261218 C 450 +1 / SPY 20261218 C 470 -1\" --limit 2.35");
  EXPECT_EQ(reject.exit_code, 1) << reject.output;
  EXPECT_THAT(reject.output, HasSubstr("unknown instrument: no SPY call 470 expiring 20261218"));

  // Another store for the same session is behind the gateway's sequence numbers: it cannot log
  // on until it resets them.
  TempDir other;
  CommandResult behind = RunClient(harness.port(), other, "--timeout 3 status c1");
  EXPECT_NE(behind.exit_code, 0) << behind.output;
  EXPECT_THAT(behind.output, HasSubstr("no logon"));
  EXPECT_THAT(behind.output, HasSubstr("run once with --reset"));
  CommandResult reset = RunClient(harness.port(), other, "--reset status c1");
  EXPECT_THAT(reset.output, Not(HasSubstr("no logon")));
  EXPECT_THAT(reset.output, HasSubstr("ExecutionReport combo ClOrdID=c1"));  // answered

  CommandResult usage = RunClient(harness.port(), dir, "buy 10 \"SPY +1\" --limit 1");
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_THAT(usage.output, HasSubstr("at least 2 legs"));
}

// Seed 003 R3 from the command line: the templates are listed, and one is asked for by name
// with its legs' instruments only; one that does not fit is refused with the reason.
TEST(ComboClientTest, R3StrategyTemplatesByNameFromTheCommandLine) {
  TempDir dir;
  GatewayHarness harness(dir);

  CommandResult list = RunClient(harness.port(), dir, "strategies");
  EXPECT_EQ(list.exit_code, 0) << list.output;
  EXPECT_THAT(list.output, HasSubstr("butterfly: right; strikes {K1, K2, K3}, equal wings: +1 K1, "
                                     "-2 K2, +1 K3\n"));
  EXPECT_THAT(list.output, HasSubstr("iron condor: "));
  EXPECT_THAT(list.output, HasSubstr("buy-write: "));

  CommandResult fly = RunClient(
      harness.port(), dir,
      "--id s1 define --strategy butterfly \"SPY 20261218 C 450 / SPY 20261218 C 455 / SPY "
      "20261218 C 460\"");
  EXPECT_EQ(fly.exit_code, 0) << fly.output;
  EXPECT_THAT(fly.output, HasSubstr("SecurityReqID=s1 SecurityID=1 ContractMultiplier=100 "
                                    "strategy butterfly on SPY canonical [SPY 20261218 C 450 +1 / "
                                    "SPY 20261218 C 460 +1 / SPY 20261218 C 455 -2]"));

  CommandResult refused =
      RunClient(harness.port(), dir,
                "--id s2 define --strategy straddle \"SPY 20261218 C 450 / SPY 20261218 C 460\"");
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_THAT(refused.output,
              HasSubstr("SecurityReqID=s2 rejected Text=\"straddle: needs 1 strike {K}, got 2\""));

  CommandResult unknown = RunClient(
      harness.port(), dir, "define --strategy jade \"SPY 20261218 C 450 / SPY 20261218 C 460\"");
  EXPECT_EQ(unknown.exit_code, 2) << unknown.output;
  EXPECT_THAT(unknown.output, HasSubstr("--strategy: unknown strategy \"jade\""));
}

}  // namespace
}  // namespace combo::fix

#include "venues/negotiation/service.h"

#include <memory>
#include <string>
#include <vector>

#include "core/simulated_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "venues/negotiation/test_participant.h"

namespace combo::venues::negotiation {
namespace {

using core::AccountId;
using core::Duration;
using core::Quantity;
using core::Side;
using ::testing::HasSubstr;
using testing::P;
using testing::TestParticipant;

class NegotiationServiceTest : public ::testing::Test {
 protected:
  explicit NegotiationServiceTest(ServiceConfig config = DefaultConfig())
      : catalog_(testing::MakeCatalog()),
        service_(time_, catalog_, KeyPair::FromLabel("SERVICE"), config) {}

  static ServiceConfig DefaultConfig() {
    ServiceConfig config;
    config.trade_request_timeout = Duration::Seconds(30);
    config.handle_rotation_interval = Duration::Seconds(300);
    config.handle_retention = Duration::Seconds(600);
    return config;
  }

  std::unique_ptr<TestParticipant> Join(const std::string& account) {
    auto participant = std::make_unique<TestParticipant>(service_, account);
    participant->Login();
    return participant;
  }

  // The seed's offer: OFFER #17 - I WANT TO SELL 1000 IBM 41 TIMEOUT 45.
  static Message SeedOffer() {
    return Message::Offer("17", Side::kSell, Quantity(1000), "IBM", P(41), 45);
  }
  static Message SeedAccept() {
    return Message::Accept("17", Side::kBuy, Quantity(1000), "IBM", P(41));
  }

  core::SimulatedTime time_;
  core::InstrumentCatalog catalog_;
  NegotiationService service_;
};

TEST_F(NegotiationServiceTest, SeedNegotiationEndsInConfirmedTradeAndReport) {
  auto joe = Join("BIGJOE");
  auto josh = Join("BIGJOSH");
  ASSERT_FALSE(joe->handle().empty());
  ASSERT_NE(joe->handle(), josh->handle());

  joe->Send(SeedOffer());
  // Everyone hears the offer under the owner's handle, the owner included (its acknowledgement).
  Incoming heard = josh->One();
  EXPECT_EQ(heard.message, SeedOffer());
  EXPECT_EQ(heard.origin, joe->handle());
  EXPECT_EQ(joe->One().message, SeedOffer());
  EXPECT_EQ(josh->client().offers().count("17"), 1u);

  josh->Send(SeedAccept());
  Incoming accepted = josh->One();
  EXPECT_EQ(accepted.message, Message::Accepted("17"));
  EXPECT_EQ(accepted.origin, joe->handle());
  Incoming relayed = joe->One();
  EXPECT_EQ(relayed.message, SeedAccept());
  EXPECT_EQ(relayed.origin, josh->handle());

  joe->Send(Message::TradeRequest("17", Side::kSell, Quantity(1000), "IBM", P(41), josh->handle()));
  EXPECT_TRUE(joe->Drain().empty());  // waits for the other side
  josh->Send(Message::TradeRequest("17", Side::kBuy, Quantity(1000), "IBM", P(41), joe->handle()));
  EXPECT_EQ(joe->One().message,
            Message::TradeConfirmed("17", Side::kSell, Quantity(1000), "IBM", P(41), josh->handle(),
                                    "T1", Clearing::kUncleared));
  EXPECT_EQ(josh->One().message,
            Message::TradeConfirmed("17", Side::kBuy, Quantity(1000), "IBM", P(41), joe->handle(),
                                    "T1", Clearing::kUncleared));

  ASSERT_EQ(service_.trades().size(), 1u);
  const TradeReport& report = service_.trades()[0];
  EXPECT_EQ(report.ticket, "T1");
  EXPECT_EQ(report.offer_id, "17");
  EXPECT_EQ(report.seller, AccountId("BIGJOE"));
  EXPECT_EQ(report.buyer, AccountId("BIGJOSH"));
  EXPECT_EQ(report.quantity, Quantity(1000));
  EXPECT_EQ(report.price, P(41));
  EXPECT_EQ(report.tradable.instrument, core::InstrumentId(1));
  EXPECT_EQ(report.clearing, Clearing::kUncleared);
  EXPECT_EQ(service_.counters().trades_confirmed, 1);
}

TEST_F(NegotiationServiceTest, FirstAcceptWinsAndEveryLaterAcceptorGetsTooLate) {
  auto joe = Join("BIGJOE");
  auto josh = Join("BIGJOSH");
  auto ann = Join("ANN");
  auto bob = Join("BOB");
  joe->Send(SeedOffer());
  for (auto* p : {joe.get(), josh.get(), ann.get(), bob.get()}) p->Drain();

  ann->Send(SeedAccept());
  josh->Send(SeedAccept());
  bob->Send(SeedAccept());
  EXPECT_EQ(ann->One().message.type, MessageType::kAccepted);
  EXPECT_EQ(josh->One().message, Message::TooLate("17"));
  EXPECT_EQ(bob->One().message, Message::TooLate("17"));
  // The owner hears only the winner.
  Incoming relayed = joe->One();
  EXPECT_EQ(relayed.origin, ann->handle());
  EXPECT_EQ(service_.counters().accepts_won, 1);
  EXPECT_EQ(service_.counters().too_late, 2);
}

TEST_F(NegotiationServiceTest, WithdrawnOfferAnswersTooLateToAnyAccept) {
  auto joe = Join("BIGJOE");
  auto josh = Join("BIGJOSH");
  joe->Send(SeedOffer());
  joe->Drain();
  josh->Drain();

  // Only the owner may withdraw.
  josh->Send(Message::Withdraw("17"));
  EXPECT_EQ(josh->One().message.code, "NOT_OWNER");

  time_.AdvanceBy(Duration::Seconds(10));
  joe->Send(Message::Withdraw("17"));
  Incoming withdrawn = josh->One();
  EXPECT_EQ(withdrawn.message, Message::Withdrawn("17"));
  EXPECT_EQ(joe->One().message, Message::Withdrawn("17"));
  EXPECT_EQ(josh->client().offers().count("17"), 0u);  // gone from the local store

  josh->Send(SeedAccept());
  EXPECT_EQ(josh->One().message, Message::TooLate("17"));
  EXPECT_TRUE(joe->Drain().empty());
  EXPECT_TRUE(service_.OpenOfferIds().empty());
  // Withdrawing again: the offer has ended.
  joe->Send(Message::Withdraw("17"));
  EXPECT_EQ(joe->One().message.code, "NOT_OPEN");
}

TEST_F(NegotiationServiceTest, ExpiredOfferIsAnnouncedAndAnswersTooLate) {
  auto joe = Join("BIGJOE");
  auto josh = Join("BIGJOSH");
  joe->Send(SeedOffer());
  joe->Drain();
  josh->Drain();

  time_.AdvanceBy(Duration::Seconds(44));
  EXPECT_TRUE(josh->Drain().empty());
  time_.AdvanceBy(Duration::Seconds(1));
  EXPECT_EQ(josh->One().message, Message::Expired("17"));
  EXPECT_EQ(joe->One().message, Message::Expired("17"));
  josh->Send(SeedAccept());
  EXPECT_EQ(josh->One().message, Message::TooLate("17"));
  EXPECT_EQ(service_.counters().offers_expired, 1);
}

TEST_F(NegotiationServiceTest, AcceptMustTakeTheWholeOfferOnItsTerms) {
  auto joe = Join("BIGJOE");
  auto josh = Join("BIGJOSH");
  joe->Send(SeedOffer());
  joe->Drain();
  josh->Drain();

  josh->Send(Message::Accept("17", Side::kBuy, Quantity(500), "IBM", P(41)));
  EXPECT_EQ(josh->One().message.code, "TERMS_MISMATCH");
  josh->Send(Message::Accept("17", Side::kBuy, Quantity(1000), "IBM", P(40)));
  EXPECT_EQ(josh->One().message.code, "TERMS_MISMATCH");
  josh->Send(Message::Accept("17", Side::kSell, Quantity(1000), "IBM", P(41)));
  EXPECT_EQ(josh->One().message.code, "TERMS_MISMATCH");
  josh->Send(Message::Accept("17", Side::kBuy, Quantity(1000), "MSFT", P(41)));
  EXPECT_EQ(josh->One().message.code, "TERMS_MISMATCH");
  joe->Send(Message::Accept("17", Side::kBuy, Quantity(1000), "IBM", P(41)));
  EXPECT_EQ(joe->One().message.code, "OWN_OFFER");
  josh->Send(Message::Accept("99", Side::kBuy, Quantity(1000), "IBM", P(41)));
  EXPECT_EQ(josh->One().message.code, "UNKNOWN_OFFER");
  // None of those took the offer.
  EXPECT_EQ(service_.OpenOfferIds(), std::vector<std::string>{"17"});
  josh->Send(SeedAccept());
  EXPECT_EQ(josh->One().message.type, MessageType::kAccepted);
}

TEST_F(NegotiationServiceTest, RefusedOffersChangeNothing) {
  auto joe = Join("BIGJOE");
  auto josh = Join("BIGJOSH");
  joe->Send(Message::Offer("1", Side::kSell, Quantity(10), "NOPE", P(1), 5));
  Incoming error = joe->One();
  EXPECT_EQ(error.message.code, "UNKNOWN_INSTRUMENT");
  EXPECT_THAT(error.message.text, HasSubstr("NOPE"));
  joe->Send(Message::Offer("2", Side::kSell, Quantity(10), "[IBM +1 / NOPE -1]", P(1), 5));
  EXPECT_EQ(joe->One().message.code, "UNKNOWN_INSTRUMENT");
  EXPECT_TRUE(josh->Drain().empty());
  EXPECT_TRUE(service_.OpenOfferIds().empty());

  joe->Send(SeedOffer());
  joe->Drain();
  josh->Drain();
  josh->Send(Message::Offer("17", Side::kBuy, Quantity(1), "IBM", P(1), 5));
  EXPECT_EQ(josh->One().message.code, "DUPLICATE_ID");
  EXPECT_EQ(service_.counters().offers, 1);
}

TEST_F(NegotiationServiceTest, ComboOffersMatchWhateverTheLegOrder) {
  auto joe = Join("BIGJOE");
  auto josh = Join("BIGJOSH");
  joe->Send(Message::Offer("C1", Side::kBuy, Quantity(5), "[IBM +1 / MSFT -2]", P(-3), 30));
  joe->Drain();
  josh->Drain();
  josh->Send(Message::Accept("C1", Side::kSell, Quantity(5), "[MSFT -2 / IBM +1]", P(-3)));
  EXPECT_EQ(josh->One().message.type, MessageType::kAccepted);
  joe->Drain();
  joe->Send(Message::TradeRequest("C1", Side::kBuy, Quantity(5), "[IBM +1 / MSFT -2]", P(-3),
                                  josh->handle()));
  josh->Send(Message::TradeRequest("C1", Side::kSell, Quantity(5), "[MSFT -2 / IBM +1]", P(-3),
                                   joe->handle()));
  EXPECT_EQ(joe->One().message.type, MessageType::kTradeConfirmed);
  ASSERT_EQ(service_.trades().size(), 1u);
  ASSERT_TRUE(service_.trades()[0].tradable.combo.has_value());
  EXPECT_EQ(service_.trades()[0].tradable.combo->size(), 2u);
  EXPECT_EQ(service_.trades()[0].buyer, AccountId("BIGJOE"));
}

class TradeRequestTest : public NegotiationServiceTest {
 protected:
  void SetUp() override {
    joe_ = Join("BIGJOE");
    josh_ = Join("BIGJOSH");
    joe_->Send(SeedOffer());
    josh_->Drain();
    josh_->Send(SeedAccept());
    joe_->Drain();
    josh_->Drain();
  }
  Message JoeRequest() const {
    return Message::TradeRequest("17", Side::kSell, Quantity(1000), "IBM", P(41), josh_->handle());
  }
  Message JoshRequest() const {
    return Message::TradeRequest("17", Side::kBuy, Quantity(1000), "IBM", P(41), joe_->handle());
  }
  std::unique_ptr<TestParticipant> joe_;
  std::unique_ptr<TestParticipant> josh_;
};

TEST_F(TradeRequestTest, LoneTradeRequestExpiresAndBothSidesAreTold) {
  joe_->Send(JoeRequest());
  time_.AdvanceBy(Duration::Seconds(29));
  EXPECT_TRUE(joe_->Drain().empty());
  time_.AdvanceBy(Duration::Seconds(1));
  EXPECT_EQ(joe_->One().message, Message::TradeExpired("17"));
  EXPECT_EQ(josh_->One().message, Message::TradeExpired("17"));
  EXPECT_EQ(service_.counters().lone_trade_requests_expired, 1);
  // The late request finds the negotiation over.
  josh_->Send(JoshRequest());
  EXPECT_EQ(josh_->One().message.code, "NOT_ACCEPTED");
  EXPECT_TRUE(service_.trades().empty());
}

TEST_F(TradeRequestTest, AcceptedTradeWithNoRequestsIsAbandoned) {
  time_.AdvanceBy(Duration::Seconds(30));
  EXPECT_EQ(joe_->One().message, Message::TradeExpired("17"));
  EXPECT_EQ(josh_->One().message, Message::TradeExpired("17"));
  EXPECT_EQ(service_.counters().trades_abandoned, 1);
  EXPECT_EQ(service_.counters().lone_trade_requests_expired, 0);
}

TEST_F(TradeRequestTest, DisagreeingPriceIsRejectedToBoth) {
  joe_->Send(JoeRequest());
  josh_->Send(
      Message::TradeRequest("17", Side::kBuy, Quantity(1000), "IBM", P(40), joe_->handle()));
  EXPECT_EQ(joe_->One().message, Message::TradeRejected("17", "TERMS_MISMATCH"));
  EXPECT_EQ(josh_->One().message, Message::TradeRejected("17", "TERMS_MISMATCH"));
  EXPECT_TRUE(service_.trades().empty());
  EXPECT_EQ(service_.counters().trades_rejected, 1);
}

TEST_F(TradeRequestTest, WrongCounterpartyIsRejected) {
  auto ann = Join("ANN");
  joe_->Send(JoeRequest());
  josh_->Send(Message::TradeRequest("17", Side::kBuy, Quantity(1000), "IBM", P(41), ann->handle()));
  EXPECT_EQ(joe_->One().message, Message::TradeRejected("17", "COUNTERPARTY_MISMATCH"));
}

TEST_F(TradeRequestTest, WrongSideIsRejected) {
  joe_->Send(
      Message::TradeRequest("17", Side::kBuy, Quantity(1000), "IBM", P(41), josh_->handle()));
  josh_->Send(JoshRequest());
  EXPECT_EQ(joe_->One().message, Message::TradeRejected("17", "SIDE_MISMATCH"));
}

TEST_F(TradeRequestTest, OnlyThePartiesMayRequestAndOnlyOnce) {
  auto ann = Join("ANN");
  ann->Send(Message::TradeRequest("17", Side::kBuy, Quantity(1000), "IBM", P(41), joe_->handle()));
  EXPECT_EQ(ann->One().message.code, "NOT_A_PARTY");
  joe_->Send(JoeRequest());
  joe_->Send(JoeRequest());
  EXPECT_EQ(joe_->One().message.code, "DUPLICATE_REQUEST");
  josh_->Send(JoshRequest());
  EXPECT_EQ(josh_->One().message.type, MessageType::kTradeConfirmed);
}

TEST_F(NegotiationServiceTest, UnauthenticLinesAreIgnoredAndCounted) {
  auto joe = Join("BIGJOE");
  auto josh = Join("BIGJOSH");
  // Unsigned.
  joe->SendLine("OFFER #1 - I WANT TO SELL 1 IBM 1 TIMEOUT 5 ;FROM " + joe->handle() + " ;SEQ 90");
  // Signed by someone else's key (an impostor using joe's handle).
  Envelope forged;
  forged.body = Message::Offer("2", Side::kSell, Quantity(1), "IBM", P(1), 5);
  forged.from = joe->handle();
  forged.seq = 91;
  forged.signature = KeyPair::FromLabel("MALLORY").Sign(*FormatSignedPart(forged));
  joe->SendLine(*FormatLine(forged));
  // A genuine line altered in flight.
  std::string line =
      *joe->client().Compose(Message::Offer("3", Side::kSell, Quantity(1), "IBM", P(1), 5));
  std::string altered = line;
  altered.replace(altered.find("SELL 1 "), 7, "SELL 9 ");
  joe->SendLine(altered);
  // From nobody the service knows.
  forged.from = "HNOBODY1";
  joe->SendLine(*FormatLine(forged));
  // Garbage.
  joe->SendLine("HELLO THERE");
  EXPECT_TRUE(joe->Drain().empty());
  EXPECT_TRUE(josh->Drain().empty());
  EXPECT_TRUE(service_.OpenOfferIds().empty());
  EXPECT_EQ(service_.counters().unsigned_lines, 1);
  EXPECT_EQ(service_.counters().bad_signatures, 2);
  EXPECT_EQ(service_.counters().unknown_senders, 1);
  EXPECT_EQ(service_.counters().malformed, 1);

  // The genuine line still works, once; its replay is ignored.
  joe->SendLine(line);
  EXPECT_EQ(josh->One().message.id, "3");
  joe->SendLine(line);
  EXPECT_TRUE(josh->Drain().empty());
  EXPECT_EQ(service_.counters().replayed, 1);
  EXPECT_EQ(service_.counters().offers, 1);
}

TEST_F(NegotiationServiceTest, SessionMustLogInBeforeSpeaking) {
  auto joe = Join("BIGJOE");
  // A second connection carrying joe's genuine line, without having logged in.
  TestParticipant stranger(service_, "STRANGER");
  stranger.SendLine(*joe->client().Compose(SeedOffer()));
  Incoming error = stranger.One();
  EXPECT_EQ(error.message.code, "NOT_LOGGED_IN");
  EXPECT_TRUE(service_.OpenOfferIds().empty());
}

TEST_F(NegotiationServiceTest, NewerLoginTakesOverTheAccount) {
  auto joe = Join("BIGJOE");
  auto josh = Join("BIGJOSH");
  // A restarted client: same key, its counter lost, so it continues from a larger number.
  TestParticipant restarted(service_, "BIGJOE", testing::Registration::kAlreadyRegistered);
  restarted.client().SetNextSeq(1000);
  restarted.Login();
  EXPECT_NE(restarted.handle(), joe->handle());
  josh->Send(SeedOffer());
  EXPECT_EQ(restarted.One().message, SeedOffer());
  EXPECT_TRUE(joe->Drain().empty());
  // The old connection no longer speaks for the account.
  joe->client().SetNextSeq(2000);
  joe->Send(Message::Withdraw("x"));
  EXPECT_EQ(joe->One().message.code, "NOT_LOGGED_IN");
}

TEST_F(NegotiationServiceTest, RestartedClientReusingOldSequenceNumbersIsIgnored) {
  auto joe = Join("BIGJOE");
  TestParticipant restarted(service_, "BIGJOE", testing::Registration::kAlreadyRegistered);
  restarted.Login();  // LOGIN with ;SEQ 1 again: a replay
  EXPECT_TRUE(restarted.handle().empty());
  EXPECT_EQ(service_.counters().replayed, 1);
}

TEST_F(NegotiationServiceTest, ServiceOnlyMessagesAreRefusedFromParticipants) {
  auto joe = Join("BIGJOE");
  joe->Send(Message::TooLate("17"));
  EXPECT_EQ(joe->One().message.code, "NOT_A_REQUEST");
}

TEST_F(NegotiationServiceTest, TradeBetweenCoSignedOrdersIsCleared) {
  ASSERT_TRUE(
      service_.RegisterClearingFirm("CLEARCO", KeyPair::FromLabel("CLEARCO").public_key()).ok());
  auto joe = Join("BIGJOE");
  auto josh = Join("BIGJOSH");
  joe->client().SetClearingFirm("CLEARCO", KeyPair::FromLabel("CLEARCO"));
  josh->client().SetClearingFirm("CLEARCO", KeyPair::FromLabel("CLEARCO"));
  joe->Send(SeedOffer(), CoSign::kYes);
  josh->Drain();
  josh->Send(SeedAccept(), CoSign::kYes);
  joe->Drain();
  josh->Drain();
  joe->Send(Message::TradeRequest("17", Side::kSell, Quantity(1000), "IBM", P(41), josh->handle()));
  josh->Send(Message::TradeRequest("17", Side::kBuy, Quantity(1000), "IBM", P(41), joe->handle()));
  EXPECT_EQ(joe->One().message.clearing, Clearing::kCleared);
  EXPECT_EQ(josh->One().message.clearing, Clearing::kCleared);
  EXPECT_EQ(service_.trades().at(0).clearing, Clearing::kCleared);
  EXPECT_EQ(service_.counters().trades_cleared, 1);
}

TEST_F(NegotiationServiceTest, OneSidedCoSignatureDoesNotClear) {
  ASSERT_TRUE(
      service_.RegisterClearingFirm("CLEARCO", KeyPair::FromLabel("CLEARCO").public_key()).ok());
  auto joe = Join("BIGJOE");
  auto josh = Join("BIGJOSH");
  joe->client().SetClearingFirm("CLEARCO", KeyPair::FromLabel("CLEARCO"));
  joe->Send(SeedOffer(), CoSign::kYes);
  josh->Drain();
  josh->Send(SeedAccept());
  joe->Drain();
  josh->Drain();
  joe->Send(Message::TradeRequest("17", Side::kSell, Quantity(1000), "IBM", P(41), josh->handle()));
  josh->Send(Message::TradeRequest("17", Side::kBuy, Quantity(1000), "IBM", P(41), joe->handle()));
  EXPECT_EQ(joe->One().message.clearing, Clearing::kUncleared);
}

TEST_F(NegotiationServiceTest, ForgedCoSignatureIgnoresTheWholeLine) {
  ASSERT_TRUE(
      service_.RegisterClearingFirm("CLEARCO", KeyPair::FromLabel("CLEARCO").public_key()).ok());
  auto joe = Join("BIGJOE");
  auto josh = Join("BIGJOSH");
  // Claims CLEARCO stands behind it, but signs with another key.
  joe->client().SetClearingFirm("CLEARCO", KeyPair::FromLabel("NOT-CLEARCO"));
  joe->Send(SeedOffer(), CoSign::kYes);
  // An unregistered firm.
  joe->client().SetClearingFirm("SHADYCO", KeyPair::FromLabel("SHADYCO"));
  joe->Send(SeedOffer(), CoSign::kYes);
  EXPECT_TRUE(josh->Drain().empty());
  EXPECT_EQ(service_.counters().bad_cosignatures, 2);
  EXPECT_TRUE(service_.OpenOfferIds().empty());
}

TEST_F(NegotiationServiceTest, HandlesRotateAndOldOnesResolveUntilRetention) {
  auto joe = Join("BIGJOE");
  auto josh = Join("BIGJOSH");
  const std::string first = joe->handle();
  EXPECT_EQ(service_.ResolveHandle(first), AccountId("BIGJOE"));
  // Peers only ever see handles, never the account. The offer outlives the rotation.
  joe->Send(Message::Offer("17", Side::kSell, Quantity(1000), "IBM", P(41), 900));
  josh->Drain();
  for (const std::string& line : josh->raw_lines())
    EXPECT_THAT(line, ::testing::Not(HasSubstr("BIGJOE")));

  time_.AdvanceBy(Duration::Seconds(300));
  joe->Drain();
  const std::string second = joe->handle();
  EXPECT_NE(second, first);
  EXPECT_EQ(service_.CurrentHandle(AccountId("BIGJOE")), second);
  EXPECT_EQ(service_.counters().handles_rotated, 2);  // joe and josh
  // A trade negotiated under the old handle still pairs: josh names joe by the handle he saw.
  josh->Send(SeedAccept());
  joe->Drain();
  joe->Send(Message::TradeRequest("17", Side::kSell, Quantity(1000), "IBM", P(41), josh->handle()));
  josh->Drain();
  josh->Send(Message::TradeRequest("17", Side::kBuy, Quantity(1000), "IBM", P(41), first));
  EXPECT_EQ(josh->One().message.type, MessageType::kTradeConfirmed);

  // The old handle is forgotten after the retention time.
  time_.AdvanceBy(Duration::Seconds(600));
  EXPECT_EQ(service_.ResolveHandle(first), std::nullopt);
  EXPECT_EQ(service_.ResolveHandle(joe->handle()), AccountId("BIGJOE"));
}

TEST_F(NegotiationServiceTest, LineSignedUnderARetiredHandleStillAuthenticates) {
  auto joe = Join("BIGJOE");
  auto josh = Join("BIGJOSH");
  // Composed just before the rotation, arriving just after.
  const std::string line = *joe->client().Compose(SeedOffer());
  time_.AdvanceBy(Duration::Seconds(300));
  joe->Drain();
  josh->Drain();
  joe->SendLine(line);
  // Broadcast under the owner's current handle.
  Incoming heard = josh->One();
  EXPECT_EQ(heard.message.id, "17");
  EXPECT_EQ(heard.origin, joe->handle());
}

TEST_F(NegotiationServiceTest, LateJoinerHearsOpenOffers) {
  auto joe = Join("BIGJOE");
  joe->Send(SeedOffer());
  auto josh = std::make_unique<TestParticipant>(service_, "BIGJOSH");
  std::vector<Incoming> first = josh->Login();
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].message.type, MessageType::kHandle);
  EXPECT_EQ(first[1].message, SeedOffer());
  EXPECT_EQ(josh->client().offers().count("17"), 1u);
}

class ThrottleTest : public NegotiationServiceTest {
 protected:
  ThrottleTest() : NegotiationServiceTest(Config()) {}
  static ServiceConfig Config() {
    ServiceConfig config = DefaultConfig();
    config.withdrawal.min_offer_life = Duration::Seconds(5);
    config.withdrawal.window_offers = 10;
    config.withdrawal.min_offers = 3;
    config.withdrawal.max_premature_percent = 60;
    config.withdrawal.throttle_duration = Duration::Seconds(120);
    return config;
  }
};

TEST_F(ThrottleTest, PrematureWithdrawalsThrottleNewOffers) {
  auto joe = Join("BIGJOE");
  // Fishing: post and pull three offers within a second each.
  for (int i = 1; i <= 3; ++i) {
    joe->Send(Message::Offer(absl::StrCat("F", i), Side::kSell, Quantity(100), "IBM", P(41), 60));
    time_.AdvanceBy(Duration::Seconds(1));
    joe->Send(Message::Withdraw(absl::StrCat("F", i)));
  }
  joe->Drain();
  const WithdrawalStats stats = service_.withdrawal_stats(AccountId("BIGJOE"));
  EXPECT_EQ(stats.offers_posted, 3);
  EXPECT_EQ(stats.premature_withdrawals, 3);
  EXPECT_DOUBLE_EQ(stats.premature_ratio(), 1.0);

  joe->Send(Message::Offer("F4", Side::kSell, Quantity(100), "IBM", P(41), 60));
  Incoming refused = joe->One();
  EXPECT_EQ(refused.message,
            Message::Error("F4", "THROTTLED", "too many premature withdrawals, try again later"));
  EXPECT_EQ(service_.counters().offers_throttled, 1);
  EXPECT_TRUE(service_.OpenOfferIds().empty());

  time_.AdvanceBy(Duration::Seconds(120));
  joe->Send(Message::Offer("F5", Side::kSell, Quantity(100), "IBM", P(41), 60));
  EXPECT_EQ(joe->One().message.type, MessageType::kOffer);
}

TEST_F(ThrottleTest, PatientWithdrawalsAreNotPremature) {
  auto joe = Join("BIGJOE");
  for (int i = 1; i <= 3; ++i) {
    joe->Send(Message::Offer(absl::StrCat("P", i), Side::kSell, Quantity(100), "IBM", P(41), 60));
    time_.AdvanceBy(Duration::Seconds(5));
    joe->Send(Message::Withdraw(absl::StrCat("P", i)));
  }
  joe->Drain();
  EXPECT_EQ(service_.withdrawal_stats(AccountId("BIGJOE")).premature_withdrawals, 0);
  joe->Send(Message::Offer("P4", Side::kSell, Quantity(100), "IBM", P(41), 60));
  EXPECT_EQ(joe->One().message.type, MessageType::kOffer);
}

TEST(NegotiationServiceConfigTest, InvalidConfigIsRefusedNamingTheField) {
  ServiceConfig config;
  config.trade_request_timeout = Duration::Zero();
  EXPECT_THAT(std::string(ValidateServiceConfig(config).message()),
              HasSubstr("trade_request_timeout"));
  config = ServiceConfig();
  config.handle_rotation_interval = Duration::Seconds(-1);
  EXPECT_THAT(std::string(ValidateServiceConfig(config).message()),
              HasSubstr("handle_rotation_interval"));
  config = ServiceConfig();
  config.withdrawal.max_premature_percent = 0;
  EXPECT_THAT(std::string(ValidateServiceConfig(config).message()),
              HasSubstr("max_premature_percent"));
  EXPECT_TRUE(ValidateServiceConfig(ServiceConfig()).ok());
}

TEST(NegotiationServiceRegistrationTest, BadOrDuplicateNamesAreRefused) {
  core::SimulatedTime time;
  const core::InstrumentCatalog catalog = testing::MakeCatalog();
  NegotiationService service(time, catalog, KeyPair::FromLabel("SERVICE"), ServiceConfig());
  const PublicKey key = KeyPair::FromLabel("X").public_key();
  EXPECT_TRUE(service.RegisterParticipant(AccountId("JOE"), key).ok());
  EXPECT_EQ(service.RegisterParticipant(AccountId("JOE"), key).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(service.RegisterParticipant(AccountId("SERVICE"), key).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(service.RegisterParticipant(AccountId("has space"), key).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(service.RegisterClearingFirm("CLEARCO", key).ok());
  EXPECT_EQ(service.RegisterClearingFirm("CLEARCO", key).code(), absl::StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace combo::venues::negotiation

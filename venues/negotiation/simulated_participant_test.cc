#include "venues/negotiation/simulated_participant.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "venues/negotiation/test_participant.h"

namespace combo::venues::negotiation {
namespace {

using core::AccountId;
using core::Duration;
using core::Quantity;
using core::Side;
using testing::P;

class SimulatedParticipantTest : public ::testing::Test {
 protected:
  SimulatedParticipantTest()
      : catalog_(testing::MakeCatalog()),
        service_(time_, catalog_, KeyPair::FromLabel("SERVICE"), ServiceConfig()) {}

  std::unique_ptr<SimulatedParticipant> Make(const std::string& account, Interest interest,
                                             Duration think, uint64_t seed, std::string firm = "") {
    SimulatedParticipantConfig config;
    config.account = AccountId(account);
    config.interests.push_back(std::move(interest));
    config.min_think_time = think;
    config.max_think_time = think;
    config.clearing_firm = std::move(firm);
    config.seed = seed;
    auto participant = std::make_unique<SimulatedParticipant>(time_, service_, config);
    EXPECT_TRUE(participant->Start().ok());
    return participant;
  }

  core::SimulatedTime time_;
  core::InstrumentCatalog catalog_;
  NegotiationService service_;
};

TEST_F(SimulatedParticipantTest, InterestedParticipantsRaceAndTheQuickestTrades) {
  auto seller =
      Make("SELLER", Interest{"IBM", std::nullopt, P(42), Quantity(5000)}, Duration::Seconds(1), 1);
  auto fast = Make("FAST", Interest{"IBM", P(41), std::nullopt, Quantity(5000)},
                   Duration::Milliseconds(300), 2);
  auto slow = Make("SLOW", Interest{"IBM", P(41), std::nullopt, Quantity(5000)},
                   Duration::Milliseconds(900), 3);
  auto picky = Make("PICKY", Interest{"IBM", P(40), std::nullopt, Quantity(5000)},
                    Duration::Milliseconds(100), 4);
  time_.AdvanceBy(Duration::Milliseconds(1));  // logins and handles

  ASSERT_TRUE(
      seller->PostOffer(Message::Offer("S1", Side::kSell, Quantity(1000), "IBM", P(41), 45)).ok());
  time_.AdvanceBy(Duration::Seconds(5));

  EXPECT_EQ(picky->stats().accepts_sent, 0);  // 41 is above its limit of 40
  EXPECT_EQ(fast->stats().accepts_won, 1);
  EXPECT_EQ(slow->stats().too_late, 1);
  ASSERT_EQ(service_.trades().size(), 1u);
  EXPECT_EQ(service_.trades()[0].buyer, AccountId("FAST"));
  EXPECT_EQ(service_.trades()[0].seller, AccountId("SELLER"));
  ASSERT_EQ(seller->confirmations().size(), 1u);
  EXPECT_EQ(seller->confirmations()[0].side, Side::kSell);
  EXPECT_EQ(fast->confirmations().size(), 1u);
  EXPECT_EQ(slow->confirmations().size(), 0u);
  EXPECT_EQ(service_.counters().bad_signatures + service_.counters().malformed, 0);
}

TEST_F(SimulatedParticipantTest, OversizedOffersAreLeftAlone) {
  auto seller =
      Make("SELLER", Interest{"IBM", std::nullopt, P(42), Quantity(5000)}, Duration::Seconds(1), 1);
  auto buyer = Make("BUYER", Interest{"IBM", P(41), std::nullopt, Quantity(999)},
                    Duration::Milliseconds(300), 2);
  time_.AdvanceBy(Duration::Milliseconds(1));
  ASSERT_TRUE(
      seller->PostOffer(Message::Offer("S1", Side::kSell, Quantity(1000), "IBM", P(41), 10)).ok());
  time_.AdvanceBy(Duration::Seconds(11));
  EXPECT_EQ(buyer->stats().offers_heard, 1);
  EXPECT_EQ(buyer->stats().accepts_sent, 0);
  EXPECT_EQ(service_.counters().offers_expired, 1);
}

TEST_F(SimulatedParticipantTest, CoSignedParticipantsTradeCleared) {
  ASSERT_TRUE(
      service_.RegisterClearingFirm("CLEARCO", KeyPair::FromLabel("CLEARCO").public_key()).ok());
  auto seller = Make("SELLER", Interest{"IBM", std::nullopt, P(42), Quantity(5000)},
                     Duration::Seconds(1), 1, "CLEARCO");
  auto buyer = Make("BUYER", Interest{"IBM", P(41), std::nullopt, Quantity(5000)},
                    Duration::Milliseconds(300), 2, "CLEARCO");
  time_.AdvanceBy(Duration::Milliseconds(1));
  ASSERT_TRUE(
      seller->PostOffer(Message::Offer("S1", Side::kSell, Quantity(1000), "IBM", P(41), 10)).ok());
  time_.AdvanceBy(Duration::Seconds(2));
  ASSERT_EQ(service_.trades().size(), 1u);
  EXPECT_EQ(service_.trades()[0].clearing, Clearing::kCleared);
}

TEST_F(SimulatedParticipantTest, ThinkTimesComeFromTheSeed) {
  // Same seeds, same run: the winner and the trade time repeat exactly.
  auto run = [](uint64_t seed_a, uint64_t seed_b) {
    core::SimulatedTime time;
    const core::InstrumentCatalog catalog = testing::MakeCatalog();
    NegotiationService service(time, catalog, KeyPair::FromLabel("SERVICE"), ServiceConfig());
    auto make = [&](const std::string& account, Interest interest, uint64_t seed) {
      SimulatedParticipantConfig config;
      config.account = AccountId(account);
      config.interests.push_back(std::move(interest));
      config.seed = seed;
      auto p = std::make_unique<SimulatedParticipant>(time, service, config);
      EXPECT_TRUE(p->Start().ok());
      return p;
    };
    auto seller = make("SELLER", Interest{"IBM", std::nullopt, P(42), Quantity(10)}, 9);
    auto a = make("A", Interest{"IBM", P(41), std::nullopt, Quantity(10)}, seed_a);
    auto b = make("B", Interest{"IBM", P(41), std::nullopt, Quantity(10)}, seed_b);
    time.AdvanceBy(Duration::Milliseconds(1));
    EXPECT_TRUE(
        seller->PostOffer(Message::Offer("S1", Side::kSell, Quantity(10), "IBM", P(41), 45)).ok());
    time.AdvanceBy(Duration::Seconds(10));
    EXPECT_EQ(service.trades().size(), 1u);
    return service.trades().empty()
               ? std::make_pair(std::string(), core::Timestamp())
               : std::make_pair(service.trades()[0].buyer.value(), service.trades()[0].time);
  };
  EXPECT_EQ(run(11, 12), run(11, 12));
}

// A judge that values IBM at 41: accepts offers at least 1 better, counters offers within 2 of
// fair at 41 -/+ 1, declines the rest.
OfferResponse JudgeAt41(const Message& offer) {
  const core::Price fair = P(41);
  const bool offer_sells = offer.side == Side::kSell;
  const core::Price better = offer_sells ? fair - offer.price : offer.price - fair;
  if (better >= P(1)) return {OfferAnswer::kAccept, {}, {}};
  if (better >= -P(2)) {
    return {OfferAnswer::kCounter, offer_sells ? P(40) : P(42), Quantity(7)};
  }
  return {OfferAnswer::kDecline, {}, {}};
}

TEST_F(SimulatedParticipantTest, JudgedParticipantAcceptsCountersOrDeclinesFromItsValuation) {
  auto seller =
      Make("SELLER", Interest{"IBM", std::nullopt, P(99), Quantity(1)}, Duration::Seconds(9), 1);
  SimulatedParticipantConfig config;
  config.account = AccountId("JUDGE");
  config.min_think_time = Duration::Milliseconds(300);
  config.max_think_time = Duration::Milliseconds(300);
  auto judged = std::make_unique<SimulatedParticipant>(time_, service_, config);
  judged->SetOfferJudge(JudgeAt41);
  std::vector<std::pair<MessageDirection, MessageType>> seen;
  judged->SetMessageHook([&](MessageDirection direction, const Message& message) {
    seen.emplace_back(direction, message.type);
  });
  ASSERT_TRUE(judged->Start().ok());
  time_.AdvanceBy(Duration::Milliseconds(1));

  // 40 is 1 below fair: accepted, and the trade goes through.
  ASSERT_TRUE(
      seller->PostOffer(Message::Offer("S1", Side::kSell, Quantity(10), "IBM", P(40), 45)).ok());
  // 42 is within 2 of fair: countered with a bid of its own at 40 for 7.
  ASSERT_TRUE(
      seller->PostOffer(Message::Offer("S2", Side::kSell, Quantity(10), "IBM", P(42), 45)).ok());
  // 44 is too far: declined.
  ASSERT_TRUE(
      seller->PostOffer(Message::Offer("S3", Side::kSell, Quantity(10), "IBM", P(44), 45)).ok());
  // Another offer near fair while its counter on IBM is open: no second counter on that side.
  ASSERT_TRUE(
      seller->PostOffer(Message::Offer("S4", Side::kSell, Quantity(10), "IBM", P(42), 45)).ok());
  time_.AdvanceBy(Duration::Seconds(3));

  EXPECT_EQ(judged->stats().accepts_sent, 1);
  EXPECT_EQ(judged->stats().counters_sent, 1);
  EXPECT_EQ(judged->stats().declines, 2);
  ASSERT_EQ(service_.trades().size(), 1u);
  EXPECT_EQ(service_.trades()[0].offer_id, "S1");
  EXPECT_EQ(service_.trades()[0].buyer, AccountId("JUDGE"));
  const std::map<std::string, HeardOffer>& heard = seller->client().offers();
  auto counter = heard.find("JUDGE-C1");
  ASSERT_NE(counter, heard.end());
  EXPECT_EQ(counter->second.offer.side, Side::kBuy);
  EXPECT_EQ(counter->second.offer.price, P(40));
  EXPECT_EQ(counter->second.offer.quantity, Quantity(7));
  // The hook saw the offers come in and the ACCEPT and the counter go out.
  EXPECT_NE(std::find(seen.begin(), seen.end(),
                      std::make_pair(MessageDirection::kSent, MessageType::kAccept)),
            seen.end());
  EXPECT_NE(std::find(seen.begin(), seen.end(),
                      std::make_pair(MessageDirection::kSent, MessageType::kOffer)),
            seen.end());
  EXPECT_NE(std::find(seen.begin(), seen.end(),
                      std::make_pair(MessageDirection::kReceived, MessageType::kTradeConfirmed)),
            seen.end());
}

TEST_F(SimulatedParticipantTest, JudgedParticipantSkipsOffersWithdrawnWhileItThinks) {
  auto seller =
      Make("SELLER", Interest{"IBM", std::nullopt, P(99), Quantity(1)}, Duration::Seconds(9), 1);
  SimulatedParticipantConfig config;
  config.account = AccountId("JUDGE");
  config.min_think_time = Duration::Seconds(1);
  config.max_think_time = Duration::Seconds(1);
  auto judged = std::make_unique<SimulatedParticipant>(time_, service_, config);
  int judged_offers = 0;
  judged->SetOfferJudge([&](const Message& offer) {
    ++judged_offers;
    return JudgeAt41(offer);
  });
  ASSERT_TRUE(judged->Start().ok());
  time_.AdvanceBy(Duration::Milliseconds(1));
  ASSERT_TRUE(
      seller->PostOffer(Message::Offer("S1", Side::kSell, Quantity(10), "IBM", P(40), 45)).ok());
  time_.AdvanceBy(Duration::Milliseconds(200));
  ASSERT_TRUE(seller->Withdraw("S1").ok());
  time_.AdvanceBy(Duration::Seconds(2));
  EXPECT_EQ(judged_offers, 0);
  EXPECT_EQ(judged->stats().offers_gone, 1);
  EXPECT_EQ(judged->stats().accepts_sent, 0);
  EXPECT_TRUE(service_.trades().empty());
}

TEST_F(SimulatedParticipantTest, InvalidConfigIsRefused) {
  SimulatedParticipantConfig config;
  config.account = AccountId("X");
  config.min_think_time = Duration::Seconds(2);
  config.max_think_time = Duration::Seconds(1);
  SimulatedParticipant participant(time_, service_, config);
  EXPECT_EQ(participant.Start().code(), absl::StatusCode::kInvalidArgument);
  config.max_think_time = Duration::Seconds(3);
  config.interests.push_back(Interest{"IBM", P(1), std::nullopt, Quantity(0)});
  SimulatedParticipant no_size(time_, service_, config);
  EXPECT_EQ(no_size.Start().code(), absl::StatusCode::kInvalidArgument);
  config.interests.clear();
  config.counter_timeout_seconds = 0;
  SimulatedParticipant no_timeout(time_, service_, config);
  EXPECT_NE(no_timeout.Start().message().find("counter timeout 0"), std::string_view::npos);
  config.counter_timeout_seconds = 10;
  config.counter_id_prefix = "HAS SPACE";
  SimulatedParticipant bad_prefix(time_, service_, config);
  EXPECT_NE(bad_prefix.Start().message().find("counter id prefix 'HAS SPACE'"),
            std::string_view::npos);
}

}  // namespace
}  // namespace combo::venues::negotiation

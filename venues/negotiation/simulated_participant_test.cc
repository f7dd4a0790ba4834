#include "venues/negotiation/simulated_participant.h"

#include <memory>

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
}

}  // namespace
}  // namespace combo::venues::negotiation

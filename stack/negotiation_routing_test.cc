// The negotiation venue (seed 000) in routing, on the real stack and simulated time: the router
// takes the offers pricing counts by ACCEPT (docs/ROUTER.md "The negotiation venue"), rests
// there only the combos the venue lists (the others follow seed 003 R11), and a leg order there
// lives as long as the venue works it, never withdrawn by the leg timeout.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "core/combo_catalog.h"
#include "core/instrument_catalog.h"
#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "stack/routing_stack.h"
#include "venues/negotiation/simulated_participant.h"
#include "venues/negotiation/test_participant.h"

namespace combo::stack {
namespace {

using core::Duration;
using core::InstrumentId;
using core::Price;
using core::Quantity;
using core::Side;
using router::ComboOrderState;
using venues::negotiation::Interest;
using venues::negotiation::Message;
using venues::negotiation::NegotiationEvent;
using venues::negotiation::SimulatedParticipant;
using venues::negotiation::SimulatedParticipantConfig;

Price P(int64_t units) { return Price::FromParts(units, 0); }

constexpr InstrumentId kAaa(1);
constexpr InstrumentId kBbb(2);
constexpr InstrumentId kCcc(3);

// AAA and BBB (stocks) and the combo AAA - BBB, traded only on the negotiation venue NEGO.
class NegotiationRoutingTest : public ::testing::Test {
 protected:
  NegotiationRoutingTest()
      : spread_(*core::ComboSpec::Create({{kAaa, 1, Side::kBuy}, {kBbb, 1, Side::kSell}})),
        other_(*core::ComboSpec::Create({{kAaa, 1, Side::kBuy}, {kCcc, 1, Side::kSell}})) {
    for (auto [id, symbol] : {std::pair{1u, "AAA"}, std::pair{2u, "BBB"}, std::pair{3u, "CCC"}}) {
      core::InstrumentDefinition d;
      d.id = InstrumentId(id);
      d.symbol = symbol;
      d.underlying = symbol;
      EXPECT_TRUE(instruments_.Add(*core::Instrument::Create(d)).ok());
    }
    spread_id_ = *combos_.Intern(core::Canonicalize(spread_).spec);
    other_id_ = *combos_.Intern(core::Canonicalize(other_).spec);
  }
  void TearDown() override {
    participants_.clear();
    stack_.reset();
  }

  // The stack with NEGO as its one venue, listing AAA, BBB and CCC and trading `combos`.
  void Build(std::set<core::ComboId> combos) {
    BuildNegotiationVenue negotiation;
    negotiation.name = "NEGO";
    negotiation.venue.id = core::VenueId(6);
    negotiation.venue.name = "NEGO";
    negotiation.venue.account = core::AccountId("ROUTER");
    negotiation.venue.listed = {kAaa, kBbb, kCcc};
    negotiation.venue.combos = std::move(combos);
    StackVenue venue;
    venue.source = negotiation;
    StackConfig config;
    config.venues.push_back(venue);
    config.router.stability_wait = Duration::Zero();
    config.journal.placement = JournalPlacement::kNone;
    StackDependencies deps;
    deps.instruments = &instruments_;
    deps.combos = &combos_;
    deps.scheduler = &time_;
    deps.registry = &registry_;
    absl::StatusOr<std::unique_ptr<RoutingStack>> built = RoutingStack::Build(config, deps);
    ASSERT_TRUE(built.ok()) << built.status();
    stack_ = std::move(*built);
    time_.AdvanceBy(Duration::Milliseconds(1));
  }

  SimulatedParticipant& Participant(const std::string& account, std::vector<Interest> interests,
                                    Duration think_time) {
    SimulatedParticipantConfig config;
    config.account = core::AccountId(account);
    config.interests = std::move(interests);
    config.min_think_time = think_time;
    config.max_think_time = think_time;
    participants_.push_back(
        std::make_unique<SimulatedParticipant>(time_, *stack_->negotiation_service(), config));
    EXPECT_TRUE(participants_.back()->Start().ok());
    time_.AdvanceBy(Duration::Milliseconds(1));
    return *participants_.back();
  }

  core::OrderId Buy(const std::string& id, const core::ComboSpec& combo, int64_t units,
                    Price limit) {
    router::NewComboOrder order{core::ClientId("C"),
                                core::ClientOrderId(id),
                                core::AccountId("A"),
                                combo,
                                Side::kBuy,
                                Quantity(units),
                                router::ComboOrderType::kLimit,
                                limit,
                                router::ComboTimeInForce::kDay};
    EXPECT_TRUE(stack_->router().Submit(order).ok());
    time_.AdvanceTo(time_.Now());
    return *stack_->router().Find(core::ClientId("C"), core::ClientOrderId(id));
  }

  ComboOrderState State(core::OrderId order) const { return *stack_->router().State(order); }
  std::string History(core::OrderId order) const {
    std::vector<std::string> lines;
    const auto history = stack_->router().History(order);
    for (const router::StateTransition& t : *history) {
      lines.push_back(std::string(router::ToString(t.to)) + ": " + t.reason);
    }
    return absl::StrJoin(lines, "\n");
  }
  int64_t Count(NegotiationEvent event) const { return stack_->negotiation_venue()->count(event); }

  core::SimulatedTime time_;
  core::InstrumentCatalog instruments_;
  core::ComboCatalog combos_;
  core::ComboSpec spread_;
  core::ComboSpec other_;
  core::ComboId spread_id_;
  core::ComboId other_id_;
  prometheus::Registry registry_;
  std::unique_ptr<RoutingStack> stack_;
  std::vector<std::unique_ptr<SimulatedParticipant>> participants_;
};

TEST_F(NegotiationRoutingTest, ALegInTakesTheNegotiationOffersPricingCountsByAccept) {
  Build({});
  SimulatedParticipant& maker = Participant("MAKER", {}, Duration::Seconds(1));
  ASSERT_TRUE(
      maker.PostOffer(Message::Offer("M1", Side::kSell, Quantity(10), "AAA", P(10), 60)).ok());
  ASSERT_TRUE(
      maker.PostOffer(Message::Offer("M2", Side::kBuy, Quantity(10), "BBB", P(4), 60)).ok());
  time_.AdvanceBy(Duration::Milliseconds(1));
  // The maker's offers are NEGO's prices: implied ask of AAA - BBB = 10 - 4.
  const pricing::SmartComboTick* tick = stack_->pricing().Tick(spread_id_);
  ASSERT_NE(tick, nullptr);
  ASSERT_TRUE(tick->ask.has_value());
  EXPECT_EQ(tick->ask->price, P(6));

  // No venue lists the combo: held (R11), marketable against the implied price, legged in.
  const core::OrderId order = Buy("O1", spread_, 10, P(6));
  time_.AdvanceBy(Duration::Seconds(2));
  EXPECT_EQ(State(order), ComboOrderState::kFilled) << History(order);
  // Both legs took the maker's offers: two ACCEPTs won, two trades, no offer of the router's.
  EXPECT_EQ(Count(NegotiationEvent::kAcceptSent), 2);
  EXPECT_EQ(Count(NegotiationEvent::kAcceptWon), 2);
  EXPECT_EQ(Count(NegotiationEvent::kTradeConfirmed), 2);
  EXPECT_EQ(Count(NegotiationEvent::kOfferPosted), 0);
  EXPECT_EQ(maker.stats().trades_confirmed, 2);
  EXPECT_TRUE(stack_->router().error_account_legs().empty());
  // Taken offers are prices no more.
  EXPECT_FALSE(stack_->pricing().Tick(spread_id_)->ask.has_value());
}

TEST_F(NegotiationRoutingTest, AComboTheVenueListsRestsThereAndFillsWhenANegotiatorAccepts) {
  Build({spread_id_});
  SimulatedParticipant& dealer =
      Participant("DEALER", {Interest{"[AAA +1 / BBB -1]", std::nullopt, P(5), Quantity(50)}},
                  Duration::Seconds(1));
  // Nothing prices the spread: it rests at NEGO, the venue that lists it, as an offer.
  const core::OrderId order = Buy("O1", spread_, 10, P(5));
  EXPECT_EQ(State(order), ComboOrderState::kRestingNative) << History(order);
  EXPECT_EQ(Count(NegotiationEvent::kOfferPosted), 1);
  time_.AdvanceBy(Duration::Seconds(2));
  EXPECT_EQ(State(order), ComboOrderState::kFilled) << History(order);
  EXPECT_EQ(Count(NegotiationEvent::kOfferTaken), 1);
  EXPECT_EQ(Count(NegotiationEvent::kTradeConfirmed), 1);
  EXPECT_EQ(dealer.stats().trades_confirmed, 1);

  // A combo NEGO does not list is no native business of it: the router holds it (R11).
  const core::OrderId held = Buy("O2", other_, 10, P(5));
  EXPECT_EQ(State(held), ComboOrderState::kWorking) << History(held);
  EXPECT_EQ(Count(NegotiationEvent::kOfferPosted), 1);
}

TEST_F(NegotiationRoutingTest, ALegAtTheNegotiationVenueOutlivesTheLegTimeoutUntilItTrades) {
  Build({});
  SimulatedParticipant& maker = Participant("MAKER", {}, Duration::Seconds(1));
  // The taker sells AAA at 10 or better, after thinking 2 s: four times the 500 ms leg timeout.
  SimulatedParticipant& taker = Participant(
      "TAKER", {Interest{"AAA", std::nullopt, P(10), Quantity(50)}}, Duration::Seconds(2));
  venues::negotiation::testing::TestParticipant rival(*stack_->negotiation_service(), "RIVAL");
  rival.Login();
  ASSERT_TRUE(
      maker.PostOffer(Message::Offer("M1", Side::kSell, Quantity(10), "AAA", P(10), 60)).ok());
  ASSERT_TRUE(
      maker.PostOffer(Message::Offer("M2", Side::kBuy, Quantity(10), "BBB", P(4), 60)).ok());
  time_.AdvanceBy(Duration::Milliseconds(1));
  // The rival takes the AAA offer first; nobody else hears of it (seed 000 N2).
  rival.Send(Message::Accept("M1", Side::kBuy, Quantity(10), "AAA", P(10)));
  time_.AdvanceBy(Duration::Milliseconds(1));

  const core::OrderId order = Buy("O1", spread_, 10, P(6));
  time_.AdvanceBy(Duration::Seconds(1));
  // The AAA leg's ACCEPT came too late, so its IOC order rests as a 5 s offer at 10...
  EXPECT_EQ(Count(NegotiationEvent::kAcceptLost), 1);
  EXPECT_EQ(Count(NegotiationEvent::kOfferPosted), 1);
  EXPECT_EQ(State(order), ComboOrderState::kLeggingIn) << History(order);
  // ...which the leg timeout does not withdraw: the taker takes it 2 s later.
  time_.AdvanceBy(Duration::Seconds(3));
  EXPECT_EQ(State(order), ComboOrderState::kFilled) << History(order);
  EXPECT_EQ(Count(NegotiationEvent::kWithdrawalSent), 0);
  EXPECT_EQ(Count(NegotiationEvent::kOfferTaken), 1);
  EXPECT_EQ(taker.stats().trades_confirmed, 1);
  EXPECT_EQ(stack_->negotiation_service()->withdrawal_stats(core::AccountId("ROUTER")).withdrawals,
            0);
}

}  // namespace
}  // namespace combo::stack

#include "stack/routing_stack.h"

#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "accounts/journal.h"
#include "core/absl_compat.h"
#include "core/combo_catalog.h"
#include "core/instrument_catalog.h"
#include "core/random.h"
#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"

namespace combo::stack {
namespace {

using core::InstrumentId;
using core::Price;
using core::PriceLevel;
using core::Quantity;
using core::VenueId;

Price Cents(int64_t cents) { return Price::FromParts(cents / 100, (cents % 100) * 10'000'000); }

// A venue that records what it is asked and answers only when told.
class RecordingVenue final : public venues::Venue {
 public:
  RecordingVenue(VenueId id, bool trades_natively) : id_(id), native_(trades_natively) {}
  VenueId id() const override { return id_; }
  std::string_view name() const override { return name_; }
  bool Lists(InstrumentId) const override { return true; }
  bool TradesNatively(core::ComboId) const override { return native_; }
  absl::Status Connect(core::ParticipantId participant, venues::VenueListener* listener) override {
    listeners[participant] = listener;
    return absl::OkStatus();
  }
  absl::Status Subscribe(venues::MarketDataListener*) override {
    ++subscribers;
    return absl::OkStatus();
  }
  absl::Status Unsubscribe(venues::MarketDataListener*) override {
    --subscribers;
    return absl::OkStatus();
  }
  absl::Status Submit(const venues::OrderRequest& request) override {
    orders.push_back(request);
    return absl::OkStatus();
  }
  absl::Status SubmitComplex(const venues::ComplexOrderRequest& request) override {
    complex_orders.push_back(request);
    return absl::OkStatus();
  }
  absl::Status Cancel(const venues::CancelRequest& request) override {
    cancels.push_back(request);
    return absl::OkStatus();
  }
  absl::Status Replace(const venues::ReplaceRequest&) override { return absl::OkStatus(); }
  absl::StatusOr<core::TopOfBook> TopOfBook(InstrumentId) const override {
    return core::TopOfBook{};
  }
  absl::StatusOr<core::Depth> BookDepth(InstrumentId, int) const override { return core::Depth{}; }

  // The last cancel request is done.
  void ConfirmLastCancel() {
    const venues::CancelRequest& cancel = cancels.back();
    venues::OrderCancelled event;
    event.venue = id_;
    event.participant = cancel.participant;
    event.order_id = cancel.order_id;
    event.cancelled_quantity = complex_orders.back().quantity;
    listeners.at(cancel.participant)->OnCancelled(event);
  }

  std::map<core::ParticipantId, venues::VenueListener*> listeners;
  int subscribers = 0;
  std::vector<venues::OrderRequest> orders;
  std::vector<venues::ComplexOrderRequest> complex_orders;
  std::vector<venues::CancelRequest> cancels;

 private:
  VenueId id_;
  std::string name_ = "REC" + std::to_string(id_.value());
  bool native_;
};

class Observer final : public StackObserver {
 public:
  void OnOrderDenied(const risk::OrderDenied& event) override {
    denials.push_back(event.decision.Describe());
  }
  void OnTradingStateChanged(const risk::TradingStateChange& event) override {
    states.push_back(event.to);
  }
  void OnVenueAvailability(core::VenueId venue, std::string_view name,
                           VenueAvailability availability) override {
    availability_changes.push_back(std::string(name) + " " + std::to_string(venue.value()) + " " +
                                   std::string(ToString(availability)));
  }
  std::vector<std::string> denials;
  std::vector<risk::TradingState> states;
  std::vector<std::string> availability_changes;
};

// AAA - BBB on recording venues: LEGS (id 1, routable, no complex book) and, when asked, CBOE
// (id 2, routable, trades the combo natively) and QUIET (id 3, not routable).
class StackTest : public ::testing::Test {
 protected:
  StackTest() {
    for (auto [id, symbol] : {std::pair{1u, "AAA"}, std::pair{2u, "BBB"}}) {
      core::InstrumentDefinition d;
      d.id = InstrumentId(id);
      d.symbol = symbol;
      d.underlying = symbol;
      EXPECT_TRUE(instruments_.Add(*core::Instrument::Create(d)).ok());
    }
    spec_ = *core::ComboSpec::Create(
        {{InstrumentId(1), 1, core::Side::kBuy}, {InstrumentId(2), 1, core::Side::kSell}});
    EXPECT_TRUE(combos_.Intern(core::Canonicalize(*spec_).spec).ok());
  }

  // The stack on venues the test owns, each routable or not; no journal, no stability wait.
  void Build(std::vector<std::pair<venues::Venue*, bool>> venues) {
    StackConfig config;
    for (auto [venue, routable] : venues) {
      StackVenue entry;
      entry.source = UseVenue{venue};
      entry.routable = routable;
      config.venues.push_back(entry);
    }
    config.router.stability_wait = core::Duration::Zero();
    BuildWith(std::move(config));
  }
  void BuildWith(StackConfig config) {
    config.journal.placement = journal_;
    StackDependencies deps;
    deps.instruments = &instruments_;
    deps.combos = &combos_;
    deps.scheduler = &time_;
    deps.registry = &registry_;
    deps.observer = &observer_;
    absl::StatusOr<std::unique_ptr<RoutingStack>> built = RoutingStack::Build(config, deps);
    ASSERT_TRUE(built.ok()) << built.status();
    stack_ = std::move(*built);
  }

  void Quote(InstrumentId instrument, int64_t bid_cents, int64_t ask_cents) {
    core::LegBookUpdate u;
    u.venue = legs_.id();
    u.instrument = instrument;
    u.sequence = ++sequence_;
    u.top.bid = PriceLevel{Cents(bid_cents), Quantity(50)};
    u.top.ask = PriceLevel{Cents(ask_cents), Quantity(50)};
    u.price = Cents(ask_cents);
    u.quantity = Quantity(50);
    u.side = core::Side::kSell;
    ASSERT_TRUE(stack_->pricing().OnLegBookUpdate(u).ok());
    stack_->router().ProcessPendingTicks();
    Settle();
  }
  void Settle() { time_.AdvanceTo(time_.Now()); }

  // A journal path in a fresh directory of its own, removed when the test ends (after the stack
  // that holds the journal open).
  std::string FreshJournalPath(const std::string& name) {
    const std::string dir = ::testing::TempDir() + "/" + name + "_" + std::to_string(getpid());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    journal_dirs_.push_back(dir);
    return dir + "/journal.db";
  }
  void TearDown() override {
    stack_.reset();
    for (const std::string& dir : journal_dirs_) std::filesystem::remove_all(dir);
  }

  // A journal at `path` holding `events` (sequence numbers from 1), as a daemon left it.
  static void WriteJournal(const std::string& path,
                           const std::vector<accounts::JournalEvent>& events) {
    auto journal = accounts::Journal::Open(path);
    ASSERT_TRUE(journal.ok()) << journal.status();
    std::vector<accounts::StoredEvent> stored;
    for (const accounts::JournalEvent& event : events) stored.push_back({stored.size() + 1, event});
    ASSERT_TRUE((*journal)->Append(stored).ok());
  }

  void BuyCombo(int64_t limit_cents) { SubmitCombo(core::Side::kBuy, limit_cents); }
  void SellCombo(int64_t limit_cents) { SubmitCombo(core::Side::kSell, limit_cents); }
  void SubmitCombo(core::Side side, int64_t limit_cents) {
    router::NewComboOrder order{core::ClientId("C"),
                                core::ClientOrderId("O" + std::to_string(++orders_)),
                                core::AccountId("A"),
                                *spec_,
                                side,
                                Quantity(1),
                                router::ComboOrderType::kLimit,
                                Cents(limit_cents),
                                router::ComboTimeInForce::kDay};
    ASSERT_TRUE(stack_->router().Submit(order).ok());
    Settle();
  }

  core::SimulatedTime time_;
  core::InstrumentCatalog instruments_;
  core::ComboCatalog combos_;
  std::optional<core::ComboSpec> spec_;
  prometheus::Registry registry_;
  Observer observer_;
  RecordingVenue legs_{VenueId(1), false};
  RecordingVenue cboe_{VenueId(2), true};
  RecordingVenue quiet_{VenueId(3), false};
  std::unique_ptr<RoutingStack> stack_;
  std::vector<std::string> journal_dirs_;
  JournalPlacement journal_ = JournalPlacement::kNone;
  uint64_t sequence_ = 0;
  int orders_ = 0;
};

TEST_F(StackTest, EveryVenueFeedsPricingAndOnlyRoutableOnesArePricedAndRouted) {
  Build({{&legs_, true}, {&quiet_, false}, {&cboe_, true}});
  EXPECT_EQ(legs_.subscribers, 1);
  EXPECT_EQ(quiet_.subscribers, 1);
  EXPECT_EQ(cboe_.subscribers, 1);
  const std::vector<VenueId> all = {VenueId(1), VenueId(3), VenueId(2)};
  const std::vector<VenueId> routable = {VenueId(1), VenueId(2)};
  EXPECT_EQ(stack_->wiring().fed_venues, all);
  EXPECT_EQ(stack_->wiring().routable_venues, routable);
  EXPECT_EQ(stack_->pricing().legs().venues(), routable);
  ASSERT_EQ(stack_->leg_venues().size(), 2u);
  EXPECT_EQ(stack_->leg_venues()[0].venue, &legs_);
  EXPECT_EQ(stack_->leg_venues()[1].venue, &cboe_);
  // The router and the engine hold sessions only where they may route.
  EXPECT_EQ(legs_.listeners.size(), 2u);
  EXPECT_TRUE(quiet_.listeners.empty());
  stack_.reset();
  EXPECT_EQ(legs_.subscribers, 0);
  EXPECT_EQ(quiet_.subscribers, 0);
}

TEST_F(StackTest, NativeOrdersGoOutAsTheRouterNumberedFromItsFirstOrderId) {
  Build({{&legs_, true}, {&cboe_, true}});
  Quote(InstrumentId(1), 10000, 10005);
  Quote(InstrumentId(2), 1555, 1560);
  // Implied 84.40 / 84.50: a buy at 84.45 rests at the native venue.
  BuyCombo(8445);
  ASSERT_EQ(cboe_.complex_orders.size(), 1u);
  EXPECT_EQ(cboe_.complex_orders[0].participant, core::ParticipantId(1));
  // The client order is the router's first id; its venue order comes from the same range.
  EXPECT_EQ(stack_->router().Find(core::ClientId("C"), core::ClientOrderId("O1")),
            core::OrderId(1));
  EXPECT_EQ(cboe_.complex_orders[0].order_id, core::OrderId(2));
  EXPECT_EQ(stack_->wiring().first_order_id, 1u);
}

// Counts the combo quotes the router publishes: one per tick pass over the combo.
class QuoteCounter final : public router::ComboQuoteListener {
 public:
  void OnComboQuote(const router::ComboQuote&) override { ++quotes; }
  int quotes = 0;
};

// docs/ROUTER.md "Which orders a tick re-decides".
TEST_F(StackTest, ATickOnlyOnTheSideARestingOrderDoesNotTradeAgainstDoesNotDecideItAgain) {
  Build({{&legs_, true}, {&cboe_, true}});
  Quote(InstrumentId(1), 10000, 10005);
  Quote(InstrumentId(2), 1555, 1560);
  // Implied 84.40 / 84.50: a buy at 84.45 rests at the native venue, not marketable.
  BuyCombo(8445);
  ASSERT_EQ(cboe_.complex_orders.size(), 1u);
  router::ComboRouter& router = stack_->router();
  QuoteCounter counter;
  const core::ComboId combo = *combos_.Lookup(core::Canonicalize(*spec_).spec);
  ASSERT_TRUE(router.SubscribeQuotes(combo, &counter).ok());
  const uint64_t decided = router.decisions_run();
  const size_t transitions = router.History(core::OrderId(1))->size();
  // The bid moves (84.30 ... 84.39) and the ask stays 84.50: ten tick passes, no decision.
  for (int64_t bid = 9990; bid < 10000; ++bid) Quote(InstrumentId(1), bid, 10005);
  EXPECT_EQ(counter.quotes, 10);
  EXPECT_EQ(router.decisions_run(), decided);
  // The ask moves too, but stays above the limit (84.55): still no decision.
  Quote(InstrumentId(2), 1550, 1560);
  EXPECT_EQ(counter.quotes, 11);
  EXPECT_EQ(router.decisions_run(), decided);
  EXPECT_EQ(router.History(core::OrderId(1))->size(), transitions);
  EXPECT_TRUE(cboe_.cancels.empty());
  ASSERT_TRUE(router.UnsubscribeQuotes(combo, &counter).ok());
}

TEST_F(StackTest, ARestingOrderWhoseLimitTheOppositePriceNewlyReachesIsDecided) {
  Build({{&legs_, true}, {&cboe_, true}});
  Quote(InstrumentId(1), 10000, 10005);
  Quote(InstrumentId(2), 1555, 1560);
  // Implied 84.40 / 84.50: a buy at 84.45 (order 1, venue order 2) and a sell at 84.50 (order 3,
  // venue order 4) rest at the native venue.
  BuyCombo(8445);
  SellCombo(8450);
  ASSERT_EQ(cboe_.complex_orders.size(), 2u);
  router::ComboRouter& router = stack_->router();
  const size_t buy_transitions = router.History(core::OrderId(1))->size();
  // Implied 84.50 / 84.60: the bid reaches the sell's limit, the ask stays above the buy's. The
  // sell is decided: the implied bid is best and fillable, its native rest is pulled.
  Quote(InstrumentId(1), 10010, 10015);
  ASSERT_EQ(cboe_.cancels.size(), 1u);
  EXPECT_EQ(cboe_.cancels[0].order_id, core::OrderId(4));
  EXPECT_EQ(router.History(core::OrderId(1))->size(), buy_transitions);
  // Implied 84.35 / 84.45: the ask equals the buy's limit (fillable): the buy is decided and
  // pulled too.
  Quote(InstrumentId(1), 9995, 10000);
  ASSERT_EQ(cboe_.cancels.size(), 2u);
  EXPECT_EQ(cboe_.cancels[1].order_id, core::OrderId(2));
  EXPECT_EQ(router.State(core::OrderId(1)).value(), router::ComboOrderState::kWorking);
}

TEST_F(StackTest, EveryOrderATickPassSkipsWouldHaveDecidedNothing) {
  Build({{&legs_, true}, {&cboe_, true}});
  router::ComboRouter& router = stack_->router();
  router.VerifySkippedDecisions();
  Quote(InstrumentId(1), 10000, 10005);
  Quote(InstrumentId(2), 1555, 1560);
  core::Rng rng(24);
  size_t confirmed = 0;
  bool halted = false;
  const risk::OperatorCommand command{risk::CommandSource::kSignal, "test", "test"};
  for (int step = 0; step < 4000; ++step) {
    const int64_t what = rng.UniformInt(0, 99);
    if (what < 55) {
      // Leg quotes wander around AAA 100.00 / BBB 15.55 (implied about 84.45).
      const bool aaa = rng.Bernoulli(0.5);
      const int64_t bid = (aaa ? 10000 : 1555) + rng.UniformInt(-12, 12);
      Quote(InstrumentId(aaa ? 1 : 2), bid, bid + rng.UniformInt(1, 8));
    } else if (what < 85) {
      SubmitCombo(rng.Bernoulli(0.5) ? core::Side::kBuy : core::Side::kSell,
                  8445 + rng.UniformInt(-15, 15));
    } else if (what < 95) {
      if (confirmed < cboe_.cancels.size()) {
        cboe_.ConfirmLastCancel();
        confirmed = cboe_.cancels.size();
        Settle();
      }
    } else if (what < 98) {
      const std::string original = "O" + std::to_string(rng.UniformInt(1, orders_));
      (void)router.Cancel(router::CancelComboOrder{core::ClientId("C"),
                                                   core::ClientOrderId("X" + std::to_string(step)),
                                                   core::ClientOrderId(original)});
      Settle();
    } else {
      halted = !halted;
      ASSERT_TRUE(
          stack_->risk()
              .SetTradingState(halted ? risk::TradingState::kHalted : risk::TradingState::kActive,
                               command)
              .ok());
      Settle();
    }
  }
  EXPECT_EQ(router.skipped_decisions_that_act(), 0u);
  EXPECT_GT(router.skipped_decisions_checked(), 1'000u);
}

TEST_F(StackTest, LegOrdersGoOutAsTheNextParticipantFarAboveTheRoutersOrderIds) {
  Build({{&legs_, true}});
  Quote(InstrumentId(1), 10000, 10005);
  Quote(InstrumentId(2), 1555, 1560);
  // Implied ask 84.50 meets a buy at 84.50: the engine legs in at once.
  BuyCombo(8450);
  ASSERT_FALSE(legs_.orders.empty());
  EXPECT_EQ(legs_.orders[0].participant, core::ParticipantId(2));
  EXPECT_EQ(legs_.orders[0].order_id, core::OrderId(1 + kLegOrderIdOffset));
  EXPECT_EQ(stack_->wiring().leg_in_participant, core::ParticipantId(2));
  EXPECT_EQ(stack_->wiring().first_leg_order_id, 1 + kLegOrderIdOffset);
  EXPECT_EQ(stack_->leg_ins().working(), 1u);
}

TEST_F(StackTest, TradingResumedDecidesHeldOrdersAgain) {
  Build({{&legs_, true}, {&cboe_, true}});
  Quote(InstrumentId(1), 10000, 10005);
  Quote(InstrumentId(2), 1555, 1560);
  BuyCombo(8445);
  ASSERT_EQ(cboe_.complex_orders.size(), 1u);
  const risk::OperatorCommand command{risk::CommandSource::kSignal, "test", "test"};
  ASSERT_TRUE(stack_->risk().SetTradingState(risk::TradingState::kHalted, command).ok());
  ASSERT_EQ(cboe_.cancels.size(), 1u);
  cboe_.ConfirmLastCancel();
  Settle();
  ASSERT_TRUE(stack_->risk().SetTradingState(risk::TradingState::kActive, command).ok());
  Settle();
  EXPECT_EQ(observer_.states, (std::vector<risk::TradingState>{risk::TradingState::kHalted,
                                                               risk::TradingState::kActive}));
  EXPECT_EQ(cboe_.complex_orders.size(), 2u);
}

TEST_F(StackTest, HeldOrdersStayHeldOnResumeOnceAskedTo) {
  Build({{&legs_, true}, {&cboe_, true}});
  Quote(InstrumentId(1), 10000, 10005);
  Quote(InstrumentId(2), 1555, 1560);
  BuyCombo(8445);
  const risk::OperatorCommand command{risk::CommandSource::kSignal, "test", "test"};
  stack_->HoldOrdersOnResume();
  ASSERT_TRUE(stack_->risk().SetTradingState(risk::TradingState::kHalted, command).ok());
  cboe_.ConfirmLastCancel();
  Settle();
  ASSERT_TRUE(stack_->risk().SetTradingState(risk::TradingState::kActive, command).ok());
  Settle();
  EXPECT_EQ(cboe_.complex_orders.size(), 1u);
}

TEST_F(StackTest, AVenueDownIsUnavailableToRiskAndZeroOnItsGaugeUntilItIsUpAgain) {
  Build({{&legs_, true}});
  EXPECT_EQ(stack_->metrics().venue_up(VenueId(1)), 1);
  stack_->SetVenueAvailability(VenueId(1), VenueAvailability::kDown);
  EXPECT_EQ(stack_->metrics().venue_up(VenueId(1)), 0);
  EXPECT_EQ(observer_.availability_changes, std::vector<std::string>{"REC1 1 down"});
  // With its only venue unavailable, risk refuses the order.
  BuyCombo(8445);
  EXPECT_EQ(observer_.denials.size(), 1u);
  stack_->SetVenueAvailability(VenueId(1), VenueAvailability::kUp);
  EXPECT_EQ(stack_->metrics().venue_up(VenueId(1)), 1);
  BuyCombo(8445);
  EXPECT_EQ(observer_.denials.size(), 1u);
  // A venue the stack does not hold changes nothing.
  stack_->SetVenueAvailability(VenueId(9), VenueAvailability::kDown);
  EXPECT_EQ(observer_.availability_changes.size(), 2u);
}

TEST_F(StackTest, TheEngineKnowsAnEmbeddedExchangesOwnTickAndModelLatency) {
  StackConfig config;
  venues::SimulatedVenueConfig venue;
  venue.id = VenueId(5);
  venue.name = "SIM";
  venue.instruments = {{InstrumentId(1), Cents(1)}, {InstrumentId(2), Cents(5)}};
  venue.latency.inbound.new_order.fixed = core::Duration::Microseconds(300);
  venue.latency.outbound.ack.fixed = core::Duration::Microseconds(200);
  StackVenue entry;
  entry.source = BuildSimulatedVenue{venue};
  config.venues.push_back(entry);
  BuildWith(std::move(config));
  ASSERT_EQ(stack_->leg_venues().size(), 1u);
  const router::LegVenue& seen = stack_->leg_venues()[0];
  EXPECT_EQ(seen.venue, stack_->built_simulated_venues().at(0));
  EXPECT_EQ(seen.tick_rules.at(InstrumentId(1)), core::TickRule(Cents(1)));
  EXPECT_EQ(seen.tick_rules.at(InstrumentId(2)), core::TickRule(Cents(5)));
  // No expected latency given: the model's new-order-in plus ack-out.
  EXPECT_EQ(seen.expected_latency, core::Duration::Microseconds(500));
}

TEST_F(StackTest, AnExchangeWideHaltIsTheVenuesOwnEventAndTheStackReactsToIt) {
  StackConfig config;
  venues::SimulatedVenueConfig venue;
  venue.id = VenueId(5);
  venue.name = "SIM";
  venue.instruments = {{InstrumentId(1), Cents(1)}, {InstrumentId(2), Cents(1)}};
  venue.latency.outbound.market_data.fixed = core::Duration::Microseconds(100);
  StackVenue entry;
  entry.source = BuildSimulatedVenue{venue};
  config.venues.push_back(entry);
  BuildWith(std::move(config));
  venues::SimulatedVenue* built = stack_->built_simulated_venues().at(0);
  ASSERT_TRUE(built->SetTradingStatus(venues::VenueTradingStatus::kHalted).ok());
  // The venue publishes its halt after its market-data latency; the stack hears it from there.
  EXPECT_EQ(stack_->metrics().venue_up(VenueId(5)), 1);
  time_.AdvanceTo(time_.Now() + core::Duration::Microseconds(100));
  EXPECT_EQ(stack_->metrics().venue_up(VenueId(5)), 0);
  EXPECT_EQ(observer_.availability_changes, std::vector<std::string>{"SIM 5 down"});
  ASSERT_TRUE(built->SetTradingStatus(venues::VenueTradingStatus::kOpen).ok());
  time_.AdvanceTo(time_.Now() + core::Duration::Microseconds(100));
  EXPECT_EQ(stack_->metrics().venue_up(VenueId(5)), 1);
}

// What the router tells its client, in order.
class ReportLog final : public router::OrderEntryListener {
 public:
  void OnAccepted(const router::ComboOrderAccepted& e) override {
    Add("accepted ", e.order.client_order_id.value());
  }
  void OnRejected(const router::ComboOrderRejected& e) override {
    Add("rejected ", e.client_order_id.value());
    rejected.push_back(e);
  }
  void OnExecution(const router::ComboExecution&) override { Add("execution", ""); }
  void OnCancelled(const router::ComboOrderCancelled& e) override {
    Add("cancelled", "");
    cancelled.push_back(e);
    cancel_texts.push_back(e.order.client_order_id.value() + ": " + e.text);
    last_cancelled = e.order;
  }
  void OnReplaced(const router::ComboOrderReplaced&) override { Add("replaced", ""); }
  void OnCancelRejected(const router::CancelRejected& e) override {
    Add("cancel rejected ", e.client_order_id.value());
  }
  void OnStatus(const router::ComboOrderStatusReport& e) override {
    Add("status ", e.order.client_order_id.value());
    last_status = e.order;
  }
  void OnPending(const router::ComboOrderPending& e) override {
    Add("pending ", e.order.client_order_id.value());
  }
  void OnRestated(const router::ComboOrderRestated& e) override {
    Add("restated ", e.order.client_order_id.value());
    restated.push_back(e);
  }
  void Add(std::string_view what, std::string_view id) {
    reports.push_back(std::string(what) + std::string(id));
  }
  std::vector<std::string> reports;
  std::vector<std::string> cancel_texts;
  std::optional<router::OrderSnapshot> last_status;
  std::vector<router::ComboOrderCancelled> cancelled;
  std::vector<router::ComboOrderRejected> rejected;
  std::optional<router::OrderSnapshot> last_cancelled;
  std::vector<router::ComboOrderRestated> restated;
};

// Seed 004 spec 6.2 item 1: a venue's AOP restates the router's native order (a bid of 84.45
// protected down to 84.40, then moved back to 84.45). The router takes the venue's price as its
// view of the order, never as a replace of its own, and tells the client each time in its terms;
// the limit, quantities and state stay as they were. A restatement of an order the router does
// not know is ignored.
TEST_F(StackTest, AopRestatementOfANativeOrderUpdatesItsWorkingPriceAndTellsTheClient) {
  Build({{&legs_, true}, {&cboe_, true}});
  ReportLog log;
  stack_->router().SetListener(&log);
  Quote(InstrumentId(1), 10000, 10005);
  Quote(InstrumentId(2), 1555, 1560);
  BuyCombo(8445);
  ASSERT_EQ(cboe_.complex_orders.size(), 1u);
  const venues::ComplexOrderRequest& sent = cboe_.complex_orders[0];
  const auto restate = [&](core::OrderId order, venues::RestatementReason reason, int64_t cents) {
    venues::OrderRestated event;
    event.venue = cboe_.id();
    event.participant = sent.participant;
    event.order_id = order;
    event.reason = reason;
    event.limit_price = Cents(cents);
    event.leaves_quantity = Quantity(1);
    event.time = time_.Now();
    cboe_.listeners.at(sent.participant)->OnRestated(event);
    Settle();
  };
  restate(sent.order_id, venues::RestatementReason::kAopTopOfBook, 8440);
  ASSERT_EQ(log.restated.size(), 1u);
  EXPECT_EQ(log.restated[0].working_price, Cents(8440));
  EXPECT_EQ(log.restated[0].order.limit_price, Cents(8445));
  EXPECT_EQ(log.restated[0].order.leaves_quantity, Quantity(1));
  EXPECT_EQ(log.restated[0].order.status, router::ClientOrderStatus::kNew);
  EXPECT_EQ(log.restated[0].text, "venue 2 AOP aop_top_of_book: working at 84.4 (limit 84.45)");
  const core::OrderId id = *stack_->router().Find(core::ClientId("C"), core::ClientOrderId("O1"));
  EXPECT_EQ(*stack_->router().State(id), router::ComboOrderState::kRestingNative);
  restate(sent.order_id, venues::RestatementReason::kAopUnprotect, 8445);
  ASSERT_EQ(log.restated.size(), 2u);
  EXPECT_EQ(log.restated[1].working_price, Cents(8445));
  restate(core::OrderId(999), venues::RestatementReason::kAopTopOfBook, 8440);
  EXPECT_EQ(log.restated.size(), 2u);
  // Never a replace of its own: nothing was sent to the venue.
  EXPECT_EQ(cboe_.complex_orders.size(), 1u);
  EXPECT_TRUE(cboe_.cancels.empty());
}

// The messages of one socket read are one burst (router::OrderEntry::BeginBurst): their events
// are journaled in one commit when it ends, and only then do the reports leave, in the order of
// the requests, a reject or a status behind the acknowledgement it follows.
TEST_F(StackTest, ABurstsReportsLeaveAfterItsOneCommitInTheOrderOfItsRequests) {
  journal_ = JournalPlacement::kTemporaryDirectory;
  Build({{&legs_, true}, {&cboe_, true}});
  ReportLog log;
  stack_->router().SetListener(&log);
  router::OrderEntry& entry = stack_->router();
  entry.BeginBurst();
  BuyCombo(100);  // O1
  router::NewComboOrder again{core::ClientId("C"),
                              core::ClientOrderId("O1"),
                              core::AccountId("A"),
                              *spec_,
                              core::Side::kBuy,
                              Quantity(1),
                              router::ComboOrderType::kLimit,
                              Cents(100),
                              router::ComboTimeInForce::kDay};
  ASSERT_TRUE(entry.Submit(again).ok());  // a duplicate ClOrdID: refused
  ASSERT_TRUE(entry.RequestStatus({core::ClientId("C"), core::ClientOrderId("O1")}).ok());
  BuyCombo(101);  // O2
  EXPECT_TRUE(log.reports.empty());
  EXPECT_EQ(stack_->accounts()->pending(), 2u);
  EXPECT_TRUE(stack_->accounts()->journal().ReadAll()->empty());
  entry.EndBurst();
  EXPECT_EQ(log.reports,
            (std::vector<std::string>{"accepted O1", "rejected O1", "status O1", "accepted O2"}));
  EXPECT_EQ(stack_->accounts()->journal().ReadAll()->size(), 2u);
  // Outside a burst every report leaves at once.
  ASSERT_TRUE(entry.RequestStatus({core::ClientId("C"), core::ClientOrderId("O2")}).ok());
  EXPECT_EQ(log.reports.back(), "status O2");
  // A cancel is told pending at once; its outcome follows.
  log.reports.clear();
  ASSERT_TRUE(
      entry.Cancel({core::ClientId("C"), core::ClientOrderId("X2"), core::ClientOrderId("O2")})
          .ok());
  Settle();
  ASSERT_FALSE(log.reports.empty());
  EXPECT_EQ(log.reports.front(), "pending X2");
}

// A stack built on a journal resumes what it holds open (docs/OPERATIONS.md "What survives a
// restart"): an open order with its ClOrdID chain, replaced terms, fills and per-leg totals,
// resting again; the leg execution of a leg-in the restart cut short goes to the error account;
// a defined combo keeps its id; a cancelled order stays finished (and answers); ids continue.
TEST_F(StackTest, AStackBuiltOnAJournalResumesItsOpenOrdersAndDefinedCombos) {
  const std::string path = FreshJournalPath("stack_restore");
  const auto leg = [](uint32_t id, const char* symbol, core::Side side, int64_t ratio) {
    return accounts::LegTerms{InstrumentId(id), symbol, core::AssetClass::kStock, 1, ratio, side};
  };
  const std::vector<accounts::LegTerms> legs = {leg(1, "AAA", core::Side::kBuy, 1),
                                                leg(2, "BBB", core::Side::kSell, 1)};
  const core::Timestamp t0 = time_.Now();
  auto accepted = [&](uint64_t order, const char* client_order) {
    return accounts::OrderAccepted{core::OrderId(order),
                                   core::AccountId("A"),
                                   core::ClientOrderId(client_order),
                                   core::Side::kBuy,
                                   Quantity(5),
                                   Cents(8445),
                                   legs,
                                   t0,
                                   "C",
                                   accounts::JournaledOrderType::kLimit,
                                   accounts::JournaledTimeInForce::kGoodTillCancel,
                                   std::nullopt};
  };
  const std::vector<accounts::JournalEvent> events = {
      accepted(7, "O7"),
      accounts::LegFill{core::OrderId(7), VenueId(1), "x1", InstrumentId(1), core::Side::kBuy,
                        Quantity(2), Cents(10000), t0},
      accounts::LegFill{core::OrderId(7), VenueId(1), "x2", InstrumentId(2), core::Side::kSell,
                        Quantity(2), Cents(1555), t0},
      accounts::ComboFillReported{core::OrderId(7),
                                  Quantity(2),
                                  Cents(8445),
                                  {{InstrumentId(1), Cents(10000)}, {InstrumentId(2), Cents(1555)}},
                                  {},
                                  t0},
      accounts::OrderReplaced{core::OrderId(7), core::ClientOrderId("O7R"), Quantity(6),
                              Cents(8450), t0},
      accounts::LegFill{core::OrderId(7), VenueId(1), "x3", InstrumentId(1), core::Side::kBuy,
                        Quantity(1), Cents(10001), t0},
      accounts::ComboDefined{
          core::ComboId(4),
          {leg(1, "AAA", core::Side::kBuy, 1), leg(2, "BBB", core::Side::kSell, 2)},
          t0},
      accepted(9, "O9"),
      accounts::OrderCancelled{core::OrderId(9), "cancelled by client", t0},
  };
  WriteJournal(path, events);

  journal_ = JournalPlacement::kFile;
  StackConfig config;
  for (venues::Venue* venue : std::vector<venues::Venue*>{&legs_, &cboe_}) {
    StackVenue entry;
    entry.source = UseVenue{venue};
    config.venues.push_back(entry);
  }
  config.router.stability_wait = core::Duration::Zero();
  config.journal.path = path;
  BuildWith(std::move(config));
  ASSERT_NE(stack_, nullptr);
  Settle();
  router::ComboRouter& router = stack_->router();
  ReportLog log;
  router.SetListener(&log);

  // Both ClOrdIDs of the chain name the order; the cancelled one answers as finished.
  EXPECT_EQ(router.Find(core::ClientId("C"), core::ClientOrderId("O7")), core::OrderId(7));
  EXPECT_EQ(router.Find(core::ClientId("C"), core::ClientOrderId("O7R")), core::OrderId(7));
  EXPECT_EQ(router.Find(core::ClientId("C"), core::ClientOrderId("O9")), core::OrderId(9));
  EXPECT_EQ(router.State(core::OrderId(9)).value(), router::ComboOrderState::kCancelled);
  EXPECT_EQ(router.restored_orders(), std::vector<core::OrderId>{core::OrderId(7)});
  ASSERT_TRUE(router.RequestStatus({core::ClientId("C"), core::ClientOrderId("O7R")}).ok());
  ASSERT_TRUE(log.last_status.has_value());
  const router::OrderSnapshot& status = *log.last_status;
  EXPECT_EQ(status.status, router::ClientOrderStatus::kPartiallyFilled);
  EXPECT_EQ(status.time_in_force, router::ComboTimeInForce::kGoodTillCancel);
  EXPECT_EQ(status.order_quantity, Quantity(6));
  EXPECT_EQ(status.cumulative_quantity, Quantity(2));
  EXPECT_EQ(status.leaves_quantity, Quantity(4));
  EXPECT_EQ(status.average_price, Cents(8445));
  EXPECT_EQ(status.limit_price, Cents(8450));
  ASSERT_EQ(status.legs.size(), 2u);
  EXPECT_EQ(status.legs[0].cumulative_quantity, Quantity(2));
  EXPECT_EQ(status.legs[0].AveragePrice(), Cents(10000));
  EXPECT_EQ(status.legs[1].AveragePrice(), Cents(1555));
  // Resting again, natively, for what is left.
  ASSERT_EQ(cboe_.complex_orders.size(), 1u);
  EXPECT_EQ(cboe_.complex_orders[0].quantity, Quantity(4));
  // The AAA bought by the interrupted leg-in is the error account's; nothing is left unallocated.
  const accounts::OrderRecord* record = stack_->accounts()->ledger().FindOrder(core::OrderId(7));
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->to_error_account.at(InstrumentId(1)), Quantity(1));
  EXPECT_EQ(record->unallocated.at(InstrumentId(1)), Quantity(0));
  EXPECT_TRUE(stack_->accounts()->ledger().Reconcile().ok());
  // The defined combo has its id back.
  const core::ComboSpec* defined = router.FindDefinedCombo(core::ComboId(4));
  ASSERT_NE(defined, nullptr);
  EXPECT_EQ(defined->legs()[1].ratio, 2);
  // New orders are numbered after the journal's (venue orders share the range).
  BuyCombo(100);
  const std::optional<core::OrderId> next =
      router.Find(core::ClientId("C"), core::ClientOrderId("O1"));
  ASSERT_TRUE(next.has_value());
  EXPECT_GT(next->value(), 9u);
}

// Day and good-till-date orders end on their own (docs/ROUTER.md "Trading day"): on Monday
// 2026-12-07 with a 16:00 UTC close, a good-till-date order expires at its ExpireTime, a day order
// at the close (its native order cancelled first), each reported as expired; a GTC order works on;
// a day order accepted after the close belongs to the next trading day.
TEST_F(StackTest, DayAndGoodTillDateOrdersExpireAtTheirEndAndGoodTillCancelWorksOn) {
  StackConfig config;
  for (auto* venue : {&legs_, &cboe_}) {
    StackVenue entry;
    entry.source = UseVenue{venue};
    entry.routable = true;
    config.venues.push_back(entry);
  }
  config.router.stability_wait = core::Duration::Zero();
  config.router.calendar = router::TradingCalendarConfig{};  // UTC, 16:00
  BuildWith(std::move(config));
  ReportLog log;
  stack_->router().SetListener(&log);
  const std::vector<router::ComboOrderCancelled>& ended = log.cancelled;
  const auto at = [](int hour, int minute) {
    return core::Timestamp::FromUnixNanos((1796601600LL + hour * 3600 + minute * 60) *
                                          1'000'000'000);  // 2026-12-07 00:00 UTC + h:m
  };
  time_.AdvanceTo(at(14, 0));
  Quote(InstrumentId(1), 10000, 10005);
  Quote(InstrumentId(2), 1555, 1560);
  const auto submit = [&](std::string id, router::ComboTimeInForce tif,
                          std::optional<core::Timestamp> expire_time) {
    router::NewComboOrder order{core::ClientId("C"),
                                core::ClientOrderId(id),
                                core::AccountId("A"),
                                *spec_,
                                core::Side::kBuy,
                                Quantity(1),
                                router::ComboOrderType::kLimit,
                                Cents(8445),
                                tif};
    order.expire_time = expire_time;
    ASSERT_TRUE(stack_->router().Submit(order).ok());
    Settle();
  };
  submit("DAY", router::ComboTimeInForce::kDay, std::nullopt);
  submit("GTC", router::ComboTimeInForce::kGoodTillCancel, std::nullopt);
  submit("GTD", router::ComboTimeInForce::kGoodTillDate, at(15, 0));
  ASSERT_EQ(cboe_.complex_orders.size(), 3u);
  EXPECT_EQ(cboe_.complex_orders[0].time_in_force, venues::TimeInForce::kDay);

  time_.AdvanceTo(at(15, 0));
  ASSERT_EQ(cboe_.cancels.size(), 1u);
  EXPECT_EQ(cboe_.cancels[0].order_id, cboe_.complex_orders[2].order_id);
  cboe_.ConfirmLastCancel();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].order.client_order_id, core::ClientOrderId("GTD"));
  EXPECT_EQ(ended[0].order.status, router::ClientOrderStatus::kExpired);
  EXPECT_NE(ended[0].text.find("expired: good till"), std::string::npos) << ended[0].text;

  time_.AdvanceTo(at(15, 59));
  EXPECT_EQ(cboe_.cancels.size(), 1u);
  time_.AdvanceTo(at(16, 0));
  ASSERT_EQ(cboe_.cancels.size(), 2u);
  EXPECT_EQ(cboe_.cancels[1].order_id, cboe_.complex_orders[0].order_id);
  cboe_.ConfirmLastCancel();
  ASSERT_EQ(ended.size(), 2u);
  EXPECT_EQ(ended[1].order.client_order_id, core::ClientOrderId("DAY"));
  EXPECT_EQ(ended[1].order.status, router::ClientOrderStatus::kExpired);
  EXPECT_NE(ended[1].text.find("its trading day ended at"), std::string::npos);
  EXPECT_EQ(*stack_->router().State(
                *stack_->router().Find(core::ClientId("C"), core::ClientOrderId("GTC"))),
            router::ComboOrderState::kRestingNative);

  // After the close: Tuesday's session. Nothing more ends before then.
  submit("LATE", router::ComboTimeInForce::kDay, std::nullopt);
  time_.AdvanceTo(at(24 + 15, 59));
  EXPECT_EQ(ended.size(), 2u);
  time_.AdvanceTo(at(24 + 16, 0));
  cboe_.ConfirmLastCancel();
  ASSERT_EQ(ended.size(), 3u);
  EXPECT_EQ(ended[2].order.client_order_id, core::ClientOrderId("LATE"));
}

// A good-till-date order whose end is past, or that names a date with no calendar to close it,
// is refused with the reason.
TEST_F(StackTest, AGoodTillDateOrderEndingInThePastIsRefused) {
  Build({{&legs_, true}, {&cboe_, true}});
  ReportLog log;
  stack_->router().SetListener(&log);
  time_.AdvanceTo(core::Timestamp::FromUnixNanos(1796601600LL * 1'000'000'000));
  router::NewComboOrder order{core::ClientId("C"),
                              core::ClientOrderId("P"),
                              core::AccountId("A"),
                              *spec_,
                              core::Side::kBuy,
                              Quantity(1),
                              router::ComboOrderType::kLimit,
                              Cents(8445),
                              router::ComboTimeInForce::kGoodTillDate};
  order.expire_time = time_.Now();
  ASSERT_TRUE(stack_->router().Submit(order).ok());
  order.client_order_id = core::ClientOrderId("Q");
  order.expire_time.reset();
  order.expire_date = absl::CivilDay(2026, 12, 18);
  ASSERT_TRUE(stack_->router().Submit(order).ok());
  ASSERT_EQ(log.rejected.size(), 2u);
  EXPECT_NE(log.rejected[0].text.find("is already past"), std::string::npos);
  EXPECT_NE(log.rejected[1].text.find("needs a trading calendar"), std::string::npos);
}

// An immediate order found open after a crash (docs/ROUTER.md "Immediate orders"): its one
// attempt is over, so it is cancelled at start with its reason and never resumed; a leg
// execution the crash left in no combo fill goes to the error account as for any order.
TEST_F(StackTest, AnImmediateOrderFoundOpenAfterARestartIsCancelledAtStartNeverResumed) {
  const std::string path = FreshJournalPath("stack_restore_ioc");
  const auto leg = [](uint32_t id, const char* symbol, core::Side side) {
    return accounts::LegTerms{InstrumentId(id), symbol, core::AssetClass::kStock, 1, 1, side};
  };
  const std::vector<accounts::LegTerms> legs = {leg(1, "AAA", core::Side::kBuy),
                                                leg(2, "BBB", core::Side::kSell)};
  const core::Timestamp t0 = time_.Now();
  // A market IOC (journaled with its collar's limit 84.50) that had filled 2 of 5, and a limit
  // FOK that had filled nothing.
  const std::vector<accounts::JournalEvent> events = {
      accounts::OrderAccepted{core::OrderId(7), core::AccountId("A"), core::ClientOrderId("M7"),
                              core::Side::kBuy, Quantity(5), Cents(8450), legs, t0, "C",
                              accounts::JournaledOrderType::kMarket,
                              accounts::JournaledTimeInForce::kImmediateOrCancel, std::nullopt},
      accounts::LegFill{core::OrderId(7), VenueId(1), "x1", InstrumentId(1), core::Side::kBuy,
                        Quantity(2), Cents(10000), t0},
      accounts::LegFill{core::OrderId(7), VenueId(1), "x2", InstrumentId(2), core::Side::kSell,
                        Quantity(2), Cents(1555), t0},
      accounts::ComboFillReported{core::OrderId(7),
                                  Quantity(2),
                                  Cents(8445),
                                  {{InstrumentId(1), Cents(10000)}, {InstrumentId(2), Cents(1555)}},
                                  {},
                                  t0},
      accounts::LegFill{core::OrderId(7), VenueId(1), "x3", InstrumentId(1), core::Side::kBuy,
                        Quantity(1), Cents(10000), t0},
      accounts::OrderAccepted{core::OrderId(8), core::AccountId("A"), core::ClientOrderId("F8"),
                              core::Side::kBuy, Quantity(3), Cents(8445), legs, t0, "C",
                              accounts::JournaledOrderType::kLimit,
                              accounts::JournaledTimeInForce::kFillOrKill, std::nullopt},
  };
  WriteJournal(path, events);

  journal_ = JournalPlacement::kFile;
  StackConfig config;
  for (venues::Venue* venue : std::vector<venues::Venue*>{&legs_, &cboe_}) {
    StackVenue entry;
    entry.source = UseVenue{venue};
    config.venues.push_back(entry);
  }
  config.router.stability_wait = core::Duration::Zero();
  config.journal.path = path;
  BuildWith(std::move(config));
  ASSERT_NE(stack_, nullptr);
  router::ComboRouter& router = stack_->router();
  ReportLog log;
  router.SetListener(&log);
  // A market that would fill both at once: they must still not be attempted again.
  Quote(InstrumentId(1), 9995, 10000);
  Quote(InstrumentId(2), 1555, 1560);
  Settle();

  EXPECT_EQ(router.State(core::OrderId(7)).value(), router::ComboOrderState::kCancelled);
  EXPECT_EQ(router.State(core::OrderId(8)).value(), router::ComboOrderState::kCancelled);
  ASSERT_EQ(log.cancel_texts.size(), 2u) << log.reports.size();
  EXPECT_EQ(log.cancel_texts[0],
            "M7: market order (ioc): 2 of 5 units executed; cancelled at start: an immediate "
            "order found open after a restart is never resumed");
  EXPECT_EQ(log.cancel_texts[1],
            "F8: limit order (fok): 0 of 3 units executed; cancelled at start: an immediate order "
            "found open after a restart is never resumed");
  // Nothing went to a venue for them: no native order, no leg order.
  EXPECT_TRUE(cboe_.complex_orders.empty());
  EXPECT_TRUE(legs_.orders.empty());
  // The AAA of the interrupted leg-in is the error account's.
  const accounts::OrderRecord* record = stack_->accounts()->ledger().FindOrder(core::OrderId(7));
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->state, accounts::OrderState::kCancelled);
  EXPECT_EQ(record->to_error_account.at(InstrumentId(1)), Quantity(1));
  EXPECT_TRUE(stack_->accounts()->ledger().Reconcile().ok());
}

// A native IOC whose match the venue's latency protection holds (docs/VENUES.md D7): the venue
// cancels its unheld rest first and the held part later fills; the order is done only then,
// with the held fill reported, never lost to the early cancel.
TEST_F(StackTest, ANativeIocWithAHeldPartIsDoneOnlyOnceTheVenueFinishesIt) {
  journal_ = JournalPlacement::kTemporaryDirectory;
  Build({{&legs_, true}, {&cboe_, true}});
  ReportLog log;
  stack_->router().SetListener(&log);
  Quote(InstrumentId(1), 9995, 10005);
  Quote(InstrumentId(2), 1555, 1560);
  // CBOE shows the combo's best ask, 84.45 for 10.
  const core::ComboId combo = *combos_.Lookup(core::Canonicalize(*spec_).spec);
  core::NativeComboUpdate native;
  native.venue = cboe_.id();
  native.combo = combo;
  native.sequence = 1;
  native.top.ask = PriceLevel{Cents(8445), Quantity(10)};
  ASSERT_TRUE(stack_->pricing().OnNativeComboUpdate(native).ok());
  stack_->router().ProcessPendingTicks();
  Settle();
  router::NewComboOrder order{core::ClientId("C"),
                              core::ClientOrderId("I1"),
                              core::AccountId("A"),
                              *spec_,
                              core::Side::kBuy,
                              Quantity(5),
                              router::ComboOrderType::kLimit,
                              Cents(8445),
                              router::ComboTimeInForce::kImmediateOrCancel};
  ASSERT_TRUE(stack_->router().Submit(order).ok());
  Settle();
  ASSERT_EQ(cboe_.complex_orders.size(), 1u);
  const venues::ComplexOrderRequest& sent = cboe_.complex_orders[0];
  EXPECT_EQ(sent.time_in_force, venues::TimeInForce::kImmediateOrCancel);
  EXPECT_EQ(sent.limit_price, Cents(8445));
  EXPECT_EQ(sent.quantity, Quantity(5));
  // 3 units held, the unheld 2 cancelled as the IOC's rest.
  venues::OrderCancelled rest;
  rest.venue = cboe_.id();
  rest.participant = sent.participant;
  rest.order_id = sent.order_id;
  rest.reason = venues::CancelReason::kImmediateOrCancel;
  rest.cancelled_quantity = Quantity(2);
  cboe_.listeners.at(sent.participant)->OnCancelled(rest);
  Settle();
  EXPECT_TRUE(log.cancel_texts.empty());
  // The held 3 execute.
  venues::ComplexFill fill;
  fill.venue = cboe_.id();
  fill.participant = sent.participant;
  fill.order_id = sent.order_id;
  fill.combo = combo;
  fill.net_price = Cents(8445);
  fill.quantity = Quantity(3);
  fill.leaves_quantity = Quantity(0);
  fill.legs = {venues::LegExecution{InstrumentId(1), core::Side::kBuy, Cents(10000), Quantity(3)},
               venues::LegExecution{InstrumentId(2), core::Side::kSell, Cents(1555), Quantity(3)}};
  cboe_.listeners.at(sent.participant)->OnComplexFill(fill);
  Settle();
  ASSERT_EQ(log.cancel_texts.size(), 1u);
  EXPECT_EQ(log.cancel_texts[0],
            "I1: limit order (ioc): 3 of 5 units executed; the rest found no price within the "
            "limit 84.45 at venue 2");
  ASSERT_TRUE(log.last_cancelled.has_value());
  EXPECT_EQ(log.last_cancelled->cumulative_quantity, Quantity(3));
}

// Seed 003 R4: a definition's multiplier is the multiplier of the legs it returns (the
// canonical combo's), whatever ratios were asked: 2:2 is the 1:1 combo (100), one requested unit
// being 2 of its units; a 1:2 ratio spread keeps its ratios (gcd(100, 200) = 100); a 3:6:3
// butterfly is the 1:2:1 one (100), one requested unit being 3 of its units.
TEST_F(StackTest, R4ADefinitionsMultiplierIsThatOfTheLegsItDefines) {
  for (auto [id, strike] : {std::pair{11u, 440}, std::pair{12u, 450}, std::pair{13u, 460}}) {
    core::InstrumentDefinition d;
    d.id = InstrumentId(id);
    d.symbol = "AAA C " + std::to_string(strike);
    d.asset_class = core::AssetClass::kOption;
    d.underlying = "AAA";
    d.multiplier = 100;
    d.option = core::OptionTerms{core::OptionRight::kCall, Price::FromParts(strike, 0),
                                 absl::CivilDay(2026, 12, 18)};
    ASSERT_TRUE(instruments_.Add(*core::Instrument::Create(d)).ok());
  }
  Build({{&legs_, true}});
  auto define = [&](std::vector<core::ComboLeg> legs) {
    absl::StatusOr<router::ComboDefinition> definition =
        stack_->router().DefineCombo(*core::ComboSpec::Create(std::move(legs)));
    EXPECT_TRUE(definition.ok()) << definition.status();
    return *definition;
  };
  const core::Side buy = core::Side::kBuy;
  const core::Side sell = core::Side::kSell;

  const router::ComboDefinition two_two =
      define({{InstrumentId(11), 2, buy}, {InstrumentId(12), 2, sell}});
  EXPECT_EQ(two_two.canonical.spec.ToString(), "+1 #11 / -1 #12");
  EXPECT_EQ(two_two.combo_multiplier, 100);
  EXPECT_EQ(two_two.canonical.unit_factor, 2);

  const router::ComboDefinition one_two =
      define({{InstrumentId(11), 1, buy}, {InstrumentId(12), 2, sell}});
  EXPECT_EQ(one_two.canonical.spec.ToString(), "+1 #11 / -2 #12");
  EXPECT_EQ(one_two.combo_multiplier, 100);
  EXPECT_EQ(one_two.canonical.unit_factor, 1);

  const router::ComboDefinition fly =
      define({{InstrumentId(11), 3, buy}, {InstrumentId(12), 6, sell}, {InstrumentId(13), 3, buy}});
  EXPECT_EQ(fly.canonical.spec.ToString(), "+1 #11 / -2 #12 / +1 #13");
  EXPECT_EQ(fly.combo_multiplier, 100);
  EXPECT_EQ(fly.canonical.unit_factor, 3);

  const router::ComboDefinition three =
      define({{InstrumentId(11), 3, buy}, {InstrumentId(12), 3, sell}, {InstrumentId(13), 3, buy}});
  EXPECT_EQ(three.canonical.spec.ToString(), "+1 #11 / -1 #12 / +1 #13");
  EXPECT_EQ(three.combo_multiplier, 100);
  EXPECT_EQ(three.canonical.unit_factor, 3);
  // The same combo asked 1:1 is the same definition.
  EXPECT_EQ(define({{InstrumentId(11), 1, buy}, {InstrumentId(12), 1, sell}}).id, two_two.id);
}

// The journal books a venue's execution once; the leg executions the router names itself
// ("legin-N/<instrument>", "router-leg-N") continue after the journal's on a restart, so a leg-in
// after the restart is booked whole and reaches the client (the crash soak found "legin-1/<leg>"
// refused as already booked, the combo fill with it, and the leg left unallocated).
TEST_F(StackTest, ALegInAfterARestartNumbersItsExecutionsAfterTheJournals) {
  const std::string path = FreshJournalPath("stack_restart_keys");
  const std::vector<accounts::LegTerms> legs = {
      {InstrumentId(1), "AAA", core::AssetClass::kStock, 1, 1, core::Side::kBuy},
      {InstrumentId(2), "BBB", core::AssetClass::kStock, 1, 1, core::Side::kSell}};
  const core::Timestamp t0 = time_.Now();
  auto accepted = [&](uint64_t order, const char* client_order) {
    return accounts::OrderAccepted{core::OrderId(order),
                                   core::AccountId("A"),
                                   core::ClientOrderId(client_order),
                                   core::Side::kBuy,
                                   Quantity(1),
                                   Cents(8450),
                                   legs,
                                   t0,
                                   "C",
                                   accounts::JournaledOrderType::kLimit,
                                   accounts::JournaledTimeInForce::kGoodTillCancel,
                                   std::nullopt};
  };
  // Before the restart: order 7 legged in on LEGS (execution 1 of the router's numbering), order
  // 8's leg-in failed with its AAA booked to the error account (execution 2).
  const std::vector<accounts::JournalEvent> events = {
      accepted(7, "O7"),
      accounts::LegFill{core::OrderId(7), VenueId(1), "legin-1/1", InstrumentId(1),
                        core::Side::kBuy, Quantity(1), Cents(10005), t0},
      accounts::LegFill{core::OrderId(7), VenueId(1), "legin-1/2", InstrumentId(2),
                        core::Side::kSell, Quantity(1), Cents(1555), t0},
      accounts::ComboFillReported{core::OrderId(7),
                                  Quantity(1),
                                  Cents(8450),
                                  {{InstrumentId(1), Cents(10005)}, {InstrumentId(2), Cents(1555)}},
                                  {},
                                  t0},
      accepted(8, "O8"),
      accounts::LegFill{core::OrderId(8), VenueId(1), "router-leg-2", InstrumentId(1),
                        core::Side::kBuy, Quantity(1), Cents(10005), t0},
      accounts::ErrorAccountBooking{accounts::ErrorBookingKind::kLegInFailure, core::OrderId(8),
                                    InstrumentId(1), core::Side::kBuy, Quantity(1), Cents(10005),
                                    "leg timed out", t0},
      accounts::OrderCancelled{core::OrderId(8), "cancelled by client", t0},
  };
  WriteJournal(path, events);
  journal_ = JournalPlacement::kFile;
  StackConfig config;
  StackVenue venue;
  venue.source = UseVenue{&legs_};
  config.venues.push_back(venue);
  config.router.stability_wait = core::Duration::Zero();
  config.journal.path = path;
  BuildWith(std::move(config));
  ASSERT_NE(stack_, nullptr);
  Settle();
  ReportLog log;
  stack_->router().SetListener(&log);

  // A new order legs in at once; LEGS fills each leg order whole as it comes.
  Quote(InstrumentId(1), 10000, 10005);
  Quote(InstrumentId(2), 1555, 1560);
  BuyCombo(8450);
  for (size_t i = 0; i < legs_.orders.size(); ++i) {
    const venues::OrderRequest order = legs_.orders[i];
    venues::Fill fill;
    fill.venue = legs_.id();
    fill.participant = order.participant;
    fill.order_id = order.order_id;
    fill.instrument = order.instrument;
    fill.side = order.side;
    fill.price = order.instrument == InstrumentId(1) ? Cents(10005) : Cents(1555);
    fill.quantity = order.quantity;
    fill.leaves_quantity = Quantity(0);
    fill.execution_id = 1;
    fill.time = time_.Now();
    legs_.listeners.at(order.participant)->OnFill(fill);
    Settle();
  }
  ASSERT_EQ(legs_.orders.size(), 2u);

  const std::optional<core::OrderId> id =
      stack_->router().Find(core::ClientId("C"), core::ClientOrderId("O1"));
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(stack_->router().journal_failures(), 0u);
  const accounts::Ledger& ledger = stack_->accounts()->ledger();
  const accounts::OrderRecord* record = ledger.FindOrder(*id);
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->filled, Quantity(1));
  EXPECT_EQ(record->unallocated.at(InstrumentId(1)), Quantity(0));
  EXPECT_EQ(record->unallocated.at(InstrumentId(2)), Quantity(0));
  EXPECT_EQ(ledger.executions().at({VenueId(1), "legin-3/1"}), *id);
  EXPECT_EQ(ledger.executions().at({VenueId(1), "legin-3/2"}), *id);
  EXPECT_TRUE(ledger.Reconcile().ok());
}

// A restarted embedded venue numbers its executions after those the journal booked for it:
// native fills journaled as venue-2-5 (and another venue's venue-3-9) make venue 2 continue at 6,
// so a native fill after the restart is never refused as already booked.
TEST_F(StackTest, ARestartedVenueNumbersItsExecutionsAfterTheJournals) {
  const std::vector<accounts::LegTerms> legs = {
      {InstrumentId(1), "AAA", core::AssetClass::kStock, 1, 1, core::Side::kBuy},
      {InstrumentId(2), "BBB", core::AssetClass::kStock, 1, 1, core::Side::kSell}};
  const core::Timestamp t0 = time_.Now();
  std::vector<accounts::StoredEvent> stored;
  for (const accounts::JournalEvent& event : std::vector<accounts::JournalEvent>{
           accounts::OrderAccepted{
               core::OrderId(7), core::AccountId("A"), core::ClientOrderId("O7"), core::Side::kBuy,
               Quantity(2), Cents(8450), legs, t0, "C", accounts::JournaledOrderType::kLimit,
               accounts::JournaledTimeInForce::kGoodTillCancel, std::nullopt, std::nullopt},
           accounts::LegFill{core::OrderId(7), VenueId(2), "venue-2-5", InstrumentId(1),
                             core::Side::kBuy, Quantity(1), Cents(10005), t0},
           accounts::LegFill{core::OrderId(7), VenueId(3), "venue-3-9", InstrumentId(2),
                             core::Side::kSell, Quantity(1), Cents(1555), t0}}) {
    stored.push_back({stored.size() + 1, event});
  }
  absl::StatusOr<accounts::Ledger> ledger = accounts::ReplayJournal(stored);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_EQ(router::LastNativeExecutionId(*ledger, VenueId(2)), 5u);
  EXPECT_EQ(router::LastNativeExecutionId(*ledger, VenueId(3)), 9u);
  EXPECT_EQ(router::LastNativeExecutionId(*ledger, VenueId(4)), 0u);
}

// A fill-or-kill legged in holds its units from the client until the whole quantity is done, but
// journals their leg executions as they are held: killed in between, the restarted stack books
// them to the error account ("leg-in interrupted by a restart") and cancels the FOK at start; the
// client never hears of a fill.
TEST_F(StackTest, AFillOrKillsHeldLegExecutionsAreJournaledSoARestartBooksThemToTheErrorAccount) {
  const std::string path = FreshJournalPath("stack_fok_held");
  const auto build = [&] {
    journal_ = JournalPlacement::kFile;
    StackConfig config;
    StackVenue venue;
    venue.source = UseVenue{&legs_};
    config.venues.push_back(venue);
    config.router.stability_wait = core::Duration::Zero();
    config.leg_in.max_units_per_slice = Quantity(2);
    config.journal.path = path;
    BuildWith(std::move(config));
  };
  build();
  ASSERT_NE(stack_, nullptr);
  ReportLog log;
  stack_->router().SetListener(&log);
  Quote(InstrumentId(1), 10000, 10005);
  Quote(InstrumentId(2), 1555, 1560);
  router::NewComboOrder fok{core::ClientId("C"),
                            core::ClientOrderId("F"),
                            core::AccountId("A"),
                            *spec_,
                            core::Side::kBuy,
                            Quantity(4),
                            router::ComboOrderType::kLimit,
                            Cents(8450),
                            router::ComboTimeInForce::kFillOrKill};
  ASSERT_TRUE(stack_->router().Submit(fok).ok());
  Settle();
  // The first slice of 2: each leg order fills whole.
  uint64_t execution = 0;
  for (size_t leg = 0; leg < 2; ++leg) {
    ASSERT_EQ(legs_.orders.size(), leg + 1);
    const venues::OrderRequest& order = legs_.orders[leg];
    venues::Fill fill;
    fill.venue = legs_.id();
    fill.participant = order.participant;
    fill.order_id = order.order_id;
    fill.instrument = order.instrument;
    fill.side = order.side;
    fill.price = order.limit_price;
    fill.quantity = order.quantity;
    fill.leaves_quantity = Quantity(0);
    fill.execution_id = ++execution;
    fill.time = time_.Now();
    legs_.listeners.at(order.participant)->OnFill(fill);
    Settle();
  }
  const core::OrderId id = *stack_->router().Find(core::ClientId("C"), core::ClientOrderId("F"));
  EXPECT_EQ(std::count(log.reports.begin(), log.reports.end(), "execution"), 0);
  const accounts::OrderRecord* held = stack_->accounts()->ledger().FindOrder(id);
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->unallocated.at(InstrumentId(1)), Quantity(2));
  EXPECT_EQ(held->unallocated.at(InstrumentId(2)), Quantity(2));

  // Killed with the second slice working; started again on the same journal.
  stack_.reset();
  legs_.orders.clear();
  build();
  ASSERT_NE(stack_, nullptr);
  ReportLog after;
  stack_->router().SetListener(&after);
  Settle();
  const accounts::OrderRecord* record = stack_->accounts()->ledger().FindOrder(id);
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->to_error_account.at(InstrumentId(1)), Quantity(2));
  EXPECT_EQ(record->to_error_account.at(InstrumentId(2)), Quantity(2));
  EXPECT_EQ(record->unallocated.at(InstrumentId(1)), Quantity(0));
  EXPECT_EQ(record->filled, Quantity(0));
  ASSERT_EQ(after.cancelled.size(), 1u);
  EXPECT_EQ(after.cancelled[0].order.cumulative_quantity, Quantity(0));
  EXPECT_TRUE(stack_->accounts()->ledger().Reconcile().ok());
}

// A contract that stops trading takes its orders with it (docs/ROUTER.md "Trading day"): a GTC
// order with a future expiring Friday 2026-12-18 expires at that day's close (16:00 UTC), reported
// with the leg that expired; an order for it after that close is refused naming the leg.
class LegExpiryTest : public StackTest {
 protected:
  LegExpiryTest() {
    core::InstrumentDefinition d;
    d.id = InstrumentId(3);
    d.symbol = "ESZ6";
    d.asset_class = core::AssetClass::kFuture;
    d.underlying = "ES";
    d.multiplier = 50;
    d.tick_rule = core::TickRule::Uniform(Cents(25));
    d.expiry = absl::CivilDay(2026, 12, 18);
    future_ = *core::Instrument::Create(d);
    spread_ = *core::ComboSpec::Create(
        {{InstrumentId(1), 1, core::Side::kBuy}, {InstrumentId(3), 1, core::Side::kSell}});
  }
  static core::Timestamp At(int day, int hour) {
    // 2026-12-07 00:00 UTC + days and hours.
    return core::Timestamp::FromUnixNanos((1796601600LL + day * 86400LL + hour * 3600LL) *
                                          1'000'000'000);
  }
  void BuildOn(JournalPlacement journal, const std::string& path) {
    journal_ = journal;
    StackConfig config;
    StackVenue entry;
    entry.source = UseVenue{&legs_};
    entry.routable = true;
    config.venues.push_back(entry);
    config.router.stability_wait = core::Duration::Zero();
    config.router.calendar = router::TradingCalendarConfig{};  // UTC, 16:00
    config.journal.path = path;
    BuildWith(std::move(config));
    if (stack_ != nullptr) stack_->router().SetListener(&log_);
  }
  router::NewComboOrder Spread(std::string id) {
    return router::NewComboOrder{core::ClientId("C"),
                                 core::ClientOrderId(std::move(id)),
                                 core::AccountId("A"),
                                 spread_,
                                 core::Side::kBuy,
                                 Quantity(1),
                                 router::ComboOrderType::kLimit,
                                 Cents(-500'000),
                                 router::ComboTimeInForce::kGoodTillCancel};
  }

  std::optional<core::Instrument> future_;
  core::ComboSpec spread_ = *spec_;
  ReportLog log_;
};

TEST_F(LegExpiryTest, AGoodTillCancelOrderEndsWhenItsLegStopsTradingAndANewOneIsRefused) {
  ASSERT_TRUE(instruments_.Add(*future_).ok());
  time_.AdvanceTo(At(0, 14));
  BuildOn(JournalPlacement::kNone, "");
  ASSERT_TRUE(stack_->router().Submit(Spread("GTC")).ok());
  Settle();
  ASSERT_TRUE(log_.rejected.empty()) << log_.rejected[0].text;

  time_.AdvanceTo(At(11, 15));
  EXPECT_TRUE(log_.cancelled.empty());
  time_.AdvanceTo(At(11, 16));
  ASSERT_EQ(log_.cancelled.size(), 1u);
  EXPECT_EQ(log_.cancelled[0].order.status, router::ClientOrderStatus::kExpired);
  EXPECT_NE(log_.cancelled[0].text.find("expired: leg ESZ6 stopped trading at its expiry close "
                                        "2026-12-18T16:00:00"),
            std::string::npos)
      << log_.cancelled[0].text;

  ASSERT_TRUE(stack_->router().Submit(Spread("LATE")).ok());
  Settle();
  ASSERT_EQ(log_.rejected.size(), 1u);
  EXPECT_NE(log_.rejected[0].text.find("leg ESZ6 has expired: it stopped trading at "
                                       "2026-12-18T16:00:00"),
            std::string::npos)
      << log_.rejected[0].text;
}

// The daemon was down over the expiry: the instrument master now lists the future as expired.
// The open order is rebuilt from the expired contract's terms and expires at start with the reason
// (the restart is not refused), and a combo defined on it keeps its id.
TEST_F(LegExpiryTest, AnOpenOrderWhoseLegExpiredWhileTheDaemonWasDownExpiresAtStart) {
  ASSERT_TRUE(instruments_.AddExpired(*future_).ok());
  const std::string path = FreshJournalPath("leg_expiry");
  const std::vector<accounts::LegTerms> legs = {
      accounts::LegTerms{InstrumentId(1), "AAA", core::AssetClass::kStock, 1, 1, core::Side::kBuy},
      accounts::LegTerms{InstrumentId(3), "ESZ6", core::AssetClass::kFuture, 50, 1,
                         core::Side::kSell}};
  WriteJournal(path, {accounts::OrderAccepted{
                          core::OrderId(7), core::AccountId("A"), core::ClientOrderId("O7"),
                          core::Side::kBuy, Quantity(1), Cents(-500'000), legs, At(0, 14), "C",
                          accounts::JournaledOrderType::kLimit,
                          accounts::JournaledTimeInForce::kGoodTillCancel, std::nullopt},
                      accounts::ComboDefined{core::ComboId(5), legs, At(0, 14)}});
  time_.AdvanceTo(At(14, 13));  // Monday 2026-12-21
  BuildOn(JournalPlacement::kFile, path);
  ASSERT_NE(stack_, nullptr);
  Settle();
  ASSERT_EQ(log_.cancelled.size(), 1u);
  EXPECT_EQ(log_.cancelled[0].order.client_order_id, core::ClientOrderId("O7"));
  EXPECT_EQ(log_.cancelled[0].order.status, router::ClientOrderStatus::kExpired);
  EXPECT_NE(log_.cancelled[0].text.find("expired: leg ESZ6 stopped trading at its expiry close "
                                        "2026-12-18T16:00:00"),
            std::string::npos)
      << log_.cancelled[0].text;
  EXPECT_NE(log_.cancelled[0].text.find("while combo-routerd was down"), std::string::npos);
  EXPECT_NE(stack_->router().FindDefinedCombo(core::ComboId(5)), nullptr);
}
// What a broker can trade (router::Listings): instruments a routable venue lists, with those
// venues; combos a routable venue's complex book lists, or the router defined, with the venues
// trading them natively; a non-routable venue's listings are not offered.
TEST_F(StackTest, ListingsAreWhatRoutableVenuesListAndTheCombosTheyTradeOrClientsDefined) {
  core::InstrumentDefinition unlisted;
  unlisted.id = InstrumentId(3);
  unlisted.symbol = "CCC";
  unlisted.underlying = "CCC";
  ASSERT_TRUE(instruments_.Add(*core::Instrument::Create(unlisted)).ok());
  core::InstrumentDefinition elsewhere = unlisted;
  elsewhere.id = InstrumentId(4);
  elsewhere.symbol = "DDD";
  elsewhere.underlying = "DDD";
  ASSERT_TRUE(instruments_.Add(*core::Instrument::Create(elsewhere)).ok());
  StackConfig config;
  auto venue = [](uint32_t id, std::string name, std::vector<uint32_t> listed) {
    venues::SimulatedVenueConfig v;
    v.id = VenueId(id);
    v.name = std::move(name);
    for (uint32_t instrument : listed)
      v.instruments.push_back({InstrumentId(instrument), Cents(1)});
    return v;
  };
  venues::SimulatedVenueConfig complex = venue(7, "SIM-C", {1, 2});
  complex.complex_book.enabled = true;
  complex.complex_book.combos = {{core::ComboId(1), core::Canonicalize(*spec_).spec, {}}};
  StackVenue first;
  first.source = BuildSimulatedVenue{venue(5, "SIM-A", {2, 1})};
  StackVenue second;
  second.source = BuildSimulatedVenue{complex};
  StackVenue hidden;
  hidden.source = BuildSimulatedVenue{venue(9, "HIDDEN", {4})};
  hidden.routable = false;
  config.venues = {first, second, hidden};
  BuildWith(std::move(config));
  // A combo a client defines: traded by legging in, no venue lists it.
  absl::StatusOr<router::ComboDefinition> defined =
      stack_->router().DefineCombo(*core::ComboSpec::Create(
          {{InstrumentId(1), 1, core::Side::kBuy}, {InstrumentId(2), 2, core::Side::kBuy}}));
  ASSERT_TRUE(defined.ok()) << defined.status();

  std::vector<std::string> instruments;
  for (const router::InstrumentListing& listing : stack_->listings().ListedInstruments()) {
    std::string line = listing.instrument->symbol();
    for (const router::ListingVenue& v : listing.venues) line += " " + v.name;
    instruments.push_back(line);
  }
  EXPECT_EQ(instruments, (std::vector<std::string>{"AAA SIM-A SIM-C", "BBB SIM-A SIM-C"}));
  std::vector<std::string> combos;
  for (const router::ComboListing& listing : stack_->listings().ListedCombos()) {
    std::string line = std::to_string(listing.id.value()) + (listing.defined ? " defined" : "");
    for (const router::ListingVenue& v : listing.native_venues) line += " " + v.name;
    combos.push_back(line);
  }
  EXPECT_EQ(combos, (std::vector<std::string>{"1 SIM-C",
                                              std::to_string(defined->id.value()) + " defined"}));
}

// Spec 6.2 "Latency probing" (seed 002 R2, R5, R7): the router probes an embedded exchange
// running latency protection every interval from Start, as the router participant and the
// leg-in engine's, and reports each round trip. With the figure 2 manager server B's latency
// (0.31 s: 0.15 s in, 0.16 s back) the venue logs 0.31 s for the router, which puts the router's
// own trades in the (0.30 s, 0.60 s) tier: a 0.20 s hold (WE-C1's tier).
TEST_F(StackTest, TheRouterProbesAProtectedVenueAndTheVenueLearnsItsRoundTrip) {
  StackConfig config;
  venues::SimulatedVenueConfig venue;
  venue.id = VenueId(5);
  venue.name = "SIM";
  venue.instruments = {{InstrumentId(1), Cents(1)}, {InstrumentId(2), Cents(1)}};
  venue.latency.inbound.new_order.fixed = core::Duration::Milliseconds(150);
  venue.latency.outbound.ack.fixed = core::Duration::Milliseconds(160);
  venue.latency_protection.enabled = true;
  venue.latency_protection.scope = venues::ConditionScope::kPerSubmitter;
  venue.latency_protection.test_instrument = InstrumentId(9001);
  StackVenue entry;
  entry.source = BuildSimulatedVenue{venue};
  entry.latency_probe_interval = core::Duration::Milliseconds(500);
  config.venues.push_back(entry);
  BuildWith(std::move(config));
  const VenueProber* prober = stack_->prober();
  ASSERT_NE(prober, nullptr);
  EXPECT_EQ(prober->probe_count(), 2u);
  const core::ParticipantId router = stack_->wiring().router_participant;
  const venues::LatencyProbe* probe = prober->probe(VenueId(5), router);
  ASSERT_NE(probe, nullptr);
  // Nothing is sent before Start.
  time_.AdvanceBy(core::Duration::Seconds(1));
  EXPECT_EQ(probe->sent(), 0u);
  stack_->Start();
  // Test orders at +0, +0.5 s, +1 s; the first round trip is back at +0.31 s, its report logged
  // at the venue 0.15 s later.
  time_.AdvanceBy(core::Duration::Milliseconds(1'200));
  EXPECT_EQ(probe->sent(), 3u);
  EXPECT_EQ(probe->answered(), 2u);
  EXPECT_EQ(prober->LastRoundTrip(VenueId(5), router), core::Duration::Milliseconds(310));
  const venues::LatencyGuard& guard = *stack_->built_simulated_venues().at(0)->latency_guard();
  EXPECT_EQ(guard.log().Latency(router, venues::LatencyMeasure::kRoundTrip,
                                venues::LogScope::kCurrentValue),
            core::Duration::Milliseconds(310));
  EXPECT_EQ(
      guard.log().Latency(router, venues::LatencyMeasure::kOneWay, venues::LogScope::kCurrentValue),
      core::Duration::Milliseconds(150));
  EXPECT_EQ(guard.PeriodFor(router, core::ParticipantId(999)), core::Duration::Milliseconds(200));
  EXPECT_NE(prober->LastRoundTrip(VenueId(5), stack_->wiring().leg_in_participant), std::nullopt);
  // Stop ends the probing.
  stack_->Stop();
  time_.AdvanceBy(core::Duration::Seconds(2));
  EXPECT_EQ(probe->sent(), 3u);
}

TEST_F(StackTest, ProbingAVenueWithoutLatencyProtectionIsRefusedNamingIt) {
  StackConfig config;
  venues::SimulatedVenueConfig venue;
  venue.id = VenueId(5);
  venue.name = "PLAIN";
  venue.instruments = {{InstrumentId(1), Cents(1)}};
  StackVenue entry;
  entry.source = BuildSimulatedVenue{venue};
  entry.latency_probe_interval = core::Duration::Seconds(1);
  config.venues.push_back(entry);
  StackDependencies deps;
  deps.instruments = &instruments_;
  deps.combos = &combos_;
  deps.scheduler = &time_;
  deps.registry = &registry_;
  config.journal.placement = JournalPlacement::kNone;
  absl::StatusOr<std::unique_ptr<RoutingStack>> built = RoutingStack::Build(config, deps);
  ASSERT_FALSE(built.ok());
  EXPECT_NE(built.status().message().find("venue PLAIN"), std::string::npos) << built.status();
  EXPECT_NE(built.status().message().find("latency protection"), std::string::npos);
}

// --- The residual resolver (docs/RESOLVER.md) --------------------------------------------------

class ResolverStackTest : public StackTest {
 protected:
  // Order 8 (AAA - BBB, good till cancel, limit `limit_cents`) whose leg-in left 1 AAA bought at
  // `booked_cents` in the error account; cancelled when `cancelled`.
  void BuildOnResidual(int64_t limit_cents, int64_t booked_cents, bool cancelled,
                       resolver::ResolverConfig resolver) {
    const std::string path = FreshJournalPath("stack_resolver");
    const std::vector<accounts::LegTerms> legs = {
        {InstrumentId(1), "AAA", core::AssetClass::kStock, 1, 1, core::Side::kBuy},
        {InstrumentId(2), "BBB", core::AssetClass::kStock, 1, 1, core::Side::kSell}};
    const core::Timestamp t0 = time_.Now();
    std::vector<accounts::JournalEvent> events = {
        accounts::OrderAccepted{core::OrderId(8), core::AccountId("A"), core::ClientOrderId("O8"),
                                core::Side::kBuy, Quantity(1), Cents(limit_cents), legs, t0, "C",
                                accounts::JournaledOrderType::kLimit,
                                accounts::JournaledTimeInForce::kGoodTillCancel, std::nullopt},
        accounts::LegFill{core::OrderId(8), VenueId(1), "router-leg-1", InstrumentId(1),
                          core::Side::kBuy, Quantity(1), Cents(booked_cents), t0},
        accounts::ErrorAccountBooking{accounts::ErrorBookingKind::kLegInFailure, core::OrderId(8),
                                      InstrumentId(1), core::Side::kBuy, Quantity(1),
                                      Cents(booked_cents), "leg timed out", t0}};
    if (cancelled) events.push_back(accounts::OrderCancelled{core::OrderId(8), "client", t0});
    WriteJournal(path, events);
    journal_ = JournalPlacement::kFile;
    StackConfig config;
    StackVenue venue;
    venue.source = UseVenue{&legs_};
    config.venues.push_back(venue);
    config.router.stability_wait = core::Duration::Zero();
    config.journal.path = path;
    resolver.enabled = true;
    config.resolver = resolver;
    BuildWith(std::move(config));
    ASSERT_NE(stack_, nullptr);
    stack_->router().SetListener(&log_);
    stack_->Start();
    Settle();
  }

  // Fills every order the resolver sent since `from` whole at its limit.
  void FillResolverOrders(size_t from) {
    for (size_t i = from; i < legs_.orders.size(); ++i) {
      const venues::OrderRequest order = legs_.orders[i];
      ASSERT_EQ(order.participant.value(), stack_->wiring().router_participant.value() + 2);
      ASSERT_EQ(order.time_in_force, venues::TimeInForce::kImmediateOrCancel);
      venues::Fill fill;
      fill.venue = legs_.id();
      fill.participant = order.participant;
      fill.order_id = order.order_id;
      fill.instrument = order.instrument;
      fill.side = order.side;
      fill.price = order.limit_price;
      fill.quantity = order.quantity;
      fill.leaves_quantity = Quantity(0);
      fill.execution_id = 40 + i;
      fill.time = time_.Now();
      legs_.listeners.at(order.participant)->OnFill(fill);
    }
    Settle();
  }

  // The resolver's journaled actions, "action outcome", in order.
  std::vector<std::string> Actions() const {
    std::vector<std::string> actions;
    auto events = stack_->accounts()->journal().ReadAll();
    if (!events.ok()) return {events.status().ToString()};
    for (const accounts::StoredEvent& stored : *events) {
      if (const auto* a = std::get_if<accounts::ResidualAction>(&stored.event)) {
        actions.push_back(
            absl::StrCat(core::AsAbsl(accounts::ToString(a->action)), " ", a->outcome));
      }
    }
    return actions;
  }

  void Evaluate() {
    time_.AdvanceBy(core::Duration::Seconds(1));
    Settle();
  }

  ReportLog log_;
};

TEST_F(ResolverStackTest, R16AnOrphanLegOfACancelledOrderIsUnwoundInsideItsBandAndJournaled) {
  BuildOnResidual(8440, 10002, true, resolver::ResolverConfig{});
  Quote(InstrumentId(1), 10000, 10002);
  Quote(InstrumentId(2), 1560, 1562);
  const size_t before = legs_.orders.size();
  Evaluate();
  ASSERT_EQ(legs_.orders.size(), before + 1);
  const venues::OrderRequest& unwind = legs_.orders.back();
  EXPECT_EQ(unwind.instrument, InstrumentId(1));
  EXPECT_EQ(unwind.side, core::Side::kSell);
  EXPECT_EQ(unwind.limit_price, Cents(10000));
  FillResolverOrders(before);
  Evaluate();
  const accounts::Ledger& ledger = stack_->accounts()->ledger();
  EXPECT_TRUE(ledger.error_account().positions.at(InstrumentId(1)).is_flat());
  EXPECT_FALSE(ledger.FindResidual(core::OrderId(8))->is_open());
  EXPECT_EQ(Actions(),
            (std::vector<std::string>{"unwind sent", "unwind filled", "resolved resolved"}));
  EXPECT_TRUE(ledger.Reconcile().ok()) << ledger.Reconcile();
  EXPECT_EQ(stack_->resolver()->metrics()->actions("unwind", "filled"), 1);
}

TEST_F(ResolverStackTest, R16TheMissingLegIsCompletedAndTheUnitsGoToTheOrderThatStillWantsThem) {
  resolver::ResolverConfig config;
  config.unwind.enabled = false;
  BuildOnResidual(8440, 9998, false, config);
  // Not marketable for the router (ask 100.02 - bid 15.60 = 84.42 over 84.40): the order waits.
  Quote(InstrumentId(1), 10000, 10002);
  Quote(InstrumentId(2), 1560, 1562);
  const size_t before = legs_.orders.size();
  Evaluate();
  ASSERT_EQ(legs_.orders.size(), before + 1);
  EXPECT_EQ(legs_.orders.back().instrument, InstrumentId(2));
  EXPECT_EQ(legs_.orders.back().side, core::Side::kSell);
  FillResolverOrders(before);
  Evaluate();
  // 99.98 - 15.60 = 84.38, inside the order's 84.40: one unit to the client.
  const accounts::Ledger& ledger = stack_->accounts()->ledger();
  const accounts::OrderRecord* order = ledger.FindOrder(core::OrderId(8));
  EXPECT_EQ(order->filled, Quantity(1));
  EXPECT_EQ(order->state, accounts::OrderState::kFilled);
  EXPECT_EQ(ledger.clients().at(core::AccountId("A")).trades.back().price, Cents(8438));
  EXPECT_EQ(log_.reports.back(), "execution");
  Evaluate();
  EXPECT_EQ(Actions(), (std::vector<std::string>{"complete sent", "complete filled",
                                                 "deliver delivered", "resolved resolved"}));
  EXPECT_TRUE(ledger.error_account().positions.at(InstrumentId(1)).is_flat());
  EXPECT_TRUE(ledger.error_account().positions.at(InstrumentId(2)).is_flat());
  EXPECT_TRUE(ledger.Reconcile().ok()) << ledger.Reconcile();
}

TEST_F(ResolverStackTest, R16AResidualHandedOffIsLeftAloneAndOnePastItsHorizonIsHeld) {
  resolver::ResolverConfig config;
  config.unwind.band_ticks = 0;
  config.unwind.max_band_ticks = 0;
  config.complete.enabled = false;
  config.horizon = core::Duration::Seconds(3);
  BuildOnResidual(8440, 10002, true, config);
  // Nothing inside a zero band capped at zero: it waits, then is held at its horizon.
  Quote(InstrumentId(1), 10000, 10002);
  const size_t before = legs_.orders.size();
  for (int i = 0; i < 4; ++i) Evaluate();
  EXPECT_EQ(legs_.orders.size(), before);
  EXPECT_EQ(Actions(), (std::vector<std::string>{"hold waiting", "hold held"}));
  EXPECT_TRUE(stack_->accounts()->ledger().FindResidual(core::OrderId(8))->held);
  EXPECT_EQ(stack_->resolver()->metrics()->residuals("held"), 1);
}

// A market 3 ticks either side of its mid (100.00 / 100.06): a fixed 2-tick band fits nothing
// and the residual is held at its horizon; widened with age (2 ticks at the opening, 10 at the
// 8 s horizon: 2 + 8 x 1/8 = 3 ticks after 1 s), the bid is inside the band after a second and the
// orphan leg is unwound there.
TEST_F(ResolverStackTest, R16TheBandWidensWithTheResiduesAgeSoAWideMarketIsUnwoundNotHeld) {
  resolver::ResolverConfig fixed;
  fixed.complete.enabled = false;
  fixed.horizon = core::Duration::Seconds(8);
  fixed.unwind.max_band_ticks = 2;
  BuildOnResidual(8440, 10002, true, fixed);
  Quote(InstrumentId(1), 10000, 10006);
  size_t before = legs_.orders.size();
  for (int i = 0; i < 9; ++i) Evaluate();
  EXPECT_EQ(legs_.orders.size(), before);
  EXPECT_EQ(Actions(), (std::vector<std::string>{"hold waiting", "hold held"}));

  resolver::ResolverConfig widening = fixed;
  widening.unwind.max_band_ticks = 10;
  BuildOnResidual(8440, 10002, true, widening);
  Quote(InstrumentId(1), 10000, 10006);
  before = legs_.orders.size();
  Evaluate();
  ASSERT_EQ(legs_.orders.size(), before + 1);
  EXPECT_EQ(legs_.orders.back().side, core::Side::kSell);
  EXPECT_EQ(legs_.orders.back().limit_price, Cents(10000));
  FillResolverOrders(before);
  Evaluate();
  EXPECT_EQ(Actions(),
            (std::vector<std::string>{"unwind sent", "unwind filled", "resolved resolved"}));
  auto events = stack_->accounts()->journal().ReadAll();
  ASSERT_TRUE(events.ok());
  std::string sent;
  for (const accounts::StoredEvent& stored : *events) {
    if (const auto* a = std::get_if<accounts::ResidualAction>(&stored.event)) {
      if (a->outcome == "sent") sent = a->detail;
    }
  }
  // Selling at 100.00 against the 100.03 mid: 0.03 x 1 share.
  EXPECT_EQ(sent,
            "unwind: complete -, unwind 0.03, wait - (carry 1.0003, hedge -), bands 3/3 ticks");
}

TEST_F(ResolverStackTest, R16AHandOffIsJournaledOnceAndTheResolverStopsWorkingIt) {
  resolver::ResolverConfig config;
  config.unwind.band_ticks = 0;
  BuildOnResidual(8440, 10002, true, config);
  Quote(InstrumentId(1), 10000, 10002);
  config.hand_off = {core::OrderId(8)};
  config.unwind.band_ticks = 5;
  config.enabled = true;
  ASSERT_TRUE(stack_->resolver()->Reconfigure(config).ok());
  const size_t before = legs_.orders.size();
  Evaluate();
  Evaluate();
  EXPECT_EQ(legs_.orders.size(), before);
  EXPECT_EQ(Actions(), (std::vector<std::string>{"hand_off handed_off"}));
  EXPECT_EQ(stack_->resolver()->metrics()->residuals("handed_off"), 1);
}

// A crash cuts the resolver's orders short (the venues' books go with it); the restarted stack
// takes the residual from the journal and works it again.
TEST_F(ResolverStackTest, R16ARestartedStackResumesTheResolversWorkFromTheJournal) {
  BuildOnResidual(8440, 10002, true, resolver::ResolverConfig{});
  Quote(InstrumentId(1), 10000, 10002);
  const size_t before = legs_.orders.size();
  Evaluate();
  ASSERT_EQ(legs_.orders.size(), before + 1);
  const std::string path = journal_dirs_.back() + "/journal.db";
  stack_.reset();
  StackConfig config;
  StackVenue venue;
  venue.source = UseVenue{&legs_};
  config.venues.push_back(venue);
  config.journal.path = path;
  config.resolver.enabled = true;
  BuildWith(std::move(config));
  stack_->Start();
  sequence_ = 1000;
  Quote(InstrumentId(1), 10000, 10002);
  const size_t resumed = legs_.orders.size();
  Evaluate();
  ASSERT_EQ(legs_.orders.size(), resumed + 1);
  FillResolverOrders(resumed);
  Evaluate();
  EXPECT_EQ(Actions(), (std::vector<std::string>{"unwind sent", "unwind sent", "unwind filled",
                                                 "resolved resolved"}));
  EXPECT_TRUE(stack_->accounts()->ledger().Reconcile().ok());
}

}  // namespace
}  // namespace combo::stack

// End to end over loopback on an ephemeral port, with the real router behind the gateway:
// FixClient (initiator) -> FixAcceptor -> ComboRouter -> SimulatedVenues (leg books and a
// complex-order book), with PricingEngine, RiskManager, AccountsService (journal in a temporary
// directory) and the venue leg-in engine, and every report back to the client over FIX.
//
// Threading and time: the router, the venues and the journal live on one core thread (the
// test's CoreThread, as the daemon's io_context). They run on SimulatedTime, which only the core
// thread touches: after each task the gateway posts (an inbound FIX message) the core runs the
// timers due at the current simulated time, as the daemon's scheduler would; the test moves time
// forward explicitly (AdvanceBy on the core thread). So the router's decisions are
// deterministic; only the FIX transport is asynchronous, and the test waits for its messages
// with bounded waits.
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "accounts/accounts_service.h"
#include "core/absl_compat.h"
#include "core/combo_catalog.h"
#include "core/instrument_catalog.h"
#include "core/simulated_time.h"
#include "core/status.h"
#include "fix/client.h"
#include "fix/gateway.h"
#include "fix/testing/core_thread.h"
#include "fix/testing/gateway_harness.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pricing/pricing_engine.h"
#include "prometheus/registry.h"
#include "quickfix/FixFieldNumbers.h"
#include "quickfix/Session.h"
#include "risk/risk_manager.h"
#include "router/combo_router.h"
#include "router/leg_in_policy.h"
#include "router/leg_venue.h"
#include "router/pricing_feed.h"
#include "router/venue_leg_in_engine.h"
#include "venues/simulated_venue.h"

namespace combo::fix {
namespace {

using core::Duration;
using core::Price;
using core::Quantity;
using core::Side;
using testing::HasMsgType;
using ::testing::HasSubstr;
using testing::MessageCollector;
using testing::Report;
using testing::TempDir;

constexpr core::Timestamp kTime = core::Timestamp::FromUnixNanos(1'795'000'000'000'000'000);
constexpr core::ParticipantId kRouter(1);
constexpr core::ParticipantId kLegInEngine(2);
constexpr core::ParticipantId kLegMaker(100);
constexpr core::ParticipantId kNativeMaker(101);
constexpr core::ParticipantId kTaker(102);
constexpr core::VenueId kLegs(1);
constexpr core::VenueId kCboe(2);
const std::string kClient = "BROKER1";
// Seed 003's worked example: S = AAA +1 / BBB -1, stocks.
const std::string kSpread = "AAA +1 / BBB -1";

Price Px(const std::string& text) { return *Price::Parse(text); }

int64_t Int(const FIX::FieldMap& map, int tag) {
  int64_t value = 0;
  EXPECT_TRUE(map.isSetField(tag)) << "tag " << tag;
  if (map.isSetField(tag)) EXPECT_TRUE(absl::SimpleAtoi(core::AsAbsl(map.getField(tag)), &value));
  return value;
}

Price PriceField(const FIX::FieldMap& map, int tag) {
  EXPECT_TRUE(map.isSetField(tag)) << "tag " << tag;
  return map.isSetField(tag) ? Price::Parse(map.getField(tag)).value_or(Price::Zero())
                             : Price::Zero();
}

core::InstrumentCatalog StockCatalog() {
  core::InstrumentCatalog catalog;
  uint32_t id = 1;
  for (const char* symbol : {"AAA", "BBB", "CCC"}) {
    core::InstrumentDefinition definition;
    definition.id = core::InstrumentId(id++);
    definition.symbol = symbol;
    definition.underlying = symbol;
    (void)catalog.Add(*core::Instrument::Create(definition));
  }
  return catalog;
}

// Market makers' and the taker's sessions: their own events are of no interest here.
class IgnoreVenueEvents : public venues::VenueListener {
 public:
  void OnAck(const venues::OrderAcked&) override {}
  void OnReject(const venues::OrderRejected&) override {}
  void OnFill(const venues::Fill&) override {}
  void OnComplexFill(const venues::ComplexFill&) override {}
  void OnCancelled(const venues::OrderCancelled&) override {}
  void OnRestated(const venues::OrderRestated&) override {}
};

// The router's state transitions, as text ("<state>: <reason>"), readable from the test thread.
class Transitions : public router::RouterObserver {
 public:
  void OnTransition(const router::StateTransition& transition) override {
    std::lock_guard lock(mutex_);
    lines_.push_back(
        absl::StrCat(core::AsAbsl(router::ToString(transition.to)), ": ", transition.reason));
    changed_.notify_all();
  }
  // Waits (bounded) for a transition whose text contains `text`.
  bool WaitFor(const std::string& text) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::nanoseconds(testing::kWait.nanoseconds()), [&] {
      for (const std::string& line : lines_) {
        if (line.find(text) != std::string::npos) return true;
      }
      return false;
    });
  }
  std::vector<std::string> All() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> lines_;
};

struct VenueLatency {
  Duration inbound;
  Duration outbound;
};

class EndToEndTest : public ::testing::TestWithParam<SocketThreads> {
 protected:
  void SetUp() override {
    core_.RunAndWait([this] { setup_ = Build(); });
    ASSERT_TRUE(setup_.ok()) << setup_;
    client_ = Connect(received_);
    ASSERT_NE(client_, nullptr);
    ASSERT_TRUE(client_->WaitForLogon(testing::kWait));
  }

  void TearDown() override {
    client_.reset();
    core_.RunAndWait([this] {
      if (acceptor_ != nullptr) acceptor_->Disconnect();
    });
    core_.RunAndWait([this] {
      // Every report the client got was journaled first; the journal refused nothing.
      if (router_ != nullptr) EXPECT_EQ(router_->journal_failures(), 0u);
      acceptor_.reset();
      router_.reset();
      leg_in_.reset();
      accounts_.reset();
      venues_.clear();
      risk_.reset();
      pricing_.reset();
    });
  }

  // Latency of the leg venue's order messages (both ways), for cases that need legs in flight;
  // its market data is never delayed.
  virtual VenueLatency LegVenueLatency() const { return {}; }
  virtual router::LegInPolicy Policy() const { return router::LegInPolicy{}; }

  absl::Status Build() {
    instruments_ = StockCatalog();
    COMBO_ASSIGN_OR_RETURN(spread_, core::ParseComboText(kSpread, instruments_));
    COMBO_ASSIGN_OR_RETURN(combo_, combos_.Intern(core::Canonicalize(*spread_).spec));
    pricing::PricingConfig pricing_config;
    pricing_config.venues = {kLegs, kCboe};
    COMBO_ASSIGN_OR_RETURN(pricing_,
                           pricing::PricingEngine::Create(instruments_, combos_, pricing_config));
    COMBO_ASSIGN_OR_RETURN(risk_, risk::RiskManager::Create(risk::RiskLimits{}, time_, registry_));

    router::RouterDependencies deps;
    std::vector<std::pair<venues::Venue*, Duration>> leg_venues;
    for (const auto& [id, name] : {std::pair{kLegs, "LEGS"}, std::pair{kCboe, "CBOE"}}) {
      venues::SimulatedVenueConfig config;
      config.id = id;
      config.name = name;
      for (const auto& [instrument_id, instrument] : instruments_.all()) {
        config.instruments.push_back({instrument_id, instrument.tick_rule()});
      }
      Duration expected_latency;
      if (id == kLegs) {
        const VenueLatency latency = LegVenueLatency();
        config.latency.inbound.new_order.fixed = latency.inbound;
        config.latency.inbound.cancel.fixed = latency.inbound;
        config.latency.outbound.ack.fixed = latency.outbound;
        config.latency.outbound.fill.fixed = latency.outbound;
        config.latency.outbound.cancelled.fixed = latency.outbound;
        expected_latency = latency.inbound;
      } else {
        config.complex_book.enabled = true;
        config.complex_book.combos.push_back(
            venues::ListedCombo{combo_, core::Canonicalize(*spread_).spec, {}});
      }
      COMBO_ASSIGN_OR_RETURN(std::unique_ptr<venues::SimulatedVenue> venue,
                             venues::SimulatedVenue::Create(std::move(config), &time_));
      feeds_.push_back(std::make_unique<router::PricingFeed>(*pricing_));
      COMBO_RETURN_IF_ERROR(venue->Subscribe(feeds_.back().get()));
      for (core::ParticipantId participant : {kLegMaker, kNativeMaker, kTaker}) {
        COMBO_RETURN_IF_ERROR(venue->Connect(participant, &makers_));
      }
      risk_->SetVenueStatus(id, risk::VenueStatus::kAvailable);
      deps.venues.push_back(venue.get());
      leg_venues.emplace_back(venue.get(), expected_latency);
      venues_[id] = std::move(venue);
    }
    COMBO_RETURN_IF_ERROR(BuildLegIn(leg_venues));
    COMBO_ASSIGN_OR_RETURN(accounts_,
                           accounts::AccountsService::Open(dir_.Sub("journal.db"),
                                                           accounts::AccountsOptions{}, time_));
    deps.instruments = &instruments_;
    deps.combos = &combos_;
    deps.pricing = pricing_.get();
    deps.risk = risk_.get();
    deps.scheduler = &time_;
    deps.leg_in = leg_in_.get();
    deps.accounts = accounts_.get();
    router::RouterConfig config;
    config.participant = kRouter;
    config.stability_wait = Duration::Milliseconds(100);
    config.cancel_timeout_with_legs_working = Duration::Seconds(5);
    COMBO_ASSIGN_OR_RETURN(router_, router::ComboRouter::Create(config, std::move(deps)));
    router_->SetObserver(&transitions_);
    listings_ = std::make_unique<testing::CatalogListings>(
        instruments_, combos_, *router_, router::ListingVenue{core::VenueId(1), "OPT-A"});
    COMBO_RETURN_IF_ERROR(pricing_->Track(combo_));

    // The market of seed 003's example. Wide leg quotes at CBOE give its complex book a
    // synthetic range to match in; LEGS has the best legs: implied 84.45 / 84.50.
    COMBO_RETURN_IF_ERROR(Quote(kCboe, "AAA", "99.00", 50, "101.00", 50));
    COMBO_RETURN_IF_ERROR(Quote(kCboe, "BBB", "15.00", 50, "16.00", 50));
    COMBO_RETURN_IF_ERROR(Quote(kLegs, "AAA", "100.00", 50, "100.05", 50));
    COMBO_RETURN_IF_ERROR(Quote(kLegs, "BBB", "15.55", 50, "15.60", 50));
    COMBO_RETURN_IF_ERROR(NativeQuote("84.30", 10, "84.60", 10));
    time_.AdvanceBy(Duration::Milliseconds(10));

    GatewayConfig gateway;
    gateway.data_dictionary = COMBO_FIX_DICTIONARY;
    gateway.store_directory = dir_.Sub("acceptor-store");
    gateway.sessions = {{"COMBO", kClient, std::nullopt, std::nullopt, "ACC1"}};
    // The acceptor is started from the test thread (Start blocks until it listens).
    gateway_config_ = gateway;
    gateway_config_.listen_address = "127.0.0.1";
    gateway_config_.socket_threads = GetParam();
    return absl::OkStatus();
  }

  absl::Status BuildLegIn(const std::vector<std::pair<venues::Venue*, Duration>>& leg_venues) {
    router::LegInEngineDependencies deps;
    deps.instruments = &instruments_;
    deps.pricing = pricing_.get();
    deps.risk = risk_.get();
    deps.scheduler = &time_;
    deps.clock = &time_;
    for (const auto& [venue, latency] : leg_venues) {
      router::LegVenue leg_venue;
      leg_venue.venue = venue;
      leg_venue.expected_latency = latency;
      deps.venues.push_back(leg_venue);
    }
    deps.participant = kLegInEngine;
    deps.first_order_id = 1'000'000;
    deps.registry = &registry_;
    COMBO_ASSIGN_OR_RETURN(leg_in_, router::VenueLegInEngine::Create(Policy(), std::move(deps)));
    return absl::OkStatus();
  }

  // Starts the acceptor on a free port (picked again if someone takes it first).
  absl::Status StartAcceptor() {
    for (int attempt = 0; attempt < testing::kPortAttempts; ++attempt) {
      gateway_config_.port = testing::PickFreePort();
      absl::Status made;
      core_.RunAndWait([&] {
        acceptor_.reset();
        absl::StatusOr<std::unique_ptr<FixAcceptor>> acceptor = FixAcceptor::Create(
            gateway_config_, *router_, instruments_, *listings_,
            [this](std::function<void()> task) {
              // As the daemon: at once on the core thread, else posted.
              core_.Dispatch([this, task = std::move(task)] {
                task();
                // What the task scheduled for now runs now, as on the daemon's io_context.
                time_.AdvanceBy(Duration::Zero());
              });
            },
            time_, &registry_, &core_.io());
        made = acceptor.status();
        if (acceptor.ok()) acceptor_ = *std::move(acceptor);
      });
      if (!made.ok()) return made;
      absl::Status started;
      core_.RunAndWait([&] { started = acceptor_->Start(); });
      if (started.ok()) return absl::OkStatus();
    }
    return absl::UnavailableError("no free port for the acceptor");
  }

  std::unique_ptr<FixClient> Connect(MessageCollector& collector) {
    if (acceptor_ == nullptr && !StartAcceptor().ok()) return nullptr;
    ClientConfig config;
    config.port = gateway_config_.port;
    config.sender_comp_id = kClient;
    config.data_dictionary = COMBO_FIX_DICTIONARY;
    config.store_directory = dir_.Sub("client-store");
    absl::StatusOr<std::unique_ptr<FixClient>> client =
        FixClient::Create(config, [&collector](const FIX::Message& m) { collector.Add(m); });
    if (!client.ok() || !(*client)->Start().ok()) return nullptr;
    return *std::move(client);
  }

  // A market maker's two-sided leg quote at `venue` (replacing its previous one); "-" for none.
  absl::Status Quote(core::VenueId venue, const std::string& symbol, const std::string& bid,
                     int64_t bid_quantity, const std::string& ask, int64_t ask_quantity) {
    const core::Instrument* instrument = instruments_.FindBySymbol(symbol);
    if (instrument == nullptr) return absl::NotFoundError(symbol);
    for (int side = 0; side < 2; ++side) {
      const auto key = std::make_tuple(venue.value(), symbol, side);
      if (auto old = maker_orders_.find(key); old != maker_orders_.end()) {
        (void)venues_[venue]->Cancel(venues::CancelRequest{kLegMaker, old->second});
        maker_orders_.erase(old);
      }
      const std::string& price = side == 0 ? bid : ask;
      if (price == "-") continue;
      venues::OrderRequest request;
      request.participant = kLegMaker;
      request.order_id = core::OrderId(next_maker_order_++);
      request.instrument = instrument->id();
      request.side = side == 0 ? Side::kBuy : Side::kSell;
      request.limit_price = Px(price);
      request.quantity = Quantity(side == 0 ? bid_quantity : ask_quantity);
      request.time_in_force = venues::TimeInForce::kGoodTillCancel;
      COMBO_RETURN_IF_ERROR(venues_[venue]->Submit(request));
      maker_orders_[key] = request.order_id;
    }
    return absl::OkStatus();
  }

  // The native market maker's quote for the spread at CBOE.
  absl::Status NativeQuote(const std::string& bid, int64_t bid_quantity, const std::string& ask,
                           int64_t ask_quantity) {
    for (int side = 0; side < 2; ++side) {
      const auto key = std::make_tuple(kCboe.value(), std::string("S"), side);
      if (auto old = maker_orders_.find(key); old != maker_orders_.end()) {
        (void)venues_[kCboe]->Cancel(venues::CancelRequest{kNativeMaker, old->second});
        maker_orders_.erase(old);
      }
      const std::string& price = side == 0 ? bid : ask;
      if (price == "-") continue;
      venues::ComplexOrderRequest request;
      request.participant = kNativeMaker;
      request.order_id = core::OrderId(next_maker_order_++);
      request.combo = combo_;
      request.side = side == 0 ? Side::kBuy : Side::kSell;
      request.limit_price = Px(price);
      request.quantity = Quantity(side == 0 ? bid_quantity : ask_quantity);
      request.time_in_force = venues::TimeInForce::kGoodTillCancel;
      COMBO_RETURN_IF_ERROR(venues_[kCboe]->SubmitComplex(request));
      maker_orders_[key] = request.order_id;
    }
    return absl::OkStatus();
  }

  // Another participant's immediate-or-cancel spread order at CBOE.
  absl::Status Hit(Side side, int64_t quantity, const std::string& price) {
    venues::ComplexOrderRequest request;
    request.participant = kTaker;
    request.order_id = core::OrderId(next_maker_order_++);
    request.combo = combo_;
    request.side = side;
    request.limit_price = Px(price);
    request.quantity = Quantity(quantity);
    request.time_in_force = venues::TimeInForce::kImmediateOrCancel;
    return venues_[kCboe]->SubmitComplex(request);
  }

  // Runs `action` on the core thread, then what it made due now; fails the test on an error.
  void OnCore(const std::function<absl::Status()>& action) {
    absl::Status status;
    core_.RunAndWait([&] {
      status = action();
      time_.AdvanceBy(Duration::Zero());
    });
    ASSERT_TRUE(status.ok()) << status;
  }
  void Advance(Duration delta) {
    core_.RunAndWait([&] { time_.AdvanceBy(delta); });
  }

  FIX::Message Expect(const std::function<bool(const FIX::Message&)>& match, size_t skip = 0) {
    std::optional<FIX::Message> message = received_.WaitFor(match, testing::kWait, skip);
    EXPECT_TRUE(message.has_value())
        << "timed out; router transitions: " << ::testing::PrintToString(transitions_.All());
    return message.value_or(FIX::Message());
  }

  ComboOrderParams Spread(const std::string& id, int64_t quantity, const std::string& limit) {
    ComboOrderParams params;
    params.client_order_id = id;
    params.quantity = quantity;
    params.legs = *ParseLegText(kSpread);
    params.limit_price = Px(limit);
    return params;
  }

  // The per-leg reports (442=2) of the fill whose ExecID is `exec_id`, waiting (bounded) for
  // `count` of them: they follow the combo's report.
  std::vector<FIX::Message> LegReports(const std::string& exec_id, size_t count = 2) {
    auto is_leg = [exec_id](const FIX::Message& m) {
      return m.getHeader().getField(FIX::FIELD::MsgType) == "8" &&
             m.isSetField(FIX::FIELD::MultiLegReportingType) &&
             m.getField(FIX::FIELD::MultiLegReportingType) == "2" &&
             m.isSetField(FIX::FIELD::SecondaryExecID) &&
             m.getField(FIX::FIELD::SecondaryExecID) == exec_id;
    };
    (void)received_.WaitFor(is_leg, testing::kWait, count - 1);
    std::vector<FIX::Message> legs;
    for (const FIX::Message& m : received_.All()) {
      if (is_leg(m)) legs.push_back(m);
    }
    return legs;
  }

  // Checks a combo fill report against its per-leg reports: one per leg, linked by
  // SecondaryExecID(527), leg prices reproducing the combo price, leg quantities the units.
  void ExpectConsistentLegs(const FIX::Message& fill) {
    const std::vector<FIX::Message> legs = LegReports(fill.getField(FIX::FIELD::ExecID));
    ASSERT_EQ(legs.size(), 2u) << "per-leg reports of ExecID " << fill.getField(FIX::FIELD::ExecID);
    Price net = Price::Zero();
    for (const FIX::Message& leg : legs) {
      EXPECT_EQ(Int(leg, FIX::FIELD::LastQty), Int(fill, FIX::FIELD::LastQty));  // ratio 1 each
      const Price price = PriceField(leg, FIX::FIELD::LastPx);
      net = leg.getField(FIX::FIELD::Side) == "1" ? net + price : net - price;
    }
    EXPECT_EQ(net, PriceField(fill, FIX::FIELD::LastPx));
  }

  TempDir dir_;
  testing::CoreThread core_;
  absl::Status setup_;
  // Core-thread state.
  core::SimulatedTime time_{core::Timestamp::FromUtc(2026, 11, 20, 14, 30, 0)};
  core::InstrumentCatalog instruments_;
  core::ComboCatalog combos_;
  std::optional<core::ComboSpec> spread_;
  core::ComboId combo_;
  prometheus::Registry registry_;
  std::unique_ptr<pricing::PricingEngine> pricing_;
  std::unique_ptr<risk::RiskManager> risk_;
  std::map<core::VenueId, std::unique_ptr<venues::SimulatedVenue>> venues_;
  std::vector<std::unique_ptr<router::PricingFeed>> feeds_;
  IgnoreVenueEvents makers_;
  std::unique_ptr<router::VenueLegInEngine> leg_in_;
  std::unique_ptr<accounts::AccountsService> accounts_;
  std::unique_ptr<router::ComboRouter> router_;
  // The instruments at one venue, the router's definitions (no SecurityListRequest here).
  std::unique_ptr<testing::CatalogListings> listings_;
  std::map<std::tuple<uint32_t, std::string, int>, core::OrderId> maker_orders_;
  uint64_t next_maker_order_ = 1;
  Transitions transitions_;
  GatewayConfig gateway_config_;
  std::unique_ptr<FixAcceptor> acceptor_;
  // Test thread.
  MessageCollector received_;
  std::unique_ptr<FixClient> client_;
};

TEST_P(EndToEndTest, NativeFillIsReportedWithItsLegs) {
  // Not marketable (implied ask 84.50, native ask 84.60): rests at CBOE's complex book.
  ASSERT_TRUE(client_->Send(MakeNewOrderMultileg(Spread("o1", 10, "84.45"), kTime)).ok());
  const FIX::Message ack = Expect(Report("o1", "0"));
  EXPECT_EQ(ack.getField(FIX::FIELD::OrdStatus), "0");
  EXPECT_EQ(Int(ack, FIX::FIELD::OrderQty), 10);
  ASSERT_TRUE(transitions_.WaitFor("resting_native"));

  // The native ask comes down to the client's limit: the resting order trades at CBOE.
  OnCore([&] { return NativeQuote("84.30", 10, "84.45", 10); });
  const FIX::Message fill = Expect(Report("o1", "F"));
  EXPECT_EQ(fill.getField(FIX::FIELD::OrdStatus), "2");
  EXPECT_EQ(Int(fill, FIX::FIELD::LastQty), 10);
  EXPECT_EQ(PriceField(fill, FIX::FIELD::LastPx), Px("84.45"));
  EXPECT_EQ(Int(fill, FIX::FIELD::CumQty), 10);
  EXPECT_EQ(Int(fill, FIX::FIELD::LeavesQty), 0);
  EXPECT_EQ(PriceField(fill, FIX::FIELD::AvgPx), Px("84.45"));
  ExpectConsistentLegs(fill);
  // The venue that traded it is named on the legs.
  for (const FIX::Message& leg : LegReports(fill.getField(FIX::FIELD::ExecID))) {
    EXPECT_EQ(leg.getField(FIX::FIELD::LastMkt), absl::StrCat(kCboe.value()));
  }
  // The daemon's metrics saw the session's traffic.
  const GatewayMetrics* metrics = acceptor_->metrics();
  ASSERT_NE(metrics, nullptr);
  EXPECT_EQ(metrics->messages(Direction::kIn, "AB"), 1);
  EXPECT_GE(metrics->messages(Direction::kOut, "8"), 4);  // ack, fill, two legs
}

TEST_P(EndToEndTest, PartialFillReplaceAndCancelKeepQuantitiesConsistent) {
  ASSERT_TRUE(client_->Send(MakeNewOrderMultileg(Spread("o1", 10, "84.45"), kTime)).ok());
  Expect(Report("o1", "0"));
  ASSERT_TRUE(transitions_.WaitFor("resting_native"));

  // Another participant sells 4 at the client's price: a partial native fill.
  OnCore([&] { return Hit(Side::kSell, 4, "84.45"); });
  const FIX::Message partial = Expect(Report("o1", "F"));
  EXPECT_EQ(partial.getField(FIX::FIELD::OrdStatus), "1");
  EXPECT_EQ(Int(partial, FIX::FIELD::LastQty), 4);
  EXPECT_EQ(Int(partial, FIX::FIELD::CumQty), 4);
  EXPECT_EQ(Int(partial, FIX::FIELD::LeavesQty), 6);
  ExpectConsistentLegs(partial);

  // Replace: 12 units at 84.40. Still not marketable, so it rests natively again, 8 left.
  ASSERT_TRUE(
      client_->Send(MakeReplaceRequest("r1", "o1", Side::kBuy, 12, Px("84.40"), kTime)).ok());
  const FIX::Message replaced = Expect(Report("r1", "5"));
  EXPECT_EQ(replaced.getField(FIX::FIELD::OrigClOrdID), "o1");
  EXPECT_EQ(Int(replaced, FIX::FIELD::OrderQty), 12);
  EXPECT_EQ(Int(replaced, FIX::FIELD::CumQty), 4);
  EXPECT_EQ(Int(replaced, FIX::FIELD::LeavesQty), 8);
  EXPECT_EQ(PriceField(replaced, FIX::FIELD::Price), Px("84.40"));

  // A participant selling at 84.40 now trades with the replaced order.
  ASSERT_TRUE(transitions_.WaitFor("replaced"));
  OnCore([&] { return Hit(Side::kSell, 3, "84.40"); });
  const FIX::Message second = Expect(Report("r1", "F"));
  EXPECT_EQ(Int(second, FIX::FIELD::LastQty), 3);
  EXPECT_EQ(PriceField(second, FIX::FIELD::LastPx), Px("84.40"));
  EXPECT_EQ(Int(second, FIX::FIELD::CumQty), 7);
  EXPECT_EQ(Int(second, FIX::FIELD::LeavesQty), 5);
  ExpectConsistentLegs(second);

  // A replace below what already filled is refused and changes nothing.
  ASSERT_TRUE(
      client_->Send(MakeReplaceRequest("r2", "r1", Side::kBuy, 6, Px("84.40"), kTime)).ok());
  const FIX::Message refused = Expect(HasMsgType("9"));
  EXPECT_EQ(refused.getField(FIX::FIELD::CxlRejResponseTo), "2");
  EXPECT_THAT(refused.getField(FIX::FIELD::Text), HasSubstr("already filled"));

  // Cancel: the rest is cancelled at CBOE; what filled stays filled.
  ASSERT_TRUE(client_->Send(MakeCancelRequest("c1", "r1", Side::kBuy, kTime)).ok());
  const FIX::Message cancelled = Expect(Report("c1", "4"));
  EXPECT_EQ(cancelled.getField(FIX::FIELD::OrdStatus), "4");
  EXPECT_EQ(cancelled.getField(FIX::FIELD::OrigClOrdID), "r1");
  EXPECT_EQ(Int(cancelled, FIX::FIELD::CumQty), 7);
  EXPECT_EQ(Int(cancelled, FIX::FIELD::LeavesQty), 0);
}

TEST_P(EndToEndTest, SessionReconnectsResumesSequenceNumbersAndGetsMissedFill) {
  ASSERT_TRUE(client_->Send(MakeNewOrderMultileg(Spread("o1", 10, "84.45"), kTime)).ok());
  Expect(Report("o1", "0"));
  ASSERT_TRUE(transitions_.WaitFor("resting_native"));
  const int next_sender = client_->next_sender_seq_num();
  EXPECT_GE(next_sender, 3);  // Logon, the order

  // The client vanishes without a Logout; its order fills meanwhile.
  client_->Disconnect();
  client_.reset();
  OnCore([&] { return NativeQuote("84.30", 10, "84.45", 10); });
  ASSERT_TRUE(transitions_.WaitFor("filled"));

  // It comes back with its store: the session resumes where it was, nothing is reset, and the
  // fill it missed arrives as a resend.
  MessageCollector again;
  client_ = Connect(again);
  ASSERT_NE(client_, nullptr);
  ASSERT_TRUE(client_->WaitForLogon(testing::kWait));
  EXPECT_GT(client_->next_sender_seq_num(), next_sender);
  const std::optional<FIX::Message> fill = again.WaitFor(Report("o1", "F"));
  ASSERT_TRUE(fill.has_value());
  EXPECT_EQ(fill->getField(FIX::FIELD::OrdStatus), "2");
  EXPECT_EQ(fill->getHeader().getField(FIX::FIELD::PossDupFlag), "Y");  // PossDupFlag: resent
  // And the resumed session carries new business.
  ASSERT_TRUE(client_->Send(MakeStatusRequest("o1", Side::kBuy)).ok());
  const std::optional<FIX::Message> status = again.WaitFor(Report("o1", "I"));
  ASSERT_TRUE(status.has_value());
  client_.reset();  // before `again`, which it feeds
}

TEST_P(EndToEndTest, LegInFillIsOneConsolidatedReportWithPerLegReports) {
  // The legs at LEGS now imply 84.45 against a native ask of 84.60: a buy at 84.50 is
  // marketable on the implied market at once and legs in.
  OnCore([&] { return Quote(kLegs, "AAA", "99.95", 50, "100.00", 50); });
  ASSERT_TRUE(client_->Send(MakeNewOrderMultileg(Spread("o1", 10, "84.50"), kTime)).ok());
  Expect(Report("o1", "0"));
  ASSERT_TRUE(transitions_.WaitFor("legging_in"));

  // The engine bought AAA at 100.00 and sold BBB at 15.55 at LEGS: 10 units at 84.45, reported
  // once for the combo, with the legs in its NoLegs group and one report per leg.
  const FIX::Message fill = Expect(Report("o1", "F"));
  EXPECT_EQ(fill.getField(FIX::FIELD::OrdStatus), "2");
  EXPECT_EQ(Int(fill, FIX::FIELD::LastQty), 10);
  EXPECT_EQ(PriceField(fill, FIX::FIELD::LastPx), Px("84.45"));
  EXPECT_EQ(Int(fill, FIX::FIELD::CumQty), 10);
  EXPECT_EQ(Int(fill, FIX::FIELD::LeavesQty), 0);
  EXPECT_EQ(PriceField(fill, FIX::FIELD::AvgPx), Px("84.45"));
  ASSERT_EQ(fill.groupCount(FIX::FIELD::NoLegs), 2u);
  std::map<std::string, Price> combo_leg_prices;
  for (int i = 1; i <= 2; ++i) {
    const FIX::FieldMap& leg = fill.getGroupRef(i, FIX::FIELD::NoLegs);
    EXPECT_EQ(Int(leg, FIX::FIELD::LegQty), 10);  // LegQty
    combo_leg_prices[leg.getField(FIX::FIELD::LegSymbol)] =
        PriceField(leg, FIX::FIELD::LegLastPx);  // LegLastPx
  }
  EXPECT_EQ(combo_leg_prices["AAA"], Px("100.00"));
  EXPECT_EQ(combo_leg_prices["BBB"], Px("15.55"));
  ExpectConsistentLegs(fill);
  for (const FIX::Message& leg : LegReports(fill.getField(FIX::FIELD::ExecID))) {
    EXPECT_EQ(leg.getField(FIX::FIELD::LastMkt),
              absl::StrCat(kLegs.value()));  // LastMkt: where it traded
    EXPECT_EQ(leg.getField(FIX::FIELD::OrdStatus), "2");
    EXPECT_EQ(PriceField(leg, FIX::FIELD::LastPx),
              leg.getField(FIX::FIELD::Symbol) == "AAA" ? Px("100.00") : Px("15.55"));
  }
  size_t error_account_legs = 1;
  core_.RunAndWait([&] { error_account_legs = router_->error_account_legs().size(); });
  EXPECT_EQ(error_account_legs, 0u);
}

// The router owns the order: a status request after it filled is answered from the router's
// state alone, describing the order in full (account, type, time in force, the legs as sent).
TEST_P(EndToEndTest, ASecurityIdIsTheRoutersDefinitionAndAnUndefinedOneIsRefused) {
  // Never defined: the router knows no SecurityID 7, so the order is refused as it is read.
  ComboOrderParams unknown = Spread("o1", 1, "84.45");
  unknown.legs.clear();
  unknown.combo_id = 7;
  ASSERT_TRUE(client_->Send(MakeNewOrderMultileg(unknown, kTime)).ok());
  const FIX::Message refused = Expect(Report("o1", "8"));
  EXPECT_NE(refused.getField(FIX::FIELD::Text).find("SecurityID"), std::string::npos)
      << refused.getField(FIX::FIELD::Text);

  // Defined through the router, the same SecurityID form trades its legs.
  ASSERT_TRUE(client_->Send(MakeSecurityDefinitionRequest("d1", *ParseLegText(kSpread))).ok());
  const FIX::Message definition = Expect(HasMsgType("d"));
  ComboOrderParams named = Spread("o2", 10, "84.45");
  named.legs.clear();
  named.combo_id = static_cast<uint32_t>(std::stoul(definition.getField(FIX::FIELD::SecurityID)));
  ASSERT_TRUE(client_->Send(MakeNewOrderMultileg(named, kTime)).ok());
  const FIX::Message ack = Expect(Report("o2", "0"));
  EXPECT_EQ(ack.getField(FIX::FIELD::SecurityID), definition.getField(FIX::FIELD::SecurityID));
  ASSERT_EQ(ack.groupCount(FIX::FIELD::NoLegs), 2u);
  EXPECT_EQ(ack.getGroupRef(1, FIX::FIELD::NoLegs).getField(FIX::FIELD::LegSymbol), "AAA");
}

TEST_P(EndToEndTest, StatusOfAFilledOrderIsAnsweredFromTheRoutersState) {
  OnCore([&] { return Quote(kLegs, "AAA", "99.95", 50, "100.00", 50); });
  ASSERT_TRUE(client_->Send(MakeNewOrderMultileg(Spread("o1", 10, "84.50"), kTime)).ok());
  Expect(Report("o1", "0"));
  EXPECT_EQ(Expect(Report("o1", "F")).getField(FIX::FIELD::OrdStatus), "2");

  ASSERT_TRUE(client_->Send(MakeStatusRequest("o1", Side::kBuy)).ok());
  const FIX::Message status = Expect(Report("o1", "I"));
  EXPECT_EQ(status.getField(FIX::FIELD::OrdStatus), "2");
  EXPECT_EQ(Int(status, FIX::FIELD::CumQty), 10);
  EXPECT_EQ(PriceField(status, FIX::FIELD::AvgPx), Px("84.45"));
  EXPECT_EQ(status.getField(FIX::FIELD::OrdType), "2");
  EXPECT_EQ(status.getField(FIX::FIELD::TimeInForce), "0");
  EXPECT_FALSE(status.getField(FIX::FIELD::Account).empty());
  ASSERT_EQ(status.groupCount(FIX::FIELD::NoLegs), 2u);
  EXPECT_EQ(status.getGroupRef(1, FIX::FIELD::NoLegs).getField(FIX::FIELD::LegSymbol), "AAA");
  EXPECT_EQ(status.getGroupRef(2, FIX::FIELD::NoLegs).getField(FIX::FIELD::LegSymbol), "BBB");
}

// Legs in flight: the leg venue answers 50 ms after each order message, and leg orders are
// limit orders that may rest.
class EndToEndLeggingTest : public EndToEndTest {
 protected:
  VenueLatency LegVenueLatency() const override {
    return {Duration::Milliseconds(50), Duration::Milliseconds(50)};
  }
  router::LegInPolicy Policy() const override {
    router::LegInPolicy policy;
    policy.leg_order_type = router::LegOrderType::kLimit;
    policy.leg_timeout = Duration::Seconds(10);
    return policy;
  }
};

TEST_P(EndToEndLeggingTest, CancelWithLegsWorkingWaitsForThemThenConfirms) {
  OnCore([&] { return Quote(kLegs, "AAA", "99.95", 50, "100.00", 50); });
  Advance(Duration::Milliseconds(100));  // the quotes reach the book
  ASSERT_TRUE(client_->Send(MakeNewOrderMultileg(Spread("o1", 10, "84.50"), kTime)).ok());
  Expect(Report("o1", "0"));
  ASSERT_TRUE(transitions_.WaitFor("legging_in"));

  // The first leg (BBB sell 10 @ 15.55) fills at LEGS; before the AAA leg order arrives there
  // the AAA offer shrinks to 4, so the AAA leg fills 4 and rests for the other 6.
  Advance(Duration::Milliseconds(50));
  OnCore([&] { return Quote(kLegs, "AAA", "99.95", 50, "100.00", 4); });
  Advance(Duration::Milliseconds(120));

  // The client cancels while the AAA leg is working. A status request behind it (the gateway
  // handles a session's messages in order) shows the cancel pending.
  ASSERT_TRUE(client_->Send(MakeCancelRequest("c1", "o1", Side::kBuy, kTime)).ok());
  ASSERT_TRUE(client_->Send(MakeStatusRequest("o1", Side::kBuy)).ok());
  const FIX::Message pending = Expect(Report("o1", "I"));
  EXPECT_EQ(pending.getField(FIX::FIELD::OrdStatus), "6");  // PendingCancel
  EXPECT_EQ(received_.WaitFor(Report("c1", "4"), Duration::Zero()), std::nullopt)
      << "confirmed while legs were working";

  // The engine pulls the resting AAA order; its 4 fills make 4 units, reported before the
  // cancel is confirmed; the 6 BBB without a partner go to the error account.
  Advance(Duration::Milliseconds(200));
  const FIX::Message fill = Expect(Report("o1", "F"));
  EXPECT_EQ(Int(fill, FIX::FIELD::LastQty), 4);
  EXPECT_EQ(PriceField(fill, FIX::FIELD::LastPx), Px("84.45"));
  EXPECT_EQ(Int(fill, FIX::FIELD::CumQty), 4);
  ExpectConsistentLegs(fill);
  const FIX::Message cancelled = Expect(Report("c1", "4"));
  EXPECT_EQ(cancelled.getField(FIX::FIELD::OrdStatus), "4");
  EXPECT_EQ(cancelled.getField(FIX::FIELD::OrigClOrdID), "o1");
  EXPECT_EQ(Int(cancelled, FIX::FIELD::CumQty), 4);
  EXPECT_EQ(Int(cancelled, FIX::FIELD::LeavesQty), 0);
  std::vector<router::LegInExecution> error_account;
  core_.RunAndWait([&] { error_account = router_->error_account_legs(); });
  ASSERT_EQ(error_account.size(), 1u);
  EXPECT_EQ(error_account[0].instrument, instruments_.FindBySymbol("BBB")->id());
  EXPECT_EQ(error_account[0].side, Side::kSell);
  EXPECT_EQ(error_account[0].quantity, Quantity(6));
  EXPECT_EQ(error_account[0].price, Px("15.55"));
}

INSTANTIATE_TEST_SUITE_P(Sockets, EndToEndTest, ::testing::ValuesIn(testing::kEverySocketThreads),
                         [](const auto& info) {
                           return testing::SocketThreadsTestName(info.param);
                         });

INSTANTIATE_TEST_SUITE_P(Sockets, EndToEndLeggingTest,
                         ::testing::ValuesIn(testing::kEverySocketThreads), [](const auto& info) {
                           return testing::SocketThreadsTestName(info.param);
                         });

}  // namespace
}  // namespace combo::fix

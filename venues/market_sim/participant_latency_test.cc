// The simulated participants' own latencies (ParticipantLink) and latency probes (seed 002 R1,
// R2, R5, R7): an embedded exchange running latency protection learns each participant's round
// trip from its test orders, and the figure 2 latency log comes out of four participant groups.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/combo_catalog.h"
#include "core/instrument_catalog.h"
#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "venues/market_sim/market_simulator.h"
#include "venues/simulated_venue.h"

namespace combo::venues::market_sim {
namespace {

using core::Duration;
using core::InstrumentId;

constexpr InstrumentId kStock(1);
constexpr InstrumentId kTestInstrument(9001);
constexpr core::VenueId kVenue(1);

// Forwards to a venue and checks the order requests reach it in the order their participant
// sent them: no replace or cancel of an order before the order itself.
class OrderCheckingVenue final : public Venue {
 public:
  explicit OrderCheckingVenue(Venue* venue) : venue_(venue) {}
  core::VenueId id() const override { return venue_->id(); }
  std::string_view name() const override { return venue_->name(); }
  bool Lists(InstrumentId instrument) const override { return venue_->Lists(instrument); }
  bool TradesNatively(core::ComboId combo) const override { return venue_->TradesNatively(combo); }
  absl::Status Connect(core::ParticipantId participant, VenueListener* listener) override {
    return venue_->Connect(participant, listener);
  }
  absl::Status Subscribe(MarketDataListener* listener) override {
    return venue_->Subscribe(listener);
  }
  absl::Status Unsubscribe(MarketDataListener* listener) override {
    return venue_->Unsubscribe(listener);
  }
  absl::Status Submit(const OrderRequest& request) override {
    submitted_.insert({request.participant.value(), request.order_id.value()});
    return venue_->Submit(request);
  }
  absl::Status SubmitComplex(const ComplexOrderRequest& request) override {
    return venue_->SubmitComplex(request);
  }
  absl::Status Cancel(const CancelRequest& request) override {
    Check(request.participant, request.order_id);
    return venue_->Cancel(request);
  }
  absl::Status Replace(const ReplaceRequest& request) override {
    Check(request.participant, request.order_id);
    ++replaces;
    return venue_->Replace(request);
  }
  absl::StatusOr<core::TopOfBook> TopOfBook(InstrumentId instrument) const override {
    return venue_->TopOfBook(instrument);
  }
  absl::StatusOr<core::Depth> BookDepth(InstrumentId instrument, int levels) const override {
    return venue_->BookDepth(instrument, levels);
  }

  int overtaken = 0;
  int replaces = 0;

 private:
  void Check(core::ParticipantId participant, core::OrderId order) {
    if (!submitted_.contains({participant.value(), order.value()})) ++overtaken;
  }
  Venue* venue_;
  std::set<std::pair<uint32_t, uint64_t>> submitted_;
};

// One stock, XYZ, on one venue with latency protection and no venue latency of its own, so that
// a participant's round trip is exactly its link's latency.
class ParticipantLatencyTest : public ::testing::Test {
 protected:
  ParticipantLatencyTest() {
    core::InstrumentDefinition stock;
    stock.id = kStock;
    stock.symbol = "XYZ";
    stock.underlying = "XYZ";
    EXPECT_TRUE(instruments_.Add(*core::Instrument::Create(stock)).ok());
    SimulatedVenueConfig venue;
    venue.id = kVenue;
    venue.name = "PROT";
    venue.instruments = {{kStock}};
    venue.latency_protection.enabled = true;
    venue.latency_protection.test_instrument = kTestInstrument;
    auto created = SimulatedVenue::Create(venue, &time_);
    EXPECT_TRUE(created.ok()) << created.status();
    venue_ = *std::move(created);
    config_.seed = 3;
    config_.underlyings.push_back({});
    config_.underlyings.back().underlying = "XYZ";
    config_.underlyings.back().initial_price = core::Price::FromParts(100, 0);
    config_.metrics = &registry_;
  }

  // A taker group at the venue with this link; it never trades here (no quotes to hit).
  void AddTakerGroup(const std::string& group, Duration fixed, Duration jitter = Duration::Zero()) {
    TakerConfig taker;
    taker.venue = kVenue;
    taker.instruments = {kStock};
    taker.link.fixed = fixed;
    taker.link.jitter = jitter;
    taker.link.probe_interval = Duration::Seconds(1);
    taker.link.group = group;
    config_.takers.push_back(taker);
  }

  absl::StatusOr<std::unique_ptr<MarketSimulator>> Create() {
    return MarketSimulator::Create(config_, &time_, &instruments_, &combos_, {venue_.get()});
  }
  void Start() {
    auto sim = Create();
    ASSERT_TRUE(sim.ok()) << sim.status();
    sim_ = *std::move(sim);
    ASSERT_TRUE(sim_->Start().ok());
  }
  double Probes(const std::string& group, const std::string& outcome) {
    for (const prometheus::MetricFamily& family : registry_.Collect()) {
      if (family.name != "combo_latency_probes_total") continue;
      for (const prometheus::ClientMetric& metric : family.metric) {
        std::map<std::string, std::string> labels;
        for (const auto& label : metric.label) labels[label.name] = label.value;
        if (labels["submitter"] == group && labels["outcome"] == outcome &&
            labels["venue"] == "PROT") {
          return metric.counter.value;
        }
      }
    }
    return -1;
  }

  core::SimulatedTime time_;
  core::InstrumentCatalog instruments_;
  core::ComboCatalog combos_;
  prometheus::Registry registry_;
  std::unique_ptr<SimulatedVenue> venue_;
  MarketSimConfig config_;
  std::unique_ptr<MarketSimulator> sim_;
};

// Seed 002 figure 2 (p.17 ll.5-16) and WE-C1: manager servers A 0.22 s, B 0.31 s, C 0.57 s,
// D 0.12 s. Each group's participant probes; the venue logs the one-way value it measured and
// the round trip the participant reported, and the whole-log period is 0.20 s because the log
// holds values between 0.30 s and 0.60 s.
TEST_F(ParticipantLatencyTest, FigureTwoLatencyLogComesFromFourParticipantGroups) {
  const std::vector<std::pair<std::string, Duration>> groups = {{"A", Duration::Milliseconds(220)},
                                                                {"B", Duration::Milliseconds(310)},
                                                                {"C", Duration::Milliseconds(570)},
                                                                {"D", Duration::Milliseconds(120)}};
  for (const auto& [group, latency] : groups) AddTakerGroup(group, latency);
  ASSERT_NO_FATAL_FAILURE(Start());
  // Nothing is logged before the first test order arrives (D's, at 0.12 s).
  EXPECT_EQ(venue_->latency_guard()->log().participant_count(), 0u);
  // C's report, sent when its first acceptance came back at 0.57 s, arrives at 1.14 s.
  time_.AdvanceBy(Duration::Milliseconds(1'250));
  const LatencyLog& log = venue_->latency_guard()->log();
  for (size_t i = 0; i < groups.size(); ++i) {
    const core::ParticipantId participant(config_.first_participant_id + static_cast<uint32_t>(i));
    // R2: the round trip (the acceptance comes back at once: the venue adds no latency).
    EXPECT_EQ(log.Latency(participant, LatencyMeasure::kRoundTrip, LogScope::kCurrentValue),
              groups[i].second)
        << groups[i].first;
    // R6: the venue's own one-way measurement from the test order's send stamp.
    EXPECT_EQ(log.Latency(participant, LatencyMeasure::kOneWay, LogScope::kCurrentValue),
              groups[i].second)
        << groups[i].first;
  }
  EXPECT_EQ(venue_->latency_guard()->WholeLogPeriod(), Duration::Milliseconds(200));
  // Test orders at 0 s and 1 s; by 1.25 s the second ones of D (1.12 s) and A (1.22 s) are
  // answered, B's (1.31 s) and C's (1.57 s) not yet.
  EXPECT_EQ(sim_->stats().probes_sent, 8);
  EXPECT_EQ(sim_->stats().probes_answered, 6);
  EXPECT_EQ(Probes("B", "sent"), 2);
  EXPECT_EQ(Probes("B", "answered"), 1);
  EXPECT_EQ(Probes("A", "answered"), 2);
  EXPECT_EQ(Probes("D", "answered"), 2);
}

// A link's jitter never reorders what a participant sends: over a link drawing 0-300 ms per
// message, a maker's new orders and replaces reach the venue in the order sent, and the same
// seed repeats the run exactly.
TEST_F(ParticipantLatencyTest, AJitteryLinkKeepsOrderAndTheSeedRepeatsTheRun) {
  MarketMakerConfig maker;
  maker.venue = kVenue;
  maker.instrument = kStock;
  maker.requote_delay = Duration::Milliseconds(10);
  maker.requote_jitter = Duration::Milliseconds(10);
  maker.link.jitter = Duration::Milliseconds(300);
  maker.quantity = core::Quantity(5);
  maker.link.group = "jittery";
  config_.market_makers.push_back(maker);
  // A taker fills whole quotes (so the maker sends new orders) and the price moves two ticks
  // every 50 ms (so it replaces them soon after, within the link's jitter).
  TakerConfig taker;
  taker.venue = kVenue;
  taker.instruments = {kStock};
  taker.arrivals_per_second = 20;
  taker.min_quantity = core::Quantity(5);
  taker.max_quantity = core::Quantity(5);
  config_.takers.push_back(taker);
  for (int i = 1; i <= 400; ++i) {
    ScriptedEvent jump;
    jump.at = Duration::Milliseconds(50 * i);
    jump.kind = ScriptedEventKind::kPriceJump;
    jump.underlying = "XYZ";
    jump.log_return = i % 2 == 0 ? 0.0002 : -0.0002;
    config_.script.push_back(jump);
  }
  uint64_t hash = 0;
  for (int run = 0; run < 2; ++run) {
    core::SimulatedTime time;
    SimulatedVenueConfig venue = venue_->config();
    auto created = SimulatedVenue::Create(venue, &time);
    ASSERT_TRUE(created.ok());
    OrderCheckingVenue checking(created->get());
    prometheus::Registry registry;
    MarketSimConfig config = config_;
    config.metrics = &registry;
    auto sim = MarketSimulator::Create(config, &time, &instruments_, &combos_, {&checking});
    ASSERT_TRUE(sim.ok()) << sim.status();
    ASSERT_TRUE((*sim)->Start().ok());
    time.AdvanceBy(Duration::Seconds(21));
    EXPECT_GT(checking.replaces, 100);
    EXPECT_EQ(checking.overtaken, 0);
    EXPECT_EQ((*sim)->stats().admission_errors, 0);
    if (run == 0) hash = (*sim)->log().hash();
    if (run == 1) EXPECT_EQ((*sim)->log().hash(), hash);
  }
}

TEST_F(ParticipantLatencyTest, ANegativeLinkLatencyIsRefusedNamingTheAgent) {
  AddTakerGroup("A", Duration::Milliseconds(-1));
  auto sim = Create();
  ASSERT_FALSE(sim.ok());
  EXPECT_NE(sim.status().message().find("taker 0"), std::string::npos) << sim.status();
}

// A venue without latency protection gets no test orders; the link's latency still applies.
TEST_F(ParticipantLatencyTest, NoProbesAtAVenueWithoutLatencyProtection) {
  SimulatedVenueConfig plain = venue_->config();
  plain.latency_protection.enabled = false;
  auto created = SimulatedVenue::Create(plain, &time_);
  ASSERT_TRUE(created.ok());
  venue_ = *std::move(created);
  AddTakerGroup("A", Duration::Milliseconds(220));
  ASSERT_NO_FATAL_FAILURE(Start());
  time_.AdvanceBy(Duration::Seconds(3));
  EXPECT_EQ(sim_->stats().probes_sent, 0);
  EXPECT_EQ(sim_->stats().admission_errors, 0);
}

}  // namespace
}  // namespace combo::venues::market_sim

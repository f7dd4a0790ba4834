#include "backtest/backtest.h"

#include <map>
#include <memory>
#include <sstream>
#include <vector>

#include "backtest/real_router.h"
#include "gtest/gtest.h"

namespace combo::backtest {
namespace {

core::Price Cents(int64_t cents) { return core::Price::FromParts(0, cents * 10'000'000); }

// Takes every order, fills none, and confirms cancels: the harness's own behaviour shows.
class RecordingRouter final : public router::OrderEntry, public RouterUnderTest {
 public:
  void SetListener(router::OrderEntryListener* listener) override { listener_ = listener; }
  absl::Status Submit(const router::NewComboOrder& order) override {
    submitted.push_back(order);
    router::ComboOrderAccepted accepted;
    accepted.order.client_order_id = order.client_order_id;
    listener_->OnAccepted(accepted);
    return absl::OkStatus();
  }
  absl::Status Cancel(const router::CancelComboOrder& cancel) override {
    cancels.push_back(cancel);
    router::ComboOrderCancelled cancelled;
    cancelled.order.client_order_id = cancel.client_order_id;
    cancelled.order.original_client_order_id = cancel.original_client_order_id;
    listener_->OnCancelled(cancelled);
    return absl::OkStatus();
  }
  absl::Status Replace(const router::ReplaceComboOrder&) override { return absl::OkStatus(); }
  absl::Status RequestStatus(const router::ComboOrderStatusRequest&) override {
    return absl::OkStatus();
  }
  absl::StatusOr<router::ComboDefinition> DefineCombo(const core::ComboSpec&) override {
    return absl::UnimplementedError("not needed");
  }
  const core::ComboSpec* FindDefinedCombo(core::ComboId) const override { return nullptr; }
  absl::StatusOr<router::ComboQuote> SubscribeQuotes(core::ComboId,
                                                     router::ComboQuoteListener*) override {
    return absl::UnimplementedError("not needed");
  }
  absl::Status UnsubscribeQuotes(core::ComboId, router::ComboQuoteListener*) override {
    return absl::OkStatus();
  }
  router::OrderEntry& entry() override { return *this; }
  LegInCounts leg_in_counts() const override { return {}; }
  core::Money error_account_pnl() const override { return core::Money::Zero(); }

  std::vector<router::NewComboOrder> submitted;
  std::vector<router::CancelComboOrder> cancels;

 private:
  router::OrderEntryListener* listener_ = nullptr;
};

RouterFactory Recording(RecordingRouter** out) {
  return [out](LegInMode, venues::market_sim::SampleMarket&,
               core::Scheduler&) -> absl::StatusOr<std::unique_ptr<RouterUnderTest>> {
    auto router = std::make_unique<RecordingRouter>();
    *out = router.get();
    return router;
  };
}

TEST(BacktestTest, SendsTheConfiguredOrdersFromNativePricesAndCancelsTheRest) {
  BacktestConfig config;
  config.orders = 20;
  config.minutes = 1;
  RecordingRouter* router = nullptr;
  RouterFactory factory = Recording(&router);
  // The router dies with the run; count through the report.
  absl::StatusOr<PolicyReport> report = RunBacktest(config, factory, nullptr);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->orders_sent, 20);
  EXPECT_EQ(report->orders_accepted, 20);
  EXPECT_EQ(report->units_filled, 0);
  EXPECT_EQ(report->fill_rate(), 0.0);
  EXPECT_GE(report->units_ordered, 20);
  EXPECT_LE(report->units_ordered, 100);
}

TEST(BacktestTest, BothPoliciesMeetTheSameMarketForTheSameSeed) {
  BacktestConfig config;
  config.orders = 5;
  config.minutes = 1;
  RecordingRouter* router = nullptr;
  RouterFactory factory = Recording(&router);
  config.policy = LegInMode::kAggressive;
  const uint64_t aggressive = RunBacktest(config, factory, nullptr)->market_hash;
  config.policy = LegInMode::kDefensive;
  const uint64_t defensive = RunBacktest(config, factory, nullptr)->market_hash;
  EXPECT_EQ(aggressive, defensive);
  config.seed = 2;
  EXPECT_NE(RunBacktest(config, factory, nullptr)->market_hash, aggressive);
}

TEST(BacktestTest, PriceImprovementIsMeasuredAgainstTheNativePriceOnTheOrdersSide) {
  MetricsCollector metrics(LegInMode::kDefensive);
  const core::ComboSpec spread =
      core::ComboSpec::Create({{core::InstrumentId(11), 1, core::Side::kBuy},
                               {core::InstrumentId(12), 1, core::Side::kSell}})
          .value();
  router::NewComboOrder buy{.client_order_id = core::ClientOrderId("B"),
                            .combo = spread,
                            .side = core::Side::kBuy,
                            .quantity = core::Quantity(4)};
  metrics.NoteOrder(buy, Cents(150));
  router::NewComboOrder sell = buy;
  sell.client_order_id = core::ClientOrderId("S");
  sell.side = core::Side::kSell;
  metrics.NoteOrder(sell, Cents(140));
  router::ComboExecution fill;
  fill.order.client_order_id = core::ClientOrderId("B");
  fill.last_quantity = core::Quantity(2);
  fill.last_price = Cents(147);  // 3 cents better than the native offer, on 2 units
  metrics.OnExecution(fill);
  fill.order.client_order_id = core::ClientOrderId("S");
  fill.last_quantity = core::Quantity(2);
  fill.last_price = Cents(139);  // 1 cent worse than the native bid, on 2 units
  metrics.OnExecution(fill);
  const PolicyReport& report = metrics.report();
  EXPECT_EQ(report.price_improvement, core::Money::FromPrice(Cents(4)));
  EXPECT_EQ(report.units_with_reference, 4);
  EXPECT_DOUBLE_EQ(report.improvement_per_unit(), 0.01);
  EXPECT_DOUBLE_EQ(report.fill_rate(), 0.5);
}

TEST(BacktestTest, BadConfigAndPolicyAreRejected) {
  BacktestConfig config;
  config.orders = 0;
  EXPECT_NE(ValidateBacktestConfig(config).message().find("orders 0"), std::string_view::npos);
  config = BacktestConfig{};
  config.latency_factor = 0;
  EXPECT_NE(ValidateBacktestConfig(config).message().find("latency factor 0"),
            std::string_view::npos);
  config = BacktestConfig{};
  config.max_ticks_inside = -1;
  EXPECT_NE(ValidateBacktestConfig(config).message().find("ticks inside -1"),
            std::string_view::npos);
  config = BacktestConfig{};
  config.minutes = 0;
  RecordingRouter* router = nullptr;
  RouterFactory factory = Recording(&router);
  EXPECT_FALSE(RunBacktest(config, factory, nullptr).ok());
  EXPECT_EQ(router, nullptr);
  EXPECT_NE(router::ParseLegInMode("timid").status().message().find("timid"),
            std::string_view::npos);
  EXPECT_EQ(router::ParseLegInMode("defensive").value(), LegInMode::kDefensive);
}

// The production stack: ComboRouter, VenueLegInEngine, pricing, risk and a journal.
TEST(BacktestTest, TheRealRouterRunsBothPoliciesAndTheSameSeedRepeatsExactly) {
  BacktestConfig config;
  config.orders = 40;
  config.minutes = 3;
  config.seed = 11;
  RouterFactory factory = RealRouterFactory();
  std::vector<PolicyReport> reports;
  for (LegInMode mode : {LegInMode::kAggressive, LegInMode::kDefensive}) {
    config.policy = mode;
    absl::StatusOr<PolicyReport> first = RunBacktest(config, factory, nullptr);
    ASSERT_TRUE(first.ok()) << first.status();
    absl::StatusOr<PolicyReport> second = RunBacktest(config, factory, nullptr);
    ASSERT_TRUE(second.ok()) << second.status();
    EXPECT_EQ(*first, *second) << router::ToString(mode);
    EXPECT_EQ(first->policy, mode);
    EXPECT_EQ(first->orders_sent, 40);
    EXPECT_EQ(first->orders_accepted + first->orders_rejected, 40);
    EXPECT_GT(first->units_filled, 0);
    EXPECT_LE(first->units_filled, first->units_ordered);
    // Every leg-in ends exactly one way.
    const LegInCounts& leg_in = first->leg_in;
    EXPECT_GT(leg_in.attempts, 0) << router::ToString(mode);
    EXPECT_EQ(leg_in.successes + leg_in.failures + leg_in.stopped, leg_in.attempts);
    int64_t ends = 0;
    for (const auto& [cause, count] : leg_in.ends) ends += count;
    EXPECT_EQ(ends, leg_in.attempts);
    EXPECT_EQ(leg_in.ends.count(router::LegInEnd::kCompleted) != 0
                  ? leg_in.ends.at(router::LegInEnd::kCompleted)
                  : 0,
              leg_in.successes);
    reports.push_back(*first);
  }
  // The policies differ in when a leg-in may start, so they do not trade the same.
  EXPECT_NE(reports[0], reports[1]);
}

// Far venues and a jumpy underlying: leg-ins fail now and then, and what they leave in the error
// account is worth the same whether read from the journal's ledger or from the router's record.
TEST(BacktestTest, FailedLegInsLeaveTheErrorAccountWithTheSamePnlInTheJournalAndTheRouter) {
  BacktestConfig config;
  config.orders = 60;
  config.minutes = 3;
  config.seed = 2;
  config.latency_factor = 100;
  config.jump_intensity = 1'000'000;
  config.max_units = 10;
  RouterFactory factory = RealRouterFactory();
  absl::StatusOr<PolicyReport> report = RunBacktest(config, factory, nullptr);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_GT(report->leg_in.failures, 0);
  EXPECT_GT(report->error_account_executions, 0);
  EXPECT_NE(report->error_account_pnl, core::Money::Zero());
  EXPECT_EQ(report->error_account_pnl, report->error_account_pnl_from_legs);
}

// The same stressed run with the residual resolver and with book and hold: book and hold keeps
// every residual to the end, the resolver works them out of the error account, and in both the
// residuals' costs add up to the error account's P&L read from the journal.
TEST(BacktestTest, TheResolverWorksOffTheResidueThatBookAndHoldKeeps) {
  BacktestConfig config;
  config.orders = 60;
  config.minutes = 3;
  config.seed = 2;
  config.latency_factor = 100;
  config.jump_intensity = 1'000'000;
  config.max_units = 10;
  RouterFactory hold = RealRouterFactory();
  RealRouterOptions with_resolver;
  with_resolver.resolver.enabled = true;
  RouterFactory resolve = RealRouterFactory(with_resolver);
  absl::StatusOr<PolicyReport> held = RunBacktest(config, hold, nullptr);
  ASSERT_TRUE(held.ok()) << held.status();
  absl::StatusOr<PolicyReport> resolved = RunBacktest(config, resolve, nullptr);
  ASSERT_TRUE(resolved.ok()) << resolved.status();

  for (const PolicyReport* report : {&*held, &*resolved}) {
    const ResidueFigures& residue = report->residue;
    ASSERT_FALSE(residue.costs.empty());
    ASSERT_EQ(residue.costs.size(), residue.times.size());
    core::Money cost = core::Money::Zero();
    for (core::Money one : residue.costs) cost += one;
    EXPECT_EQ(-cost, report->error_account_pnl);
    EXPECT_GT(residue.exposure_samples, config.minutes * 60);
  }
  // Book and hold: everything stays to the end, open since its booking.
  EXPECT_EQ(held->residue.open_at_end, static_cast<int64_t>(held->residue.costs.size()));
  EXPECT_GT(held->residue.exposure_at_end, core::Money::Zero());
  // The resolver: nothing left, each residual out before its horizon.
  EXPECT_EQ(resolved->residue.open_at_end, 0);
  EXPECT_EQ(resolved->residue.exposure_at_end, core::Money::Zero());
  EXPECT_LT(Percentile(resolved->residue.times, 100), with_resolver.resolver.horizon);
  EXPECT_LT(Percentile(resolved->residue.times, 100), Percentile(held->residue.times, 100));
  EXPECT_LT(resolved->residue.exposure_sum, held->residue.exposure_sum);
}

// The stressed market's scripted pulls and halts: as many as asked per hour, each ended (quotes
// restored, the venue resumed) 10-60 s or 5-30 s later, at one of the three exchanges, in time
// order, the same for a seed; in a run through them the residuals' costs add up to the error
// account's P&L.
TEST(BacktestTest, TheStressScriptPullsQuotesAndHaltsVenuesAndEndsEach) {
  using venues::market_sim::ScriptedEventKind;
  BacktestConfig config;
  config.minutes = 30;
  config.stress_events_per_hour = 60;
  const std::vector<venues::market_sim::ScriptedEvent> script = StressScript(config);
  ASSERT_EQ(script.size(), 60u);
  std::map<ScriptedEventKind, int> kinds;
  for (size_t i = 0; i < script.size(); ++i) {
    ++kinds[script[i].kind];
    if (i > 0) EXPECT_LE(script[i - 1].at, script[i].at);
    EXPECT_GE(script[i].venue.value(), 1u);
    EXPECT_LE(script[i].venue.value(), 3u);
  }
  EXPECT_EQ(kinds[ScriptedEventKind::kPullQuotes], kinds[ScriptedEventKind::kRestoreQuotes]);
  EXPECT_EQ(kinds[ScriptedEventKind::kHaltVenue], kinds[ScriptedEventKind::kResumeVenue]);
  EXPECT_GT(kinds[ScriptedEventKind::kPullQuotes], 0);
  EXPECT_GT(kinds[ScriptedEventKind::kHaltVenue], 0);
  EXPECT_EQ(StressScript(config).size(), script.size());
  config.stress_events_per_hour = 0;
  EXPECT_TRUE(StressScript(config).empty());
  config.stress_events_per_hour = -1;
  EXPECT_FALSE(ValidateBacktestConfig(config).ok());

  config.orders = 60;
  config.minutes = 3;
  config.seed = 2;
  config.latency_factor = 20;
  config.jump_intensity = 100'000;
  config.max_units = 10;
  config.stress_events_per_hour = 600;
  RealRouterOptions with_resolver;
  with_resolver.resolver.enabled = true;
  RouterFactory resolve = RealRouterFactory(with_resolver);
  absl::StatusOr<PolicyReport> report = RunBacktest(config, resolve, nullptr);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_GT(report->error_account_executions, 0);
  core::Money cost = core::Money::Zero();
  for (core::Money one : report->residue.costs) cost += one;
  EXPECT_EQ(-cost, report->error_account_pnl);
}

// A residual's time counts from its opening to the resolver's "resolved" (or, never said, to the
// sample that saw it closed), again for each reopening, and up to the end when still open.
TEST(BacktestTest, ResidueTrackerTimesEveryOpeningAndCensorsAtTheEnd) {
  const core::Timestamp t0 = core::Timestamp::UnixEpoch();
  auto at = [&](int64_t seconds) { return t0 + core::Duration::Seconds(seconds); };
  auto sample = [](int64_t order, bool open, core::Timestamp opened,
                   std::optional<core::Timestamp> resolved, int64_t exposure) {
    return ResidueSample{.order = core::OrderId(order),
                         .open = open,
                         .opened_at = opened,
                         .resolved_at = resolved,
                         .pnl = -core::Money::FromPrice(Cents(exposure)),
                         .gross_exposure = core::Money::FromPrice(Cents(exposure))};
  };
  ResidueTracker tracker;
  // Order 1 opens at 0.5 s and is resolved at 2.5 s; order 2 opens at 3 s and stays.
  tracker.Observe(at(1), {sample(1, true, at(0) + core::Duration::Milliseconds(500), {}, 100)});
  tracker.Observe(at(2), {sample(1, true, at(0) + core::Duration::Milliseconds(500), {}, 100)});
  tracker.Observe(at(3), {sample(1, false, at(0) + core::Duration::Milliseconds(500),
                                 at(2) + core::Duration::Milliseconds(500), 0),
                          sample(2, true, at(3), {}, 50)});
  // Order 1 reopens at 4 s and closes again, resolved at 5 s, between two samples.
  tracker.Observe(at(6), {sample(1, false, at(4), at(5), 0), sample(2, true, at(3), {}, 50)});
  const ResidueFigures figures =
      tracker.Finish(at(10), {sample(1, false, at(4), at(5), 0), sample(2, true, at(3), {}, 50)});
  EXPECT_EQ(figures.times,
            (std::vector<core::Duration>{core::Duration::Seconds(3), core::Duration::Seconds(7)}));
  EXPECT_EQ(figures.open_at_end, 1);
  EXPECT_EQ(figures.exposure_samples, 5);
  EXPECT_EQ(figures.exposure_sum, core::Money::FromPrice(Cents(100 + 100 + 50 + 50 + 50)));
  EXPECT_EQ(figures.exposure_at_end, core::Money::FromPrice(Cents(50)));
  EXPECT_EQ(figures.costs, (std::vector<core::Money>{core::Money::FromPrice(Cents(0)),
                                                     core::Money::FromPrice(Cents(50))}));
}

TEST(BacktestTest, PercentileIsTheNearestRank) {
  std::vector<core::Money> costs;
  for (int i = 20; i >= 1; --i) costs.push_back(core::Money::FromPrice(Cents(i)));
  EXPECT_EQ(Percentile(costs, 95), core::Money::FromPrice(Cents(19)));
  EXPECT_EQ(Percentile(costs, 100), core::Money::FromPrice(Cents(20)));
  EXPECT_EQ(Percentile(costs, 50), core::Money::FromPrice(Cents(10)));
  EXPECT_EQ(Percentile(std::vector<core::Money>{}, 95), core::Money::Zero());
  EXPECT_EQ(Percentile(std::vector<core::Duration>{core::Duration::Seconds(4)}, 95),
            core::Duration::Seconds(4));
}

TEST(BacktestTest, MarkedPnlIsCashPlusPositionsAtTheMark) {
  core::InstrumentCatalog catalog;
  core::InstrumentDefinition option;
  option.id = core::InstrumentId(5);
  option.symbol = "OPT";
  option.asset_class = core::AssetClass::kFuture;
  option.underlying = "U";
  option.multiplier = 100;
  option.tick_rule = Cents(1);
  ASSERT_TRUE(catalog.Add(core::Instrument::Create(option).value()).ok());
  // Bought 3 at 1.20, sold 1 at 1.50: cash -3.60 + 1.50 = -2.10 per multiplier; 2 left at 1.10.
  const std::vector<router::LegInExecution> legs = {
      {core::InstrumentId(5), core::Side::kBuy, core::VenueId(1), Cents(120), core::Quantity(3)},
      {core::InstrumentId(5), core::Side::kSell, core::VenueId(2), Cents(150), core::Quantity(1)}};
  const core::Money pnl = MarkedPnl(legs, catalog, {{core::InstrumentId(5), 1.10}});
  EXPECT_EQ(pnl, core::Money::FromPrice(Cents(100 * (-210 + 220))));
}

TEST(BacktestTest, ProgressBarFillsAsSimulatedTimePasses) {
  std::ostringstream out;
  ProgressBar bar(out, "aggressive");
  bar.OnProgress(0.5, core::Duration::Seconds(90));
  EXPECT_NE(out.str().find("50% 1.5 sim min"), std::string::npos);
  EXPECT_NE(out.str().find(std::string(20, '#') + std::string(20, ' ')), std::string::npos);
}

TEST(BacktestTest, ReportTableHasOneRowPerPolicy) {
  PolicyReport aggressive;
  PolicyReport defensive;
  defensive.policy = LegInMode::kDefensive;
  const std::string table = FormatReportTable({aggressive, defensive});
  EXPECT_NE(table.find("| aggressive |"), std::string::npos);
  EXPECT_NE(table.find("| defensive |"), std::string::npos);
  aggressive.leg_in.ends = {{router::LegInEnd::kCompleted, 5}, {router::LegInEnd::kLegFailed, 2}};
  EXPECT_EQ(FormatLegInEnds({aggressive, defensive}),
            "aggressive leg-in ends: completed 5, leg_failed 2\ndefensive leg-in ends: none\n");
}

}  // namespace
}  // namespace combo::backtest

#include "config/daemon_config.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/absl_compat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace combo::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

std::string Example(const std::string& name) {
  return std::string(COMBO_CONFIG_EXAMPLES_DIR) + "/" + name;
}

core::Price P(std::string_view text) { return *core::Price::Parse(text); }
core::Duration D(std::string_view text) { return *core::Duration::Parse(text); }

// The smallest file the loader accepts: one instrument, one venue, one FIX session.
constexpr char kSmallest[] = R"(instruments:
  - {id: 1, symbol: SPY, asset_class: etf}
venues:
  - {name: STK, id: 1, instruments: [SPY]}
fix:
  sessions:
    - {client_comp_id: BROKER1}
)";

// The error lines of a failed load.
std::vector<std::string> Errors(const absl::StatusOr<DaemonConfig>& config) {
  EXPECT_FALSE(config.ok());
  if (config.ok()) return {};
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  return absl::StrSplit(std::string(config.status().message()), '\n');
}

// ---- defaults ------------------------------------------------------------------------------

TEST(DaemonConfigDefaults, EveryDefaultIsPinned) {
  auto loaded = LoadDaemonConfigText(kSmallest, "smallest.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const DaemonConfig& c = *loaded;
  EXPECT_EQ(c.source_file, "smallest.yaml");

  // daemon, logging, metrics
  EXPECT_EQ(c.daemon.name, "combo-routerd");
  EXPECT_EQ(c.daemon.data_dir, "data");
  EXPECT_EQ(c.daemon.drain_timeout, D("5s"));
  EXPECT_EQ(c.daemon.shutdown_timeout, D("15s"));
  EXPECT_FALSE(c.daemon.busy_poll);
  EXPECT_EQ(c.logging.level, LogLevel::kInfo);
  EXPECT_EQ(c.logging.file, "");
  EXPECT_TRUE(c.metrics.enabled);
  EXPECT_EQ(c.metrics.listen_address, "127.0.0.1");
  EXPECT_EQ(c.metrics.port, 9464);

  // instruments: multiplier 1 (100 for options), tick 0.01
  const core::Instrument* spy = c.instruments.FindBySymbol("SPY");
  ASSERT_NE(spy, nullptr);
  EXPECT_EQ(spy->multiplier(), 1);
  EXPECT_EQ(spy->tick_rule(), core::TickRule(P("0.01")));
  EXPECT_EQ(spy->underlying(), "SPY");  // a share is its own underlying

  // pricing
  EXPECT_EQ(c.pricing.engine.fee_mode, pricing::FeeMode::kIgnoreFees);
  EXPECT_THAT(c.pricing.engine.venues, ElementsAre(core::VenueId(1)));
  EXPECT_TRUE(c.pricing.underlyings.empty());

  // venue
  ASSERT_THAT(c.venues, SizeIs(1));
  const VenueConfig& v = c.venues[0];
  EXPECT_EQ(v.kind, VenueKind::kSimulated);
  EXPECT_TRUE(v.routable);
  EXPECT_EQ(v.expected_latency, core::Duration::Zero());
  EXPECT_TRUE(v.native_combos.empty());
  const venues::SimulatedVenueConfig& s = v.simulated;
  EXPECT_EQ(s.id, core::VenueId(1));
  EXPECT_EQ(s.name, "STK");
  ASSERT_THAT(s.instruments, SizeIs(1));
  EXPECT_EQ(s.instruments[0].tick_rule, core::TickRule(P("0.01")));
  EXPECT_EQ(s.allocation, venues::AllocationRule::kPriceTime);
  EXPECT_EQ(s.seed001.small_order_threshold, core::Quantity(5));
  EXPECT_EQ(s.seed001.pmm_share_percent_one_other, 60);
  EXPECT_EQ(s.seed001.pmm_share_percent_two_others, 40);
  EXPECT_EQ(s.seed001.pmm_share_percent_three_or_more, 30);
  EXPECT_EQ(s.maker_fee_per_contract, core::Price::Zero());
  EXPECT_EQ(s.taker_fee_per_contract, core::Price::Zero());
  EXPECT_EQ(s.latency.seed, 1u);
  for (const venues::LatencySpec* spec :
       {&s.latency.inbound.new_order, &s.latency.inbound.complex_order, &s.latency.inbound.cancel,
        &s.latency.inbound.replace, &s.latency.outbound.ack, &s.latency.outbound.reject,
        &s.latency.outbound.fill, &s.latency.outbound.cancelled, &s.latency.outbound.restated,
        &s.latency.outbound.market_data}) {
    EXPECT_EQ(spec->fixed, core::Duration::Zero());
    EXPECT_EQ(spec->jitter, core::Duration::Zero());
  }
  const venues::LatencyProtectionConfig& lp = s.latency_protection;
  EXPECT_FALSE(lp.enabled);
  ASSERT_THAT(lp.tiers, SizeIs(3));
  EXPECT_EQ(lp.tiers[1].from, D("300ms"));
  EXPECT_EQ(lp.tiers[1].bound, venues::TierBound::kExclusive);
  EXPECT_EQ(lp.tiers[1].period, D("200ms"));
  EXPECT_EQ(lp.tiers[2].from, D("600ms"));
  EXPECT_EQ(lp.tiers[2].period, D("400ms"));
  EXPECT_EQ(lp.scope, venues::ConditionScope::kWholeLog);
  EXPECT_EQ(lp.submitter_rule, venues::SubmitterRule::kLargerOfBoth);
  EXPECT_EQ(lp.measure, venues::LatencyMeasure::kRoundTrip);
  EXPECT_EQ(lp.log_scope, venues::LogScope::kCurrentValue);
  EXPECT_EQ(lp.history_per_participant, 16u);
  EXPECT_EQ(lp.reported_cap, D("10s"));
  EXPECT_EQ(lp.test_instrument, core::InstrumentId(0));
  const venues::AopConfig& aop = s.aop;
  EXPECT_FALSE(aop.enabled);
  EXPECT_TRUE(aop.third_party.sources.empty());
  EXPECT_EQ(aop.third_party.stale_after, D("5s"));
  EXPECT_EQ(aop.coverage, venues::AopCoverage::kAllRestingOrders);
  EXPECT_TRUE(aop.protected_participants.empty());
  EXPECT_FALSE(aop.protection.awp_enabled);
  EXPECT_EQ(aop.protection.awp_max_levels, 5);
  EXPECT_EQ(aop.protection.awp_tick, P("0.01"));
  EXPECT_EQ(aop.protection.awp_rounding, core::RoundingMode::kHalfUp);
  EXPECT_TRUE(aop.protection.wff_enabled);
  EXPECT_EQ(aop.protection.wff_tolerance, core::Price::Zero());
  EXPECT_EQ(aop.protection.wff_max_age, core::Duration::Zero());
  EXPECT_EQ(aop.protection.active_level, venues::aop::ActiveProtectLevel::kTradePrice);
  EXPECT_EQ(aop.protection.empty_contra, venues::aop::EmptyContraPolicy::kKeepLevel);
  EXPECT_EQ(aop.cbo.exclusive_time, D("3s"));
  EXPECT_EQ(aop.cbo.open_time, D("3s"));
  EXPECT_EQ(aop.cbo.tie_break_window, D("300ms"));
  EXPECT_EQ(aop.cbo.tie_break, venues::aop::TieBreak::kRandom);
  EXPECT_EQ(aop.cbo.rng_seed, 1u);
  EXPECT_EQ(aop.cbo.aop_phases, venues::aop::AopPhases::kProtectedOnly);
  EXPECT_EQ(aop.cbo.implied_depth_levels, 5);
  const venues::ComplexBookConfig& book = s.complex_book;
  EXPECT_FALSE(book.enabled);
  EXPECT_TRUE(book.combos.empty());
  EXPECT_EQ(book.net_tick, P("0.01"));
  EXPECT_EQ(book.price_buffer, core::Price::Zero());
  EXPECT_EQ(book.buffer_scope, venues::BufferScope::kComplexMatchingOnly);
  EXPECT_EQ(book.exposure_delay, core::Duration::Zero());

  // router and leg-in policy
  EXPECT_EQ(c.router.participant, core::ParticipantId(1));
  EXPECT_EQ(c.router.stability_wait, D("1s"));
  EXPECT_EQ(c.router.cancel_timeout_with_legs_working, D("5s"));
  EXPECT_FALSE(c.router.combo_tick.has_value());  // each combo's own tick (pricing)
  EXPECT_EQ(c.router.first_order_id, 1u);
  const router::LegInPolicy& li = c.leg_in;
  EXPECT_THAT(
      li.ranking,
      ElementsAre(router::LegRankKey::kDeskPreference, router::LegRankKey::kHighestAbsoluteDelta,
                  router::LegRankKey::kVenueSpeed, router::LegRankKey::kDeltaAdjustedSpread,
                  router::LegRankKey::kLowestRisk));
  EXPECT_TRUE(li.desk_prefers_to_hold.empty());
  EXPECT_DOUBLE_EQ(li.similar_delta_tolerance, 0.05);
  EXPECT_EQ(li.mode, router::LegInMode::kAggressive);
  EXPECT_EQ(li.defensive_ticks, 1);
  EXPECT_EQ(li.failures_before_defensive, 3);
  EXPECT_EQ(li.always_defensive_above_legs, 2);
  EXPECT_EQ(li.max_failures_per_order, 5);
  EXPECT_EQ(li.max_units_per_slice, core::Quantity(50));
  EXPECT_EQ(li.displayed_size_percent, 100);
  EXPECT_EQ(li.leg_order_type, router::LegOrderType::kImmediateOrCancel);
  EXPECT_EQ(li.leg_timeout, D("500ms"));
  EXPECT_EQ(li.max_leg_resubmits, 3);
  EXPECT_EQ(li.leg_resubmit_delay, D("100ms"));
  EXPECT_EQ(li.max_leg_reroutes, 2);

  // risk
  const risk::RiskLimits& r = c.risk;
  EXPECT_EQ(r.max_combo_quantity, core::Quantity(1000));
  EXPECT_EQ(r.max_legs, 4);
  EXPECT_EQ(r.max_notional, risk::Dollars(5'000'000));
  EXPECT_EQ(r.collar_ticks, 20);
  EXPECT_EQ(r.collar_basis_points, 500);
  ASSERT_TRUE(r.default_client_credit_limit.has_value());
  EXPECT_EQ(*r.default_client_credit_limit, risk::Dollars(10'000'000));
  EXPECT_TRUE(r.client_credit_limits.empty());
  EXPECT_TRUE(r.allowed_instruments.empty());
  EXPECT_TRUE(r.blocked_instruments.empty());
  EXPECT_EQ(r.max_remembered_client_order_ids, 100'000);
  EXPECT_EQ(r.max_legin_units, core::Quantity(200));
  EXPECT_EQ(r.max_legin_notional, risk::Dollars(1'000'000));
  EXPECT_DOUBLE_EQ(r.max_legin_dollar_delta, 500'000.0);
  EXPECT_EQ(r.max_error_account_position, core::Quantity(500));
  EXPECT_EQ(r.max_error_account_total_position, core::Quantity(2'000));
  EXPECT_EQ(r.max_error_account_loss, risk::Dollars(250'000));
  EXPECT_EQ(r.halt_error_account_loss, risk::Dollars(1'000'000));

  // accounts
  const accounts::AccountsOptions& a = c.accounts.options;
  EXPECT_EQ(a.durability, accounts::DurabilityMode::kProcess);
  EXPECT_EQ(a.flush_interval, D("1s"));
  EXPECT_EQ(a.group_commit.max_events, 64);
  EXPECT_EQ(a.group_commit.max_delay, D("1ms"));
  EXPECT_EQ(a.commission.per_trade, core::Money::Zero());
  EXPECT_EQ(a.commission.per_combo_unit, core::Price::Zero());
  EXPECT_TRUE(a.commission.per_leg_contract.empty());
  EXPECT_EQ(a.commission.minimum, core::Money::Zero());
  EXPECT_EQ(a.journal.max_pages, 0);
  EXPECT_EQ(c.accounts.journal_path, "data/journal.sqlite");

  // fix
  EXPECT_TRUE(c.fix.enabled);
  EXPECT_EQ(c.fix.listen_address, "127.0.0.1");
  EXPECT_EQ(c.fix.port, 9878);
  EXPECT_EQ(c.fix.data_dictionary, "fix/spec/FIX44-combo.xml");
  EXPECT_EQ(c.fix.store_directory, "data/fix/store");
  EXPECT_EQ(c.fix.log_directory, "");
  EXPECT_EQ(c.fix.max_legs, 8u);
  EXPECT_FALSE(c.fix.tls.has_value());
  EXPECT_EQ(c.fix.sockets, FixSockets::kCoreThread);
  ASSERT_THAT(c.fix.sessions, SizeIs(1));
  EXPECT_EQ(c.fix.sessions[0].gateway_comp_id, "COMBO");
  EXPECT_EQ(c.fix.sessions[0].client_comp_id, "BROKER1");
  EXPECT_FALSE(c.fix.sessions[0].username.has_value());
  EXPECT_FALSE(c.fix.sessions[0].password.has_value());
  EXPECT_EQ(c.fix.sessions[0].default_account, "");

  // simulation
  EXPECT_FALSE(c.simulation.enabled);
  const venues::market_sim::MarketSimConfig& m = c.simulation.market;
  EXPECT_EQ(m.seed, 1u);
  EXPECT_EQ(m.step, D("100ms"));
  EXPECT_DOUBLE_EQ(m.rate, 0.0);
  EXPECT_EQ(m.first_participant_id, 1000u);
  EXPECT_TRUE(m.underlyings.empty());
  EXPECT_TRUE(m.market_makers.empty());
  EXPECT_TRUE(m.takers.empty());
  EXPECT_TRUE(m.complex_quoters.empty());
  EXPECT_TRUE(m.script.empty());
  EXPECT_TRUE(c.simulation.negotiation_participants.empty());
}

// The defaults inside list entries and feature blocks, which exist only when written.
TEST(DaemonConfigDefaults, ListEntriesAndFeatureBlocksArePinned) {
  auto loaded = LoadDaemonConfigText(R"(
instruments:
  - {id: 1, symbol: SPY, asset_class: etf}
  - {id: 2, asset_class: option, underlying: SPY, right: put, strike: 452.5, expiry: 2026-12-18}
  - {id: 3, asset_class: option, underlying: SPY, right: call, strike: 450, expiry: 2026-12-18}
  - {id: 4, symbol: ESZ6, asset_class: future, underlying: ES}
pricing:
  underlyings:
    SPY: {volatility: 0.25}
venues:
  - name: A
    id: 1
    instruments: [SPY, ESZ6]
    option_underlyings: [SPY]
    latency_protection: {}
    complex_book: {combos: [SPY 20261218 P 452.5 +1 / SPY 20261218 C 450 -1]}
  - name: B
    id: 2
    option_underlyings: [SPY]
    aop: {sources: [A]}
  - name: N
    id: 3
    kind: negotiation
    instruments: [SPY]
    negotiation: {}
fix:
  sessions: [{client_comp_id: X}]
simulation:
  underlyings: [{underlying: SPY, initial_price: 450}, {underlying: ES, initial_price: 4500}]
  market_makers: [{venue: A}]
  takers: [{venue: B}]
  complex_quoters: [{venue: A}]
  script: [{at: 1s, kind: halt_venue, venue: A}]
  negotiation_participants:
    - {account: D1, interests: [{instrument: SPY, buy_limit: 400, max_quantity: 10}]}
)",
                                     "blocks.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const DaemonConfig& c = *loaded;
  const core::Instrument* put = c.instruments.Find(core::InstrumentId(2));
  ASSERT_NE(put, nullptr);
  EXPECT_EQ(put->symbol(), "SPY 20261218 P 452.5");
  EXPECT_EQ(put->multiplier(), 100);
  EXPECT_EQ(c.instruments.Find(core::InstrumentId(3))->symbol(), "SPY 20261218 C 450");
  EXPECT_EQ(c.instruments.Find(core::InstrumentId(4))->multiplier(), 1);
  EXPECT_FALSE(c.instruments.Find(core::InstrumentId(4))->expiry().has_value());
  EXPECT_DOUBLE_EQ(c.pricing.underlyings.at("SPY").rate, 0.0);

  // A feature block turns its feature on.
  const VenueConfig& a = c.venues[0];
  EXPECT_TRUE(a.simulated.latency_protection.enabled);
  EXPECT_TRUE(a.simulated.complex_book.enabled);
  ASSERT_THAT(a.simulated.complex_book.combos, SizeIs(1));
  EXPECT_TRUE(a.simulated.complex_book.combos[0].price_weights.empty());
  EXPECT_THAT(a.native_combos, ElementsAre(core::ComboId(1)));
  // instruments first, then the options of option_underlyings in id order.
  EXPECT_THAT(a.instruments, ElementsAre(core::InstrumentId(1), core::InstrumentId(4),
                                         core::InstrumentId(2), core::InstrumentId(3)));
  const VenueConfig& b = c.venues[1];
  EXPECT_TRUE(b.simulated.aop.enabled);
  EXPECT_THAT(b.simulated.aop.third_party.sources, ElementsAre(core::VenueId(1)));
  EXPECT_THAT(b.simulated.aop.cbo.instruments, SizeIs(2));
  const VenueConfig& n = c.venues[2];
  EXPECT_EQ(n.kind, VenueKind::kNegotiation);
  EXPECT_EQ(n.expected_latency, core::Duration::Zero());
  EXPECT_EQ(n.negotiation.venue.id, core::VenueId(3));
  EXPECT_EQ(n.negotiation.venue.name, "N");
  EXPECT_EQ(n.negotiation.venue.account, core::AccountId("N"));  // the venue name
  EXPECT_EQ(n.negotiation.venue.combo_scope, venues::negotiation::ComboScope::kListedCombos);
  EXPECT_EQ(n.negotiation.venue.offer_timeout, D("30s"));
  EXPECT_EQ(n.negotiation.venue.immediate_offer_timeout, D("5s"));
  EXPECT_EQ(n.negotiation.venue.offer_id_prefix, "RTR");
  EXPECT_EQ(n.negotiation.listen_address, "127.0.0.1");
  EXPECT_EQ(n.negotiation.port, 0);
  const venues::negotiation::ServiceConfig& service = n.negotiation.service;
  EXPECT_EQ(service.trade_request_timeout, D("30s"));
  EXPECT_EQ(service.handle_rotation_interval, D("300s"));
  EXPECT_EQ(service.handle_retention, D("3600s"));
  EXPECT_EQ(service.closed_offer_retention, D("3600s"));
  EXPECT_EQ(service.handle_seed, 1u);
  EXPECT_EQ(service.withdrawal.action, venues::negotiation::WithdrawalAction::kThrottle);
  EXPECT_EQ(service.withdrawal.min_offer_life, D("5s"));
  EXPECT_EQ(service.withdrawal.window_offers, 20);
  EXPECT_EQ(service.withdrawal.min_offers, 5);
  EXPECT_EQ(service.withdrawal.max_premature_percent, 50);
  EXPECT_EQ(service.withdrawal.throttle_duration, D("60s"));
  EXPECT_THAT(n.negotiation.venue.listed, ElementsAre(core::InstrumentId(1)));

  const venues::market_sim::MarketSimConfig& m = c.simulation.market;
  ASSERT_THAT(m.underlyings, SizeIs(2));
  EXPECT_DOUBLE_EQ(m.underlyings[0].drift, 0.0);
  EXPECT_DOUBLE_EQ(m.underlyings[0].volatility, 0.2);
  EXPECT_DOUBLE_EQ(m.underlyings[0].jump_intensity, 0.0);
  EXPECT_DOUBLE_EQ(m.underlyings[0].jump_mean, 0.0);
  EXPECT_DOUBLE_EQ(m.underlyings[0].jump_deviation, 0.0);
  // One maker per instrument of the venue.
  ASSERT_THAT(m.market_makers, SizeIs(4));
  EXPECT_EQ(m.market_makers[0].min_half_spread_ticks, 1);
  EXPECT_EQ(m.market_makers[0].max_half_spread_ticks, 1);
  EXPECT_EQ(m.market_makers[0].quantity, core::Quantity(10));
  EXPECT_EQ(m.market_makers[0].requote_delay, D("50ms"));
  EXPECT_EQ(m.market_makers[0].requote_jitter, D("50ms"));
  EXPECT_EQ(m.market_makers[0].role, venues::ParticipantRole::kMarketMaker);
  ASSERT_THAT(m.takers, SizeIs(1));
  EXPECT_THAT(m.takers[0].instruments, SizeIs(2));
  EXPECT_DOUBLE_EQ(m.takers[0].arrivals_per_second, 1.0);
  EXPECT_EQ(m.takers[0].min_quantity, core::Quantity(1));
  EXPECT_EQ(m.takers[0].max_quantity, core::Quantity(5));
  EXPECT_EQ(m.takers[0].role, venues::ParticipantRole::kCustomer);
  ASSERT_THAT(m.complex_quoters, SizeIs(1));
  EXPECT_EQ(m.complex_quoters[0].combo, core::ComboId(1));
  EXPECT_EQ(m.complex_quoters[0].net_tick, P("0.01"));
  EXPECT_EQ(m.complex_quoters[0].min_half_spread_ticks, 1);
  EXPECT_EQ(m.complex_quoters[0].max_half_spread_ticks, 3);
  EXPECT_EQ(m.complex_quoters[0].quantity, core::Quantity(5));
  EXPECT_EQ(m.complex_quoters[0].requote_delay, D("100ms"));
  EXPECT_EQ(m.complex_quoters[0].requote_jitter, D("100ms"));
  EXPECT_EQ(m.complex_quoters[0].role, venues::ParticipantRole::kMarketMaker);
  ASSERT_THAT(m.script, SizeIs(1));
  EXPECT_EQ(m.script[0].kind, venues::market_sim::ScriptedEventKind::kHaltVenue);
  EXPECT_EQ(m.script[0].venue, core::VenueId(1));
  ASSERT_THAT(c.simulation.negotiation_participants, SizeIs(1));
  const auto& p = c.simulation.negotiation_participants[0];
  EXPECT_EQ(p.min_think_time, D("200ms"));
  EXPECT_EQ(p.max_think_time, D("2000ms"));
  EXPECT_EQ(p.trade_request_delay, D("100ms"));
  EXPECT_EQ(p.clearing_firm, "");
  EXPECT_EQ(p.seed, 1u);
  ASSERT_THAT(p.interests, SizeIs(1));
  EXPECT_FALSE(p.interests[0].sell_limit.has_value());
}

// ---- the examples --------------------------------------------------------------------------

TEST(DaemonConfigExamples, DemoModelsSixVenuesWithEveryFeature) {
  auto loaded = LoadDaemonConfigFile(Example("demo.yaml"));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const DaemonConfig& c = *loaded;
  ASSERT_THAT(c.venues, SizeIs(6));
  const VenueConfig* a = c.FindVenue("OPT-A");
  const VenueConfig* b = c.FindVenue("OPT-B");
  const VenueConfig* opt_c = c.FindVenue("OPT-C");
  const VenueConfig* stk = c.FindVenue("STK");
  const VenueConfig* fut = c.FindVenue("FUT");
  const VenueConfig* nego = c.FindVenue("NEGO");
  ASSERT_TRUE(a && b && opt_c && stk && fut && nego);
  EXPECT_EQ(c.FindVenue("nope"), nullptr);

  // Three options venues with complex books; one with latency protection, one with AOP.
  for (const VenueConfig* v : {a, b, opt_c}) {
    EXPECT_TRUE(v->simulated.complex_book.enabled) << v->name;
    EXPECT_FALSE(v->native_combos.empty()) << v->name;
  }
  EXPECT_TRUE(a->simulated.latency_protection.enabled);
  EXPECT_EQ(a->simulated.latency_protection.scope, venues::ConditionScope::kPerSubmitter);
  EXPECT_EQ(a->simulated.latency_protection.test_instrument, core::InstrumentId(9001));
  EXPECT_FALSE(a->simulated.aop.enabled);
  EXPECT_TRUE(b->simulated.aop.enabled);
  EXPECT_THAT(b->simulated.aop.third_party.sources, ElementsAre(a->id, opt_c->id));
  EXPECT_TRUE(b->simulated.aop.protection.awp_enabled);
  EXPECT_EQ(b->simulated.allocation, venues::AllocationRule::kSeed001Options);
  EXPECT_FALSE(b->simulated.latency_protection.enabled);
  // The same call spread on A and B is one combo.
  EXPECT_EQ(a->native_combos[0], b->native_combos[0]);
  // The buy-write weighs 100 shares against one 100-multiplier call: weights 1 and 1.
  ASSERT_THAT(opt_c->simulated.complex_book.combos, SizeIs(2));
  EXPECT_THAT(opt_c->simulated.complex_book.combos[1].price_weights, ElementsAre(1, 1));
  EXPECT_EQ(opt_c->simulated.complex_book.exposure_delay, D("100ms"));
  // A stock venue, a futures venue, the negotiation venue.
  EXPECT_EQ(c.instruments.Find(stk->instruments[0])->asset_class(), core::AssetClass::kEtf);
  EXPECT_EQ(c.instruments.Find(fut->instruments[0])->asset_class(), core::AssetClass::kFuture);
  EXPECT_EQ(c.instruments.Find(fut->instruments[0])->multiplier(), 50);
  EXPECT_EQ(nego->kind, VenueKind::kNegotiation);
  EXPECT_EQ(nego->expected_latency, D("2s"));
  EXPECT_EQ(nego->negotiation.venue.account, core::AccountId("ROUTER"));
  EXPECT_THAT(nego->negotiation.venue.combos, SizeIs(1));
  EXPECT_EQ(nego->negotiation.venue.combo_scope, venues::negotiation::ComboScope::kListedCombos);
  // Expected latency from the latency model: inbound new order + outbound ack, fixed parts.
  EXPECT_EQ(a->expected_latency, D("600us"));
  EXPECT_EQ(a->simulated.latency.outbound.market_data.fixed, D("150us"));
  EXPECT_EQ(a->simulated.latency.inbound.cancel.jitter, D("100us"));

  // The instrument master: a SPY chain (29 strikes, calls and puts, 6 expiries), a QQQ chain
  // (21 strikes, 4 expiries), SPY and QQQ, two ES futures.
  EXPECT_EQ(c.instruments.size(), 348u + 168u + 2u + 2u);
  // Five the exchanges list natively, and the one only NEGO lists.
  EXPECT_EQ(c.combos.size(), 6u);
  EXPECT_THAT(c.pricing.engine.venues, SizeIs(6));
  EXPECT_EQ(c.pricing.engine.fee_mode, pricing::FeeMode::kNetOfTakerFees);
  EXPECT_EQ(c.pricing.engine.fees.Find(a->id, core::AssetClass::kOption).taker, P("0.45"));

  EXPECT_TRUE(c.simulation.enabled);
  EXPECT_EQ(c.simulation.market.seed, 42u);
  // Makers: every SPY and QQQ option at OPT-A and OPT-B, 13 strikes x 2 rights x 6 expiries and
  // SPY at OPT-C, SPY and QQQ at STK, both futures at FUT.
  EXPECT_THAT(c.simulation.market.market_makers, SizeIs(516 + 516 + 157 + 2 + 2));
  EXPECT_THAT(c.simulation.market.complex_quoters, SizeIs(3 + 1 + 2));
  // A fast market called and ended at OPT-B within the first minute (seed 001 R46), then four
  // market events.
  ASSERT_THAT(c.simulation.market.script, SizeIs(6));
  EXPECT_EQ(c.simulation.market.script[0].kind, venues::market_sim::ScriptedEventKind::kFastMarket);
  EXPECT_EQ(c.simulation.market.script[0].fast_market_level, 1);
  EXPECT_EQ(c.simulation.market.script[1].fast_market_level, 0);
  EXPECT_LE(c.simulation.market.script[1].at, D("60s"));
  // Combo takers at OPT-B (seed 001 R17) and blocks from its professionals (R48).
  const auto& takers = c.simulation.market.takers;
  EXPECT_EQ(
      std::count_if(takers.begin(), takers.end(), [](const auto& t) { return !t.combos.empty(); }),
      1);
  int64_t block_percent = 0;
  for (const auto& trader : c.simulation.market.resting_traders) {
    block_percent += trader.block_percent;
  }
  EXPECT_GT(block_percent, 0);
  // OPT-B runs seed 001 Part A's leg processes.
  EXPECT_TRUE(b->simulated.leg_processes.opening.enabled);
  EXPECT_EQ(b->simulated.leg_processes.opening.start_after, D("2s"));
  EXPECT_TRUE(b->simulated.leg_processes.away_market.enabled);
  EXPECT_TRUE(b->simulated.leg_processes.fast_market.enabled);
  EXPECT_TRUE(b->simulated.leg_processes.block.enabled);
  EXPECT_THAT(c.simulation.negotiation_participants, SizeIs(1));
  ASSERT_THAT(c.simulation.market.negotiators, SizeIs(2));
  EXPECT_EQ(c.simulation.market.negotiators[1].account, "MM-NEG-2");
  EXPECT_EQ(c.simulation.market.negotiators[1].min_edge_ticks, 1);
  EXPECT_EQ(c.simulation.market.negotiators[1].max_quantity, core::Quantity(10));
  // OPT-A's makers (the first 516) are slow and probe it; the router probes it every second.
  EXPECT_EQ(c.simulation.market.market_makers[0].link.fixed, D("350ms"));
  EXPECT_EQ(c.simulation.market.market_makers[0].link.group, "slow-makers");
  EXPECT_EQ(c.simulation.market.market_makers[516].link.fixed, core::Duration::Zero());
  EXPECT_EQ(c.simulation.market.market_makers[516].link.group, "market_makers-OPT-B");
  EXPECT_EQ(c.venues[0].router_probe_interval, D("1s"));

  EXPECT_EQ(c.fix.listen_address, "127.0.0.1");
  EXPECT_EQ(c.fix.port, 9878);
  EXPECT_EQ(c.metrics.listen_address, "127.0.0.1");
  EXPECT_EQ(c.metrics.port, 9464);
  EXPECT_EQ(c.accounts.journal_path, "data/journal.sqlite");
  EXPECT_EQ(c.accounts.options.durability, accounts::DurabilityMode::kProcess);
  EXPECT_EQ(c.accounts.options.flush_interval, D("1s"));
  EXPECT_EQ(c.fix.log_directory, "data/fix/log");
  ASSERT_THAT(c.leg_in.desk_prefers_to_hold, SizeIs(1));
  EXPECT_EQ(c.risk.client_credit_limits.at(core::ClientId("BROKER1")), risk::Dollars(20'000'000));
}

TEST(DaemonConfigExamples, DemoListsAFullChainFromTheInstrumentMaster) {
  auto loaded = LoadDaemonConfigFile(Example("demo.yaml"));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const DaemonConfig& c = *loaded;
  ASSERT_TRUE(c.instrument_master.has_value());
  EXPECT_EQ(c.instrument_master->file, Example("instruments/demo.csv"));
  EXPECT_EQ(c.instrument_master->listed, c.instruments.size());
  EXPECT_EQ(c.instrument_master->expired, 0u);
  // Every SPY expiry has every strike from 380 to 520 in steps of 5, calls and puts.
  std::map<absl::CivilDay, std::set<std::pair<int64_t, core::OptionRight>>> spy;
  std::set<absl::CivilDay> qqq;
  int futures = 0;
  for (const auto& [id, instrument] : c.instruments.all()) {
    if (instrument.asset_class() == core::AssetClass::kFuture) {
      ++futures;
      EXPECT_EQ(instrument.underlying(), "ES");
    }
    if (!instrument.is_option()) continue;
    const core::OptionTerms& terms = *instrument.option();
    if (instrument.underlying() == "QQQ") qqq.insert(terms.expiry);
    if (instrument.underlying() != "SPY") continue;
    EXPECT_EQ(terms.strike.raw() % P("5").raw(), 0) << instrument.symbol();
    spy[terms.expiry].insert({terms.strike.raw() / P("1").raw(), terms.right});
  }
  EXPECT_GE(spy.size(), 4u);
  for (const auto& [expiry, strikes] : spy) {
    EXPECT_THAT(strikes, SizeIs(29 * 2)) << absl::FormatCivilTime(expiry);
    EXPECT_EQ(strikes.begin()->first, 380);
    EXPECT_EQ(strikes.rbegin()->first, 520);
  }
  EXPECT_GE(qqq.size(), 4u);
  EXPECT_EQ(futures, 2);
  ASSERT_NE(c.instruments.FindBySymbol("QQQ"), nullptr);
  // Listings follow the master's venues column: every SPY option at OPT-A, near-the-money strikes
  // only at OPT-C, no QQQ option at OPT-C, shares at STK.
  const core::Instrument* far = nullptr;
  for (const auto& [id, instrument] : c.instruments.all()) {
    if (instrument.is_option() && instrument.underlying() == "SPY" &&
        instrument.option()->strike == P("430") &&
        instrument.option()->right == core::OptionRight::kPut) {
      far = &instrument;
      break;
    }
  }
  ASSERT_NE(far, nullptr);
  auto lists = [&](const char* venue, const core::Instrument* instrument) {
    const std::vector<core::InstrumentId>& ids = c.FindVenue(venue)->instruments;
    return std::find(ids.begin(), ids.end(), instrument->id()) != ids.end();
  };
  EXPECT_TRUE(lists("OPT-A", far));
  EXPECT_TRUE(lists("OPT-C", far));
  EXPECT_TRUE(lists("NEGO", far));
  EXPECT_TRUE(lists("STK", c.instruments.FindBySymbol("QQQ")));
  EXPECT_FALSE(lists("OPT-C", c.instruments.FindBySymbol("QQQ")));
  EXPECT_THAT(c.FindVenue("STK")->instruments, SizeIs(2));
  EXPECT_THAT(c.FindVenue("FUT")->instruments, SizeIs(2));
  EXPECT_THAT(c.FindVenue("OPT-C")->instruments, SizeIs(13 * 2 * 6 + 1));
}

TEST(DaemonConfigExamples, DemoSkipsTheRowsExpiredAtItsDateAndStillLoads) {
  // A date past the first monthly expiry of the committed master: its rows are skipped, counted,
  // and nothing the YAML names (the LEAPS) is among them.
  auto full = LoadDaemonConfigFile(Example("demo.yaml"));
  ASSERT_TRUE(full.ok()) << full.status();
  absl::CivilDay first = absl::CivilDay::max();
  for (const auto& [id, instrument] : full->instruments.all()) {
    if (instrument.last_trading_day().has_value()) {
      first = std::min(first, *instrument.last_trading_day());
    }
  }
  auto later = LoadDaemonConfigFile(Example("demo.yaml"), LoadOptions{first + 1});
  ASSERT_TRUE(later.ok()) << later.status();
  ASSERT_TRUE(later->instrument_master.has_value());
  EXPECT_GT(later->instrument_master->expired, 0u);
  EXPECT_EQ(later->instrument_master->listed + later->instrument_master->expired,
            full->instruments.size());
  EXPECT_EQ(later->instruments.size(), later->instrument_master->listed);
  for (const auto& [id, instrument] : later->instruments.all()) {
    EXPECT_GT(instrument.last_trading_day().value_or(absl::CivilDay::max()), first);
  }
  for (const VenueConfig& venue : later->venues) {
    for (core::InstrumentId id : venue.instruments) {
      EXPECT_NE(later->instruments.Find(id), nullptr) << venue.name << " lists expired " << id;
    }
  }
}

TEST(DaemonConfigExamples, MinimalLoads) {
  auto config = LoadDaemonConfigFile(Example("minimal.yaml"));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_THAT(config->venues, SizeIs(2));
  EXPECT_EQ(config->combos.size(), 1u);
}

// ---- errors: every class names file, line, column and key path -----------------------------

TEST(DaemonConfigErrors, UnknownKeyIsAnErrorWithFileLineAndPath) {
  const std::string text = std::string(kSmallest) + "router:\n  stabilty_wait: 2s\n";
  EXPECT_THAT(Errors(LoadDaemonConfigText(text, "typo.yaml")),
              ElementsAre(HasSubstr("typo.yaml:9:3: router.stabilty_wait: unknown key")));
}

TEST(DaemonConfigRouter, RestartPolicyLoads) {
  const std::string text = std::string(kSmallest) + "router:\n  on_restart: cancel\n";
  auto config = LoadDaemonConfigText(text, "r.yaml");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->router.on_restart, router::RestartPolicy::kCancel);
}

TEST(DaemonConfigRouter, MarketOrderCollarLoadsAndDefaultsToTenTicksOrOnePercent) {
  auto defaults = LoadDaemonConfigText(std::string(kSmallest), "d.yaml");
  ASSERT_TRUE(defaults.ok()) << defaults.status();
  EXPECT_EQ(defaults->router.market_order_collar, (router::MarketOrderCollar{10, 100}));
  auto config = LoadDaemonConfigText(
      std::string(kSmallest) + "router:\n  market_order_collar: {ticks: 4, basis_points: 0}\n",
      "c.yaml");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->router.market_order_collar, (router::MarketOrderCollar{4, 0}));
}

TEST(DaemonConfigErrors, ABadMarketOrderCollarIsAnErrorWithFileLineAndKey) {
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(
          std::string(kSmallest) + "router:\n  market_order_collar:\n    ticks: -1\n", "m.yaml")),
      ElementsAre(
          HasSubstr("m.yaml:10:12: router.market_order_collar.ticks: expected a whole number of at "
                    "least 0, got -1")));
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(
          std::string(kSmallest) + "router:\n  market_order_collar:\n    basis_points: 20000\n",
          "m.yaml")),
      ElementsAre(HasSubstr("m.yaml:10:19: router.market_order_collar.basis_points: expected "
                            "basis points from 0 to 10000, got 20000")));
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(
          std::string(kSmallest) + "router:\n  market_order_collar:\n    percent: 1\n", "m.yaml")),
      ElementsAre(HasSubstr("m.yaml:10:5: router.market_order_collar.percent: unknown key")));
}

// The smallest file with its venue's leg_processes set to `processes` (one YAML line, line 8).
std::string SmallestWithLegProcesses(std::string_view processes) {
  return absl::StrCat(
      "instruments:\n  - {id: 1, symbol: SPY, asset_class: etf}\nvenues:\n  - name: STK\n"
      "    id: 1\n    instruments: [SPY]\n    leg_processes:\n      ",
      core::AsAbsl(processes), "\nfix:\n  sessions:\n    - {client_comp_id: BROKER1}\n");
}

// Seed 001 Part A's leg processes: a bad value names file, line, key and what was expected.
TEST(DaemonConfigErrors, ABadLegProcessValueIsAnErrorWithFileLineKeyAndExpectation) {
  EXPECT_THAT(Errors(LoadDaemonConfigText(
                  SmallestWithLegProcesses("block: {facilitation_percent: 120}"), "l.yaml")),
              ElementsAre(HasSubstr("l.yaml:8:37: venues[0].leg_processes.block."
                                    "facilitation_percent: expected a percentage from 0 to 100, "
                                    "got 120")));
  EXPECT_THAT(Errors(LoadDaemonConfigText(
                  SmallestWithLegProcesses("fast_market: {level_delays: [20s, 30s]}"), "l.yaml")),
              ElementsAre(HasSubstr("venues[0].leg_processes.fast_market.level_delays: expected 5 "
                                    "delays")));
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(
          SmallestWithLegProcesses("fast_market: {automatic: {primary_market: STK}}"), "l.yaml")),
      ElementsAre(HasSubstr("l.yaml:8:49: venues[0].leg_processes.fast_market.automatic."
                            "primary_market: expected another venue")));
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(
          SmallestWithLegProcesses("fast_market: {automatic: {primary_market: NOPE, level: 6}}"),
          "l.yaml")),
      UnorderedElementsAre(
          HasSubstr("primary_market: expected a simulated venue, got \"NOPE\""),
          HasSubstr("automatic.level: expected a fast-market level from 1 to 5, got 6")));
  EXPECT_THAT(Errors(LoadDaemonConfigText(SmallestWithLegProcesses("farmm: {decision_window: 0s}"),
                                          "l.yaml")),
              ElementsAre(HasSubstr("l.yaml:8:32: venues[0].leg_processes.farmm.decision_window: "
                                    "expected a positive duration, got 0s")));
  EXPECT_THAT(Errors(LoadDaemonConfigText(SmallestWithLegProcesses("away_market: {}"), "l.yaml")),
              ElementsAre(HasSubstr("l.yaml:8:20: venues[0].leg_processes.away_market: the "
                                    "away-market process needs aop")));
  EXPECT_THAT(
      Errors(
          LoadDaemonConfigText(SmallestWithLegProcesses("block: {response_window: 0s}"), "l.yaml")),
      ElementsAre(HasSubstr("venues[0].leg_processes.block.response_window: expected a positive "
                            "duration, got 0s")));
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(SmallestWithLegProcesses("opening: {start: 1s}"), "l.yaml")),
      ElementsAre(HasSubstr("venues[0].leg_processes.opening.start: unknown key")));
}

TEST(DaemonConfigVenues, LegProcessesTurnOnByBlockAndListOptionRights) {
  auto config = LoadDaemonConfigText(
      SmallestWithLegProcesses("{opening: {start_after: 2s}, fast_market: {}}"), "l.yaml");
  ASSERT_TRUE(config.ok()) << config.status();
  const venues::leg_processes::LegProcessesConfig& processes =
      config->venues[0].simulated.leg_processes;
  EXPECT_TRUE(processes.opening.enabled);
  EXPECT_EQ(processes.opening.start_after, D("2s"));
  EXPECT_TRUE(processes.fast_market.enabled);
  EXPECT_EQ(processes.fast_market.level_delays[1], D("30s"));  // Table XII
  EXPECT_FALSE(processes.block.enabled);
  EXPECT_FALSE(processes.away_market.enabled);
}

// Seed 003 R16's resolver: a bad value names the file, line, key and what was expected.
TEST(DaemonConfigErrors, ABadResolverValueIsAnErrorWithFileLineAndKey) {
  EXPECT_THAT(Errors(LoadDaemonConfigText(
                  std::string(kSmallest) + "resolver:\n  unwind:\n    band_ticks: -2\n", "r.yaml")),
              ElementsAre(HasSubstr("r.yaml:10:17: resolver.unwind.band_ticks: expected a whole "
                                    "number of at least 0, got -2")));
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(
          std::string(kSmallest) + "resolver:\n  interval: 10s\n  horizon: 1s\n", "r.yaml")),
      ElementsAre(HasSubstr("r.yaml:9:3: resolver: resolver horizon (1s) must be at least "
                            "its interval (10s)")));
  EXPECT_THAT(Errors(LoadDaemonConfigText(
                  std::string(kSmallest) + "resolver:\n  hand_off: [3, 3]\n", "r.yaml")),
              ElementsAre(HasSubstr("resolver.hand_off[1]: order 3 is listed twice")));
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(
          std::string(kSmallest) + "resolver:\n  complete: {band_ticks: 4, max_band_ticks: 3}\n",
          "r.yaml")),
      ElementsAre(HasSubstr("r.yaml:9:3: resolver: resolver complete max_band_ticks must be "
                            "in [band_ticks (4), 1000], not 3")));
}

// The smallest file with SPY's tick_size set to `tick` (as a quoted string).
std::string SmallestWithSpyTick(std::string_view tick) {
  std::string text = kSmallest;
  const std::string etf = "asset_class: etf}";
  text.replace(text.find(etf), etf.size(),
               absl::StrCat("asset_class: etf, tick_size: \"", core::AsAbsl(tick), "\"}"));
  return text;
}

TEST(DaemonConfigInstruments, ATickSizeTakesARuleOfPriceBands) {
  auto config = LoadDaemonConfigText(SmallestWithSpyTick("0.0001<1.00;0.01"), "t.yaml");
  ASSERT_TRUE(config.ok()) << config.status();
  const core::TickRule& rule = config->instruments.FindBySymbol("SPY")->tick_rule();
  EXPECT_EQ(rule.TickAt(P("0.99")), P("0.0001"));
  EXPECT_EQ(rule.TickAt(P("1.00")), P("0.01"));
  // The venue lists it on the same rule.
  EXPECT_EQ(config->venues[0].simulated.instruments[0].tick_rule, rule);
}

// Each way a tick rule can be wrong: file, line, column, key, what was expected and why.
TEST(DaemonConfigErrors, ATickRuleThatIsWrongIsAnErrorWithFileLineKeyAndReason) {
  const std::string where =
      "t.yaml:2:55: instruments[0].tick_size: expected a tick such as 0.01 or a tick rule such as "
      "0.01<3.00;0.05 (";
  EXPECT_THAT(Errors(LoadDaemonConfigText(SmallestWithSpyTick("0.01<3.00"), "t.yaml")),
              ::testing::Contains(HasSubstr(where + "the bands do not cover prices from 3 up")));
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(SmallestWithSpyTick("0.01<5;0.05<3;0.1"), "t.yaml")),
      ::testing::Contains(HasSubstr(where + "boundary 3 is not above the boundary before it (5)")));
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(SmallestWithSpyTick("0.01<3.02;0.05"), "t.yaml")),
      ::testing::Contains(HasSubstr(where + "boundary 3.02 is not on the ticks of both bands")));
  EXPECT_THAT(Errors(LoadDaemonConfigText(SmallestWithSpyTick("a penny"), "t.yaml")),
              ::testing::Contains(HasSubstr(where + "tick \"a penny\" is not a price")));
  EXPECT_THAT(Errors(LoadDaemonConfigText(SmallestWithSpyTick("0"), "t.yaml")),
              ::testing::Contains(HasSubstr(where + "tick 0 is not positive), got \"0\"")));
}

TEST(DaemonConfigErrors, AnUnknownRestartPolicyIsAnError) {
  EXPECT_THAT(Errors(LoadDaemonConfigText(
                  std::string(kSmallest) + "router:\n  on_restart: forget\n", "t.yaml")),
              ElementsAre(HasSubstr("expected one of resume, cancel")));
}

TEST(DaemonConfigCalendar, ZoneCloseHolidaysAndPerProductAndVenueClosesLoad) {
  const std::string text = std::string(kSmallest) +
                           "calendar:\n  time_zone: America/New_York\n  close: \"16:00\"\n"
                           "  holidays: [2026-12-25, 2027-01-01]\n"
                           "  closes:\n    - {product: ES, close: \"17:00\"}\n"
                           "    - {venue: STK, close: \"16:15:30\"}\n";
  auto config = LoadDaemonConfigText(text, "c.yaml");
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_TRUE(config->router.calendar.has_value());
  const router::TradingCalendarConfig& calendar = *config->router.calendar;
  EXPECT_EQ(calendar.time_zone, "America/New_York");
  EXPECT_EQ(calendar.close, 16 * 3600);
  EXPECT_EQ(calendar.holidays.size(), 2u);
  EXPECT_EQ(calendar.product_closes.at("ES"), 17 * 3600);
  EXPECT_EQ(calendar.venue_closes.at("STK"), 16 * 3600 + 15 * 60 + 30);
}

TEST(DaemonConfigErrors, ACalendarWithABadCloseZoneHolidayOrVenueNamesTheKey) {
  const std::string base = std::string(kSmallest) + "calendar:\n";
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(base + "  close: \"25:00\"\n", "t.yaml")),
      ElementsAre(HasSubstr("t.yaml:9:10: calendar.close: expected a time of day as HH:MM")));
  EXPECT_THAT(Errors(LoadDaemonConfigText(base + "  close: \"16:00\"\n  time_zone: Mars/Olympus\n",
                                          "t.yaml")),
              ElementsAre(HasSubstr("time_zone \"Mars/Olympus\" is not known")));
  EXPECT_THAT(Errors(LoadDaemonConfigText(
                  base + "  close: \"16:00\"\n  holidays: [2026-12-25, 2026-12-25]\n", "t.yaml")),
              ElementsAre(HasSubstr("holiday 2026-12-25 is listed twice")));
  EXPECT_THAT(Errors(LoadDaemonConfigText(base + "  close: \"16:00\"\n  holidays: [Christmas]\n",
                                          "t.yaml")),
              ElementsAre(HasSubstr("expected a date such as 2026-12-25")));
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(
          base + "  close: \"16:00\"\n  closes:\n    - {venue: NOWHERE, close: \"17:00\"}\n",
          "t.yaml")),
      ElementsAre(HasSubstr("expected the name of a configured venue, got \"NOWHERE\"")));
  EXPECT_THAT(Errors(LoadDaemonConfigText(
                  base + "  close: \"16:00\"\n  closes:\n    - {close: \"17:00\"}\n", "t.yaml")),
              ElementsAre(HasSubstr("expected exactly one of product")));
  EXPECT_THAT(Errors(LoadDaemonConfigText(base + "  time_zone: UTC\n", "t.yaml")),
              ElementsAre(HasSubstr("calendar.close")));
}

TEST(DaemonConfigErrors, WrongTypeNamesWhatWasExpectedAndWhatCame) {
  const std::string text = std::string(kSmallest) + "leg_in:\n  leg_timeout: fast\n";
  EXPECT_THAT(Errors(LoadDaemonConfigText(text, "t.yaml")),
              ElementsAre("t.yaml:9:16: leg_in.leg_timeout: expected a duration such as 250us, "
                          "1.5s or 2m, got \"fast\""));
}

TEST(DaemonConfigErrors, OutOfRangeValuesAreErrors) {
  const std::string text = std::string(kSmallest) +
                           "metrics:\n  port: 70000\n"
                           "leg_in:\n  displayed_size_percent: 0\n"
                           "risk:\n  max_legs: 1\n";
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(text, "r.yaml")),
      ElementsAre("r.yaml:9:9: metrics.port: expected a port from 1 to 65535, got 70000",
                  "r.yaml:11:27: leg_in.displayed_size_percent: expected a percentage from 1 to "
                  "100, got 0",
                  "r.yaml:13:13: risk.max_legs: expected a whole number of at least 2, got 1"));
}

// TLS is served by QuickFIX's session threads only; without tls the sockets default to the
// core thread, with it to the session threads.
TEST(DaemonConfigErrors, CoreThreadSocketsWithTlsAreAnError) {
  const std::string tls = "  tls: {certificate_file: c.pem, private_key_file: k.pem}\n";
  auto with_tls = LoadDaemonConfigText(std::string(kSmallest) + tls, "t.yaml");
  ASSERT_TRUE(with_tls.ok()) << with_tls.status();
  EXPECT_EQ(with_tls->fix.sockets, FixSockets::kSessionThreads);
  EXPECT_THAT(Errors(LoadDaemonConfigText(std::string(kSmallest) + tls + "  sockets: core_thread\n",
                                          "t.yaml")),
              ElementsAre("t.yaml:9:12: fix.sockets: core_thread sockets are plain TCP: TLS needs "
                          "sockets: session_threads"));
  EXPECT_THAT(Errors(LoadDaemonConfigText(std::string(kSmallest) + "  sockets: epoll\n", "s.yaml")),
              ElementsAre(HasSubstr("s.yaml:8:12: fix.sockets: expected one of")));
}

// durability: process syncs in the background every flush_interval; the other modes sync before
// every report, so the interval would do nothing there.
TEST(DaemonConfigErrors, FlushIntervalOnlyWithProcessDurabilityAndAboveZero) {
  auto disk =
      LoadDaemonConfigText(std::string(kSmallest) + "accounts: {durability: disk}\n", "d.yaml");
  ASSERT_TRUE(disk.ok()) << disk.status();
  EXPECT_EQ(disk->accounts.options.durability, accounts::DurabilityMode::kDisk);
  auto process = LoadDaemonConfigText(
      std::string(kSmallest) + "accounts: {durability: process, flush_interval: 250ms}\n",
      "p.yaml");
  ASSERT_TRUE(process.ok()) << process.status();
  EXPECT_EQ(process->accounts.options.flush_interval, D("250ms"));
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(
          std::string(kSmallest) + "accounts: {durability: disk, flush_interval: 1s}\n", "d.yaml")),
      ElementsAre("d.yaml:8:46: accounts.flush_interval: only with durability: process "
                  "(the other modes sync before every report)"));
  EXPECT_THAT(Errors(LoadDaemonConfigText(
                  std::string(kSmallest) + "accounts: {flush_interval: 0s}\n", "z.yaml")),
              ElementsAre("z.yaml:8:28: accounts.flush_interval: expected a duration above zero, "
                          "got 0s"));
  EXPECT_THAT(Errors(LoadDaemonConfigText(
                  std::string(kSmallest) + "accounts: {durability: fsync}\n", "m.yaml")),
              ElementsAre("m.yaml:8:24: accounts.durability: unknown durability mode 'fsync' "
                          "(expected process, disk or group_commit)"));
}

TEST(DaemonConfigErrors, MissingRequiredKeysAreErrors) {
  EXPECT_THAT(Errors(LoadDaemonConfigText("metrics: {port: 9000}\n", "m.yaml")),
              ElementsAre(HasSubstr("m.yaml:1:1: instruments: required key is missing"),
                          HasSubstr("m.yaml:1:1: venues: required key is missing")));
  EXPECT_THAT(Errors(LoadDaemonConfigText(R"(instruments:
  - {id: 1, asset_class: etf}
venues: []
)",
                                          "m.yaml")),
              ElementsAre("m.yaml:2:5: instruments[0].symbol: required key is missing"));
}

TEST(DaemonConfigErrors, BadCrossReferencesAreErrors) {
  const auto errors = Errors(LoadDaemonConfigText(R"(instruments:
  - {id: 1, symbol: SPY, asset_class: etf}
  - {id: 2, symbol: QQQ, asset_class: etf}
venues:
  - name: A
    id: 1
    instruments: [SPY, IWM]
    complex_book: {combos: [SPY +1 / QQQ -1]}
  - name: B
    id: 2
    instruments: [SPY, QQQ]
    aop: {sources: [C]}
leg_in:
  ranking: [fastest]
fix: {sessions: [{client_comp_id: X}]}
)",
                                                  "x.yaml"));
  EXPECT_THAT(errors,
              ElementsAre("x.yaml:7:24: venues[0].instruments[1]: unknown instrument \"IWM\" (not "
                          "in instruments)",
                          "x.yaml:8:29: venues[0].complex_book.combos[0]: combo \"SPY +1 / QQQ "
                          "-1\": leg \"QQQ\" is not listed by venue A",
                          "x.yaml:12:21: venues[1].aop.sources[0]: unknown venue \"C\"",
                          HasSubstr("x.yaml:14:13: leg_in.ranking[0]: ")));
}

TEST(DaemonConfigErrors, AFeaturesSettingsBelongUnderItsFeature) {
  const auto errors = Errors(LoadDaemonConfigText(R"(instruments:
  - {id: 1, symbol: SPY, asset_class: etf}
venues:
  - {name: A, id: 1, instruments: [SPY], seed001: {small_order_threshold: 3}}
  - {name: N, id: 2, kind: negotiation, instruments: [SPY], latency: {seed: 2}}
  - {name: B, id: 3, instruments: [SPY], negotiation: {account: X}}
accounts: {group_commit: {max_events: 8}}
fix: {sessions: [{client_comp_id: X}]}
)",
                                                  "f.yaml"));
  EXPECT_THAT(errors,
              ElementsAre("f.yaml:4:51: venues[0].seed001: only with allocation: seed001_options",
                          "f.yaml:5:70: venues[1].latency: only a venue of kind: simulated has "
                          "this setting",
                          "f.yaml:6:55: venues[2].negotiation: only a venue of kind: negotiation "
                          "has this setting",
                          "f.yaml:7:26: accounts.group_commit: only with durability: "
                          "group_commit"));
}

// Seed 001 market-maker rules: each bad value names file, line, key and what was expected.
TEST(DaemonConfigErrors, MarketMakerRulesNameTheKeyAndTheExpectation) {
  const auto errors = Errors(LoadDaemonConfigText(R"(instruments:
  - {id: 1, symbol: SPY, asset_class: etf}
venues:
  - name: A
    id: 1
    instruments: [SPY]
    market_maker_rules:
      step_up_budget: 7
      professional_band_ticks: -1
      professional_availability: {percent: 150, contracts: 20}
      farmm_availability: {percent: 25}
      tick_worse_sizes: [0, -3]
      derive_matrix: [{improvement: 0.125, contracts: 7}, {improvement: 0.0625, contracts: 9}]
fix: {sessions: [{client_comp_id: X}]}
)",
                                                  "m.yaml"));
  EXPECT_THAT(
      errors,
      ElementsAre(
          "m.yaml:8:23: venues[0].market_maker_rules.step_up_budget: only with a "
          "minimum_market_size above 0 (step-up keeps the best at X, R43)",
          "m.yaml:9:32: venues[0].market_maker_rules.professional_band_ticks: expected a whole "
          "number of at least 0, got -1",
          "m.yaml:10:44: venues[0].market_maker_rules.professional_availability.percent: expected "
          "a percentage from 0 to 100, got 150",
          "m.yaml:11:27: venues[0].market_maker_rules.farmm_availability.contracts: required key "
          "is missing",
          "m.yaml:12:29: venues[0].market_maker_rules.tick_worse_sizes[1]: expected a size of 0 "
          "or more contracts, got -3",
          "m.yaml:12:25: venues[0].market_maker_rules.tick_worse_sizes: expected at least one "
          "size above 0 (leave the key out to turn tick-worse off)",
          "m.yaml:13:22: venues[0].market_maker_rules.derive_matrix: only with a "
          "minimum_market_size above 0 (derive-or-trade derives up to X, R34)",
          "m.yaml:13:73: venues[0].market_maker_rules.derive_matrix[1].improvement: expected an "
          "improvement above the previous row's 0.125"));
}

TEST(DaemonConfigErrors, ModuleValidationIsAppliedAndPlaced) {
  // Legs of latency protection need price-time allocation; risk's own Validate runs too.
  const std::string text = std::string(kSmallest) + R"(risk:
  max_error_account_loss: 500
  halt_error_account_loss: 100
)";
  EXPECT_THAT(Errors(LoadDaemonConfigText(text, "v.yaml")),
              ElementsAre(HasSubstr("v.yaml:9:3: risk: ")));
}

TEST(DaemonConfigErrors, EveryErrorOfTheFileIsReportedAtOnce) {
  const auto errors = Errors(LoadDaemonConfigText(R"(daemon:
  drain_timeout: soon
logging: {level: loud}
instruments:
  - {id: 0, symbol: SPY, asset_class: etf}
  - {id: 2, symbol: SPY2, asset_class: bond}
venues:
  - {name: A, id: 1, instruments: [SPY2]}
  - {name: A, id: 1, instruments: [SPY2]}
fix: {port: 0, sessions: [{client_comp_id: X, username: u}]}
colour: blue
)",
                                                  "many.yaml"));
  EXPECT_THAT(errors, SizeIs(11));
  EXPECT_THAT(
      errors,
      ElementsAre(HasSubstr("many.yaml:11:1: colour: unknown key"),
                  HasSubstr("many.yaml:2:18: daemon.drain_timeout: expected a duration"),
                  HasSubstr("many.yaml:3:18: logging.level: expected one of"),
                  HasSubstr("many.yaml:5:10: instruments[0].id: expected an id of at least 1"),
                  HasSubstr("many.yaml:6:40: instruments[1].asset_class: "),
                  HasSubstr("many.yaml:8:36: venues[0].instruments[0]: unknown instrument"),
                  HasSubstr("many.yaml:9:12: venues[1].name: venue name \"A\" is used "
                            "twice"),
                  HasSubstr("many.yaml:9:19: venues[1].id: venue id 1 is used twice"),
                  HasSubstr("many.yaml:9:36: venues[1].instruments[0]: unknown instrument"),
                  HasSubstr("many.yaml:10:13: fix.port: expected a port from 1 to 65535"),
                  HasSubstr("many.yaml:10:27: fix.sessions[0]: username and password go "
                            "together")));
}

TEST(DaemonConfigErrors, NotYamlAndMissingFileAreClearErrors) {
  auto bad = LoadDaemonConfigText("venues: [unclosed\n", "bad.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("bad.yaml:"));
  EXPECT_THAT(bad.status().message(), HasSubstr("not valid YAML"));
  auto missing = LoadDaemonConfigFile("/nonexistent/combo.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("/nonexistent/combo.yaml"));
  auto empty = LoadDaemonConfigText("", "empty.yaml");
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().message(), HasSubstr("empty.yaml"));
}

// ---- SIGHUP reload -------------------------------------------------------------------------

class ReloadFile : public ::testing::Test {
 protected:
  void Write(const std::string& text) {
    std::ofstream out(path_);
    out << text;
  }
  void TearDown() override { std::remove(path_.c_str()); }
  std::string path_ = ::testing::TempDir() + "/reload_test.yaml";
};

TEST_F(ReloadFile, ReloadReturnsThePolicyRouterKnobsAndRiskLimits) {
  Write(std::string(kSmallest) + R"(leg_in: {mode: defensive, ranking: [venue_speed, lowest_risk]}
router: {stability_wait: 250ms}
risk: {max_combo_quantity: 10}
)");
  auto running = LoadDaemonConfigText(kSmallest, "running.yaml");
  ASSERT_TRUE(running.ok()) << running.status();
  auto reloaded = LoadReloadableConfig(path_, *running);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_EQ(reloaded->leg_in.mode, router::LegInMode::kDefensive);
  EXPECT_THAT(reloaded->leg_in.ranking,
              ElementsAre(router::LegRankKey::kVenueSpeed, router::LegRankKey::kLowestRisk));
  EXPECT_EQ(reloaded->router.stability_wait, D("250ms"));
  EXPECT_EQ(reloaded->risk.max_combo_quantity, core::Quantity(10));
}

TEST_F(ReloadFile, ReloadOfABrokenFileFailsWithEveryError) {
  // A broken section elsewhere in the file refuses the reload too: the file must stay loadable
  // at the next start.
  Write(std::string(kSmallest) + "leg_in: {mode: sideways}\nmetrics: {port: -1}\n");
  auto running = LoadDaemonConfigText(kSmallest, "running.yaml");
  ASSERT_TRUE(running.ok()) << running.status();
  auto reloaded = LoadReloadableConfig(path_, *running);
  ASSERT_FALSE(reloaded.ok());
  EXPECT_THAT(reloaded.status().message(), HasSubstr("leg_in.mode"));
  EXPECT_THAT(reloaded.status().message(), HasSubstr("metrics.port"));
}

TEST(DaemonConfigReload, ReloadablePartIsTheSameAsTheFullLoad) {
  auto full = LoadDaemonConfigFile(Example("demo.yaml"));
  ASSERT_TRUE(full.ok()) << full.status();
  auto part = LoadReloadableConfig(Example("demo.yaml"), *full);
  ASSERT_TRUE(part.ok()) << part.status();
  EXPECT_EQ(part->leg_in.ranking, full->leg_in.ranking);
  EXPECT_EQ(part->leg_in.desk_prefers_to_hold, full->leg_in.desk_prefers_to_hold);
  EXPECT_EQ(part->router.combo_tick, full->router.combo_tick);
  EXPECT_EQ(part->risk.client_credit_limits, full->risk.client_credit_limits);
}

// A valid base (two option venues, a stock venue) that each case below breaks in one place.
constexpr char kBase[] = R"(instruments:
  - {id: 1, symbol: SPY, asset_class: etf}
  - {id: 2, asset_class: option, underlying: SPY, right: call, strike: 450, expiry: 2026-12-18}
  - {id: 3, asset_class: option, underlying: SPY, right: call, strike: 460, expiry: 2026-12-18}
pricing: {underlyings: {SPY: {volatility: 0.2}}}
fix: {sessions: [{client_comp_id: X}]}
)";

struct BrokenCase {
  const char* name;
  const char* yaml;  // appended to kBase
  const char* expected;
};

class CrossReference : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(CrossReference, IsAnErrorNamingLineAndKeyPath) {
  const BrokenCase& c = GetParam();
  const std::vector<std::string> errors =
      Errors(LoadDaemonConfigText(std::string(kBase) + c.yaml, "c.yaml"));
  EXPECT_THAT(errors, ElementsAre(HasSubstr(c.expected))) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    DaemonConfigErrors, CrossReference,
    ::testing::Values(
        BrokenCase{"LatencyProtectionNeedsPriceTime",
                   "venues:\n  - {name: A, id: 1, option_underlyings: [SPY], allocation: "
                   "seed001_options, latency_protection: {}}\n",
                   "c.yaml:8:98: venues[0].latency_protection: latency protection needs "
                   "allocation: price_time"},
        BrokenCase{"TestInstrumentIsNotAnInstrument",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY], latency_protection: "
                   "{test_instrument_id: 2}}\n",
                   "venues[0].latency_protection.test_instrument_id: the test instrument must be "
                   "an artificial product"},
        BrokenCase{"RouterProbesOnlyAProtectedVenue",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY], latency_protection: "
                   "{enabled: false, router_probe_interval: 1s}}\n",
                   "c.yaml:8:102: venues[0].latency_protection.router_probe_interval: the router "
                   "probes only a venue running latency protection"},
        BrokenCase{"NegativeRouterProbeInterval",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY], latency_protection: "
                   "{router_probe_interval: -1s}}\n",
                   "venues[0].latency_protection.router_probe_interval: expected a duration of "
                   "zero (no probes) or more"},
        BrokenCase{"ParticipantsProbeOnlyAProtectedVenue",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\nsimulation: {underlyings: "
                   "[{underlying: SPY, initial_price: 450}], takers: [{venue: A, probe_interval: "
                   "1s}]}\n",
                   "simulation.takers[0].probe_interval: venue A does not run latency protection: "
                   "nothing to probe"},
        BrokenCase{"NegativeParticipantLatency",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\nsimulation: {underlyings: "
                   "[{underlying: SPY, initial_price: 450}], market_makers: [{venue: A, latency: "
                   "{fixed: -5ms}}]}\n",
                   "simulation.market_makers[0].latency.fixed: expected a duration of zero or "
                   "more"},
        BrokenCase{"EmptyParticipantGroup",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\nsimulation: {underlyings: "
                   "[{underlying: SPY, initial_price: 450}], complex_quoters: [], takers: [{venue: "
                   "A, group: ''}]}\n",
                   "simulation.takers[0].group: expected a non-empty group name"},
        BrokenCase{"AopVenueIsNotItsOwnSource",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY], aop: {sources: [A]}}\n",
                   "c.yaml:8:58: venues[0].aop.sources[0]: an AOP venue cannot be its own source"},
        BrokenCase{"ProtectedParticipantsOnlyWithListedCoverage",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\n  - {name: B, id: 2, "
                   "instruments: [SPY], aop: {sources: [A], protected_participants: [3]}}\n",
                   "venues[1].aop.protected_participants: only with coverage: listed_participants"},
        BrokenCase{"SameComboTwiceAtOneVenue",
                   "venues:\n  - {name: A, id: 1, option_underlyings: [SPY], complex_book: "
                   "{combos: [SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1, SPY 20261218 C 460 "
                   "+1 / SPY 20261218 C 450 -1]}}\n",
                   "venues[0].complex_book.combos[1]: combo \"SPY 20261218 C 460 +1 / SPY "
                   "20261218 C 450 -1\" is listed twice at venue A"},
        BrokenCase{"ComboOfUnknownInstrument",
                   "venues:\n  - {name: A, id: 1, option_underlyings: [SPY], complex_book: "
                   "{combos: [SPY 20261218 C 450 +1 / QQQ -1]}}\n",
                   "venues[0].complex_book.combos[0]: combo \"SPY 20261218 C 450 +1 / QQQ -1\""},
        BrokenCase{"MakerOnAnInstrumentItsVenueDoesNotList",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\nsimulation: {underlyings: "
                   "[{underlying: SPY, initial_price: 450}], market_makers: [{venue: A, "
                   "instruments: [SPY 20261218 C 450]}]}\n",
                   "simulation.market_makers[0].instruments: instrument \"SPY 20261218 C 450\" is "
                   "not listed by venue A"},
        BrokenCase{"QuotedInstrumentNeedsAPriceProcess",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\nsimulation: "
                   "{market_makers: [{venue: A}]}\n",
                   "simulation.market_makers[0]: instrument \"SPY\" has no process for its "
                   "underlying \"SPY\""},
        BrokenCase{"ComplexQuoterNeedsAComplexBook",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\nsimulation: "
                   "{complex_quoters: [{venue: A}]}\n",
                   "simulation.complex_quoters[0]: venue A has no complex-order book"},
        BrokenCase{"RestingTraderOffsetsOutOfOrder",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\nsimulation: "
                   "{underlyings: [{underlying: SPY, initial_price: 450}], resting_traders: "
                   "[{venue: A, min_offset_ticks: 2, max_offset_ticks: -1}]}\n",
                   "c.yaml:9:86: simulation.resting_traders[0]: min_offset_ticks (2) exceeds "
                   "max_offset_ticks (-1)"},
        BrokenCase{"RestingTraderReplacePercentAbove100",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\nsimulation: "
                   "{underlyings: [{underlying: SPY, initial_price: 450}], resting_traders: "
                   "[{venue: A, replace_percent: 150}]}\n",
                   "simulation.resting_traders[0].replace_percent: expected a percentage from 0 "
                   "to 100, got 150"},
        BrokenCase{"RestingTraderZeroLifetime",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\nsimulation: "
                   "{underlyings: [{underlying: SPY, initial_price: 450}], resting_traders: "
                   "[{venue: A, min_lifetime: 0s}]}\n",
                   "simulation.resting_traders[0].min_lifetime: expected a positive duration, got "
                   "0s"},
        BrokenCase{"RestingTraderCombosNeedAComplexBook",
                   "venues:\n  - {name: A, id: 1, option_underlyings: [SPY]}\nsimulation: "
                   "{underlyings: [{underlying: SPY, initial_price: 450}], resting_traders: "
                   "[{venue: A, combos: [SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1]}]}\n",
                   "simulation.resting_traders[0].combos: venue A has no complex-order book"},
        BrokenCase{"RestingTraderBlocksNeedTheVenuesBlockProcess",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\nsimulation: "
                   "{underlyings: [{underlying: SPY, initial_price: 450}], resting_traders: "
                   "[{venue: A, block_percent: 10}]}\n",
                   "simulation.resting_traders[0].block_percent: venue A takes no block orders "
                   "(venues[].leg_processes.block)"},
        BrokenCase{"RestingTraderBlockBelowTheVenuesMinimum",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY], leg_processes: {block: "
                   "{min_quantity: 100}}}\nsimulation: {underlyings: [{underlying: SPY, "
                   "initial_price: 450}], resting_traders: [{venue: A, block_percent: 10, "
                   "block_quantity: 60}]}\n",
                   "simulation.resting_traders[0].block_quantity: expected at least venue A's "
                   "block minimum 100, got 60"},
        BrokenCase{"TakerCombosNeedAComplexBook",
                   "venues:\n  - {name: A, id: 1, option_underlyings: [SPY]}\nsimulation: "
                   "{underlyings: [{underlying: SPY, initial_price: 450}], takers: "
                   "[{venue: A, combos: [SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1]}]}\n",
                   "simulation.takers[0].combos: venue A has no complex-order book"},
        BrokenCase{"ACboBookNobodyTradesOnIsRefused",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\n  - {name: B, id: 2, "
                   "instruments: [SPY], aop: {sources: [A], cbo: {tie_break: price_auction}}}\n",
                   "c.yaml:9:67: venues[1].aop.cbo: the CBO book of venue B has no clients or "
                   "dealers: add a simulation.cbo_desks entry at this venue (with "
                   "simulation.enabled: true)"},
        BrokenCase{"ACboBookNeedsAop",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY], aop: {enabled: false, cbo: "
                   "{}}}\n",
                   "venues[0].aop.cbo: the CBO book runs on automated order protection, and "
                   "aop.enabled is false"},
        BrokenCase{"AClosedCboBookTakesNoOtherKey",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\n  - {name: B, id: 2, "
                   "instruments: [SPY], aop: {sources: [A], cbo: {enabled: false, open_time: "
                   "1s}}}\n",
                   "venues[1].aop.cbo: enabled is false: the CBO book is closed and its other "
                   "keys cannot act"},
        BrokenCase{"ACboDeskNeedsACboBook",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\nsimulation: {underlyings: "
                   "[{underlying: SPY, initial_price: 450}], cbo_desks: [{venue: A}]}\n",
                   "simulation.cbo_desks[0].venue: venue A opens no CBO book (venues[].aop.cbo)"},
        BrokenCase{"DealerLegOrdersNeedAnAutofillThreshold",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\n  - {name: B, id: 2, "
                   "instruments: [SPY], aop: {sources: [A], cbo: {}}}\nsimulation: {enabled: "
                   "true, underlyings: [{underlying: SPY, initial_price: 450}], cbo_desks: "
                   "[{venue: B, dealer_autofill_ticks: 0, leg_orders_per_second: 1}]}\n",
                   "simulation.cbo_desks[0].leg_orders_per_second: the dealers' leg orders carry "
                   "the dealer autofill threshold"},
        BrokenCase{"AgentOnUnknownVenue",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\nsimulation: {takers: "
                   "[{venue: Z}]}\n",
                   "c.yaml:9:31: simulation.takers[0].venue: unknown venue \"Z\""},
        BrokenCase{"ScriptSettingOfAnotherKind",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\nsimulation: {script: "
                   "[{at: 1s, kind: halt_venue, venue: A, log_return: 0.1}]}\n",
                   "simulation.script[0].log_return: only for kind: price_jump"},
        BrokenCase{"RouterParticipantIsAnAgentId",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\nrouter: {participant: "
                   "1000}\nsimulation: {enabled: true, underlyings: [{underlying: SPY, "
                   "initial_price: 450}], market_makers: [{venue: A}]}\n",
                   "router.participant 1000 (with 1001 and 1002 for its leg-in engine and residual "
                   "resolver) is one of the simulation's agent ids"},
        BrokenCase{"FixAndMetricsOnOnePort",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\nmetrics: {port: 9878}\n",
                   "fix.port and metrics.port are both 9878"},
        BrokenCase{"NegotiationInterestInAnUnknownInstrument",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\nsimulation: "
                   "{negotiation_participants: [{account: D, interests: [{instrument: IBM, "
                   "buy_limit: 1, max_quantity: 1}]}]}\n",
                   "simulation.negotiation_participants[0].interests[0].instrument: "},
        BrokenCase{"UnknownLegRankingKey",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\nleg_in: {ranking: "
                   "[venue_speed, venue_speed]}\n",
                   "leg_in: "},
        BrokenCase{"DrainLongerThanTheDefaultShutdown",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\ndaemon: {drain_timeout: "
                   "20s}\n",
                   "c.yaml:9:9: daemon: shutdown_timeout (15s) must be at least drain_timeout "
                   "(20s)"},
        BrokenCase{"ParticipantUsesTheVenuesAccount",
                   "venues:\n  - {name: N, id: 1, kind: negotiation, instruments: [SPY]}\n"
                   "simulation: {negotiation_participants: [{account: N}]}\n",
                   "simulation.negotiation_participants[0].account: account \"N\" is the account "
                   "of venue N"},
        BrokenCase{"NegotiatorAtAVenueThatIsNotANegotiationVenue",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\n"
                   "simulation: {negotiators: [{venue: A, account: M}]}\n",
                   "simulation.negotiators[0]: venue A is not a negotiation venue"},
        BrokenCase{"NegotiatorEdgesOutOfOrder",
                   "venues:\n  - {name: N, id: 1, kind: negotiation, instruments: [SPY]}\n"
                   "simulation: {negotiators: [{venue: N, account: M, min_edge_ticks: 3, "
                   "max_edge_ticks: 1}]}\n",
                   "simulation.negotiators[0]: min_edge_ticks (3) exceeds max_edge_ticks (1)"},
        BrokenCase{"DuplicateKey",
                   "venues:\n  - {name: A, id: 1, instruments: [SPY]}\nfix: {sessions: "
                   "[{client_comp_id: X}]}\n",
                   "c.yaml:9:1: fix: duplicate key"},
        BrokenCase{
            "ShutdownBeforeDrain",
            "venues:\n  - {name: A, id: 1, instruments: [SPY]}\ndaemon: {drain_timeout: "
            "10s, shutdown_timeout: 5s}\n",
            "daemon.shutdown_timeout: shutdown_timeout (5s) must be at least drain_timeout (10s)"}),
    [](const ::testing::TestParamInfo<BrokenCase>& info) { return info.param.name; });

constexpr char kOptionVenue[] = R"(instruments:
  - {id: 1, asset_class: option, underlying: SPY, right: call, strike: 450, expiry: 2026-12-18}
venues: [{name: A, id: 1, option_underlyings: [SPY]}]
fix: {sessions: [{client_comp_id: X}]}
)";

// Any damage to a real file is a reported error (or still a valid file), never a crash or an
// error without a location: each line of the demo deleted, or its value replaced by a list, a
// mapping or a word.
TEST(DaemonConfigErrors, DamagedDemoLinesAreReportedNeverFatal) {
  std::ifstream in(Example("demo.yaml"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_GT(lines.size(), 100u);
  int damaged = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(": ");
    std::vector<std::string> variants = {""};
    if (colon != std::string::npos && lines[i].find('{') == std::string::npos) {
      const std::string key = lines[i].substr(0, colon + 2);
      variants.push_back(key + "[1, 2]");
      variants.push_back(key + "{x: 1}");
      variants.push_back(key + "garbage");
    }
    for (const std::string& variant : variants) {
      std::string text;
      for (size_t j = 0; j < lines.size(); ++j) text += (j == i ? variant : lines[j]) + "\n";
      // Named by its real path: its instrument master is found beside it.
      auto loaded = LoadDaemonConfigText(text, Example("demo.yaml"));
      if (loaded.ok()) continue;
      ++damaged;
      const std::vector<std::string> errors =
          absl::StrSplit(std::string(loaded.status().message()), '\n');
      for (const std::string& error : errors) {
        // A damaged venue entry shows in the master's rows that name the venue.
        EXPECT_THAT(error,
                    ::testing::AnyOf(::testing::StartsWith(Example("demo.yaml:")),
                                     ::testing::StartsWith(Example("instruments/demo.csv:"))))
            << "line " << i + 1;
      }
      EXPECT_LT(errors.size(), 100u) << "line " << i + 1 << ": " << errors.front();
    }
  }
  EXPECT_GT(damaged, 200);
}

TEST(DaemonConfigErrors, OneSessionPerClientCompId) {
  const std::string text = R"(instruments: [{id: 1, symbol: SPY, asset_class: etf}]
venues: [{name: A, id: 1, instruments: [SPY]}]
fix:
  sessions:
    - {client_comp_id: X}
    - {client_comp_id: X, gateway_comp_id: OTHER}
)";
  EXPECT_THAT(Errors(LoadDaemonConfigText(text, "s.yaml")),
              ElementsAre("s.yaml:6:7: fix.sessions[1]: client CompID \"X\" is listed twice"));
}

TEST(DaemonConfigErrors, OptionsNeedAVolatilityForTheirUnderlying) {
  EXPECT_THAT(Errors(LoadDaemonConfigText(kOptionVenue, "o.yaml")),
              ElementsAre("o.yaml:1:1: (top level): options on \"SPY\" need "
                          "pricing.underlyings.SPY.volatility"));
}

TEST(DaemonConfigErrors, PricingUnderlyingsAreCheckedAgainstInstrumentsAndRanges) {
  const std::string text = std::string(kOptionVenue) +
                           "pricing:\n  underlyings:\n    SPY: {volatility: 20}\n"
                           "    QQQ: {volatility: 0.2}\n";
  const auto errors = Errors(LoadDaemonConfigText(text, "o.yaml"));
  EXPECT_THAT(errors, ElementsAre(HasSubstr("o.yaml:7:10: pricing.underlyings.SPY: "),
                                  HasSubstr("o.yaml:8:10: pricing.underlyings.QQQ: no instrument "
                                            "has the underlying \"QQQ\"")));
}

// Every key set to a value other than its default lands in its own field.
TEST(DaemonConfigMapping, EveryKeyLandsInItsField) {
  auto loaded =
      LoadDaemonConfigFile(std::string(COMBO_CONFIG_TESTDATA_DIR) + "/every_section.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const DaemonConfig& c = *loaded;
  EXPECT_EQ(c.daemon.name, "every");
  EXPECT_EQ(c.daemon.drain_timeout, D("1s"));
  EXPECT_EQ(c.daemon.shutdown_timeout, D("2s"));
  EXPECT_TRUE(c.daemon.busy_poll);
  EXPECT_EQ(c.fix.sockets, FixSockets::kSessionThreads);
  EXPECT_EQ(c.logging.level, LogLevel::kDebug);
  EXPECT_EQ(c.logging.file, "/tmp/every/combo.log");
  EXPECT_FALSE(c.metrics.enabled);
  EXPECT_EQ(c.metrics.listen_address, "0.0.0.0");
  EXPECT_EQ(c.metrics.port, 9465);
  const core::Instrument* call = c.instruments.FindBySymbol("C450");
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->option()->strike, P("450"));
  EXPECT_EQ(call->option()->expiry, absl::CivilDay(2026, 12, 18));
  EXPECT_EQ(c.instruments.FindBySymbol("ESZ6")->expiry(), absl::CivilDay(2026, 12, 18));
  EXPECT_EQ(c.instruments.FindBySymbol("ESZ6")->tick_rule(), core::TickRule(P("0.25")));
  EXPECT_DOUBLE_EQ(c.pricing.underlyings.at("SPY").rate, 0.01);

  const VenueConfig& a = c.venues[0];
  EXPECT_EQ(a.expected_latency, D("1ms"));
  EXPECT_EQ(a.simulated.maker_fee_per_contract, P("-0.1"));
  EXPECT_EQ(a.simulated.taker_fee_per_contract, P("0.2"));
  EXPECT_EQ(a.simulated.latency.seed, 3u);
  EXPECT_EQ(a.simulated.latency.inbound.new_order.jitter, core::Duration::Zero());
  EXPECT_EQ(a.simulated.latency.outbound.market_data.fixed, D("1ms"));
  const venues::LatencyProtectionConfig& lp = a.simulated.latency_protection;
  ASSERT_THAT(lp.tiers, SizeIs(2));
  EXPECT_EQ(lp.tiers[1].from, D("1s"));
  EXPECT_EQ(lp.scope, venues::ConditionScope::kPerSubmitter);
  EXPECT_EQ(lp.submitter_rule, venues::SubmitterRule::kRestingOnly);
  EXPECT_EQ(lp.measure, venues::LatencyMeasure::kLargerOfBoth);
  EXPECT_EQ(lp.log_scope, venues::LogScope::kHistory);
  EXPECT_EQ(lp.history_per_participant, 4u);
  EXPECT_EQ(lp.reported_cap, D("5s"));
  EXPECT_EQ(lp.test_instrument, core::InstrumentId(99));
  EXPECT_EQ(a.router_probe_interval, D("250ms"));
  const venues::ComplexBookConfig& book = a.simulated.complex_book;
  EXPECT_EQ(book.price_buffer, P("0.05"));
  EXPECT_EQ(book.buffer_scope, venues::BufferScope::kAllMatching);
  EXPECT_EQ(book.exposure_delay, D("10ms"));
  ASSERT_THAT(book.combos, SizeIs(2));
  // The buy-write "SPY +100 / C450 -1": canonical legs sorted by id, weights 1 and 1.
  EXPECT_THAT(book.combos[1].price_weights, ElementsAre(1, 1));

  const VenueConfig& b = c.venues[1];
  EXPECT_FALSE(b.routable);
  EXPECT_THAT(c.pricing.engine.venues, ElementsAre(core::VenueId(1), core::VenueId(3)));
  EXPECT_EQ(b.simulated.seed001.small_order_threshold, core::Quantity(4));
  EXPECT_EQ(b.simulated.seed001.pmm_share_percent_one_other, 50);
  const venues::MarketMakerRules& rules = b.simulated.market_maker;
  EXPECT_EQ(rules.minimum_market_size, core::Quantity(10));
  EXPECT_EQ(rules.step_up_budget, core::Quantity(7));
  EXPECT_EQ(rules.professional_band_ticks, 2);
  ASSERT_TRUE(rules.professional_availability.has_value());
  EXPECT_EQ(rules.professional_availability->percent, 50);
  EXPECT_EQ(rules.professional_availability->absolute, core::Quantity(20));
  ASSERT_TRUE(rules.farmm_availability.has_value());
  EXPECT_EQ(rules.farmm_availability->absolute, core::Quantity(35));
  EXPECT_THAT(rules.tick_worse_sizes, SizeIs(8));
  EXPECT_EQ(rules.tick_worse_sizes[2], core::Quantity(0));
  ASSERT_THAT(rules.derive_matrix, SizeIs(4));
  EXPECT_EQ(rules.derive_matrix[1].improvement, core::Price::FromParts(0, 125'000'000));
  EXPECT_EQ(rules.derive_matrix[1].size, core::Quantity(7));
  EXPECT_EQ(rules.quote_match_delay, core::Duration::Seconds(2));
  const venues::AopConfig& aop = b.simulated.aop;
  EXPECT_EQ(aop.third_party.stale_after, D("2s"));
  EXPECT_EQ(aop.coverage, venues::AopCoverage::kListedParticipants);
  EXPECT_THAT(aop.protected_participants,
              ElementsAre(core::ParticipantId(1), core::ParticipantId(2)));
  EXPECT_EQ(aop.protection.awp_max_levels, 3);
  EXPECT_EQ(aop.protection.awp_rounding, core::RoundingMode::kHalfEven);
  EXPECT_FALSE(aop.protection.wff_enabled);
  EXPECT_EQ(aop.protection.wff_tolerance, P("0.01"));
  EXPECT_EQ(aop.protection.wff_max_age, D("1s"));
  EXPECT_EQ(aop.protection.active_level, venues::aop::ActiveProtectLevel::kContraTop);
  EXPECT_EQ(aop.protection.empty_contra, venues::aop::EmptyContraPolicy::kUnprotectToOriginal);
  const venues::leg_processes::LegProcessesConfig& processes = b.simulated.leg_processes;
  EXPECT_TRUE(processes.away_market.enabled);
  ASSERT_THAT(processes.away_market.table, SizeIs(2));
  EXPECT_EQ(processes.away_market.table[1].difference, P("0.125"));
  EXPECT_EQ(processes.away_market.table[1].size, core::Quantity(10));
  EXPECT_TRUE(processes.fast_market.enabled);
  EXPECT_EQ(processes.fast_market.level_delays[4], D("60s"));
  ASSERT_TRUE(processes.fast_market.automatic.has_value());
  EXPECT_EQ(processes.fast_market.automatic->primary_market, core::VenueId(1));
  EXPECT_EQ(processes.fast_market.automatic->level, 2);
  EXPECT_EQ(processes.fast_market.automatic->interval, D("90s"));
  EXPECT_EQ(b.simulated.underlyings.at(core::InstrumentId(3)), core::InstrumentId(1));
  EXPECT_EQ(processes.opening.start_after, D("1s"));
  EXPECT_EQ(processes.block.min_quantity, core::Quantity(50));
  EXPECT_EQ(processes.block.response_window, D("30s"));
  EXPECT_EQ(processes.block.facilitation_percent, 40);
  EXPECT_TRUE(processes.farmm.enabled);
  EXPECT_EQ(processes.farmm.decision_window, D("7s"));
  EXPECT_EQ(aop.cbo.exclusive_time, D("1s"));
  EXPECT_EQ(aop.cbo.open_time, D("1s"));
  EXPECT_EQ(aop.cbo.tie_break_window, D("100ms"));
  EXPECT_EQ(aop.cbo.tie_break, venues::aop::TieBreak::kPriceAuction);
  EXPECT_EQ(aop.cbo.rng_seed, 5u);
  EXPECT_EQ(aop.cbo.aop_phases, venues::aop::AopPhases::kAll);
  EXPECT_EQ(aop.cbo.implied_depth_levels, 3);
  EXPECT_EQ(aop.cbo.protection.awp_max_levels, 3);
  EXPECT_TRUE(aop.cbo_book);
  ASSERT_EQ(c.simulation.market.cbo_desks.size(), 1u);
  const venues::market_sim::CboDeskConfig& desk = c.simulation.market.cbo_desks[0];
  EXPECT_EQ(desk.venue, b.id);
  EXPECT_EQ(desk.instruments.size(), 1u);
  EXPECT_EQ(desk.exclusive_dealers, 2);
  EXPECT_EQ(desk.open_dealers, 1);
  EXPECT_EQ(desk.cbos_per_second, 1.0);
  EXPECT_EQ(desk.max_quantity, core::Quantity(3));
  EXPECT_EQ(desk.min_limit_offset_ticks, -1);
  EXPECT_EQ(desk.max_limit_offset_ticks, 2);
  EXPECT_EQ(desk.cbo_lifetime, D("10s"));
  EXPECT_EQ(desk.client_autofill_ticks, 1);
  EXPECT_EQ(desk.max_edge_ticks, 1);
  EXPECT_EQ(desk.dealer_autofill_ticks, 1);
  EXPECT_EQ(desk.min_response_delay, D("1ms"));
  EXPECT_EQ(desk.max_response_delay, D("50ms"));
  EXPECT_EQ(desk.leg_orders_per_second, 0.5);

  const NegotiationSettings& n = c.venues[2].negotiation;
  EXPECT_EQ(n.venue.account, core::AccountId("ROUTER"));
  EXPECT_EQ(n.venue.offer_timeout, D("10s"));
  EXPECT_EQ(n.venue.immediate_offer_timeout, D("2s"));
  EXPECT_EQ(n.venue.offer_id_prefix, "R");
  EXPECT_EQ(n.venue.combo_scope, venues::negotiation::ComboScope::kListedCombos);
  EXPECT_THAT(n.venue.combos, ElementsAre(a.native_combos[0]));
  EXPECT_EQ(n.port, 9555);
  EXPECT_EQ(n.service.trade_request_timeout, D("10s"));
  EXPECT_EQ(n.service.handle_rotation_interval, D("60s"));
  EXPECT_EQ(n.service.handle_retention, D("600s"));
  EXPECT_EQ(n.service.closed_offer_retention, D("600s"));
  EXPECT_EQ(n.service.handle_seed, 9u);
  EXPECT_EQ(n.service.withdrawal.action, venues::negotiation::WithdrawalAction::kTrackOnly);
  EXPECT_EQ(n.service.withdrawal.min_offer_life, D("1s"));
  EXPECT_EQ(n.service.withdrawal.window_offers, 10);
  EXPECT_EQ(n.service.withdrawal.min_offers, 2);
  EXPECT_EQ(n.service.withdrawal.max_premature_percent, 40);
  EXPECT_EQ(n.service.withdrawal.throttle_duration, D("30s"));

  EXPECT_EQ(c.router.participant, core::ParticipantId(7));
  EXPECT_EQ(c.router.stability_wait, D("2s"));
  EXPECT_EQ(c.router.cancel_timeout_with_legs_working, D("3s"));
  EXPECT_EQ(c.router.combo_tick, P("0.05"));
  EXPECT_EQ(c.router.first_order_id, 100u);
  const router::LegInPolicy& li = c.leg_in;
  EXPECT_THAT(li.ranking,
              ElementsAre(router::LegRankKey::kLowestRisk, router::LegRankKey::kVenueSpeed));
  EXPECT_THAT(li.desk_prefers_to_hold, ElementsAre(core::InstrumentId(1)));
  EXPECT_DOUBLE_EQ(li.similar_delta_tolerance, 0.1);
  EXPECT_EQ(li.mode, router::LegInMode::kDefensive);
  EXPECT_EQ(li.defensive_ticks, 2);
  EXPECT_EQ(li.failures_before_defensive, 1);
  EXPECT_EQ(li.always_defensive_above_legs, 3);
  EXPECT_EQ(li.max_failures_per_order, 4);
  EXPECT_EQ(li.max_units_per_slice, core::Quantity(10));
  EXPECT_EQ(li.displayed_size_percent, 50);
  EXPECT_EQ(li.leg_order_type, router::LegOrderType::kLimit);
  EXPECT_EQ(li.leg_timeout, D("1s"));
  EXPECT_EQ(li.max_leg_resubmits, 1);
  EXPECT_EQ(li.leg_resubmit_delay, D("50ms"));
  EXPECT_EQ(li.max_leg_reroutes, 1);

  const risk::RiskLimits& r = c.risk;
  EXPECT_EQ(r.max_combo_quantity, core::Quantity(10));
  EXPECT_EQ(r.max_legs, 3);
  EXPECT_EQ(r.max_notional, risk::Dollars(1000));
  EXPECT_EQ(r.collar_ticks, 1);
  EXPECT_EQ(r.collar_basis_points, 1);
  EXPECT_FALSE(r.default_client_credit_limit.has_value());
  EXPECT_EQ(r.client_credit_limits.at(core::ClientId("X")), risk::Dollars(5000));
  EXPECT_THAT(r.allowed_instruments, ElementsAre(core::InstrumentId(1), core::InstrumentId(3)));
  EXPECT_THAT(r.blocked_instruments, ElementsAre(core::InstrumentId(2)));
  EXPECT_EQ(r.max_remembered_client_order_ids, 10);
  EXPECT_EQ(r.max_legin_units, core::Quantity(1));
  EXPECT_EQ(r.max_legin_notional, risk::Dollars(1));
  EXPECT_DOUBLE_EQ(r.max_legin_dollar_delta, 1.0);
  EXPECT_EQ(r.max_error_account_position, core::Quantity(1));
  EXPECT_EQ(r.max_error_account_total_position, core::Quantity(1));
  EXPECT_EQ(r.max_error_account_loss, risk::Dollars(1));
  EXPECT_EQ(r.halt_error_account_loss, risk::Dollars(2));
  const resolver::ResolverConfig& v = c.resolver;
  EXPECT_TRUE(v.enabled);
  EXPECT_EQ(v.interval, D("500ms"));
  EXPECT_EQ(v.horizon, D("2m"));
  EXPECT_EQ(v.complete, (resolver::ActionSettings{true, 3, 12}));
  EXPECT_EQ(v.unwind, (resolver::ActionSettings{false, 1, 6}));
  EXPECT_EQ(v.hedge, (resolver::HedgeSettings{true, 4, 20}));
  EXPECT_EQ(v.completion_probability_bps, 7000);
  EXPECT_EQ(v.adverse_move_bps, 150);
  EXPECT_EQ(v.max_order_quantity, core::Quantity(25));
  EXPECT_EQ(v.max_action_cost, P("500"));
  EXPECT_EQ(v.hand_off, (std::set<core::OrderId>{core::OrderId(7), core::OrderId(9)}));

  const accounts::AccountsOptions& ac = c.accounts.options;
  EXPECT_EQ(ac.group_commit.max_events, 8);
  EXPECT_EQ(ac.group_commit.max_delay, D("2ms"));
  EXPECT_EQ(ac.commission.per_trade, risk::Dollars(1));
  EXPECT_EQ(ac.commission.per_combo_unit, P("0.1"));
  EXPECT_EQ(ac.commission.per_leg_contract.at(accounts::SubAccount::kSecurities), P("0.001"));
  EXPECT_EQ(ac.commission.per_leg_contract.at(accounts::SubAccount::kOptions), P("0.1"));
  EXPECT_EQ(ac.commission.per_leg_contract.at(accounts::SubAccount::kFutures), P("0.5"));
  EXPECT_EQ(ac.commission.minimum, risk::Dollars(1));
  EXPECT_EQ(ac.journal.max_pages, 1000);
  EXPECT_EQ(c.accounts.journal_path, "/tmp/every/j.sqlite");

  EXPECT_EQ(c.fix.listen_address, "0.0.0.0");
  EXPECT_EQ(c.fix.port, 9879);
  EXPECT_EQ(c.fix.data_dictionary, "/etc/combo/FIX44-combo.xml");
  EXPECT_EQ(c.fix.store_directory, "/tmp/every/store");
  EXPECT_EQ(c.fix.log_directory, "/tmp/every/log");
  EXPECT_EQ(c.fix.max_legs, 4u);
  ASSERT_THAT(c.fix.sessions, SizeIs(1));
  EXPECT_EQ(c.fix.sessions[0].gateway_comp_id, "GW");
  EXPECT_EQ(c.fix.sessions[0].username, "u");
  EXPECT_EQ(c.fix.sessions[0].password, "p");
  EXPECT_EQ(c.fix.sessions[0].default_account, "ACC");
  ASSERT_TRUE(c.fix.tls.has_value());
  EXPECT_EQ(c.fix.tls->certificate_file, "c.pem");
  EXPECT_EQ(c.fix.tls->private_key_file, "k.pem");
  EXPECT_EQ(c.fix.tls->ca_file, "ca.pem");

  const venues::market_sim::MarketSimConfig& m = c.simulation.market;
  EXPECT_EQ(m.seed, 3u);
  EXPECT_EQ(m.step, D("50ms"));
  EXPECT_DOUBLE_EQ(m.rate, 0.01);
  EXPECT_EQ(m.first_participant_id, 500u);
  EXPECT_DOUBLE_EQ(m.underlyings[0].drift, 0.01);
  EXPECT_DOUBLE_EQ(m.underlyings[0].volatility, 0.3);
  EXPECT_DOUBLE_EQ(m.underlyings[0].jump_intensity, 1.0);
  EXPECT_DOUBLE_EQ(m.underlyings[0].jump_deviation, 0.01);
  ASSERT_THAT(m.market_makers, SizeIs(1));
  EXPECT_EQ(m.market_makers[0].max_half_spread_ticks, 2);
  EXPECT_EQ(m.market_makers[0].quantity, core::Quantity(5));
  EXPECT_EQ(m.market_makers[0].requote_delay, D("10ms"));
  EXPECT_EQ(m.market_makers[0].requote_jitter, D("5ms"));
  EXPECT_EQ(m.market_makers[0].role, venues::ParticipantRole::kPrimaryMarketMaker);
  EXPECT_EQ(m.market_makers[0].link.fixed, D("350ms"));
  EXPECT_EQ(m.market_makers[0].link.jitter, D("50ms"));
  EXPECT_EQ(m.market_makers[0].link.probe_interval, D("2s"));
  EXPECT_EQ(m.market_makers[0].link.group, "slow-makers");
  ASSERT_THAT(m.takers, SizeIs(1));
  EXPECT_DOUBLE_EQ(m.takers[0].arrivals_per_second, 0.5);
  EXPECT_EQ(m.takers[0].max_quantity, core::Quantity(2));
  EXPECT_EQ(m.takers[0].role, venues::ParticipantRole::kProfessional);
  EXPECT_EQ(m.takers[0].link.fixed, D("1ms"));
  EXPECT_EQ(m.takers[0].link.jitter, D("1ms"));
  EXPECT_EQ(m.takers[0].link.probe_interval, core::Duration::Zero());
  EXPECT_EQ(m.takers[0].link.group, "takers-b");
  ASSERT_THAT(m.complex_quoters, SizeIs(1));
  EXPECT_EQ(m.complex_quoters[0].link.probe_interval, D("1s"));
  EXPECT_EQ(m.complex_quoters[0].link.group, "quoters");
  EXPECT_EQ(m.complex_quoters[0].net_tick, P("0.05"));
  EXPECT_EQ(m.complex_quoters[0].requote_delay, D("1s"));
  ASSERT_THAT(m.resting_traders, SizeIs(1));
  const venues::market_sim::RestingTraderConfig& resting = m.resting_traders[0];
  EXPECT_EQ(resting.role, venues::ParticipantRole::kCustomer);
  EXPECT_THAT(resting.instruments, SizeIs(1));
  ASSERT_THAT(resting.combos, SizeIs(1));
  EXPECT_EQ(resting.combos[0], m.complex_quoters[0].combo);
  EXPECT_DOUBLE_EQ(resting.orders_per_second, 0.25);
  EXPECT_EQ(resting.min_offset_ticks, -3);
  EXPECT_EQ(resting.max_offset_ticks, 2);
  EXPECT_EQ(resting.min_quantity, core::Quantity(2));
  EXPECT_EQ(resting.max_quantity, core::Quantity(4));
  EXPECT_EQ(resting.min_lifetime, D("1s"));
  EXPECT_EQ(resting.max_lifetime, D("3s"));
  EXPECT_EQ(resting.replace_percent, 40);
  EXPECT_EQ(resting.max_open_orders, 6);
  EXPECT_EQ(resting.net_tick, P("0.05"));
  ASSERT_THAT(m.script, SizeIs(3));
  EXPECT_EQ(m.script[0].instrument, core::InstrumentId(1));
  EXPECT_EQ(m.script[1].underlying, "SPY");
  EXPECT_DOUBLE_EQ(m.script[1].log_return, 0.01);
  EXPECT_EQ(m.script[2].extra_latency, D("1ms"));
  EXPECT_EQ(m.script[2].spike_length, D("1s"));
  ASSERT_THAT(m.negotiators, SizeIs(1));
  const auto& negotiator = m.negotiators[0];
  EXPECT_EQ(negotiator.venue, core::VenueId(3));
  EXPECT_EQ(negotiator.account, "NEG1");
  EXPECT_EQ(negotiator.min_edge_ticks, 1);
  EXPECT_EQ(negotiator.max_edge_ticks, 3);
  EXPECT_EQ(negotiator.counter_band_ticks, 4);
  EXPECT_EQ(negotiator.combo_tick, P("0.05"));
  EXPECT_EQ(negotiator.max_quantity, core::Quantity(7));
  EXPECT_EQ(negotiator.min_think_time, D("100ms"));
  EXPECT_EQ(negotiator.max_think_time, D("900ms"));
  EXPECT_EQ(negotiator.counter_timeout_seconds, 30);
  const auto& p = c.simulation.negotiation_participants[0];
  EXPECT_EQ(p.account, core::AccountId("D"));
  EXPECT_EQ(p.interests[0].buy_limit, P("400"));
  EXPECT_EQ(p.interests[0].sell_limit, P("500"));
  EXPECT_EQ(p.interests[0].max_quantity, core::Quantity(1));
  EXPECT_EQ(p.min_think_time, D("1s"));
  EXPECT_EQ(p.max_think_time, D("2s"));
  EXPECT_EQ(p.trade_request_delay, D("1s"));
  EXPECT_EQ(p.clearing_firm, "FIRM");
  EXPECT_EQ(p.seed, 2u);
}

}  // namespace
}  // namespace combo::config

namespace combo::config {
namespace {

// ---- the instrument master (instruments_file) ----------------------------------------------

// A config file and its instrument master in a directory of their own.
class MasterFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/master_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::create_directories(dir_ + "/instruments");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void WriteFile(const std::string& name, const std::string& text) {
    std::ofstream out(dir_ + "/" + name);
    out << text;
  }
  // The config with `yaml_instruments` (may be empty) and `venues`.
  std::string Config(
      const std::string& yaml_instruments = "",
      const std::string& venues = "venues:\n  - {name: OPT-A, id: 1}\n  - {name: STK, id: 2}\n") {
    return "instruments_file: instruments/m.csv\n" + yaml_instruments + venues +
           "pricing: {underlyings: {SPY: {volatility: 0.2}}}\n"
           "fix: {sessions: [{client_comp_id: X}]}\n";
  }
  absl::StatusOr<DaemonConfig> Load(const std::string& yaml, const std::string& csv,
                                    LoadOptions options = {}) {
    WriteFile("c.yaml", yaml);
    WriteFile("instruments/m.csv", csv);
    return LoadDaemonConfigFile(Path("c.yaml"), options);
  }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  std::string dir_;
};

constexpr char kMaster[] =
    R"(id,symbol,asset_class,underlying,expiry,strike,right,multiplier,tick,venues
1,SPY,etf,,,,,,,STK
10,,option,SPY,2026-12-18,430,P,,,OPT-A
11,,option,SPY,2026-12-18,435,P,,,OPT-A
12,,option,SPY,2026-11-20,430,P,,,OPT-A
)";

TEST_F(MasterFile, RowsJoinTheCatalogAndTheVenuesTheyName) {
  auto loaded = Load(Config(), kMaster);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->instruments.size(), 4u);
  ASSERT_TRUE(loaded->instrument_master.has_value());
  EXPECT_EQ(loaded->instrument_master->file, Path("instruments/m.csv"));
  EXPECT_EQ(loaded->instrument_master->listed, 4u);
  EXPECT_THAT(loaded->FindVenue("OPT-A")->instruments,
              ElementsAre(core::InstrumentId(10), core::InstrumentId(11), core::InstrumentId(12)));
  EXPECT_THAT(loaded->FindVenue("STK")->instruments, ElementsAre(core::InstrumentId(1)));
  EXPECT_EQ(loaded->instruments.FindBySymbol("SPY 20261218 P 430")->id(), core::InstrumentId(10));
}

TEST_F(MasterFile, ExpiredRowsAreSkippedAndCountedNotListed) {
  auto loaded = Load(Config(), kMaster, LoadOptions{absl::CivilDay(2026, 12, 7)});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->instrument_master->listed, 3u);
  EXPECT_EQ(loaded->instrument_master->expired, 1u);
  EXPECT_EQ(loaded->instruments.Find(core::InstrumentId(12)), nullptr);
  ASSERT_NE(loaded->instruments.FindExpired(core::InstrumentId(12)), nullptr);
  EXPECT_THAT(loaded->FindVenue("OPT-A")->instruments,
              ElementsAre(core::InstrumentId(10), core::InstrumentId(11)));
  EXPECT_EQ(loaded->listing_date, absl::CivilDay(2026, 12, 7));
}

TEST_F(MasterFile, VenuesMayStillListByPatternAndTheYamlListAddsInstruments) {
  const std::string master =
      "id,symbol,asset_class,underlying,expiry,strike,right\n"
      "10,,option,SPY,2026-12-18,430,P\n";
  auto loaded = Load(Config("instruments:\n  - {id: 1, symbol: SPY, asset_class: etf}\n",
                            "venues:\n  - {name: OPT-A, id: 1, option_underlyings: [SPY]}\n"
                            "  - {name: STK, id: 2, instruments: [SPY]}\n"),
                     master);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_THAT(loaded->FindVenue("OPT-A")->instruments, ElementsAre(core::InstrumentId(10)));
  EXPECT_THAT(loaded->FindVenue("STK")->instruments, ElementsAre(core::InstrumentId(1)));
}

TEST_F(MasterFile, ASymbolOrIdInBothTheYamlListAndTheMasterIsAnError) {
  auto loaded =
      Load(Config("instruments:\n  - {id: 99, symbol: SPY, asset_class: etf}\n"), kMaster);
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(Errors(loaded),
              ElementsAre(Path("instruments/m.csv") +
                          ":2: instrument symbol \"SPY\" is already defined in instruments of " +
                          Path("c.yaml") + ": an instrument is defined once"));
  auto by_id = Load(Config("instruments:\n  - {id: 10, symbol: QQQ, asset_class: etf}\n"), kMaster);
  EXPECT_THAT(Errors(by_id),
              ElementsAre(HasSubstr("m.csv:3: instrument id 10 is already defined")));
}

TEST_F(MasterFile, AnUnknownVenueIsReportedAtItsRowAndColumn) {
  auto loaded = Load(
      Config(), "id,symbol,asset_class,venues\n1,SPY,etf,STK;OPT-Z\n2,QQQ,etf,PHANTOM;OPT-A\n");
  EXPECT_THAT(
      Errors(loaded),
      ElementsAre(Path("instruments/m.csv") +
                      ":2:15: venues: unknown venue \"OPT-Z\"; the venues are OPT-A, STK",
                  Path("instruments/m.csv") +
                      ":3:11: venues: unknown venue \"PHANTOM\"; the venues are OPT-A, STK"));
}

TEST_F(MasterFile, ErrorsOfTheMasterAndOfTheYamlAreReportedTogether) {
  auto loaded =
      Load(Config() + "metrics: {port: -1}\n", "id,symbol,asset_class\n1,SPY,etf\n2,SPX,index\n");
  EXPECT_THAT(Errors(loaded),
              ElementsAre(HasSubstr("metrics.port"),
                          Path("instruments/m.csv") +
                              ":3:7: asset_class: expected one of stock, etf, option, future, got "
                              "\"index\""));
}

TEST_F(MasterFile, AMissingMasterFileIsAnErrorAtTheKey) {
  WriteFile("c.yaml", Config());
  auto loaded = LoadDaemonConfigFile(Path("c.yaml"));
  EXPECT_THAT(
      Errors(loaded),
      ElementsAre(Path("c.yaml") + ":1:19: instruments_file: cannot open instrument master \"" +
                  Path("instruments/m.csv") + "\": No such file or directory"));
}

TEST_F(MasterFile, WithoutAMasterTheInstrumentsListIsRequired) {
  EXPECT_THAT(Errors(LoadDaemonConfigText("venues: []\nfix: {enabled: false}\n", "n.yaml")),
              ElementsAre("n.yaml:1:1: instruments: required key is missing"));
}

// ---- reload: what a new master may change --------------------------------------------------

class MasterReload : public MasterFile {
 protected:
  DaemonConfig Running(const std::string& csv, LoadOptions options = {}) {
    auto loaded = Load(Config(), csv, options);
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return *std::move(loaded);
  }
  absl::StatusOr<ReloadableConfig> Reload(const DaemonConfig& running, const std::string& csv,
                                          LoadOptions options = {}) {
    WriteFile("instruments/m.csv", csv);
    return LoadReloadableConfig(Path("c.yaml"), running, options);
  }
};

TEST_F(MasterReload, NewRowsAreAdditionsWithTheirListings) {
  const DaemonConfig running = Running(kMaster);
  auto reloaded =
      Reload(running, std::string(kMaster) + "13,,option,SPY,2026-12-18,432.5,P,,,OPT-A;STK\n");
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  ASSERT_THAT(reloaded->instruments.instruments, SizeIs(1));
  EXPECT_EQ(reloaded->instruments.instruments[0].symbol(), "SPY 20261218 P 432.5");
  ASSERT_THAT(reloaded->instruments.listings, SizeIs(2));
  EXPECT_EQ(reloaded->instruments.listings[0].venue, core::VenueId(1));
  EXPECT_EQ(reloaded->instruments.listings[1].venue, core::VenueId(2));
  EXPECT_EQ(reloaded->instruments.listings[1].instrument, core::InstrumentId(13));
  // The same file again adds nothing.
  EXPECT_TRUE(Reload(running, kMaster)->instruments.empty());
}

TEST_F(MasterReload, RemovingOrChangingAnInstrumentOrAListingIsRefusedWithTheReason) {
  const DaemonConfig running = Running(kMaster);
  std::string removed = kMaster;
  removed.erase(removed.find("11,"), removed.find("12,") - removed.find("11,"));
  auto refused = Reload(running, removed);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(),
              HasSubstr("instrument \"SPY 20261218 P 435\" (id 11) is no longer defined: an "
                        "instrument cannot be removed while the daemon runs (orders may reference "
                        "it); restart to remove it"));
  std::string changed = kMaster;
  changed.replace(changed.find("1,SPY,etf,,,,,,,STK"), 19, "1,SPY,etf,,,,,,0.05,STK");
  refused = Reload(running, changed);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(),
              HasSubstr("instrument \"SPY\" (id 1) changed (tick 0.01 -> 0.05)"));
  std::string delisted = kMaster;
  delisted.replace(delisted.find("435,P,,,OPT-A"), 13, "435,P,,,");
  refused = Reload(running, delisted);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(),
              HasSubstr("venue OPT-A no longer lists \"SPY 20261218 P 435\": a listing cannot be "
                        "removed while the daemon runs; restart to delist it"));
}

TEST_F(MasterReload, AnInstrumentExpiredSinceTheStartIsNotARemoval) {
  const DaemonConfig running = Running(kMaster, LoadOptions{absl::CivilDay(2026, 11, 1)});
  auto reloaded = Reload(running, kMaster, LoadOptions{absl::CivilDay(2026, 12, 7)});
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_TRUE(reloaded->instruments.empty());
}

// ---- sharding ----------------------------------------------------------------------------

// Shard equity-index of two: it owns SPY, SPX and ES (and trades SPY and an ES future); shard
// nasdaq owns QQQ and NQ.
constexpr char kSharded[] = R"(instruments:
  - {id: 1, symbol: SPY, asset_class: etf}
  - {id: 2, symbol: ESZ6, asset_class: future, underlying: ES, multiplier: 50, expiry: 2026-12-18}
venues:
  - {name: A, id: 1, instruments: [SPY, ESZ6]}
fix:
  sessions:
    - {client_comp_id: BROKER1}
sharding:
  product_groups:
    equity-index: [SPY, SPX, ES]
    nasdaq: [QQQ, NQ]
  shards:
    - {name: equity-index, product_groups: [equity-index], fix_endpoint: "shard-0:9878"}
    - {name: nasdaq, product_groups: [nasdaq], fix_endpoint: "shard-1:9878"}
  this_shard: equity-index
)";

std::string Sharded(std::initializer_list<std::pair<std::string_view, std::string_view>> edits) {
  std::string text = kSharded;
  for (const auto& [from, to] : edits) {
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
  }
  return text;
}

TEST(DaemonConfigSharding, TheMapOfEveryShardAndWhichOneThisIsLoad) {
  auto loaded = LoadDaemonConfigText(kSharded, "s.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_TRUE(loaded->sharding.has_value());
  const router::ShardOwnership& shards = *loaded->sharding;
  EXPECT_EQ(shards.this_shard().name, "equity-index");
  ASSERT_EQ(shards.map().shards.size(), 2u);
  EXPECT_THAT(shards.map().product_groups[0].roots, ElementsAre("SPY", "SPX", "ES"));
  const std::optional<router::ProductOwner> qqq = shards.OwnerOf("QQQ");
  ASSERT_TRUE(qqq.has_value());
  EXPECT_EQ(qqq->group->name, "nasdaq");
  EXPECT_EQ(qqq->shard->name, "nasdaq");
  EXPECT_EQ(qqq->shard->fix_endpoint, "shard-1:9878");
  EXPECT_TRUE(shards.OwnedHere(*shards.OwnerOf("ES")));
}

TEST(DaemonConfigSharding, WithoutTheSectionTheDaemonIsUnshardedAndOwnsEverything) {
  auto loaded = LoadDaemonConfigText(kSmallest, "s.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_FALSE(loaded->sharding.has_value());
}

TEST(DaemonConfigSharding, AnUnderlyingInTwoGroupsIsAnErrorNamingTheFirst) {
  EXPECT_THAT(Errors(LoadDaemonConfigText(Sharded({{"[QQQ, NQ]", "[QQQ, NQ, ES]"}}), "s.yaml")),
              ElementsAre("s.yaml:12:23: sharding.product_groups.nasdaq[2]: underlying \"ES\" is "
                          "already in product group equity-index (line 11): an underlying belongs "
                          "to one product group"));
}

TEST(DaemonConfigSharding, AGroupOwnedByTwoShardsOrByNoneIsAnError) {
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(
          Sharded({{"product_groups: [nasdaq]", "product_groups: [nasdaq, equity-index]"}}),
          "s.yaml")),
      ElementsAre("s.yaml:15:47: sharding.shards[1].product_groups[1]: product group "
                  "\"equity-index\" is already owned by shard equity-index (line 14): a product "
                  "group belongs to one shard"));
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(
          Sharded({{"    nasdaq: [QQQ, NQ]\n", "    nasdaq: [QQQ, NQ]\n    energy: [CL]\n"}}),
          "s.yaml")),
      ElementsAre("s.yaml:13:13: sharding.product_groups.energy: product group \"energy\" is "
                  "owned by no shard: list it in one shard's product_groups"));
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(
          Sharded({{"product_groups: [nasdaq]", "product_groups: [nasdaq, energy]"}}), "s.yaml")),
      ElementsAre("s.yaml:15:47: sharding.shards[1].product_groups[1]: unknown product group "
                  "\"energy\" (not in sharding.product_groups)"));
}

TEST(DaemonConfigSharding, ThisShardMustBeOneOfTheShards) {
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(Sharded({{"this_shard: equity-index", "this_shard: energy"}}),
                                  "s.yaml")),
      ElementsAre("s.yaml:16:15: sharding.this_shard: unknown shard \"energy\": expected one of "
                  "equity-index, nasdaq (sharding.shards)"));
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(Sharded({{"  this_shard: equity-index\n", ""}}), "s.yaml")),
      ElementsAre("s.yaml:10:3: sharding.this_shard: required key is missing"));
}

TEST(DaemonConfigSharding, AnInstrumentOfAnotherShardsGroupOrOfNoGroupIsAnError) {
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(Sharded({{"this_shard: equity-index", "this_shard: nasdaq"}}),
                                  "s.yaml")),
      ElementsAre("s.yaml:2:5: instruments[0]: underlying \"SPY\" of \"SPY\" is in product group "
                  "equity-index of shard equity-index; this is shard nasdaq "
                  "(sharding.this_shard): configure it on its own shard",
                  "s.yaml:3:60: instruments[1].underlying: underlying \"ES\" of \"ESZ6\" is in "
                  "product group equity-index of shard equity-index; this is shard nasdaq "
                  "(sharding.this_shard): configure it on its own shard"));
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(Sharded({{"[SPY, SPX, ES]", "[SPY, SPX]"}}), "s.yaml")),
      ElementsAre("s.yaml:3:60: instruments[1].underlying: underlying \"ES\" of \"ESZ6\" is in "
                  "no product group: add it to a group of shard equity-index in "
                  "sharding.product_groups"));
}

TEST(DaemonConfigSharding, ShardsNeedANameAnEndpointAndGroups) {
  EXPECT_THAT(
      Errors(LoadDaemonConfigText(
          Sharded({{R"(- {name: nasdaq, product_groups: [nasdaq], fix_endpoint: "shard-1:9878"})",
                    R"(- {name: equity-index, product_groups: [], fix_endpoint: ""})"}}),
          "s.yaml")),
      ElementsAre(HasSubstr("sharding.shards[1].name: shard \"equity-index\" is listed twice"),
                  HasSubstr("sharding.shards[1].fix_endpoint: expected a non-empty value"),
                  HasSubstr("sharding.shards[1].product_groups: expected a non-empty list of "
                            "product group names"),
                  HasSubstr("sharding.product_groups.nasdaq: product group \"nasdaq\" is owned "
                            "by no shard")));
}

TEST_F(MasterFile, AMasterRowOfAnotherShardsGroupIsAnErrorAtItsRow) {
  const std::string sharding =
      "sharding:\n"
      "  product_groups: {equity-index: [SPY], nasdaq: [QQQ]}\n"
      "  shards:\n"
      "    - {name: nasdaq, product_groups: [nasdaq], fix_endpoint: n}\n"
      "    - {name: equity-index, product_groups: [equity-index], fix_endpoint: e}\n"
      "  this_shard: nasdaq\n";
  auto loaded =
      Load(Config() + sharding, "id,symbol,asset_class,venues\n1,SPY,etf,STK\n2,QQQ,etf,OPT-A\n");
  EXPECT_THAT(Errors(loaded),
              ElementsAre(Path("instruments/m.csv") +
                          ":2: underlying \"SPY\" of \"SPY\" is in product group equity-index of "
                          "shard equity-index; this is shard nasdaq (sharding.this_shard): "
                          "configure it on its own shard"));
}

}  // namespace
}  // namespace combo::config

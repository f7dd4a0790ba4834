// SimulatedVenueConfig: what one embedded exchange lists and runs (instruments and ticks,
// allocation, fees, latency model, AOP, latency protection, complex-order book), as a plain
// struct, and the check that a config is usable. SimulatedVenue (venues/simulated_venue.h) is
// built from it; config/ fills it from YAML.
//
// Plain values: no thread-safety concerns.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/ids.h"
#include "core/instrument.h"
#include "core/price.h"
#include "core/tick_rule.h"
#include "core/time.h"
#include "prometheus/registry.h"
#include "venues/aop/cbo_book.h"
#include "venues/aop/protection.h"
#include "venues/aop/third_party_market.h"
#include "venues/complex_book.h"
#include "venues/latency_guard.h"
#include "venues/leg_processes/leg_process_config.h"
#include "venues/market_maker_rules.h"
#include "venues/order_book.h"

namespace combo::venues {

// A delay of `fixed` plus a uniform draw from [0, jitter].
struct LatencySpec {
  core::Duration fixed;
  core::Duration jitter;
};

// Participant to venue, by request type.
struct InboundLatency {
  LatencySpec new_order;
  LatencySpec complex_order;
  LatencySpec cancel;
  LatencySpec replace;
};

// Venue to participant (or subscriber), by event type.
struct OutboundLatency {
  LatencySpec ack;
  LatencySpec reject;
  LatencySpec fill;
  LatencySpec cancelled;
  LatencySpec restated;
  LatencySpec market_data;
};

struct LatencyModel {
  InboundLatency inbound;
  OutboundLatency outbound;
  // Seeds the jitter; the same seed and the same messages give the same delays.
  uint64_t seed = 1;
};

struct ListedInstrument {
  core::InstrumentId instrument;
  // The instrument's tick at each price on this venue (core/tick_rule.h).
  core::TickRule tick_rule = core::TickRule::Uniform(core::Price::FromParts(0, 10'000'000));
};

// Which resting leg orders automated order protection manages.
enum class AopCoverage : uint8_t {
  kAllRestingOrders,    // every resting limit order
  kListedParticipants,  // only the orders of `AopConfig::protected_participants`
};

// Automated order protection (seed 004), off unless `enabled` (docs/VENUES.md "Automated order
// protection"). The venue keeps a Third Party Inside Market from the source venues' market data
// (connect them with ConnectAopSource), reprices its covered resting leg orders through the
// protected loop (each reprice an OrderRestated with an kAop* reason, keeping time priority),
// protects its resting complex orders against the implied market of their legs' TPIMs, publishes
// AopStatusChanged while that data is stale, and can open a CBO book (OpenCboBook) for client
// bid/offers and dealer responses.
struct AopConfig {
  bool enabled = false;
  aop::ThirdPartyMarketConfig third_party;
  aop::ProtectionConfig protection;
  AopCoverage coverage = AopCoverage::kAllRestingOrders;
  std::vector<core::ParticipantId> protected_participants;
  aop::CboBookConfig cbo;
  // Opens the CBO book when the venue is built (otherwise only OpenCboBook opens it): client
  // bid/offers and dealer responses on the venue's Scheduler, with `cbo`'s phases, window, tie
  // break and seed. Participants reach it through SimulatedVenue::cbo_book() and SubscribeCbo.
  bool cbo_book = false;
  // Optional (not owned): receives combo_venue_aop_reprices_total{venue,reason}, one count per
  // restatement AOP makes (leg or complex order), by its basis,
  // combo_venue_aop_autofills_total{venue} and combo_venue_aop_dealer_price_fills_total{venue}
  // (leg orders), and the CBO book's families (venues/exchange/cbo_hub.h).
  prometheus::Registry* metrics = nullptr;
};

struct SimulatedVenueConfig {
  core::VenueId id;
  std::string name;
  std::vector<ListedInstrument> instruments;
  AllocationRule allocation = AllocationRule::kPriceTime;
  Seed001AllocationParams seed001;
  // Seed 001 Part A's rules for market makers' quotes and professional orders in every leg book
  // of the venue (venues/market_maker_rules.h); all off by default. Not with latency protection.
  MarketMakerRules market_maker;
  // Per contract; positive is paid by the participant, negative is a rebate.
  core::Price maker_fee_per_contract;
  core::Price taker_fee_per_contract;
  LatencyModel latency;
  AopConfig aop;
  // Latency protection (seed 002), off unless `latency_protection.enabled` (docs/VENUES.md
  // "Latency protection"). Needs the price_time allocation.
  LatencyProtectionConfig latency_protection;

  // The native complex-order book (seed 001); disabled by default.
  ComplexBookConfig complex_book;

  // Optional (not owned): receives the venue's activity counters (exchange/venue_activity.h:
  // prints by kind, resting orders by role, the customer rules at work) and, with any
  // market-maker rule on, combo_venue_quote_restatements_total{venue,reason}.
  prometheus::Registry* metrics = nullptr;
  // Seed 001 Part A's market-wide leg-book processes (away market and hidden orders, fast
  // market, opening rotation, block orders); each off by default. The away market needs `aop`
  // (its third-party market is the away market).
  leg_processes::LegProcessesConfig leg_processes;
  // The listed options' rights: the fast market and the opening break two-price ties by them
  // (seed 001 R46). An instrument not here is not an option.
  std::map<core::InstrumentId, core::OptionRight> option_rights;
  // Each listed series' underlying instrument (an option's stock or ETF): the automatic fast
  // market (seed 001 R46) follows the underlying's primary market. A series not here has none.
  std::map<core::InstrumentId, core::InstrumentId> underlyings;
};

// Checks a config: a name, at least one instrument, no instrument twice, positive ticks,
// non-negative latencies, seed-001 percentages within 0..100, valid market-maker rules (not with
// latency protection), a valid complex-book config.
absl::Status ValidateSimulatedVenueConfig(const SimulatedVenueConfig& config);

}  // namespace combo::venues

// StackConfig: what RoutingStack::Build takes, typed, so that every caller (the daemon from its
// YAML, the backtest from the sample market, the scenario runner from a .scn file, the
// benchmarks from code) describes its routing stack the same way and gets the same wiring.
//
// The wiring rules themselves are not configurable; they are documented on RoutingStack
// (stack/routing_stack.h) and pinned by stack/routing_stack_test.cc. A plain value; safe to copy
// between threads (the venue pointers it may hold are not used until Build).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "accounts/accounts_service.h"
#include "config/daemon_config.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/time.h"
#include "pricing/delta.h"
#include "pricing/pricing_engine.h"
#include "resolver/resolver_config.h"
#include "risk/risk_limits.h"
#include "router/leg_in_policy.h"
#include "router/router_config.h"
#include "venues/negotiation/negotiation_venue.h"
#include "venues/negotiation/service.h"
#include "venues/simulated_venue.h"
#include "venues/venue.h"

namespace combo::stack {

// An embedded exchange the stack builds and owns.
struct BuildSimulatedVenue {
  venues::SimulatedVenueConfig config;
};

// The negotiation network (seed 000) the stack builds and owns: its service (signing key from
// the label "<name>-SERVICE") and the venue the router trades through. At most one per stack.
struct BuildNegotiationVenue {
  std::string name;
  venues::negotiation::NegotiationVenueConfig venue;
  venues::negotiation::ServiceConfig service;
};

// An embedded exchange someone else owns (the sample market's), used as if the stack had built
// it: its listing gives the engine's tick sizes, its latency model the expected latency.
struct UseSimulatedVenue {
  venues::SimulatedVenue* venue = nullptr;
};

// Any other venue someone else owns (a benchmark's recording venue, the sample market's
// negotiation venue). It must outlive the stack.
struct UseVenue {
  venues::Venue* venue = nullptr;
};

struct StackVenue {
  std::variant<BuildSimulatedVenue, BuildNegotiationVenue, UseSimulatedVenue, UseVenue> source;
  // Whether the router may price and route on the venue (pricing, native rests, leg orders).
  bool routable = true;
  // What an order is expected to take there (leg ranking by venue speed, R21). Unset: the fixed
  // inbound new-order latency plus the fixed outbound ack latency of a simulated venue's model,
  // zero for any other venue.
  std::optional<core::Duration> expected_latency;
  // The largest leg order the venue takes (leg-in pre-flight); zero: no limit.
  core::Quantity max_order_quantity = core::Quantity::Zero();
  // How often the router probes the venue's latency protection with a test order (seed 002 R5,
  // spec 6.2; RoutingStack's VenueProber); zero: never. Only for a built simulated venue running
  // latency protection (Build fails otherwise).
  core::Duration latency_probe_interval = core::Duration::Zero();
};

enum class JournalPlacement : uint8_t {
  // No journal: reports go out at once (benchmarks timing the router alone).
  kNone,
  // A fresh temporary directory, removed with the stack (backtests, scenario runs).
  kTemporaryDirectory,
  // `path`, created if missing and replayed if present (the daemon).
  kFile,
};

struct StackJournal {
  JournalPlacement placement = JournalPlacement::kTemporaryDirectory;
  std::string path;
  accounts::AccountsOptions options;
};

struct StackConfig {
  // Every venue of the stack, in order (the order of feeds, risk, the router's and the engine's
  // venue lists).
  std::vector<StackVenue> venues;
  // Fee-aware implied prices; the venues the engine prices on are the routable ones.
  pricing::FeeMode fee_mode = pricing::FeeMode::kIgnoreFees;
  pricing::VenueFees fees;
  // Black-Scholes inputs for option deltas (leg ranking, dollar-delta exposure), by underlying.
  std::map<std::string, pricing::UnderlyingParameters> underlyings;
  router::RouterConfig router;
  router::LegInPolicy leg_in;
  risk::RiskLimits risk;
  StackJournal journal;
  // The residual resolver (needs a journal; off by default: book and hold).
  resolver::ResolverConfig resolver;
  // How often RoutingStack::Start values the error account for metrics and risk; zero: never
  // (runs that must not see a timer the daemon would not have at the same moment).
  core::Duration error_account_valuation = core::Duration::Zero();
};

// The daemon's stack, from its loaded config: every venue of `venues` in file order (simulated
// ones built, the negotiation venue built), the journal at accounts.journal_path, the error
// account valued every second.
StackConfig StackConfigFrom(const config::DaemonConfig& config);

}  // namespace combo::stack

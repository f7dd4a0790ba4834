// SampleMarket: a ready-made simulated world for tests, the backtest and the benchmark: one
// underlying (XYZ) with its stock, a future and six options, two native combos, three
// SimulatedVenues that differ leg by leg (spreads, sizes, latencies, which combos they trade
// natively), and a MarketSimConfig that brings them to life.
//
// Venues: ALPHA (id 1) trades both combos natively, quotes tight and fast; BETA (id 2) trades
// the call spread natively, quotes wider with more size; GAMMA (id 3) has no complex book and
// quotes the widest, slowest market. Not thread-safe; lives on the scheduler's thread.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "core/combo_catalog.h"
#include "core/ids.h"
#include "core/instrument_catalog.h"
#include "core/scheduler.h"
#include "venues/market_sim/market_simulator.h"
#include "venues/negotiation/negotiation_venue.h"
#include "venues/negotiation/service.h"
#include "venues/simulated_venue.h"

namespace combo::venues::market_sim {

enum class NegotiationVenueInMarket : uint8_t { kAbsent, kPresent };

struct SampleMarketOptions {
  uint64_t seed = 1;
  // Jumps per year of the underlying's path (0: pure GBM).
  double jump_intensity = 0.0;
  // The underlying's volatility (0: a flat path that only scripted jumps move).
  double volatility = 0.35;
  // Taker arrivals per second at each venue.
  double taker_rate = 2.0;
  std::vector<ScriptedEvent> script;
  KeepLines keep_lines = KeepLines::kNo;
  NegotiationVenueInMarket negotiation = NegotiationVenueInMarket::kAbsent;
  // Multiplies every venue's latency (1: a router co-located with ALPHA and near the others;
  // larger: venues farther away, so quotes move while leg orders travel). At least 1.
  int64_t latency_factor = 1;
};

struct SampleMarket {
  // Instrument ids.
  static constexpr core::InstrumentId kStock{1};
  static constexpr core::InstrumentId kFuture{2};
  static constexpr core::InstrumentId kCall95{10};
  static constexpr core::InstrumentId kCall100{11};
  static constexpr core::InstrumentId kCall105{12};
  static constexpr core::InstrumentId kPut95{13};
  static constexpr core::InstrumentId kPut100{14};
  static constexpr core::InstrumentId kPut105{15};
  static constexpr core::VenueId kAlpha{1};
  static constexpr core::VenueId kBeta{2};
  static constexpr core::VenueId kGamma{3};
  static constexpr core::VenueId kNegotiation{4};

  core::InstrumentCatalog instruments;
  core::ComboCatalog combos;
  // Buy the 100 call, sell the 105 call; buy the 100 put, sell the 95 put... canonical ids.
  core::ComboId call_spread;
  core::ComboId put_spread;
  std::vector<std::unique_ptr<SimulatedVenue>> venues;
  // With NegotiationVenueInMarket::kPresent: the service and the venue (its account is
  // "ROUTER"); declared before the simulator, whose negotiators must go first.
  std::unique_ptr<negotiation::NegotiationService> negotiation_service;
  std::unique_ptr<negotiation::NegotiationVenue> negotiation_venue;
  std::unique_ptr<MarketSimulator> simulator;

  // Every venue of the market: the simulated exchanges, then the negotiation venue if present.
  std::vector<Venue*> venue_pointers() const;
  SimulatedVenue* venue(core::VenueId id) const;
};

// Builds the world on `scheduler` (not owned) and creates (does not start) its simulator; a
// scripted halt is the venue's own (SimulatedVenue::SetTradingStatus halts every leg).
absl::StatusOr<std::unique_ptr<SampleMarket>> BuildSampleMarket(const SampleMarketOptions& options,
                                                                core::Scheduler* scheduler);

}  // namespace combo::venues::market_sim

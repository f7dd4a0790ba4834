#include "venues/market_sim/sample_market.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "core/combo_spec.h"
#include "core/status.h"

namespace combo::venues::market_sim {
namespace {

core::Price Cents(int64_t cents) { return core::Price::FromParts(0, cents * 10'000'000); }
core::Price Dollars(int64_t units) { return core::Price::FromParts(units, 0); }

absl::Status AddInstruments(core::InstrumentCatalog& catalog) {
  std::vector<core::InstrumentDefinition> definitions;
  core::InstrumentDefinition stock;
  stock.id = SampleMarket::kStock;
  stock.symbol = "XYZ";
  stock.asset_class = core::AssetClass::kStock;
  stock.underlying = "XYZ";
  stock.tick_rule = core::TickRule::Uniform(Cents(1));
  definitions.push_back(stock);
  core::InstrumentDefinition future;
  future.id = SampleMarket::kFuture;
  future.symbol = "XYZ-H26";
  future.asset_class = core::AssetClass::kFuture;
  future.underlying = "XYZ";
  future.multiplier = 100;
  future.tick_rule = core::TickRule::Uniform(Cents(5));
  future.expiry = absl::CivilDay(2026, 3, 20);
  definitions.push_back(future);
  struct Option {
    core::InstrumentId id;
    core::OptionRight right;
    int64_t strike;
    const char* symbol;
  };
  for (const Option& option :
       {Option{SampleMarket::kCall95, core::OptionRight::kCall, 95, "XYZ C95"},
        Option{SampleMarket::kCall100, core::OptionRight::kCall, 100, "XYZ C100"},
        Option{SampleMarket::kCall105, core::OptionRight::kCall, 105, "XYZ C105"},
        Option{SampleMarket::kPut95, core::OptionRight::kPut, 95, "XYZ P95"},
        Option{SampleMarket::kPut100, core::OptionRight::kPut, 100, "XYZ P100"},
        Option{SampleMarket::kPut105, core::OptionRight::kPut, 105, "XYZ P105"}}) {
    core::InstrumentDefinition definition;
    definition.id = option.id;
    definition.symbol = option.symbol;
    definition.asset_class = core::AssetClass::kOption;
    definition.underlying = "XYZ";
    definition.multiplier = 100;
    definition.tick_rule = core::TickRule::Uniform(Cents(1));
    definition.option =
        core::OptionTerms{option.right, Dollars(option.strike), absl::CivilDay(2026, 2, 20)};
    definitions.push_back(definition);
  }
  for (core::InstrumentDefinition& definition : definitions) {
    COMBO_ASSIGN_OR_RETURN(core::Instrument instrument,
                           core::Instrument::Create(std::move(definition)));
    COMBO_RETURN_IF_ERROR(catalog.Add(std::move(instrument)));
  }
  return absl::OkStatus();
}

absl::StatusOr<core::ComboId> Intern(core::ComboCatalog& combos, std::vector<core::ComboLeg> legs) {
  COMBO_ASSIGN_OR_RETURN(core::ComboSpec spec, core::ComboSpec::Create(std::move(legs)));
  return combos.Intern(core::Canonicalize(spec).spec);
}

// How one venue quotes: spreads in ticks, size, requote delay, latency.
struct VenueStyle {
  core::VenueId id;
  const char* name;
  int64_t min_half_spread;
  int64_t max_half_spread;
  int64_t size;
  core::Duration requote_delay;
  core::Duration latency;
};

}  // namespace

std::vector<Venue*> SampleMarket::venue_pointers() const {
  std::vector<Venue*> pointers;
  for (const auto& venue : venues) pointers.push_back(venue.get());
  if (negotiation_venue != nullptr) pointers.push_back(negotiation_venue.get());
  return pointers;
}

SimulatedVenue* SampleMarket::venue(core::VenueId id) const {
  for (const auto& venue : venues) {
    if (venue->id() == id) return venue.get();
  }
  return nullptr;
}

absl::StatusOr<std::unique_ptr<SampleMarket>> BuildSampleMarket(const SampleMarketOptions& options,
                                                                core::Scheduler* scheduler) {
  if (options.latency_factor < 1 || options.latency_factor > 10'000) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sample market: latency factor ", options.latency_factor, " is not in [1, 10000]"));
  }
  auto market = std::make_unique<SampleMarket>();
  COMBO_RETURN_IF_ERROR(AddInstruments(market->instruments));
  COMBO_ASSIGN_OR_RETURN(market->call_spread,
                         Intern(market->combos, {{SampleMarket::kCall100, 1, core::Side::kBuy},
                                                 {SampleMarket::kCall105, 1, core::Side::kSell}}));
  COMBO_ASSIGN_OR_RETURN(market->put_spread,
                         Intern(market->combos, {{SampleMarket::kPut95, 1, core::Side::kSell},
                                                 {SampleMarket::kPut100, 1, core::Side::kBuy}}));

  const std::vector<VenueStyle> styles = {
      {SampleMarket::kAlpha, "ALPHA", 1, 3, 10, core::Duration::Milliseconds(20),
       core::Duration::Microseconds(150)},
      {SampleMarket::kBeta, "BETA", 2, 4, 25, core::Duration::Milliseconds(60),
       core::Duration::Microseconds(400)},
      {SampleMarket::kGamma, "GAMMA", 1, 6, 5, core::Duration::Milliseconds(150),
       core::Duration::Microseconds(900)},
  };
  MarketSimConfig sim;
  sim.seed = options.seed;
  sim.rate = 0.03;
  sim.keep_lines = options.keep_lines;
  sim.script = options.script;
  UnderlyingProcessConfig xyz;
  xyz.underlying = "XYZ";
  xyz.initial_price = Dollars(100);
  xyz.volatility = options.volatility;
  xyz.drift = 0.05;
  xyz.jump_intensity = options.jump_intensity;
  xyz.jump_mean = -0.01;
  xyz.jump_deviation = 0.02;
  sim.underlyings.push_back(xyz);

  for (VenueStyle style : styles) {
    style.latency = style.latency * options.latency_factor;
    SimulatedVenueConfig config;
    config.id = style.id;
    config.name = style.name;
    for (const auto& [id, instrument] : market->instruments.all()) {
      config.instruments.push_back({id, instrument.tick_rule()});
    }
    config.maker_fee_per_contract = -Cents(style.id == SampleMarket::kAlpha ? 20 : 10);
    config.taker_fee_per_contract = Cents(style.id == SampleMarket::kAlpha ? 50 : 30);
    config.latency.inbound.new_order = {style.latency, style.latency / 2};
    config.latency.inbound.complex_order = {style.latency, style.latency / 2};
    config.latency.inbound.cancel = {style.latency, style.latency / 2};
    config.latency.inbound.replace = {style.latency, style.latency / 2};
    const LatencySpec out{style.latency / 2, style.latency / 4};
    config.latency.outbound = {out, out, out, out, out, out};
    config.latency.seed = options.seed * 31 + style.id.value();
    std::vector<core::ComboId> native;
    if (style.id == SampleMarket::kAlpha) native = {market->call_spread, market->put_spread};
    if (style.id == SampleMarket::kBeta) native = {market->call_spread};
    if (!native.empty()) {
      config.complex_book.enabled = true;
      for (core::ComboId combo : native) {
        config.complex_book.combos.push_back(ListedCombo{combo, *market->combos.Find(combo), {}});
      }
    }
    COMBO_ASSIGN_OR_RETURN(std::unique_ptr<SimulatedVenue> venue,
                           SimulatedVenue::Create(std::move(config), scheduler));
    market->venues.push_back(std::move(venue));

    for (const auto& [id, instrument] : market->instruments.all()) {
      MarketMakerConfig maker;
      maker.venue = style.id;
      maker.instrument = id;
      maker.min_half_spread_ticks = style.min_half_spread;
      maker.max_half_spread_ticks = style.max_half_spread;
      maker.quantity = core::Quantity(style.size);
      maker.requote_delay = style.requote_delay;
      maker.requote_jitter = style.requote_delay;
      sim.market_makers.push_back(maker);
    }
    TakerConfig taker;
    taker.venue = style.id;
    for (const auto& [id, instrument] : market->instruments.all()) taker.instruments.push_back(id);
    taker.arrivals_per_second = options.taker_rate;
    taker.max_quantity = core::Quantity(style.size / 2);
    sim.takers.push_back(taker);
    for (core::ComboId combo : native) {
      ComplexQuoterConfig quoter;
      quoter.venue = style.id;
      quoter.combo = combo;
      quoter.min_half_spread_ticks = style.min_half_spread;
      quoter.max_half_spread_ticks = style.max_half_spread + 3;
      quoter.quantity = core::Quantity(style.size / 2);
      quoter.requote_delay = style.requote_delay * 2;
      quoter.requote_jitter = style.requote_delay;
      sim.complex_quoters.push_back(quoter);
    }
  }
  std::vector<NegotiationLink> links;
  if (options.negotiation == NegotiationVenueInMarket::kPresent) {
    negotiation::ServiceConfig service_config;
    service_config.handle_seed = options.seed * 131 + 7;
    market->negotiation_service = std::make_unique<negotiation::NegotiationService>(
        *scheduler, market->instruments, negotiation::KeyPair::FromLabel("NEGOTIATION-SERVICE"),
        service_config);
    negotiation::NegotiationVenueConfig venue_config;
    venue_config.id = SampleMarket::kNegotiation;
    venue_config.account = core::AccountId("ROUTER");
    for (const auto& [id, instrument] : market->instruments.all()) venue_config.listed.insert(id);
    venue_config.combo_scope = negotiation::ComboScope::kAnyCombo;
    market->negotiation_venue = std::make_unique<negotiation::NegotiationVenue>(
        *scheduler, *market->negotiation_service, market->instruments, market->combos,
        venue_config);
    COMBO_RETURN_IF_ERROR(market->negotiation_venue->Start());
    links.push_back({SampleMarket::kNegotiation, market->negotiation_service.get()});
    // Three traders: one patient and demanding, one quick near fair, one in between.
    struct Style {
      const char* account;
      int64_t min_edge;
      int64_t max_edge;
      int64_t band;
      int64_t max_quantity;
      core::Duration min_think;
      core::Duration max_think;
    };
    for (const Style& style : {Style{"SIM-NEG1", 1, 3, 6, 20, core::Duration::Milliseconds(500),
                                     core::Duration::Milliseconds(2500)},
                               Style{"SIM-NEG2", 0, 1, 4, 10, core::Duration::Milliseconds(150),
                                     core::Duration::Milliseconds(800)},
                               Style{"SIM-NEG3", 0, 2, 8, 50, core::Duration::Milliseconds(300),
                                     core::Duration::Milliseconds(1500)}}) {
      NegotiatorConfig negotiator;
      negotiator.venue = SampleMarket::kNegotiation;
      negotiator.account = style.account;
      negotiator.min_edge_ticks = style.min_edge;
      negotiator.max_edge_ticks = style.max_edge;
      negotiator.counter_band_ticks = style.band;
      negotiator.max_quantity = core::Quantity(style.max_quantity);
      negotiator.min_think_time = style.min_think;
      negotiator.max_think_time = style.max_think;
      sim.negotiators.push_back(negotiator);
    }
  }
  COMBO_ASSIGN_OR_RETURN(
      market->simulator,
      MarketSimulator::Create(std::move(sim), scheduler, &market->instruments, &market->combos,
                              market->venue_pointers(), std::move(links)));
  return market;
}

}  // namespace combo::venues::market_sim

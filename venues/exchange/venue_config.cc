// ValidateSimulatedVenueConfig (see venue_config.h).
#include "venues/exchange/venue_config.h"

#include <algorithm>
#include <initializer_list>
#include <set>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::venues {
namespace {

absl::Status CheckLatency(const LatencySpec& latency, std::string_view what) {
  if (latency.fixed < core::Duration::Zero() || latency.jitter < core::Duration::Zero()) {
    return absl::InvalidArgumentError(
        absl::StrCat("latency ", core::AsAbsl(what), " must not be negative (fixed ",
                     latency.fixed.ToString(), ", jitter ", latency.jitter.ToString(), ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateSimulatedVenueConfig(const SimulatedVenueConfig& config) {
  if (config.name.empty()) return absl::InvalidArgumentError("venue name is empty");
  const std::string venue = absl::StrCat("venue ", config.name, ": ");
  if (config.instruments.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(venue, "lists no instrument"));
  }
  if (config.aop.cbo_book && !config.aop.enabled) {
    return absl::InvalidArgumentError(
        absl::StrCat(venue, "a CBO book needs automated order protection (aop.enabled)"));
  }
  std::set<core::InstrumentId> seen;
  for (const ListedInstrument& listed : config.instruments) {
    if (!seen.insert(listed.instrument).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(venue, "instrument ", listed.instrument.value(), " is listed twice"));
    }
    if (absl::Status rule = listed.tick_rule.Validate(); !rule.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(venue, "tick rule ", listed.tick_rule.ToString(), " of instrument ",
                       listed.instrument.value(), ": ", rule.message()));
    }
  }
  const InboundLatency& in = config.latency.inbound;
  const OutboundLatency& out = config.latency.outbound;
  for (const auto& [latency, what] : std::initializer_list<std::pair<LatencySpec, const char*>>{
           {in.new_order, "inbound new_order"},
           {in.complex_order, "inbound complex_order"},
           {in.cancel, "inbound cancel"},
           {in.replace, "inbound replace"},
           {out.ack, "outbound ack"},
           {out.reject, "outbound reject"},
           {out.fill, "outbound fill"},
           {out.cancelled, "outbound cancelled"},
           {out.restated, "outbound restated"},
           {out.market_data, "outbound market_data"}}) {
    absl::Status status = CheckLatency(latency, what);
    if (!status.ok()) return absl::InvalidArgumentError(absl::StrCat(venue, status.message()));
  }
  const Seed001AllocationParams& seed = config.seed001;
  for (int64_t percent : {seed.pmm_share_percent_one_other, seed.pmm_share_percent_two_others,
                          seed.pmm_share_percent_three_or_more}) {
    if (percent < 0 || percent > 100) {
      return absl::InvalidArgumentError(
          absl::StrCat(venue, "primary market maker share ", percent, "% is outside 0..100"));
    }
  }
  if (seed.small_order_threshold.value() < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        venue, "small-order threshold ", seed.small_order_threshold.value(), " is negative"));
  }
  if (absl::Status rules = ValidateMarketMakerRules(config.market_maker); !rules.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(venue, "market-maker rules: ", rules.message()));
  }
  if (config.market_maker.any() && config.latency_protection.enabled) {
    return absl::InvalidArgumentError(
        absl::StrCat(venue, "the market-maker rules and latency protection cannot run together"));
  }
  if (config.aop.enabled) {
    const AopConfig& aop = config.aop;
    for (absl::Status status : {aop::ValidateThirdPartyMarketConfig(aop.third_party),
                                aop::ValidateProtectionConfig(aop.protection)}) {
      if (!status.ok()) return absl::InvalidArgumentError(absl::StrCat(venue, status.message()));
    }
    if (std::find(aop.third_party.sources.begin(), aop.third_party.sources.end(), config.id) !=
        aop.third_party.sources.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat(venue, "AOP source venues include the venue itself (R15)"));
    }
    if (aop.coverage == AopCoverage::kListedParticipants && aop.protected_participants.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(venue, "AOP covers listed participants but lists none"));
    }
  }

  if (absl::Status processes = leg_processes::ValidateLegProcessesConfig(config.leg_processes);
      !processes.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(venue, processes.message()));
  }
  if (config.leg_processes.fast_market.automatic.has_value() &&
      config.leg_processes.fast_market.automatic->primary_market == config.id) {
    return absl::InvalidArgumentError(
        absl::StrCat(venue, "the automatic fast market's primary market is another venue"));
  }
  if (config.leg_processes.away_market.enabled && !config.aop.enabled) {
    return absl::InvalidArgumentError(absl::StrCat(
        venue, "the away-market process needs aop: its third-party market is the away market"));
  }

  absl::Status complex = ValidateComplexBookConfig(
      config.complex_book,
      [&seen](core::InstrumentId instrument) { return seen.contains(instrument); });
  if (!complex.ok()) return absl::InvalidArgumentError(absl::StrCat(venue, complex.message()));
  return absl::OkStatus();
}

}  // namespace combo::venues

// combo_backtest: runs N combo orders through the router against the simulated market for T
// simulated minutes, per leg-in policy, and prints the comparison table (docs/BACKTESTS.md).
//
//   combo_backtest [--policy aggressive|defensive|both] [--orders N] [--minutes T] [--seed S]
//                  [--max-units U] [--jumps PER_YEAR] [--ticks-inside K]
//                  [--latency-factor F] [--stress-events PER_HOUR] [--resolver on|off|both]
//                  [--seeds K] [--no-progress] [--market-only]
//
// --stress-events scripts liquidity pulls and venue halts into the market (StressScript).
// --resolver runs the router with the residual resolver (on), with book and hold (off, the
// default), or both; --seeds K runs seeds S..S+K-1. After the per-run tables it prints the
// residue table: per router setting, the error account's residuals pooled over the seeds.
//
// --market-only runs the simulated market alone for T minutes and prints its statistics and
// event-log hash (the same seed prints the same hash). A policy run uses the real router stack
// (backtest/real_router.h: ComboRouter, VenueLegInEngine, pricing, risk, a journal in a temporary
// directory).
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "backtest/backtest.h"
#include "backtest/real_router.h"
#include "core/absl_compat.h"
#include "core/simulated_time.h"
#include "venues/market_sim/sample_market.h"

namespace combo::backtest {
namespace {

struct Options {
  std::vector<LegInMode> policies = {LegInMode::kAggressive, LegInMode::kDefensive};
  // Residual resolver off (book and hold) and/or on, in that order.
  std::vector<bool> resolver = {false};
  int64_t seeds = 1;
  BacktestConfig config;
  bool progress = true;
  bool market_only = false;
};

absl::StatusOr<int64_t> ParseCount(std::string_view flag, std::string_view text) {
  int64_t value = 0;
  if (!absl::SimpleAtoi(core::AsAbsl(text), &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(core::AsAbsl(flag), ": '", core::AsAbsl(text), "' is not a whole number"));
  }
  return value;
}

absl::StatusOr<Options> Parse(int argc, char** argv) {
  Options options;
  options.progress = isatty(STDERR_FILENO) != 0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--no-progress") {
      options.progress = false;
      continue;
    }
    if (flag == "--progress") {
      options.progress = true;
      continue;
    }
    if (flag == "--market-only") {
      options.market_only = true;
      continue;
    }
    if (i + 1 >= argc) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag or missing value: ", core::AsAbsl(flag)));
    }
    const std::string_view value = argv[++i];
    if (flag == "--policy") {
      if (value == "both") {
        options.policies = {LegInMode::kAggressive, LegInMode::kDefensive};
      } else {
        absl::StatusOr<LegInMode> policy = router::ParseLegInMode(value);
        if (!policy.ok()) return policy.status();
        options.policies = {*policy};
      }
    } else if (flag == "--resolver") {
      if (value == "on") {
        options.resolver = {true};
      } else if (value == "off") {
        options.resolver = {false};
      } else if (value == "both") {
        options.resolver = {false, true};
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("--resolver: '", core::AsAbsl(value), "' is not one of on, off, both"));
      }
    } else if (flag == "--orders" || flag == "--minutes" || flag == "--seed" ||
               flag == "--max-units" || flag == "--jumps" || flag == "--ticks-inside" ||
               flag == "--latency-factor" || flag == "--seeds" || flag == "--stress-events") {
      absl::StatusOr<int64_t> number = ParseCount(flag, value);
      if (!number.ok()) return number.status();
      if (flag == "--orders") options.config.orders = *number;
      if (flag == "--minutes") options.config.minutes = *number;
      if (flag == "--seed") options.config.seed = static_cast<uint64_t>(*number);
      if (flag == "--max-units") options.config.max_units = *number;
      if (flag == "--jumps") options.config.jump_intensity = static_cast<double>(*number);
      if (flag == "--ticks-inside") options.config.max_ticks_inside = *number;
      if (flag == "--latency-factor") options.config.latency_factor = *number;
      if (flag == "--seeds") options.seeds = *number;
      if (flag == "--stress-events") options.config.stress_events_per_hour = *number;
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag ", core::AsAbsl(flag)));
    }
  }
  if (options.seeds < 1) {
    return absl::InvalidArgumentError(absl::StrCat("--seeds: ", options.seeds, " is below 1"));
  }
  absl::Status valid = ValidateBacktestConfig(options.config);
  if (!valid.ok()) return valid;
  return options;
}

int RunMarketOnly(const Options& options) {
  core::SimulatedTime time;
  venues::market_sim::SampleMarketOptions market_options;
  market_options.seed = options.config.seed;
  market_options.jump_intensity = options.config.jump_intensity;
  market_options.latency_factor = options.config.latency_factor;
  market_options.script = StressScript(options.config);
  absl::StatusOr<std::unique_ptr<venues::market_sim::SampleMarket>> market =
      venues::market_sim::BuildSampleMarket(market_options, &time);
  if (!market.ok()) {
    std::cerr << "combo_backtest: " << market.status().message() << "\n";
    return 1;
  }
  venues::market_sim::MarketSimulator& sim = *(*market)->simulator;
  if (absl::Status started = sim.Start(); !started.ok()) {
    std::cerr << "combo_backtest: " << started.message() << "\n";
    return 1;
  }
  ProgressBar bar(std::cerr, "market");
  const int64_t seconds = options.config.minutes * 60;
  const core::Timestamp start = time.Now();
  int last_percent = -1;
  for (int64_t second = 1; second <= seconds; ++second) {
    time.AdvanceTo(start + core::Duration::Seconds(second));
    const int percent = static_cast<int>(second * 100 / seconds);
    if (options.progress && percent != last_percent) {
      last_percent = percent;
      bar.OnProgress(static_cast<double>(second) / static_cast<double>(seconds),
                     core::Duration::Seconds(second));
    }
  }
  const venues::market_sim::MarketSimStats& stats = sim.stats();
  std::cout << "seed " << options.config.seed << ", " << options.config.minutes
            << " simulated minutes\n"
            << "events " << sim.log().events() << "\n"
            << "underlying steps " << stats.underlying_steps << ", jumps " << stats.jumps << "\n"
            << "orders sent " << stats.orders_sent << ", rejects " << stats.rejects << ", fills "
            << stats.fills << "\n"
            << "market-data updates " << stats.market_data_updates << "\n"
            << "XYZ at end " << *sim.UnderlyingPrice("XYZ") << "\n"
            << "event-log hash " << absl::StrCat(absl::Hex(sim.log().hash())) << "\n";
  return 0;
}

int Main(int argc, char** argv) {
  absl::StatusOr<Options> options = Parse(argc, argv);
  if (!options.ok()) {
    std::cerr << "combo_backtest: " << options.status().message() << "\n";
    return 2;
  }
  if (options->market_only) return RunMarketOnly(*options);
  std::vector<ResidueSummary> summaries;
  for (bool resolver : options->resolver) {
    RealRouterOptions router_options;
    router_options.resolver.enabled = resolver;
    RouterFactory factory = RealRouterFactory(router_options);
    const std::string setting = resolver ? "resolver on" : "resolver off (book and hold)";
    std::vector<ResidueSummary> by_policy;
    for (LegInMode policy : options->policies) {
      by_policy.push_back(ResidueSummary{
          .label = absl::StrCat(core::AsAbsl(router::ToString(policy)), ", ", setting)});
    }
    for (int64_t i = 0; i < options->seeds; ++i) {
      BacktestConfig config = options->config;
      config.seed = options->config.seed + static_cast<uint64_t>(i);
      std::vector<PolicyReport> reports;
      for (size_t p = 0; p < options->policies.size(); ++p) {
        config.policy = options->policies[p];
        ProgressBar bar(std::cerr, absl::StrCat(core::AsAbsl(router::ToString(config.policy)),
                                                " seed ", config.seed, " ", setting));
        absl::StatusOr<PolicyReport> report =
            RunBacktest(config, factory, options->progress ? &bar : nullptr);
        if (!report.ok()) {
          std::cerr << "combo_backtest: " << report.status().message() << "\n";
          return 1;
        }
        by_policy[p].Add(*report);
        reports.push_back(*report);
      }
      std::cout << "seed " << config.seed << ", " << config.orders << " orders, " << config.minutes
                << " simulated minutes, " << setting << "\n\n"
                << FormatReportTable(reports) << "\n"
                << FormatLegInEnds(reports) << "\n";
    }
    summaries.insert(summaries.end(), by_policy.begin(), by_policy.end());
  }
  std::cout << "residue, seeds " << options->config.seed << ".."
            << options->config.seed + static_cast<uint64_t>(options->seeds) - 1 << "\n\n"
            << FormatResidueTable(summaries);
  return 0;
}

}  // namespace
}  // namespace combo::backtest

int main(int argc, char** argv) { return combo::backtest::Main(argc, argv); }

#include "backtest/backtest.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/absl_compat.h"
#include "core/random.h"
#include "core/rounding.h"
#include "core/simulated_time.h"
#include "core/status.h"

namespace combo::backtest {
namespace {

using venues::market_sim::SampleMarket;

// The sample combos' price increment (the router's default combo tick).
constexpr core::Price kComboTick = core::Price::FromParts(0, 10'000'000);
// After the last order's cancel, the run goes on this long for the cancels (and the residual
// resolver) to settle.
constexpr int kSettleSeconds = 30;

// The best native price for `side` of `combo` across the venues that trade it: the lowest offer
// for a buy, the highest bid for a sell.
std::optional<core::Price> NativeReference(const SampleMarket& market, core::ComboId combo,
                                           core::Side side) {
  std::optional<core::Price> best;
  for (const auto& venue : market.venues) {
    if (!venue->TradesNatively(combo)) continue;
    const core::TopOfBook top = market.simulator->LastNativeTop(venue->id(), combo);
    const std::optional<core::PriceLevel>& level = side == core::Side::kBuy ? top.ask : top.bid;
    if (!level.has_value()) continue;
    if (!best || (side == core::Side::kBuy ? level->price < *best : level->price > *best)) {
      best = level->price;
    }
  }
  return best;
}

}  // namespace

absl::Status ValidateBacktestConfig(const BacktestConfig& config) {
  if (config.orders < 1) {
    return absl::InvalidArgumentError(absl::StrCat("orders ", config.orders, " is below 1"));
  }
  if (config.minutes < 1) {
    return absl::InvalidArgumentError(absl::StrCat("minutes ", config.minutes, " is below 1"));
  }
  if (config.max_units < 1) {
    return absl::InvalidArgumentError(absl::StrCat("max units ", config.max_units, " is below 1"));
  }
  if (config.latency_factor < 1 || config.latency_factor > 10'000) {
    return absl::InvalidArgumentError(
        absl::StrCat("latency factor ", config.latency_factor, " is not in [1, 10000]"));
  }
  if (config.max_ticks_inside < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("ticks inside ", config.max_ticks_inside, " is negative"));
  }
  if (!(config.jump_intensity >= 0 && std::isfinite(config.jump_intensity))) {
    return absl::InvalidArgumentError("jump intensity must be finite and non-negative");
  }
  if (config.stress_events_per_hour < 0 || config.stress_events_per_hour > 3600) {
    return absl::InvalidArgumentError(absl::StrCat(
        "stress events per hour ", config.stress_events_per_hour, " is not in [0, 3600]"));
  }
  return absl::OkStatus();
}

std::vector<venues::market_sim::ScriptedEvent> StressScript(const BacktestConfig& config) {
  using venues::market_sim::ScriptedEvent;
  using venues::market_sim::ScriptedEventKind;
  std::vector<ScriptedEvent> script;
  core::Rng rng(config.seed ^ 0x7374726573730000ULL);
  const int64_t events = config.stress_events_per_hour * config.minutes / 60;
  const int64_t length = core::Duration::Seconds(config.minutes * 60).nanoseconds();
  const core::VenueId exchanges[] = {SampleMarket::kAlpha, SampleMarket::kBeta,
                                     SampleMarket::kGamma};
  // The legs of the call and put spreads the order flow trades; none: every instrument.
  const std::optional<core::InstrumentId> pulled[] = {SampleMarket::kCall100,
                                                      SampleMarket::kCall105, SampleMarket::kPut100,
                                                      SampleMarket::kPut95, std::nullopt};
  for (int64_t i = 0; i < events; ++i) {
    ScriptedEvent start;
    start.at = core::Duration::Nanoseconds(rng.UniformInt(0, length - 1));
    start.venue = exchanges[rng.UniformInt(0, 2)];
    ScriptedEvent end = start;
    if (rng.UniformInt(0, 2) < 2) {
      start.kind = ScriptedEventKind::kPullQuotes;
      start.instrument = pulled[rng.UniformInt(0, 4)];
      end.kind = ScriptedEventKind::kRestoreQuotes;
      end.instrument = start.instrument;
      end.at = start.at + core::Duration::Seconds(rng.UniformInt(10, 60));
    } else {
      start.kind = ScriptedEventKind::kHaltVenue;
      end.kind = ScriptedEventKind::kResumeVenue;
      end.at = start.at + core::Duration::Seconds(rng.UniformInt(5, 30));
    }
    script.push_back(start);
    script.push_back(end);
  }
  std::stable_sort(script.begin(), script.end(),
                   [](const ScriptedEvent& a, const ScriptedEvent& b) { return a.at < b.at; });
  return script;
}

core::Money MarkedPnl(const std::vector<router::LegInExecution>& legs,
                      const core::InstrumentCatalog& instruments,
                      const std::map<core::InstrumentId, double>& marks) {
  core::Money pnl = core::Money::Zero();
  std::map<core::InstrumentId, int64_t> positions;
  for (const router::LegInExecution& leg : legs) {
    const core::Instrument* instrument = instruments.Find(leg.instrument);
    const int64_t multiplier = instrument == nullptr ? 1 : instrument->multiplier();
    const core::Money notional = core::Money::Notional(leg.price, leg.quantity, multiplier);
    if (leg.side == core::Side::kBuy) {
      pnl -= notional;
      positions[leg.instrument] += leg.quantity.value();
    } else {
      pnl += notional;
      positions[leg.instrument] -= leg.quantity.value();
    }
  }
  for (const auto& [id, position] : positions) {
    if (position == 0) continue;
    const core::Instrument* instrument = instruments.Find(id);
    const int64_t multiplier = instrument == nullptr ? 1 : instrument->multiplier();
    auto mark = marks.find(id);
    const core::Price price = core::Price::FromRaw(std::llround(
        (mark == marks.end() ? 0.0 : mark->second) * static_cast<double>(core::Price::kScale)));
    const core::Money value =
        core::Money::Notional(price, core::Quantity(std::abs(position)), multiplier);
    pnl += position > 0 ? value : -value;
  }
  return pnl;
}

double PolicyReport::fill_rate() const {
  return units_ordered == 0
             ? 0.0
             : static_cast<double>(units_filled) / static_cast<double>(units_ordered);
}

double PolicyReport::leg_in_success_rate() const {
  return leg_in.attempts == 0
             ? 0.0
             : static_cast<double>(leg_in.successes) / static_cast<double>(leg_in.attempts);
}

double PolicyReport::improvement_per_unit() const {
  return units_with_reference == 0
             ? 0.0
             : price_improvement.ToDouble() / static_cast<double>(units_with_reference);
}

void ProgressBar::OnProgress(double fraction, core::Duration simulated) {
  constexpr int kWidth = 40;
  const int filled = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * kWidth);
  out_ << '\r' << label_ << " [" << std::string(static_cast<size_t>(filled), '#')
       << std::string(static_cast<size_t>(kWidth - filled), ' ') << "] "
       << static_cast<int>(fraction * 100) << "% "
       << absl::StrFormat("%.1f", simulated.ToSecondsDouble() / 60) << " sim min";
  if (fraction >= 1.0) out_ << '\n';
  out_.flush();
}

void MetricsCollector::NoteOrder(const router::NewComboOrder& order,
                                 std::optional<core::Price> reference) {
  ++report_.orders_sent;
  report_.units_ordered += order.quantity.value();
  orders_[order.client_order_id.value()] = Tracked{order.side, reference, false};
}

void MetricsCollector::OnAccepted(const router::ComboOrderAccepted& /*event*/) {
  ++report_.orders_accepted;
}

void MetricsCollector::OnRejected(const router::ComboOrderRejected& event) {
  ++report_.orders_rejected;
  auto found = orders_.find(event.client_order_id.value());
  if (found != orders_.end()) found->second.finished = true;
}

void MetricsCollector::OnExecution(const router::ComboExecution& event) {
  report_.units_filled += event.last_quantity.value();
  auto found = orders_.find(event.order.client_order_id.value());
  if (found == orders_.end()) return;
  Tracked& order = found->second;
  if (event.order.status == router::ClientOrderStatus::kFilled) order.finished = true;
  if (!order.reference.has_value()) return;
  const core::Price better = order.side == core::Side::kBuy ? *order.reference - event.last_price
                                                            : event.last_price - *order.reference;
  report_.price_improvement += core::Money::Notional(better, event.last_quantity, 1);
  report_.units_with_reference += event.last_quantity.value();
}

void MetricsCollector::OnCancelled(const router::ComboOrderCancelled& event) {
  auto found = orders_.find(event.order.client_order_id.value());
  if (found != orders_.end()) found->second.finished = true;
  auto original = orders_.find(event.order.original_client_order_id.value());
  if (original != orders_.end()) original->second.finished = true;
}

std::vector<core::ClientOrderId> MetricsCollector::open_orders() const {
  std::vector<core::ClientOrderId> open;
  for (const auto& [id, order] : orders_) {
    if (!order.finished) open.push_back(core::ClientOrderId(id));
  }
  return open;
}

void ResidueTracker::Observe(core::Timestamp now, const std::vector<ResidueSample>& residues) {
  for (const ResidueSample& sample : residues) {
    Track& track = tracks_[sample.order];
    if (sample.open) {
      if (!track.open_since.has_value()) track.open_since = sample.opened_at;
      figures_.exposure_sum += sample.gross_exposure;
      continue;
    }
    // Closed: it ended when the resolver said so, or (never said) by this sample.
    const core::Timestamp opened = track.open_since.value_or(sample.opened_at);
    if (track.open_since.has_value() ||
        (track.counted != sample.opened_at && sample.resolved_at.has_value())) {
      const core::Timestamp closed = sample.resolved_at.has_value() && *sample.resolved_at >= opened
                                         ? *sample.resolved_at
                                         : now;
      track.total += closed - opened;
      track.counted = opened;
      track.open_since.reset();
    }
  }
  ++figures_.exposure_samples;
}

ResidueFigures ResidueTracker::Finish(core::Timestamp now,
                                      const std::vector<ResidueSample>& residues) {
  Observe(now, residues);
  for (const ResidueSample& sample : residues) {
    Track& track = tracks_[sample.order];
    if (sample.open) {
      // Still open: censored at the end of the run.
      track.total += now - *track.open_since;
      ++figures_.open_at_end;
      figures_.exposure_at_end += sample.gross_exposure;
    }
    figures_.costs.push_back(-sample.pnl);
    figures_.times.push_back(track.total);
  }
  return figures_;
}

absl::StatusOr<PolicyReport> RunBacktest(const BacktestConfig& config, RouterFactory& factory,
                                         ProgressSink* progress) {
  COMBO_RETURN_IF_ERROR(ValidateBacktestConfig(config));
  core::SimulatedTime time;
  venues::market_sim::SampleMarketOptions options;
  options.seed = config.seed;
  options.jump_intensity = config.jump_intensity;
  options.latency_factor = config.latency_factor;
  options.script = StressScript(config);
  COMBO_ASSIGN_OR_RETURN(std::unique_ptr<SampleMarket> market,
                         venues::market_sim::BuildSampleMarket(options, &time));
  COMBO_ASSIGN_OR_RETURN(std::unique_ptr<RouterUnderTest> router,
                         factory(config.policy, *market, time));
  MetricsCollector metrics(config.policy);
  router->entry().SetListener(&metrics);
  COMBO_RETURN_IF_ERROR(market->simulator->Start());

  // The order flow has its own stream, so it is the same whatever the market does.
  core::Rng flow(config.seed ^ 0x6261636b74657374ULL);
  const core::Duration length = core::Duration::Seconds(config.minutes * 60);
  std::vector<int64_t> offsets;
  for (int64_t i = 0; i < config.orders; ++i) {
    offsets.push_back(flow.UniformInt(0, length.nanoseconds() - 1));
  }
  std::sort(offsets.begin(), offsets.end());
  const core::Timestamp start = time.Now();
  const std::vector<core::ComboId> combos = {market->call_spread, market->put_spread};
  const core::ClientId client("BACKTEST");
  int64_t sequence = 0;
  for (int64_t offset : offsets) {
    const core::ComboId combo =
        combos[static_cast<size_t>(flow.UniformInt(0, static_cast<int64_t>(combos.size()) - 1))];
    const core::Side side = flow.Bernoulli(0.5) ? core::Side::kBuy : core::Side::kSell;
    const core::Quantity quantity(flow.UniformInt(1, config.max_units));
    const int64_t inside = flow.UniformInt(0, config.max_ticks_inside);
    const std::string id = absl::StrCat("BT", ++sequence);
    time.ScheduleAt(
        start + core::Duration::Nanoseconds(offset), [&, combo, side, quantity, inside, id]() {
          router::NewComboOrder order{.client = client,
                                      .client_order_id = core::ClientOrderId(id),
                                      .account = core::AccountId("BACKTEST-1"),
                                      .combo = *market->combos.Find(combo),
                                      .side = side,
                                      .quantity = quantity};
          std::optional<core::Price> reference = NativeReference(*market, combo, side);
          if (reference.has_value()) {
            // Inside the native market by `inside` combo ticks: the order waits for its price.
            const core::Price shift = kComboTick * inside;
            order.limit_price = side == core::Side::kBuy ? *reference - shift : *reference + shift;
          } else {
            // No native market on that side: the fair net price, rounded against the client.
            const double fair = market->simulator->FairNetPrice(combo).value_or(0.0);
            order.limit_price =
                core::Price::FromRaw(std::llround(fair * core::Price::kScale))
                    .RoundToTick(kComboTick, side == core::Side::kBuy ? core::RoundingMode::kDown
                                                                      : core::RoundingMode::kUp)
                    .value_or(core::Price::Zero());
          }
          metrics.NoteOrder(order, reference);
          (void)router->entry().Submit(order);
        });
  }
  // Simulated time in one-second slices, so the progress bar moves on long runs.
  const int64_t seconds = config.minutes * 60;
  int last_percent = -1;
  ResidueTracker residue;
  for (int64_t second = 1; second <= seconds; ++second) {
    time.AdvanceTo(start + core::Duration::Seconds(second));
    residue.Observe(time.Now(), router->residues());
    const int percent = static_cast<int>(second * 100 / seconds);
    if (progress != nullptr && percent != last_percent) {
      last_percent = percent;
      progress->OnProgress(static_cast<double>(second) / static_cast<double>(seconds),
                           core::Duration::Seconds(second));
    }
  }
  // Cancel what is still open, and let the cancels settle.
  int64_t cancel_sequence = 0;
  for (const core::ClientOrderId& open : metrics.open_orders()) {
    (void)router->entry().Cancel(router::CancelComboOrder{
        client, core::ClientOrderId(absl::StrCat("BTX", ++cancel_sequence)), open});
  }
  for (int second = 0; second < kSettleSeconds; ++second) {
    time.AdvanceBy(core::Duration::Seconds(1));
    residue.Observe(time.Now(), router->residues());
  }
  market->simulator->Stop();
  PolicyReport report = metrics.report();
  report.residue = residue.Finish(time.Now(), router->residues());
  report.leg_in = router->leg_in_counts();
  report.error_account_pnl = router->error_account_pnl();
  const std::vector<router::LegInExecution> legs = router->error_account_legs();
  std::map<core::InstrumentId, double> marks;
  for (const auto& [id, instrument] : market->instruments.all()) {
    if (std::optional<double> fair = market->simulator->FairValue(id)) marks[id] = *fair;
  }
  report.error_account_executions = static_cast<int64_t>(legs.size());
  report.error_account_pnl_from_legs = MarkedPnl(legs, market->instruments, marks);
  report.market_hash = market->simulator->log().hash();
  return report;
}

std::string FormatReportTable(const std::vector<PolicyReport>& reports) {
  std::string table =
      "| policy | orders | units ordered | units filled | fill rate | leg-in attempts | "
      "succeeded / failed / stopped | leg-in units | leg-in success rate | error-account legs | "
      "error-account P&L | price improvement per unit vs native |\n"
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const PolicyReport& report : reports) {
    absl::StrAppend(
        &table, "| ", core::AsAbsl(router::ToString(report.policy)), " | ", report.orders_sent,
        " | ", report.units_ordered, " | ", report.units_filled, " | ",
        absl::StrFormat("%.1f%%", 100 * report.fill_rate()), " | ", report.leg_in.attempts, " | ",
        report.leg_in.successes, " / ", report.leg_in.failures, " / ", report.leg_in.stopped, " | ",
        report.leg_in.units, " | ", absl::StrFormat("%.1f%%", 100 * report.leg_in_success_rate()),
        " | ", report.error_account_executions, " | ", report.error_account_pnl.ToString(), " | ",
        absl::StrFormat("%.4f", report.improvement_per_unit()), " |\n");
  }
  return table;
}

void ResidueSummary::Add(const PolicyReport& report) {
  ++runs;
  error_account_pnl += report.error_account_pnl;
  const ResidueFigures& run = report.residue;
  pooled.costs.insert(pooled.costs.end(), run.costs.begin(), run.costs.end());
  pooled.times.insert(pooled.times.end(), run.times.begin(), run.times.end());
  pooled.open_at_end += run.open_at_end;
  pooled.exposure_sum += run.exposure_sum;
  pooled.exposure_samples += run.exposure_samples;
  pooled.exposure_at_end += run.exposure_at_end;
}

namespace {

// Nearest rank: the smallest value with at least percent% of the values at or below it.
template <typename T>
T NearestRank(std::vector<T> values, int percent, T none) {
  if (values.empty()) return none;
  std::sort(values.begin(), values.end());
  const size_t rank = (values.size() * static_cast<size_t>(percent) + 99) / 100;
  return values[std::max<size_t>(rank, 1) - 1];
}

}  // namespace

core::Money Percentile(std::vector<core::Money> values, int percent) {
  return NearestRank(std::move(values), percent, core::Money::Zero());
}

core::Duration Percentile(std::vector<core::Duration> values, int percent) {
  return NearestRank(std::move(values), percent, core::Duration::Zero());
}

std::string FormatResidueTable(const std::vector<ResidueSummary>& summaries) {
  std::string table =
      "| router | runs | residuals | error-account P&L | cost per residual: mean | p95 | worst | "
      "mean gross residual exposure | gross residual exposure at end | time in residue: mean | "
      "p95 | open at end |\n"
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const ResidueSummary& summary : summaries) {
    const ResidueFigures& pooled = summary.pooled;
    const int64_t residuals = static_cast<int64_t>(pooled.costs.size());
    core::Money total_cost = core::Money::Zero();
    for (core::Money cost : pooled.costs) total_cost += cost;
    core::Duration total_time = core::Duration::Zero();
    for (core::Duration time : pooled.times) total_time += time;
    const double mean_cost = residuals == 0 ? 0.0 : total_cost.ToDouble() / residuals;
    const double mean_exposure = pooled.exposure_samples == 0
                                     ? 0.0
                                     : pooled.exposure_sum.ToDouble() / pooled.exposure_samples;
    const double mean_time =
        residuals == 0 ? 0.0 : total_time.ToSecondsDouble() / static_cast<double>(residuals);
    absl::StrAppend(&table, "| ", summary.label, " | ", summary.runs, " | ", residuals, " | ",
                    absl::StrFormat("%.2f", summary.error_account_pnl.ToDouble()), " | ",
                    absl::StrFormat("%.2f", mean_cost), " | ",
                    absl::StrFormat("%.2f", Percentile(pooled.costs, 95).ToDouble()), " | ",
                    absl::StrFormat("%.2f", Percentile(pooled.costs, 100).ToDouble()), " | ",
                    absl::StrFormat("%.2f", mean_exposure), " | ",
                    absl::StrFormat("%.2f", pooled.exposure_at_end.ToDouble()), " | ",
                    absl::StrFormat("%.1f s", mean_time), " | ",
                    absl::StrFormat("%.1f s", Percentile(pooled.times, 95).ToSecondsDouble()),
                    " | ", pooled.open_at_end, " |\n");
  }
  return table;
}

std::string FormatLegInEnds(const std::vector<PolicyReport>& reports) {
  std::string lines;
  for (const PolicyReport& report : reports) {
    absl::StrAppend(&lines, core::AsAbsl(router::ToString(report.policy)), " leg-in ends:");
    if (report.leg_in.ends.empty()) absl::StrAppend(&lines, " none");
    const char* separator = " ";
    for (const auto& [cause, count] : report.leg_in.ends) {
      absl::StrAppend(&lines, separator, core::AsAbsl(router::ToString(cause)), " ", count);
      separator = ", ";
    }
    absl::StrAppend(&lines, "\n");
  }
  return lines;
}

}  // namespace combo::backtest

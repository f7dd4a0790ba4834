#include "tests/scenario_runner.h"

#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/absl_compat.h"
#include "core/combo_catalog.h"
#include "core/instrument_catalog.h"
#include "core/simulated_time.h"
#include "core/status.h"
#include "core/tick_rule.h"
#include "prometheus/registry.h"
#include "stack/routing_stack.h"
#include "venues/simulated_venue.h"

namespace combo::tests {
namespace {

using core::Price;
using core::Quantity;
using core::Side;

constexpr core::ParticipantId kLegMaker(100);
constexpr core::ParticipantId kNativeMaker(101);
constexpr core::ParticipantId kTaker(102);
const core::ClientId kClient("CLIENT");

std::string Px(Price price) { return price.ToString(); }

// Market makers' sessions: their own fills and acks are of no interest here.
class IgnoreVenueEvents : public venues::VenueListener {
 public:
  void OnAck(const venues::OrderAcked&) override {}
  void OnReject(const venues::OrderRejected&) override {}
  void OnFill(const venues::Fill&) override {}
  void OnComplexFill(const venues::ComplexFill&) override {}
  void OnCancelled(const venues::OrderCancelled&) override {}
  void OnRestated(const venues::OrderRestated&) override {}
};

// Latency measurements are not part of a scenario: their answers are dropped.
class IgnoreLatencyEvents : public venues::LatencyListener {
 public:
  void OnTestOrderAccepted(const venues::TestOrderAccepted& /*event*/) override {}
  void OnLatencyReport(const venues::LatencyReport& /*event*/) override {}
};

class Runner : public router::OrderEntryListener,
               public router::RouterObserver,
               public router::LegInObserver,
               public stack::StackObserver {
 public:
  absl::StatusOr<ScenarioResult> Run(const std::string& text);

  void Log(std::string text) {
    result_.events.push_back(
        ScenarioEvent{(time_.Now() - start_).nanoseconds() / 1'000'000, std::move(text)});
  }
  std::string NameOf(core::OrderId id) const {
    auto it = names_.find(id);
    return it == names_.end() ? absl::StrCat("#", id.value()) : it->second;
  }
  core::SimulatedTime& time() { return time_; }

  // router::LegInObserver
  void OnLegInEvent(const router::LegInEvent& e) override {
    Log(absl::StrCat("legin ", NameOf(e.order), " ", core::AsAbsl(router::ToString(e.kind)), ": ",
                     e.text));
  }
  // stack::StackObserver: a halt or resume, after the router cancelled its native rests and
  // before it decides held orders again.
  void OnTradingStateChanged(const risk::TradingStateChange& e) override {
    Log(absl::StrCat("trading ", e.to == risk::TradingState::kActive ? "resume" : "halt"));
  }
  // A venue's series entered or left a call phase (seed 001 R46 / R47).
  void OnSeriesStatus(std::string_view venue_name,
                      const venues::SeriesStatusChanged& change) override {
    Log(absl::StrCat("series ", core::AsAbsl(venue_name), " ", Symbol(change.instrument), " ",
                     core::AsAbsl(venues::ToString(change.phase)),
                     change.phase == venues::SeriesPhase::kFastMarket
                         ? absl::StrCat(" level ", change.fast_market_level, " delay ",
                                        change.call_delay.ToString())
                         : std::string()));
  }
  // Error-account bookings the router made since the last look, one line per leg.
  void LogErrorAccount() {
    if (stack_ == nullptr) return;
    const auto& bookings = stack_->router().error_account_bookings();
    for (; error_account_seen_ < bookings.size(); ++error_account_seen_) {
      const router::ErrorAccountBooking& b = bookings[error_account_seen_];
      Log(absl::StrCat("error_account ", NameOf(b.order), " ", Symbol(b.leg.instrument), " ",
                       core::AsAbsl(core::ToString(b.leg.side)), " ", VenueName(b.leg.venue), " ",
                       b.leg.quantity.value(), "@", Px(b.leg.price), ": ", b.reason));
    }
  }
  // router::RouterObserver
  void OnTransition(const router::StateTransition& t) override {
    LogErrorAccount();
    if (!names_.contains(t.order)) names_[t.order] = submitting_;
    Log(absl::StrCat("state ", NameOf(t.order), " ", core::AsAbsl(router::ToString(t.to)), ": ",
                     t.reason));
  }
  // router::OrderEntryListener
  void OnAccepted(const router::ComboOrderAccepted& e) override {
    Log(absl::StrCat("accepted ", e.order.client_order_id.value()));
  }
  void OnRejected(const router::ComboOrderRejected& e) override {
    Log(absl::StrCat("rejected ", e.client_order_id.value(), " ",
                     core::AsAbsl(router::ToString(e.reason)), ": ", e.text));
  }
  void OnExecution(const router::ComboExecution& e) override {
    std::vector<std::string> legs;
    for (const router::LegExecutionReport& leg : e.legs) {
      legs.push_back(absl::StrCat(Symbol(leg.instrument), " ",
                                  core::AsAbsl(core::ToString(leg.side)), " ", VenueName(leg.venue),
                                  " ", leg.quantity.value(), "@", Px(leg.price)));
    }
    Log(absl::StrCat("exec ", e.order.client_order_id.value(), " ", e.last_quantity.value(), " @ ",
                     Px(e.last_price), " cum ", e.order.cumulative_quantity.value(), " avg ",
                     e.order.average_price.has_value() ? Px(*e.order.average_price) : "-",
                     " status ", core::AsAbsl(router::ToString(e.order.status)), " legs ",
                     absl::StrJoin(legs, ", ")));
  }
  void OnCancelled(const router::ComboOrderCancelled& e) override {
    Log(absl::StrCat("cancelled ", e.order.client_order_id.value(), " orig ",
                     e.order.original_client_order_id.value(), " cum ",
                     e.order.cumulative_quantity.value(), ": ", e.text));
  }
  void OnReplaced(const router::ComboOrderReplaced& e) override {
    Log(absl::StrCat("replaced ", e.order.client_order_id.value(), " orig ",
                     e.order.original_client_order_id.value(), " qty ",
                     e.order.order_quantity.value(), " limit ",
                     e.order.limit_price.has_value() ? Px(*e.order.limit_price) : "-"));
  }
  void OnCancelRejected(const router::CancelRejected& e) override {
    Log(absl::StrCat("cancel_rejected ", e.client_order_id.value(), " ",
                     core::AsAbsl(router::ToString(e.reason)), ": ", e.text));
  }
  void OnStatus(const router::ComboOrderStatusReport& e) override {
    Log(absl::StrCat("status ", e.order.client_order_id.value(), " ",
                     core::AsAbsl(router::ToString(e.order.status)), " cum ",
                     e.order.cumulative_quantity.value(), " leaves ",
                     e.order.leaves_quantity.value(), " avg ",
                     e.order.average_price.has_value() ? Px(*e.order.average_price) : "-"));
  }

  std::string Symbol(core::InstrumentId id) const {
    const core::Instrument* instrument = instruments_.Find(id);
    return instrument == nullptr ? absl::StrCat("#", id.value()) : instrument->symbol();
  }
  std::string VenueName(core::VenueId id) const {
    for (const auto& [name, venue] : venues_) {
      if (venue->id() == id) return name;
    }
    return absl::StrCat("venue#", id.value());
  }

 private:
  absl::Status Setup();
  absl::Status Statement(const std::vector<std::string>& words);
  absl::Status Action(const std::vector<std::string>& words);
  absl::Status Quote(const std::vector<std::string>& words, bool native);
  absl::Status Policy(const std::vector<std::string>& words);
  absl::StatusOr<core::OrderId> OrderOf(const std::string& clordid) const;
  void CheckExpectations();

  core::SimulatedTime time_;
  core::Timestamp start_ = time_.Now();
  core::InstrumentCatalog instruments_;
  core::ComboCatalog combos_;
  std::map<std::string, core::ComboSpec> combo_specs_;
  struct VenueSpec {
    uint32_t id = 0;
    std::vector<std::string> native;
  };
  std::map<std::string, VenueSpec> venue_specs_;
  std::vector<std::string> venue_order_;
  router::RouterConfig config_;
  router::LegInPolicy policy_;
  std::map<std::string, core::Duration> cancel_latency_;
  std::map<std::string, core::Duration> replace_latency_;
  std::map<std::string, core::Duration> latency_;
  std::map<std::string, int64_t> max_order_;
  std::map<std::pair<std::string, std::string>, core::TickRule> venue_ticks_;
  std::map<std::string, Price> native_ticks_;

  prometheus::Registry registry_;
  // The venues the stack built, by scenario name.
  std::map<std::string, venues::SimulatedVenue*> venues_;
  IgnoreVenueEvents makers_;
  IgnoreLatencyEvents latency_events_;
  // Venues with latency protection on, and the round trip the market maker reports at each.
  std::map<std::string, core::Duration> latency_protection_;
  // Venues running seed 001 tick-worse (R42), with their tables.
  std::map<std::string, std::vector<Quantity>> tick_worse_;
  // Venues running seed 001's fast-market / opening processes.
  std::set<std::string> fast_market_venues_;
  std::set<std::string> opening_venues_;
  // Venues where seed 001 R39 limits what professional orders take of a quote.
  std::map<std::string, venues::QuoteAvailability> quote_availability_;
  // Venues running market-maker rules: the scripted maker's leg quotes there are a PMM's.
  bool QuotesArePmms(const std::string& venue) const {
    return tick_worse_.contains(venue) || quote_availability_.contains(venue);
  }
  size_t error_account_seen_ = 0;
  std::unique_ptr<stack::RoutingStack> stack_;
  // Market makers' open quotes by (venue, key, side): key is an instrument symbol or a combo.
  std::map<std::tuple<std::string, std::string, int>, core::OrderId> maker_orders_;
  uint64_t next_maker_order_ = 1;
  std::string submitting_;
  std::map<core::OrderId, std::string> names_;
  struct Expectation {
    int line = 0;
    std::optional<int64_t> millis;
    std::string text;
    // expect_none: no event of the whole run contains the text.
    bool absent = false;
  };
  std::vector<Expectation> expectations_;
  ScenarioResult result_;
};

absl::StatusOr<Price> ParsePrice(const std::string& text) { return Price::Parse(text); }

absl::StatusOr<int64_t> ParseInt(const std::string& text) {
  int64_t value = 0;
  if (!absl::SimpleAtoi(core::AsAbsl(text), &value)) {
    return absl::InvalidArgumentError(absl::StrCat("not a number: ", core::AsAbsl(text)));
  }
  return value;
}

absl::StatusOr<ScenarioResult> Runner::Run(const std::string& text) {
  std::vector<std::vector<std::string>> statements;
  std::vector<int> lines;
  int line_number = 0;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    ++line_number;
    if (size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::vector<std::string> words;
    std::istringstream split(line);
    for (std::string word; split >> word;) words.push_back(word);
    if (words.empty()) continue;
    if (words[0] == "expect" || words[0] == "expect_none") {
      const bool none = words[0] == "expect_none";
      Expectation expectation{line_number, std::nullopt, "", false};
      size_t first = 1;
      if (!none && words.size() > 1 && words[1].starts_with("@")) {
        absl::StatusOr<int64_t> millis = ParseInt(words[1].substr(1));
        if (!millis.ok()) {
          return absl::InvalidArgumentError(
              absl::StrCat("line ", line_number, ": ", millis.status().message()));
        }
        expectation.millis = *millis;
        first = 2;
      }
      std::vector<std::string> rest(words.begin() + static_cast<ptrdiff_t>(first), words.end());
      expectation.text = absl::StrJoin(rest, " ");
      expectation.absent = none;
      if (expectation.text.empty()) {
        return absl::InvalidArgumentError(absl::StrCat("line ", line_number, ": empty expect"));
      }
      expectations_.push_back(std::move(expectation));
      continue;
    }
    statements.push_back(std::move(words));
    lines.push_back(line_number);
  }
  bool set_up = false;
  for (size_t i = 0; i < statements.size(); ++i) {
    const std::vector<std::string>& words = statements[i];
    const bool is_action = words[0] == "at" || words[0] == "run";
    if (is_action && !set_up) {
      if (absl::Status status = Setup(); !status.ok()) {
        return absl::InvalidArgumentError(absl::StrCat("setup: ", status.message()));
      }
      set_up = true;
    }
    absl::Status status = is_action ? Action(words)
                          : set_up
                              ? absl::InvalidArgumentError(
                                    "set-up statements must come before the first timed action")
                              : Statement(words);
    if (!status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("line ", lines[i], ": ", status.message()));
    }
  }
  if (!set_up) return absl::InvalidArgumentError("the scenario has no timed action");
  CheckExpectations();
  return std::move(result_);
}

absl::Status Runner::Statement(const std::vector<std::string>& words) {
  const std::string& what = words[0];
  if (what == "stability" || what == "cancel_timeout") {
    if (words.size() != 2) return absl::InvalidArgumentError(absl::StrCat(what, " <duration>"));
    absl::StatusOr<core::Duration> duration = core::Duration::Parse(words[1]);
    if (!duration.ok()) return duration.status();
    (what == "stability" ? config_.stability_wait : config_.cancel_timeout_with_legs_working) =
        *duration;
    return absl::OkStatus();
  }
  if (what == "collar") {
    // collar <ticks> <basis_points>: router.market_order_collar.
    if (words.size() != 3) return absl::InvalidArgumentError("collar <ticks> <basis_points>");
    absl::StatusOr<int64_t> ticks = ParseInt(words[1]);
    if (!ticks.ok()) return ticks.status();
    absl::StatusOr<int64_t> basis_points = ParseInt(words[2]);
    if (!basis_points.ok()) return basis_points.status();
    config_.market_order_collar = router::MarketOrderCollar{*ticks, *basis_points};
    return absl::OkStatus();
  }
  if (what == "cancel_latency" || what == "replace_latency") {
    // cancel_latency | replace_latency <venue> <duration>: the venue's inbound latency for
    // cancels or replaces (races with fills).
    if (words.size() != 3) {
      return absl::InvalidArgumentError(absl::StrCat(what, " <venue> <duration>"));
    }
    absl::StatusOr<core::Duration> duration = core::Duration::Parse(words[2]);
    if (!duration.ok()) return duration.status();
    (what == "cancel_latency" ? cancel_latency_ : replace_latency_)[words[1]] = *duration;
    return absl::OkStatus();
  }
  if (what == "latency") {
    // latency <venue> <duration>: every message to and from the venue takes this long.
    if (words.size() != 3) return absl::InvalidArgumentError("latency <venue> <duration>");
    absl::StatusOr<core::Duration> duration = core::Duration::Parse(words[2]);
    if (!duration.ok()) return duration.status();
    latency_[words[1]] = *duration;
    return absl::OkStatus();
  }
  if (what == "latency_protection") {
    // latency_protection <venue> <round trip>: the venue holds matches (docs/VENUES.md "Latency
    // protection"); the market maker reports this round trip, which sets the whole-log period.
    if (words.size() != 3) {
      return absl::InvalidArgumentError("latency_protection <venue> <round trip>");
    }
    absl::StatusOr<core::Duration> duration = core::Duration::Parse(words[2]);
    if (!duration.ok()) return duration.status();
    latency_protection_[words[1]] = *duration;
    return absl::OkStatus();
  }
  if (what == "tick_worse") {
    // tick_worse <venue> <size>...: the venue's leg books run seed 001 tick-worse with these
    // sizes for 1, 2, ... ticks worse (docs/VENUES.md "Market-maker rules"), and the scripted
    // maker's leg quotes there are a primary market maker's.
    if (words.size() < 3) return absl::InvalidArgumentError("tick_worse <venue> <size>...");
    std::vector<Quantity> sizes;
    for (size_t i = 2; i < words.size(); ++i) {
      absl::StatusOr<int64_t> size = ParseInt(words[i]);
      if (!size.ok()) return size.status();
      sizes.push_back(Quantity(*size));
    }
    tick_worse_[words[1]] = std::move(sizes);
    return absl::OkStatus();
  }
  if (what == "fast_market" || what == "opening") {
    // fast_market <venue> / opening <venue>: the venue runs seed 001's fast-market process (the
    // exchange calls it with "at <ms> fast_market ...") or its opening (series start before their
    // opening; "at <ms> open <venue>" starts the rotation).
    if (words.size() != 2) return absl::InvalidArgumentError(absl::StrCat(what, " <venue>"));
    (what == "fast_market" ? fast_market_venues_ : opening_venues_).insert(words[1]);
    return absl::OkStatus();
  }
  if (what == "quote_availability") {
    // quote_availability <venue> <percent> <contracts>: seed 001 R39 at the venue's leg books,
    // what a professional order (the router's leg orders) may take of a quote; the scripted
    // maker's leg quotes there are a primary market maker's.
    if (words.size() != 4) {
      return absl::InvalidArgumentError("quote_availability <venue> <percent> <contracts>");
    }
    absl::StatusOr<int64_t> percent = ParseInt(words[2]);
    if (!percent.ok()) return percent.status();
    absl::StatusOr<int64_t> contracts = ParseInt(words[3]);
    if (!contracts.ok()) return contracts.status();
    quote_availability_[words[1]] = venues::QuoteAvailability{*percent, Quantity(*contracts)};
    return absl::OkStatus();
  }
  if (what == "max_order") {
    if (words.size() != 3) return absl::InvalidArgumentError("max_order <venue> <contracts>");
    absl::StatusOr<int64_t> quantity = ParseInt(words[2]);
    if (!quantity.ok()) return quantity.status();
    max_order_[words[1]] = *quantity;
    return absl::OkStatus();
  }
  if (what == "native_tick") {
    // native_tick <venue> <tick>: the net price tick of the venue's complex-order book.
    if (words.size() != 3) return absl::InvalidArgumentError("native_tick <venue> <tick>");
    absl::StatusOr<Price> tick = ParsePrice(words[2]);
    if (!tick.ok()) return tick.status();
    native_ticks_[words[1]] = *tick;
    return absl::OkStatus();
  }
  if (what == "venue_tick") {
    // venue_tick <venue> <symbol> <tick or rule>: e.g. 0.05, or 0.01<3.00;0.05.
    if (words.size() != 4) {
      return absl::InvalidArgumentError("venue_tick <venue> <symbol> <tick or rule>");
    }
    absl::StatusOr<core::TickRule> tick = core::TickRule::Parse(words[3]);
    if (!tick.ok()) return tick.status();
    venue_ticks_.insert_or_assign({words[1], words[2]}, *std::move(tick));
    return absl::OkStatus();
  }
  if (what == "policy") return Policy(words);
  if (what == "instrument") {
    if (words.size() != 3) return absl::InvalidArgumentError("instrument <id> <symbol>");
    absl::StatusOr<int64_t> id = ParseInt(words[1]);
    if (!id.ok()) return id.status();
    core::InstrumentDefinition definition;
    definition.id = core::InstrumentId(static_cast<uint32_t>(*id));
    definition.symbol = words[2];
    definition.underlying = words[2];
    absl::StatusOr<core::Instrument> instrument = core::Instrument::Create(definition);
    if (!instrument.ok()) return instrument.status();
    return instruments_.Add(*instrument);
  }
  if (what == "combo") {
    if (words.size() < 4) return absl::InvalidArgumentError("combo <name> <legs>");
    std::vector<std::string> rest(words.begin() + 2, words.end());
    absl::StatusOr<core::ComboSpec> spec =
        core::ParseComboText(absl::StrJoin(rest, " "), instruments_);
    if (!spec.ok()) return spec.status();
    combo_specs_.emplace(words[1], *spec);
    return combos_.Intern(core::Canonicalize(*spec).spec).status();
  }
  if (what == "venue") {
    if (words.size() < 3) return absl::InvalidArgumentError("venue <id> <name> [native ...]");
    absl::StatusOr<int64_t> id = ParseInt(words[1]);
    if (!id.ok()) return id.status();
    VenueSpec spec{static_cast<uint32_t>(*id), {}};
    for (size_t i = 3; i < words.size(); ++i) {
      if (i == 3 && words[i] == "native") continue;
      if (!combo_specs_.contains(words[i])) {
        return absl::InvalidArgumentError(absl::StrCat("unknown combo ", core::AsAbsl(words[i])));
      }
      spec.native.push_back(words[i]);
    }
    venue_specs_[words[2]] = spec;
    venue_order_.push_back(words[2]);
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown statement ", core::AsAbsl(what)));
}

absl::Status Runner::Setup() {
  if (venue_order_.empty()) return absl::InvalidArgumentError("no venue");
  stack::StackConfig config;
  for (const std::string& name : venue_order_) {
    const VenueSpec& spec = venue_specs_[name];
    venues::SimulatedVenueConfig venue;
    venue.id = core::VenueId(spec.id);
    venue.name = name;
    if (auto latency = latency_.find(name); latency != latency_.end()) {
      for (venues::LatencySpec* message :
           {&venue.latency.inbound.new_order, &venue.latency.inbound.complex_order,
            &venue.latency.inbound.cancel, &venue.latency.inbound.replace,
            &venue.latency.outbound.ack, &venue.latency.outbound.reject,
            &venue.latency.outbound.fill, &venue.latency.outbound.cancelled,
            &venue.latency.outbound.restated, &venue.latency.outbound.market_data}) {
        message->fixed = latency->second;
      }
    }
    if (auto latency = cancel_latency_.find(name); latency != cancel_latency_.end()) {
      venue.latency.inbound.cancel.fixed = latency->second;
    }
    if (auto latency = replace_latency_.find(name); latency != replace_latency_.end()) {
      venue.latency.inbound.replace.fixed = latency->second;
    }
    if (latency_protection_.contains(name)) venue.latency_protection.enabled = true;
    if (auto sizes = tick_worse_.find(name); sizes != tick_worse_.end()) {
      venue.allocation = venues::AllocationRule::kSeed001Options;
      venue.market_maker.tick_worse_sizes = sizes->second;
    }
    venue.leg_processes.fast_market.enabled = fast_market_venues_.contains(name);
    venue.leg_processes.opening.enabled = opening_venues_.contains(name);
    if (auto available = quote_availability_.find(name); available != quote_availability_.end()) {
      venue.allocation = venues::AllocationRule::kSeed001Options;
      venue.market_maker.professional_availability = available->second;
    }
    for (const auto& [id, instrument] : instruments_.all()) {
      core::TickRule tick = instrument.tick_rule();
      if (auto it = venue_ticks_.find({name, instrument.symbol()}); it != venue_ticks_.end()) {
        tick = it->second;
      }
      venue.instruments.push_back({id, tick});
    }
    if (!spec.native.empty()) {
      venue.complex_book.enabled = true;
      if (auto tick = native_ticks_.find(name); tick != native_ticks_.end()) {
        venue.complex_book.net_tick = tick->second;
      }
      for (const std::string& combo : spec.native) {
        core::ComboSpec canonical = core::Canonicalize(combo_specs_.at(combo)).spec;
        venue.complex_book.combos.push_back(
            venues::ListedCombo{*combos_.Lookup(canonical), canonical, {}});
      }
    }
    stack::StackVenue entry;
    entry.source = stack::BuildSimulatedVenue{std::move(venue)};
    if (auto max = max_order_.find(name); max != max_order_.end()) {
      entry.max_order_quantity = Quantity(max->second);
    }
    config.venues.push_back(std::move(entry));
  }
  config.router = config_;
  config.leg_in = policy_;
  // The journal, in a fresh temporary directory: every client report waits for durability.
  config.journal.placement = stack::JournalPlacement::kTemporaryDirectory;
  stack::StackDependencies deps;
  deps.instruments = &instruments_;
  deps.combos = &combos_;
  deps.scheduler = &time_;
  deps.registry = &registry_;
  deps.observer = this;
  absl::StatusOr<std::unique_ptr<stack::RoutingStack>> built =
      stack::RoutingStack::Build(std::move(config), deps);
  if (!built.ok()) return built.status();
  stack_ = std::move(*built);
  stack_->leg_in_engine().SetObserver(this);
  stack_->router().SetListener(this);
  stack_->router().SetObserver(this);
  // Every order a tick pass skips is checked: deciding it would have done nothing.
  stack_->router().VerifySkippedDecisions();
  // The scripted market's sessions at every venue.
  for (venues::SimulatedVenue* venue : stack_->built_simulated_venues()) {
    const std::string name(venue->name());
    venues_[name] = venue;
    for (core::ParticipantId participant : {kLegMaker, kNativeMaker, kTaker}) {
      if (absl::Status s = venue->Connect(participant, &makers_); !s.ok()) return s;
    }
    const auto protection = latency_protection_.find(name);
    if (protection == latency_protection_.end()) continue;
    if (absl::Status s = venue->ConnectLatency(kLegMaker, &latency_events_); !s.ok()) return s;
    if (absl::Status s = venue->ReportLatency(kLegMaker, protection->second); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<core::OrderId> Runner::OrderOf(const std::string& clordid) const {
  std::optional<core::OrderId> id = stack_->router().Find(kClient, core::ClientOrderId(clordid));
  if (!id.has_value()) {
    return absl::NotFoundError(absl::StrCat("no order ", core::AsAbsl(clordid)));
  }
  return *id;
}

absl::Status Runner::Quote(const std::vector<std::string>& words, bool native) {
  // quote|native <venue> <key> <bid|-> <bidqty> <ask|-> <askqty>
  if (words.size() != 7) {
    return absl::InvalidArgumentError("quote <venue> <what> <bid|-> <qty> <ask|-> <qty>");
  }
  auto venue = venues_.find(words[1]);
  if (venue == venues_.end()) {
    return absl::InvalidArgumentError(absl::StrCat("unknown venue ", core::AsAbsl(words[1])));
  }
  std::optional<core::InstrumentId> instrument;
  std::optional<core::ComboId> combo;
  if (native) {
    auto spec = combo_specs_.find(words[2]);
    if (spec == combo_specs_.end()) {
      return absl::InvalidArgumentError(absl::StrCat("unknown combo ", core::AsAbsl(words[2])));
    }
    combo = combos_.Lookup(core::Canonicalize(spec->second).spec);
  } else {
    const core::Instrument* found = instruments_.FindBySymbol(words[2]);
    if (found == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("unknown symbol ", core::AsAbsl(words[2])));
    }
    instrument = found->id();
  }
  const core::ParticipantId maker = native ? kNativeMaker : kLegMaker;
  for (int side = 0; side < 2; ++side) {
    const auto key = std::make_tuple(words[1], words[2], side);
    if (auto old = maker_orders_.find(key); old != maker_orders_.end()) {
      (void)venue->second->Cancel(venues::CancelRequest{maker, old->second});
      maker_orders_.erase(old);
    }
    const std::string& price_text = words[3 + 2 * side];
    if (price_text == "-") continue;
    absl::StatusOr<Price> price = ParsePrice(price_text);
    if (!price.ok()) return price.status();
    absl::StatusOr<int64_t> quantity = ParseInt(words[4 + 2 * side]);
    if (!quantity.ok()) return quantity.status();
    const core::OrderId id(next_maker_order_++);
    const Side order_side = side == 0 ? Side::kBuy : Side::kSell;
    absl::Status status;
    if (native) {
      venues::ComplexOrderRequest request;
      request.participant = maker;
      request.order_id = id;
      request.combo = *combo;
      request.side = order_side;
      request.limit_price = *price;
      request.quantity = Quantity(*quantity);
      request.time_in_force = venues::TimeInForce::kGoodTillCancel;
      status = venue->second->SubmitComplex(request);
    } else {
      venues::OrderRequest request;
      request.participant = maker;
      request.order_id = id;
      request.instrument = *instrument;
      request.side = order_side;
      request.limit_price = *price;
      request.quantity = Quantity(*quantity);
      request.time_in_force = venues::TimeInForce::kGoodTillCancel;
      if (QuotesArePmms(words[1])) {
        request.role = venues::ParticipantRole::kPrimaryMarketMaker;
      }
      status = venue->second->Submit(request);
    }
    if (!status.ok()) return status;
    maker_orders_[key] = id;
  }
  return absl::OkStatus();
}

absl::Status Runner::Policy(const std::vector<std::string>& words) {
  // policy <knob> <value...>: a leg-in policy knob in its config spelling.
  if (words.size() < 3) return absl::InvalidArgumentError("policy <knob> <value>");
  const std::string& knob = words[1];
  const std::string& value = words[2];
  auto count = [&](int64_t& field) -> absl::Status {
    absl::StatusOr<int64_t> parsed = ParseInt(value);
    if (!parsed.ok()) return parsed.status();
    field = *parsed;
    return absl::OkStatus();
  };
  auto duration = [&](core::Duration& field) -> absl::Status {
    absl::StatusOr<core::Duration> parsed = core::Duration::Parse(value);
    if (!parsed.ok()) return parsed.status();
    field = *parsed;
    return absl::OkStatus();
  };
  if (knob == "mode") {
    absl::StatusOr<router::LegInMode> mode = router::ParseLegInMode(value);
    if (!mode.ok()) return mode.status();
    policy_.mode = *mode;
    return absl::OkStatus();
  }
  if (knob == "leg_order_type") {
    absl::StatusOr<router::LegOrderType> type = router::ParseLegOrderType(value);
    if (!type.ok()) return type.status();
    policy_.leg_order_type = *type;
    return absl::OkStatus();
  }
  if (knob == "ranking") {
    policy_.ranking.clear();
    for (size_t i = 2; i < words.size(); ++i) {
      absl::StatusOr<router::LegRankKey> key = router::ParseLegRankKey(words[i]);
      if (!key.ok()) return key.status();
      policy_.ranking.push_back(*key);
    }
    return absl::OkStatus();
  }
  if (knob == "desk_prefers_to_hold") {
    policy_.desk_prefers_to_hold.clear();
    for (size_t i = 2; i < words.size(); ++i) {
      const core::Instrument* instrument = instruments_.FindBySymbol(words[i]);
      if (instrument == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat("unknown symbol ", core::AsAbsl(words[i])));
      }
      policy_.desk_prefers_to_hold.push_back(instrument->id());
    }
    return absl::OkStatus();
  }
  if (knob == "max_units_per_slice") {
    int64_t units = 0;
    COMBO_RETURN_IF_ERROR(count(units));
    policy_.max_units_per_slice = Quantity(units);
    return absl::OkStatus();
  }
  if (knob == "defensive_ticks") return count(policy_.defensive_ticks);
  if (knob == "failures_before_defensive") return count(policy_.failures_before_defensive);
  if (knob == "always_defensive_above_legs") return count(policy_.always_defensive_above_legs);
  if (knob == "max_failures_per_order") return count(policy_.max_failures_per_order);
  if (knob == "displayed_size_percent") return count(policy_.displayed_size_percent);
  if (knob == "max_leg_resubmits") return count(policy_.max_leg_resubmits);
  if (knob == "max_leg_reroutes") return count(policy_.max_leg_reroutes);
  if (knob == "leg_timeout") return duration(policy_.leg_timeout);
  if (knob == "leg_resubmit_delay") return duration(policy_.leg_resubmit_delay);
  return absl::InvalidArgumentError(absl::StrCat("unknown policy knob ", core::AsAbsl(knob)));
}

absl::Status Runner::Action(const std::vector<std::string>& words) {
  if (words.size() < 2) return absl::InvalidArgumentError("at <ms> <action> | run <ms>");
  absl::StatusOr<int64_t> millis = ParseInt(words[1]);
  if (!millis.ok()) return millis.status();
  const core::Timestamp when = start_ + core::Duration::Milliseconds(*millis);
  if (when < time_.Now()) return absl::InvalidArgumentError("time goes backwards");
  time_.AdvanceTo(when);
  LogErrorAccount();
  if (words[0] == "run") return absl::OkStatus();
  if (words.size() < 3) return absl::InvalidArgumentError("at <ms> <action>");
  const std::vector<std::string> args(words.begin() + 2, words.end());
  const std::string& action = args[0];
  if (action == "quote" || action == "native") return Quote(args, action == "native");
  if (action == "hit") {
    // hit <venue> <combo|symbol> <buy|sell> <qty> <price>: another participant's IOC order.
    if (args.size() != 6)
      return absl::InvalidArgumentError("hit <venue> <combo> <side> <qty> <px>");
    auto venue = venues_.find(args[1]);
    auto spec = combo_specs_.find(args[2]);
    const core::Instrument* leg = instruments_.FindBySymbol(args[2]);
    if (venue == venues_.end() || (spec == combo_specs_.end() && leg == nullptr)) {
      return absl::InvalidArgumentError("hit: unknown venue, combo or symbol");
    }
    absl::StatusOr<int64_t> quantity = ParseInt(args[4]);
    if (!quantity.ok()) return quantity.status();
    absl::StatusOr<Price> price = ParsePrice(args[5]);
    if (!price.ok()) return price.status();
    if (spec == combo_specs_.end()) {
      venues::OrderRequest request;
      request.participant = kTaker;
      request.order_id = core::OrderId(next_maker_order_++);
      request.instrument = leg->id();
      request.side = args[3] == "sell" ? Side::kSell : Side::kBuy;
      request.limit_price = *price;
      request.quantity = Quantity(*quantity);
      request.time_in_force = venues::TimeInForce::kImmediateOrCancel;
      return venue->second->Submit(request);
    }
    venues::ComplexOrderRequest request;
    request.participant = kTaker;
    request.order_id = core::OrderId(next_maker_order_++);
    request.combo = *combos_.Lookup(core::Canonicalize(spec->second).spec);
    request.side = args[3] == "sell" ? Side::kSell : Side::kBuy;
    request.limit_price = *price;
    request.quantity = Quantity(*quantity);
    request.time_in_force = venues::TimeInForce::kImmediateOrCancel;
    return venue->second->SubmitComplex(request);
  }
  if (action == "order") {
    // order <clordid> <buy|sell> <qty> <combo> <limit|market> [day|gtc|ioc|fok]
    constexpr char kUsage[] =
        "order <clordid> <buy|sell> <qty> <combo> <limit|market> [day|gtc|ioc|fok]";
    if (args.size() < 6 || args.size() > 7) return absl::InvalidArgumentError(kUsage);
    auto spec = combo_specs_.find(args[4]);
    if (spec == combo_specs_.end()) {
      return absl::InvalidArgumentError(absl::StrCat("unknown combo ", core::AsAbsl(args[4])));
    }
    absl::StatusOr<int64_t> quantity = ParseInt(args[3]);
    if (!quantity.ok()) return quantity.status();
    std::optional<Price> limit;
    if (args[5] != "market") {
      absl::StatusOr<Price> parsed = ParsePrice(args[5]);
      if (!parsed.ok()) return parsed.status();
      limit = *parsed;
    }
    const std::map<std::string, router::ComboTimeInForce, std::less<>> tifs = {
        {"day", router::ComboTimeInForce::kDay},
        {"gtc", router::ComboTimeInForce::kGoodTillCancel},
        {"ioc", router::ComboTimeInForce::kImmediateOrCancel},
        {"fok", router::ComboTimeInForce::kFillOrKill}};
    router::ComboTimeInForce tif = router::ComboTimeInForce::kDay;
    if (args.size() == 7) {
      auto found = tifs.find(args[6]);
      if (found == tifs.end()) return absl::InvalidArgumentError(kUsage);
      tif = found->second;
    }
    router::NewComboOrder order{
        kClient,
        core::ClientOrderId(args[1]),
        core::AccountId("ACCT"),
        spec->second,
        args[2] == "sell" ? Side::kSell : Side::kBuy,
        Quantity(*quantity),
        limit.has_value() ? router::ComboOrderType::kLimit : router::ComboOrderType::kMarket,
        limit,
        tif};
    submitting_ = args[1];
    return stack_->router().Submit(order);
  }
  if (action == "cancel") {
    if (args.size() != 3) return absl::InvalidArgumentError("cancel <clordid> <orig>");
    return stack_->router().Cancel(router::CancelComboOrder{kClient, core::ClientOrderId(args[1]),
                                                            core::ClientOrderId(args[2])});
  }
  if (action == "replace") {
    if (args.size() != 5) return absl::InvalidArgumentError("replace <clordid> <orig> <qty> <px>");
    absl::StatusOr<int64_t> quantity = ParseInt(args[3]);
    if (!quantity.ok()) return quantity.status();
    absl::StatusOr<Price> limit = ParsePrice(args[4]);
    if (!limit.ok()) return limit.status();
    return stack_->router().Replace(router::ReplaceComboOrder{kClient, core::ClientOrderId(args[1]),
                                                              core::ClientOrderId(args[2]), *limit,
                                                              Quantity(*quantity)});
  }
  if (action == "status") {
    if (args.size() != 2) return absl::InvalidArgumentError("status <clordid>");
    return stack_->router().RequestStatus(
        router::ComboOrderStatusRequest{kClient, core::ClientOrderId(args[1])});
  }
  if (action == "fast_market") {
    // fast_market <venue> <symbol> <level>: the exchange calls (1..5) or ends (0) a fast market.
    if (args.size() != 4) return absl::InvalidArgumentError("fast_market <venue> <symbol> <level>");
    auto venue = venues_.find(args[1]);
    const core::Instrument* leg = instruments_.FindBySymbol(args[2]);
    absl::StatusOr<int64_t> level = ParseInt(args[3]);
    if (venue == venues_.end() || leg == nullptr || !level.ok()) {
      return absl::InvalidArgumentError("fast_market: unknown venue or symbol, or a bad level");
    }
    return venue->second->SetFastMarket(leg->id(), static_cast<int>(*level));
  }
  if (action == "open") {
    // open <venue>: the primary market maker starts the venue's opening rotation.
    if (args.size() != 2) return absl::InvalidArgumentError("open <venue>");
    auto venue = venues_.find(args[1]);
    if (venue == venues_.end()) return absl::InvalidArgumentError("open: unknown venue");
    return venue->second->StartOpening();
  }
  if (action == "halt" || action == "resume") {
    // The stack logs it through OnTradingStateChanged and, on resume, decides held orders again.
    return stack_->risk().SetTradingState(
        action == "halt" ? risk::TradingState::kHalted : risk::TradingState::kActive,
        risk::OperatorCommand{risk::CommandSource::kSignal, "scenario", action});
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown action ", core::AsAbsl(action)));
}

void Runner::CheckExpectations() {
  // Every report went through the journal; one it refused is a router bug, whatever the file says.
  if (stack_->router().journal_failures() != 0) {
    result_.failures.push_back(absl::StrCat("the journal refused or lost ",
                                            stack_->router().journal_failures(), " event(s)"));
  }
  if (stack_->router().skipped_decisions_that_act() != 0) {
    result_.failures.push_back(absl::StrCat("a tick pass skipped ",
                                            stack_->router().skipped_decisions_that_act(),
                                            " order(s) whose decision would have acted"));
  }
  size_t next = 0;
  for (const Expectation& expectation : expectations_) {
    if (expectation.absent) {
      for (const ScenarioEvent& event : result_.events) {
        if (event.text.find(expectation.text) == std::string::npos) continue;
        result_.failures.push_back(absl::StrCat("line ", expectation.line, ": event @",
                                                event.millis, " \"", event.text, "\" contains \"",
                                                expectation.text, "\""));
      }
      continue;
    }
    bool found = false;
    for (size_t i = next; i < result_.events.size(); ++i) {
      const ScenarioEvent& event = result_.events[i];
      if (expectation.millis.has_value() && *expectation.millis != event.millis) continue;
      if (event.text.find(expectation.text) == std::string::npos) continue;
      found = true;
      next = i + 1;
      break;
    }
    if (!found) {
      result_.failures.push_back(absl::StrCat(
          "line ", expectation.line, ": no event ",
          expectation.millis.has_value() ? absl::StrCat("@", *expectation.millis, " ") : "",
          "containing \"", expectation.text, "\" after event ", next));
    }
  }
}

}  // namespace

absl::StatusOr<ScenarioResult> RunScenarioText(const std::string& text) {
  Runner runner;
  return runner.Run(text);
}

absl::StatusOr<ScenarioResult> RunScenarioFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot open ", core::AsAbsl(path)));
  std::stringstream text;
  text << file.rdbuf();
  return RunScenarioText(text.str());
}

}  // namespace combo::tests

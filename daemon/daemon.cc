#include "daemon/daemon.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "boost/asio/dispatch.hpp"
#include "core/absl_compat.h"
#include "core/status.h"
#include "daemon/logging.h"
#include "router/leg_in_policy.h"
#include "stack/build_status.h"
#include "stack/stack_config.h"

// fix/gateway.h brings QuickFIX's headers, whose dynamic exception specifications clang warns
// about (DESIGN.md "Toolchain"); only this include is exempt.
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdynamic-exception-spec"
#include "fix/gateway.h"
#pragma clang diagnostic pop

namespace combo::daemon {
namespace {

using spdlog::level::level_enum;
using stack::Annotate;
using stack::MakeDirectories;
using stack::WithContext;

// One log line for a possibly multi-line message (config errors come one per line).
std::string OneLine(absl::string_view text) { return absl::StrReplaceAll(text, {{"\n", "; "}}); }

std::string DurationText(core::Duration d) { return d.ToString(); }

}  // namespace

std::string Listening::Describe() const {
  auto endpoint = [](const std::string& address, int port) {
    return port == 0 ? std::string("off") : absl::StrCat(address, ":", port);
  };
  return absl::StrCat("fix=", endpoint(fix_address, fix_port),
                      " metrics=", metrics_port == 0 ? std::string("off") : metrics_url,
                      " negotiation=", endpoint(negotiation_address, negotiation_port));
}

Daemon::Daemon(config::DaemonConfig config, boost::asio::io_context& io)
    : config_(std::move(config)),
      io_(io),
      scheduler_(io, wall_clock_),
      registry_(std::make_shared<prometheus::Registry>()) {}

Daemon::~Daemon() {
  // Stop what still runs on other threads or holds timers, in the reverse order of Start.
  if (signals_ != nullptr) signals_->Stop();
  if (simulator_ != nullptr) simulator_->Stop();
  if (fix_ != nullptr) fix_->Disconnect();
  if (negotiation_server_ != nullptr) negotiation_server_->Stop();
  exposer_.reset();
  // Tasks the gateway posted refer to it: let them run before it goes.
  io_.restart();
  io_.poll();
  simulator_.reset();
  fix_.reset();
  gate_.reset();
  // What uses the stack's negotiation service goes before the stack.
  participants_.clear();
  negotiation_server_.reset();
  stack_.reset();
}

absl::StatusOr<std::unique_ptr<Daemon>> Daemon::Create(config::DaemonConfig config,
                                                       boost::asio::io_context& io) {
  std::unique_ptr<Daemon> daemon(new Daemon(std::move(config), io));
  const config::DaemonConfig& c = daemon->config_;
  COMBO_RETURN_IF_ERROR(MakeDirectories(c.daemon.data_dir, "data"));

  COMBO_ASSIGN_OR_RETURN(daemon->metrics_, DaemonMetrics::Create(*daemon->registry_));
  COMBO_RETURN_IF_ERROR(daemon->BuildStack());
  COMBO_RETURN_IF_ERROR(daemon->BuildFix());
  COMBO_RETURN_IF_ERROR(daemon->BuildSimulation());
  return daemon;
}

absl::Status Daemon::BuildStack() {
  stack::StackDependencies deps;
  deps.instruments = &config_.instruments;
  deps.combos = &config_.combos;
  deps.scheduler = &scheduler_;
  deps.risk_clock = &wall_clock_;
  deps.latency_clock = &monotonic_clock_;
  deps.registry = registry_.get();
  deps.observer = this;
  COMBO_ASSIGN_OR_RETURN(stack_, stack::RoutingStack::Build(stack::StackConfigFrom(config_), deps));
  for (const config::VenueConfig& venue : config_.venues) {
    if (venue.kind == config::VenueKind::kNegotiation) negotiation_config_ = &venue;
  }
  stack_->leg_in_engine().SetObserver(this);
  stack_->router().SetObserver(this);
  COMBO_ASSIGN_OR_RETURN(gate_, OrderGate::Create(stack_->router(), *registry_));
  gate_->RefuseOrdersOnJournalFailure(*stack_->accounts());
  return absl::OkStatus();
}

absl::Status Daemon::BuildFix() {
  if (!config_.fix.enabled) return absl::OkStatus();
  const config::FixSettings& settings = config_.fix;
  fix::GatewayConfig gateway;
  gateway.listen_address = settings.listen_address;
  gateway.port = settings.port;
  gateway.socket_threads = settings.sockets == config::FixSockets::kCoreThread
                               ? fix::SocketThreads::kCoreThread
                               : fix::SocketThreads::kSessionThreads;
  gateway.data_dictionary = settings.data_dictionary;
  gateway.store_directory = settings.store_directory;
  gateway.log_directory = settings.log_directory;
  gateway.max_legs = settings.max_legs;
  gateway.sharding = config_.sharding;
  for (const config::FixSessionSettings& session : settings.sessions) {
    gateway.sessions.push_back(fix::SessionConfig{
        session.gateway_comp_id, session.client_comp_id, session.username, session.password,
        session.default_account, session.cancel_on_disconnect});
  }
  if (settings.tls.has_value()) {
    gateway.tls = fix::TlsConfig{settings.tls->certificate_file, settings.tls->private_key_file,
                                 settings.tls->ca_file};
  }
  COMBO_RETURN_IF_ERROR(MakeDirectories(gateway.store_directory, "FIX store"));
  COMBO_RETURN_IF_ERROR(MakeDirectories(gateway.log_directory, "FIX log"));
  boost::asio::io_context* io = &io_;
  // At once on the core thread (core-thread sockets: no hand-off on an order's path), posted
  // from QuickFIX's session threads.
  fix::Executor executor = [io](std::function<void()> task) {
    boost::asio::dispatch(*io, std::move(task));
  };
  COMBO_ASSIGN_OR_RETURN(
      fix_, WithContext("fix", fix::FixAcceptor::Create(gateway, *gate_, config_.instruments,
                                                        stack_->listings(), std::move(executor),
                                                        wall_clock_, registry_.get(), &io_)));
  listening_.fix_address = settings.listen_address;
  return absl::OkStatus();
}

absl::Status Daemon::BuildSimulation() {
  const config::SimulationSettings& simulation = config_.simulation;
  if (!simulation.enabled) return absl::OkStatus();
  std::vector<venues::Venue*> simulated;
  // The simulation's CBO desks trade on the CBO books the venues opened from their config.
  std::vector<venues::market_sim::CboLink> cbo_links;
  for (venues::SimulatedVenue* venue : stack_->built_simulated_venues()) {
    simulated.push_back(venue);
    if (venue->cbo_book() != nullptr) cbo_links.push_back({venue->id(), venue});
  }
  venues::negotiation::NegotiationService* negotiation_service = stack_->negotiation_service();
  // Negotiators trade on the negotiation venue through its service.
  std::vector<venues::market_sim::NegotiationLink> links;
  if (!simulation.market.negotiators.empty() && stack_->negotiation_venue() != nullptr) {
    simulated.push_back(stack_->negotiation_venue());
    links.push_back({negotiation_config_->id, negotiation_service});
  }
  // The simulated participants' latency probes count beside the router's.
  venues::market_sim::MarketSimConfig market = simulation.market;
  market.metrics = registry_.get();
  COMBO_ASSIGN_OR_RETURN(
      simulator_,
      WithContext("simulation",
                  venues::market_sim::MarketSimulator::Create(
                      std::move(market), &scheduler_, &config_.instruments, &config_.combos,
                      std::move(simulated), std::move(links), std::move(cbo_links))));
  if (!simulation.negotiation_participants.empty()) {
    if (negotiation_service == nullptr) {
      return absl::InvalidArgumentError(
          "simulation: negotiation participants need a negotiation venue");
    }
    for (const auto& participant : simulation.negotiation_participants) {
      if (!participant.clearing_firm.empty()) {
        // Registering a firm twice is refused; participants may share one.
        (void)negotiation_service->RegisterClearingFirm(
            participant.clearing_firm,
            venues::negotiation::KeyPair::FromLabel(participant.clearing_firm).public_key());
      }
      participants_.push_back(std::make_unique<venues::negotiation::SimulatedParticipant>(
          scheduler_, *negotiation_service, participant));
    }
  }
  return absl::OkStatus();
}

absl::Status Daemon::Start() {
  if (started_) return absl::FailedPreconditionError("the daemon is already started");
  if (config_.metrics.enabled) {
    COMBO_ASSIGN_OR_RETURN(exposer_, MetricsExposer::Start(config_.metrics.listen_address,
                                                           config_.metrics.port, registry_));
    listening_.metrics_port = exposer_->port();
    listening_.metrics_url = exposer_->url();
  }
  if (negotiation_config_ != nullptr && negotiation_config_->negotiation.port != 0) {
    COMBO_ASSIGN_OR_RETURN(
        negotiation_server_,
        venues::negotiation::TcpServer::Listen(
            io_, *stack_->negotiation_service(), negotiation_config_->negotiation.listen_address,
            static_cast<uint16_t>(negotiation_config_->negotiation.port)));
    listening_.negotiation_address = negotiation_config_->negotiation.listen_address;
    listening_.negotiation_port = negotiation_server_->port();
  }
  if (fix_ != nullptr) {
    COMBO_RETURN_IF_ERROR(Annotate(fix_->Start(), "fix"));
    listening_.fix_port = config_.fix.port;
    // QuickFIX 1.15 has no accept-address setting: its threaded acceptor listens on every
    // interface (core-thread sockets bind the address given).
    if (config_.fix.sockets == config::FixSockets::kSessionThreads &&
        config_.fix.listen_address != "0.0.0.0") {
      Log(level_enum::warn, "fix_listens_on_every_interface",
          {{"port", std::to_string(config_.fix.port)},
           {"configured_address", config_.fix.listen_address},
           {"note", "QuickFIX 1.15 cannot bind one address; firewall the port if needed"}});
    }
  }
  for (const auto& participant : participants_) {
    COMBO_RETURN_IF_ERROR(Annotate(participant->Start(), "negotiation participant"));
  }
  if (simulator_ != nullptr) COMBO_RETURN_IF_ERROR(Annotate(simulator_->Start(), "simulation"));
  signals_ = std::make_unique<SignalDispatcher>(
      io_, [this](OperatorSignal signal, int number) { OnSignal(signal, number); });
  stack_->Start();
  started_ = true;
  if (config_.instrument_master.has_value()) {
    const config::InstrumentMasterSummary& master = *config_.instrument_master;
    Log(level_enum::info, "instrument_master",
        {{"file", master.file},
         {"listed", std::to_string(master.listed)},
         {"expired_skipped", std::to_string(master.expired)},
         {"date", config_.listing_date.has_value() ? absl::FormatCivilTime(*config_.listing_date)
                                                   : std::string("none")}});
  }
  if (config_.sharding.has_value()) {
    // Which shard of the set this is, and what it owns: orders of other groups are refused.
    const router::ShardOwnership& sharding = *config_.sharding;
    std::vector<std::string> roots;
    for (const router::ProductGroup& group : sharding.map().product_groups) {
      const auto& owned = sharding.this_shard().product_groups;
      if (std::find(owned.begin(), owned.end(), group.name) == owned.end()) continue;
      roots.insert(roots.end(), group.roots.begin(), group.roots.end());
    }
    Log(level_enum::info, "shard",
        {{"name", sharding.this_shard().name},
         {"shards", std::to_string(sharding.map().shards.size())},
         {"product_groups", absl::StrJoin(sharding.this_shard().product_groups, ",")},
         {"underlyings", absl::StrJoin(roots, ",")}});
  }
  const std::string fix_port = std::to_string(listening_.fix_port);
  Log(level_enum::info, "started",
      {{"name", config_.daemon.name},
       {"version", Version()},
       {"config", config_.source_file},
       {"fix",
        listening_.fix_port == 0 ? "off" : absl::StrCat(listening_.fix_address, ":", fix_port)},
       {"metrics", listening_.metrics_port == 0 ? "off" : listening_.metrics_url},
       {"fix_sockets", config::ToString(config_.fix.sockets)},
       {"busy_poll", config_.daemon.busy_poll ? "on" : "off"},
       {"simulation", simulator_ != nullptr ? "on" : "off"},
       {"venues", std::to_string(stack_->venues().size())}});
  return absl::OkStatus();
}

int Daemon::Run() {
  io_.restart();
  // After the drain, the FIX sessions' Logouts still need the core thread.
  auto finished = [this] { return drained_ && (fix_ == nullptr || fix_->stopped()); };
  if (config_.daemon.busy_poll) {
    while (!finished()) {
      io_.poll();
      // Out of work (nothing listens, no timer): run_one would return at once too.
      if (io_.stopped()) break;
    }
    return exit_code_;
  }
  while (!finished()) {
    if (io_.run_one() == 0) break;
  }
  return exit_code_;
}

void Daemon::OnSignal(OperatorSignal signal, int signal_number) {
  const std::string_view name = SignalName(signal_number);
  Log(level_enum::info, "signal", {{"signal", name}, {"action", ToString(signal)}});
  switch (signal) {
    case OperatorSignal::kDrain:
      Drain(absl::StrCat(core::AsAbsl(name), " received"));
      return;
    case OperatorSignal::kReload:
      (void)Reload();
      return;
    case OperatorSignal::kHalt:
      (void)SetTradingState(risk::TradingState::kHalted, name, "operator signal");
      return;
    case OperatorSignal::kResume:
      (void)SetTradingState(risk::TradingState::kActive, name, "operator signal");
      return;
    case OperatorSignal::kReduce:
      (void)SetTradingState(risk::TradingState::kReducing, name, "operator signal");
      return;
  }
}

absl::Status Daemon::Reload() {
  auto refuse = [this](const absl::Status& status) {
    metrics_->CountReload(ReloadOutcome::kRefused);
    Log(level_enum::err, "reload_refused",
        {{"config", config_.source_file},
         {"error", OneLine(status.message())},
         {"kept", "running leg-in policy, risk limits and instruments"}});
    return status;
  };
  absl::StatusOr<config::ReloadableConfig> loaded = config::LoadReloadableConfig(
      config_.source_file, config_, config::LoadOptions{ListingDate(wall_clock_)});
  if (!loaded.ok()) return refuse(loaded.status());
  if (absl::Status listable = CheckInstrumentAdditions(loaded->instruments); !listable.ok()) {
    return refuse(Annotate(listable, "instruments"));
  }
  // Both parts are checked before either is applied: all or nothing.
  if (absl::Status valid = router::ValidateLegInPolicy(loaded->leg_in); !valid.ok()) {
    return refuse(Annotate(valid, "leg_in"));
  }
  if (absl::Status valid = loaded->risk.Validate(); !valid.ok()) {
    return refuse(Annotate(valid, "risk"));
  }
  if (absl::Status valid = router::ValidateRouterConfig(loaded->router); !valid.ok()) {
    return refuse(Annotate(valid, "router"));
  }
  if (absl::Status valid = loaded->resolver.Validate(); !valid.ok()) {
    return refuse(Annotate(valid, "resolver"));
  }
  router::VenueLegInEngine& engine = stack_->leg_in_engine();
  const router::LegInPolicy previous = engine.policy();
  if (absl::Status applied = engine.SetPolicy(loaded->leg_in); !applied.ok()) {
    return refuse(Annotate(applied, "leg_in"));
  }
  if (absl::Status applied = stack_->risk().UpdateLimits(loaded->risk); !applied.ok()) {
    (void)engine.SetPolicy(previous);
    return refuse(Annotate(applied, "risk"));
  }
  // The router's waits and market order collar reload; what only a restart can change is
  // reported and waits for it.
  router::ComboRouter& router = stack_->router();
  router::RouterConfig waits = router.config();
  waits.stability_wait = loaded->router.stability_wait;
  waits.cancel_timeout_with_legs_working = loaded->router.cancel_timeout_with_legs_working;
  waits.market_order_collar = loaded->router.market_order_collar;
  if (absl::Status applied = router.Reconfigure(waits); !applied.ok()) {
    return refuse(Annotate(applied, "router"));
  }
  config_.router.stability_wait = waits.stability_wait;
  config_.router.cancel_timeout_with_legs_working = waits.cancel_timeout_with_legs_working;
  config_.router.market_order_collar = waits.market_order_collar;
  if (absl::Status restart_only = router.Reconfigure(loaded->router); !restart_only.ok()) {
    Log(level_enum::warn, "reload_router_section_pending",
        {{"config", config_.source_file}, {"note", OneLine(restart_only.message())}});
  }
  // Validated above, so it applies.
  if (resolver::ResidualResolver* resolver = stack_->resolver(); resolver != nullptr) {
    (void)resolver->Reconfigure(loaded->resolver);
  }
  config_.leg_in = loaded->leg_in;
  config_.risk = loaded->risk;
  config_.resolver = loaded->resolver;
  ApplyInstrumentAdditions(loaded->instruments);
  metrics_->CountReload(ReloadOutcome::kApplied);
  Log(level_enum::info, "reload_applied",
      {{"config", config_.source_file},
       {"leg_in_mode", router::ToString(loaded->leg_in.mode)},
       {"leg_order_type", router::ToString(loaded->leg_in.leg_order_type)},
       {"max_units_per_slice", std::to_string(loaded->leg_in.max_units_per_slice.value())},
       {"leg_timeout", DurationText(loaded->leg_in.leg_timeout)},
       {"stability_wait", DurationText(config_.router.stability_wait)},
       {"new_instruments", std::to_string(loaded->instruments.instruments.size())},
       {"new_listings", std::to_string(loaded->instruments.listings.size())},
       {"instruments", std::to_string(config_.instruments.size())},
       {"note",
        "leg_in, risk, router waits, market order collar and new instruments applied; other "
        "sections apply on "
        "restart"}});
  return absl::OkStatus();
}

absl::Status Daemon::CheckInstrumentAdditions(const config::InstrumentAdditions& additions) const {
  for (const core::Instrument& instrument : additions.instruments) {
    if (config_.instruments.Find(instrument.id()) != nullptr ||
        config_.instruments.FindBySymbol(instrument.symbol()) != nullptr) {
      return absl::AlreadyExistsError(
          absl::StrCat("instrument \"", instrument.symbol(), "\" is already listed"));
    }
  }
  for (const config::InstrumentAdditions::Listing& listing : additions.listings) {
    bool found = false;
    for (const venues::SimulatedVenue* venue : stack_->built_simulated_venues()) {
      found |= venue->id() == listing.venue && !venue->Lists(listing.instrument);
    }
    const venues::negotiation::NegotiationVenue* negotiation = stack_->negotiation_venue();
    found |= negotiation != nullptr && negotiation->id() == listing.venue &&
             !negotiation->Lists(listing.instrument);
    if (!found) {
      return absl::FailedPreconditionError(absl::StrCat(
          "venue ", listing.venue.value(), " cannot list instrument ", listing.instrument.value(),
          " while running (not a venue the daemon built, or listed)"));
    }
  }
  return absl::OkStatus();
}

void Daemon::ApplyInstrumentAdditions(const config::InstrumentAdditions& additions) {
  // Checked by CheckInstrumentAdditions: none of these can fail.
  for (const core::Instrument& instrument : additions.instruments) {
    (void)config_.instruments.Add(instrument);
  }
  for (const config::InstrumentAdditions::Listing& listing : additions.listings) {
    for (venues::SimulatedVenue* venue : stack_->built_simulated_venues()) {
      if (venue->id() == listing.venue) {
        (void)venue->ListInstrument({listing.instrument, listing.tick_rule});
      }
    }
    venues::negotiation::NegotiationVenue* negotiation = stack_->negotiation_venue();
    if (negotiation != nullptr && negotiation->id() == listing.venue) {
      (void)negotiation->ListInstrument(listing.instrument);
    }
    for (config::VenueConfig& venue : config_.venues) {
      if (venue.id != listing.venue) continue;
      venue.instruments.push_back(listing.instrument);
      if (venue.kind == config::VenueKind::kSimulated) {
        venue.simulated.instruments.push_back({listing.instrument, listing.tick_rule});
      }
    }
  }
  if (simulator_ != nullptr &&
      (!additions.market_makers.empty() || !additions.taker_instruments.empty())) {
    if (absl::Status added =
            simulator_->AddListings(additions.market_makers, additions.taker_instruments);
        !added.ok()) {
      Log(level_enum::warn, "simulation_listing_failed",
          {{"error", OneLine(added.message())},
           {"note", "the new instruments are listed but the simulation does not quote them"}});
    }
  }
}

absl::Status Daemon::SetTradingState(risk::TradingState state, std::string_view who,
                                     std::string_view why) {
  const risk::OperatorCommand command{risk::CommandSource::kSignal, std::string(who),
                                      std::string(why)};
  absl::Status status = stack_->risk().SetTradingState(state, command);
  if (!status.ok()) {
    Log(level_enum::warn, "trading_state_refused",
        {{"target", risk::ToString(state)}, {"by", who}, {"error", OneLine(status.message())}});
  }
  return status;
}

void Daemon::Drain(std::string_view why) {
  if (draining_) {
    Log(level_enum::warn, "drain_already_in_progress", {{"cause", why}});
    return;
  }
  draining_ = true;
  metrics_->SetDraining();
  stack::LegInTracker& leg_ins = stack_->leg_ins();
  Log(level_enum::info, "drain_started",
      {{"cause", why},
       {"working_leg_ins", std::to_string(leg_ins.working())},
       {"drain_timeout", DurationText(config_.daemon.drain_timeout)}});
  gate_->StartDraining();
  // Held orders stay held: a resume during the drain must not route them again.
  stack_->HoldOrdersOnResume();
  // Halting cancels every resting native order and asks the engine to stop its leg-ins, whose
  // working legs finish (or time out) and report before the engine lets go of the order.
  (void)SetTradingState(risk::TradingState::kHalted, "drain",
                        absl::StrCat(core::AsAbsl(why), ": drain before exit"));
  shutdown_timer_ = scheduler_.ScheduleAfter(config_.daemon.shutdown_timeout, [this] {
    exit_code_ = 1;
    FinishDrain("shutdown timeout");
  });
  if (leg_ins.working() == 0) {
    OnLegsIdle();
    return;
  }
  leg_ins.SetIdleCallback([this] { OnLegsIdle(); });
  drain_timer_ = scheduler_.ScheduleAfter(config_.daemon.drain_timeout, [this] {
    Log(level_enum::warn, "drain_timeout",
        {{"working_leg_ins", std::to_string(stack_->leg_ins().working())}});
    OnLegsIdle();
  });
}

void Daemon::OnLegsIdle() {
  if (drained_) return;
  stack_->leg_ins().SetIdleCallback(nullptr);
  scheduler_.Cancel(drain_timer_);
  // The native cancels halting sent are answered after the venues' latency: give the slowest
  // embedded exchange's round trip to land them in the journal before it is flushed (the
  // negotiation venue's expected latency is a counterparty's think time, not a round trip).
  core::Duration settle = core::Duration::Milliseconds(50);
  for (const config::VenueConfig& venue : config_.venues) {
    if (venue.kind != config::VenueKind::kSimulated) continue;
    settle = std::max(settle, venue.expected_latency + venue.expected_latency);
  }
  settle = std::min(settle, config_.daemon.drain_timeout);
  scheduler_.ScheduleAfter(settle, [this] { FinishDrain("drained"); });
}

void Daemon::FinishDrain(std::string_view how) {
  if (drained_) return;
  scheduler_.Cancel(shutdown_timer_);
  if (simulator_ != nullptr) simulator_->Stop();
  // Flushes the journal and values the error account one last time.
  stack_->Stop();
  if (fix_ != nullptr) fix_->Stop();
  if (negotiation_server_ != nullptr) negotiation_server_->Stop();
  if (signals_ != nullptr) signals_->Stop();
  Log(level_enum::info, "drain_finished",
      {{"how", how},
       {"journal_events", std::to_string(stack_->accounts()->durable_events())},
       {"journal_pending", std::to_string(stack_->accounts()->pending())},
       {"exit_code", std::to_string(exit_code_)}});
  drained_ = true;
}

void Daemon::OnVenueAvailability(core::VenueId /*venue*/, std::string_view name,
                                 stack::VenueAvailability availability) {
  const bool up = availability == stack::VenueAvailability::kUp;
  Log(up ? level_enum::info : level_enum::warn, up ? "venue_up" : "venue_down", {{"venue", name}});
}

void Daemon::OnSeriesStatus(std::string_view venue_name,
                            const venues::SeriesStatusChanged& change) {
  const core::Instrument* instrument = config_.instruments.Find(change.instrument);
  Log(level_enum::info, "series_phase",
      {{"venue", venue_name},
       {"instrument",
        instrument != nullptr ? instrument->symbol() : std::to_string(change.instrument.value())},
       {"phase", venues::ToString(change.phase)},
       {"fast_market_level", std::to_string(change.fast_market_level)},
       {"call_delay", change.call_delay.ToString()}});
}

void Daemon::OnValuationMetricsError(const absl::Status& status) {
  Log(level_enum::warn, "metrics_error", {{"error", OneLine(status.message())}});
}

void Daemon::OnJournalUnwritable(const absl::Status& status) {
  Log(level_enum::err, "journal_unwritable",
      {{"error", OneLine(status.message())}, {"action", "new orders refused until a restart"}});
}

void Daemon::OnResidualAction(const accounts::ResidualAction& action) {
  // A hold is for a person; everything else the resolver does is routine.
  const bool for_a_person =
      action.action == accounts::ResidualActionKind::kHold && action.outcome == "held";
  Log(for_a_person ? level_enum::warn : level_enum::info, "residual_action",
      {{"order", absl::StrCat(action.order.value())},
       {"action", accounts::ToString(action.action)},
       {"outcome", action.outcome},
       {"detail", OneLine(action.detail)}});
}

void Daemon::OnResolverJournalError(const absl::Status& status) {
  Log(level_enum::err, "resolver_journal_error", {{"error", OneLine(status.message())}});
}

// --- Event logs: per-order events are debug, so the default level logs none of them. --------

void Daemon::OnOrderDenied(const risk::OrderDenied& event) {
  if (!LogEnabled(level_enum::debug)) return;
  Log(level_enum::debug, "order_denied",
      {{"client", event.request.client.value()},
       {"clordid", event.request.client_order_id.value()},
       {"reason", event.decision.Describe()}});
}

void Daemon::OnLegInDenied(const risk::LegInDenied& event) {
  if (!LogEnabled(level_enum::debug)) return;
  Log(level_enum::debug, "legin_denied",
      {{"order", std::to_string(event.request.order.value())},
       {"reason", event.decision.Describe()}});
}

void Daemon::OnTradingStateChanged(const risk::TradingStateChange& event) {
  Log(event.to == risk::TradingState::kActive ? level_enum::info : level_enum::warn,
      "trading_state",
      {{"from", risk::ToString(event.from)},
       {"to", risk::ToString(event.to)},
       {"cause", event.cause.Describe()}});
  // The stack decides held orders again after this (RoutingStack::OnTradingStateChanged).
}

void Daemon::OnLegInLimit(const risk::LegInLimitEvent& event) {
  Log(level_enum::warn, "legin_limit",
      {{"limit", risk::ToString(event.change.limit)},
       {"transition",
        event.change.transition == risk::LimitTransition::kReached ? "reached" : "released"},
       {"exposure", event.change.exposure.ToString()},
       {"limit_value", event.change.limit_value.ToString()}});
}

void Daemon::OnErrorAccountBreach(const risk::ErrorAccountBreachEvent& event) {
  Log(level_enum::warn, "error_account_breach",
      {{"transition",
        event.change.transition == risk::BreachTransition::kRaised ? "raised" : "cleared"},
       {"breach", event.change.breach.Describe()}});
}

void Daemon::OnLegInEvent(const router::LegInEvent& event) {
  if (!LogEnabled(level_enum::debug)) return;
  Log(level_enum::debug, "legin",
      {{"order", std::to_string(event.order.value())},
       {"kind", router::ToString(event.kind)},
       {"text", event.text}});
}

void Daemon::OnJournalRefused(core::OrderId order, std::string_view kind, std::string_view why) {
  // Not debug: a refused event withheld a client report, which nothing else will tell.
  Log(level_enum::err, "journal_refused",
      {{"order", std::to_string(order.value())},
       {"kind", std::string(kind)},
       {"error", OneLine(core::AsAbsl(why))},
       {"action", "the report behind it was withheld"}});
}

void Daemon::OnTransition(const router::StateTransition& transition) {
  if (!LogEnabled(level_enum::debug)) return;
  Log(level_enum::debug, "order_state",
      {{"order", std::to_string(transition.order.value())},
       {"to", router::ToString(transition.to)},
       {"reason", transition.reason}});
}

}  // namespace combo::daemon

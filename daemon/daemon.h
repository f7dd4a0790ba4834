// Daemon: combo-routerd's parts, built from one DaemonConfig and owned together.
//
// Create builds, in dependency order: the Asio scheduler on the wall clock; the metrics
// registry; the routing stack (stack::RoutingStack: pricing, risk, the venues, the accounts
// journal, the leg-in engine behind its tracker, the router, and the domain reactions); the
// OrderGate; the FIX acceptor; the market simulator and the negotiation network's simulated
// participants (when enabled). Start opens the listeners (FIX, metrics, negotiation TCP), starts
// the simulator and the stack's error-account valuation, installs the signal handlers and
// reports where it listens. Run runs the core io_context until a drain completes. The daemon
// itself is the process shell: Asio, FIX, the exposer, signals, drain and logging.
//
// Everything but the listeners' own threads runs on the one thread that runs the io_context: FIX
// messages are posted to it by the gateway, signals arrive on it through asio::signal_set,
// timers are AsioScheduler timers. Operator actions (Reload, SetTradingState, Drain) must be
// called on that thread (signal handlers are). Not thread-safe otherwise.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "boost/asio/io_context.hpp"
#include "config/daemon_config.h"
#include "core/clock.h"
#include "daemon/asio_scheduler.h"
#include "daemon/daemon_metrics.h"
#include "daemon/listing_date.h"
#include "daemon/metrics_exposer.h"
#include "daemon/order_gate.h"
#include "daemon/signals.h"
#include "pricing/pricing_engine.h"
#include "prometheus/registry.h"
#include "risk/risk_manager.h"
#include "router/combo_router.h"
#include "router/leg_in_events.h"
#include "router/venue_leg_in_engine.h"
#include "stack/routing_stack.h"
#include "stack/stack_observer.h"
#include "venues/market_sim/market_simulator.h"
#include "venues/negotiation/simulated_participant.h"
#include "venues/negotiation/tcp_server.h"

namespace combo::fix {
class FixAcceptor;
}  // namespace combo::fix

namespace combo::daemon {

// Where the daemon listens, once started (0: that listener is off).
struct Listening {
  std::string fix_address;
  int fix_port = 0;
  std::string metrics_url;
  int metrics_port = 0;
  std::string negotiation_address;
  int negotiation_port = 0;

  // "fix=127.0.0.1:9878 metrics=http://127.0.0.1:9464/metrics negotiation=off".
  std::string Describe() const;
};

class Daemon final : public stack::StackObserver,
                     public router::LegInObserver,
                     public router::RouterObserver {
 public:
  // Builds every part; nothing listens yet. Fails naming the part that could not be built.
  static absl::StatusOr<std::unique_ptr<Daemon>> Create(config::DaemonConfig config,
                                                        boost::asio::io_context& io);
  ~Daemon() override;
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Opens the listeners, starts the market simulator and the signal handlers. Fails (nothing
  // left listening) when a port cannot be bound.
  absl::Status Start();
  // Runs the core until a drain finished; returns the exit code (0 after a clean drain).
  int Run();

  // --- Operator actions (core thread) ---------------------------------------------------------
  // SIGHUP: loads the config file again and applies its leg-in policy, risk limits, router waits
  // and new instruments and listings (an instrument master's new rows: they join the catalog,
  // the venues that list them open books, the simulation quotes them), all or nothing. A file
  // that does not load or validate, or that removes or changes a running instrument or listing,
  // is refused (logged) and nothing changes.
  absl::Status Reload();
  // SIGUSR1 / SIGUSR2 / SIGRTMIN: moves the trading state; the change is a risk event (logged).
  absl::Status SetTradingState(risk::TradingState state, std::string_view who,
                               std::string_view why);
  // SIGTERM: stop taking orders, cancel resting native orders and stop leg-ins (trading state
  // halted), wait for working legs (up to daemon.drain_timeout), flush the journal, stop.
  void Drain(std::string_view why);

  const Listening& listening() const { return listening_; }
  const config::DaemonConfig& config() const { return config_; }
  bool draining() const { return draining_; }
  risk::RiskManager& risk() { return stack_->risk(); }
  router::VenueLegInEngine& leg_in_engine() { return stack_->leg_in_engine(); }
  router::ComboRouter& router() { return stack_->router(); }
  OrderGate& gate() { return *gate_; }
  const pricing::PricingEngine& pricing() const { return stack_->pricing(); }
  // The routing stack, as stack::RoutingStack::Build made it from the config.
  const stack::RoutingStack& stack() const { return *stack_; }
  // Leg-ins the engine is working now (what a drain waits for).
  size_t working_leg_ins() const { return stack_->leg_ins().working(); }

  // --- Callbacks (core thread) ----------------------------------------------------------------
  void OnOrderDenied(const risk::OrderDenied& event) override;
  void OnLegInDenied(const risk::LegInDenied& event) override;
  void OnTradingStateChanged(const risk::TradingStateChange& event) override;
  void OnLegInLimit(const risk::LegInLimitEvent& event) override;
  void OnErrorAccountBreach(const risk::ErrorAccountBreachEvent& event) override;
  void OnLegInEvent(const router::LegInEvent& event) override;
  void OnTransition(const router::StateTransition& transition) override;
  void OnJournalRefused(core::OrderId order, std::string_view kind, std::string_view why) override;
  void OnVenueAvailability(core::VenueId venue, std::string_view name,
                           stack::VenueAvailability availability) override;
  void OnSeriesStatus(std::string_view venue_name,
                      const venues::SeriesStatusChanged& change) override;
  void OnValuationMetricsError(const absl::Status& status) override;
  void OnJournalUnwritable(const absl::Status& status) override;
  void OnResidualAction(const accounts::ResidualAction& action) override;
  void OnResolverJournalError(const absl::Status& status) override;

 private:
  Daemon(config::DaemonConfig config, boost::asio::io_context& io);

  absl::Status BuildStack();
  absl::Status BuildFix();
  absl::Status BuildSimulation();
  // Reload's instrument part: checks every listing can be made before any is.
  absl::Status CheckInstrumentAdditions(const config::InstrumentAdditions& additions) const;
  void ApplyInstrumentAdditions(const config::InstrumentAdditions& additions);
  void OnSignal(OperatorSignal signal, int signal_number);
  // Drain steps.
  void OnLegsIdle();
  void FinishDrain(std::string_view how);

  config::DaemonConfig config_;
  boost::asio::io_context& io_;
  core::WallClock wall_clock_;
  core::MonotonicClock monotonic_clock_;
  AsioScheduler scheduler_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<DaemonMetrics> metrics_;
  std::unique_ptr<stack::RoutingStack> stack_;
  std::vector<std::unique_ptr<venues::negotiation::SimulatedParticipant>> participants_;
  std::unique_ptr<venues::negotiation::TcpServer> negotiation_server_;
  const config::VenueConfig* negotiation_config_ = nullptr;
  std::unique_ptr<OrderGate> gate_;
  std::unique_ptr<fix::FixAcceptor> fix_;
  std::unique_ptr<venues::market_sim::MarketSimulator> simulator_;
  std::unique_ptr<MetricsExposer> exposer_;
  std::unique_ptr<SignalDispatcher> signals_;
  Listening listening_;

  bool started_ = false;
  bool draining_ = false;
  bool drained_ = false;
  core::TimerId drain_timer_;
  core::TimerId shutdown_timer_;
  int exit_code_ = 0;
};

}  // namespace combo::daemon

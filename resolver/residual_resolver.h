// ResidualResolver: works the error account's residue (seed 003 R16 "for hedging or closing
// out"; docs/RESOLVER.md). A residual is what the failed leg-ins of one client order left in the
// error account (named by that order), with what the resolver traded for it since.
//
// Every `interval` it evaluates each open residual it may work, in order id order:
//  - whole units it holds go to the client's order when the order still wants them
//    (CompletedUnitsTaker, the router), at the residual's own prices;
//  - otherwise the cost model (resolver/cost_model.h) chooses between completing the missing
//    legs now, unwinding the orphan legs now, and waiting for the missing legs (hedging the
//    residual's delta meanwhile when that is cheaper than the delta risk it carries);
//  - a residual still open at its horizon is held for a person (the last resort, alerting), and
//    one the operator handed off (config `resolver.hand_off`) is left alone.
// It owns its orders: immediate-or-cancel limit orders inside the action's band, sent to the
// venue sessions of the routable venues as its own participant. Each decision, each execution
// and each delivery is journaled (accounts::ResidualAction, ResolverFill, ResidualDelivered)
// before anything else depends on it; its state is the journal's (accounts::Ledger
// residuals), so a restarted resolver resumes where the journal stands (orders the crash cut
// short are simply gone with the venues' books).
//
// Not thread-safe: the core thread that drives the Scheduler.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "accounts/accounts_service.h"
#include "accounts/events.h"
#include "core/ids.h"
#include "core/instrument_catalog.h"
#include "core/scheduler.h"
#include "pricing/delta.h"
#include "pricing/leg_market.h"
#include "prometheus/registry.h"
#include "resolver/cost_model.h"
#include "resolver/resolver_config.h"
#include "resolver/resolver_metrics.h"
#include "risk/risk_manager.h"
#include "venues/venue.h"

namespace combo::resolver {

// The owner of client orders (the router) taking units the resolver completed.
class CompletedUnitsTaker {
 public:
  virtual ~CompletedUnitsTaker() = default;
  // How many units (client form) `order` takes now at these leg prices: zero when it is
  // finished, has a part working at a venue or in a leg-in, waits on a cancel or replace, or
  // the net price is outside its limit.
  virtual core::Quantity UnitsWanted(core::OrderId order,
                                     const std::vector<accounts::LegPrice>& leg_prices) const = 0;
  // Journals the delivery (accounts::ResidualDelivered) and the combo fill, then reports it.
  virtual absl::Status Deliver(core::OrderId order, core::Quantity units,
                               std::vector<accounts::LegPrice> leg_prices) = 0;
};

// Told of every action journaled (the daemon logs them; a hold is a warning).
class ResolverObserver {
 public:
  virtual ~ResolverObserver() = default;
  virtual void OnResidualAction(const accounts::ResidualAction& action) = 0;
  // The journal refused or failed an event of the resolver.
  virtual void OnResolverJournalError(const absl::Status& status) = 0;
};

struct ResolverDependencies {
  const core::InstrumentCatalog* instruments = nullptr;
  const pricing::LegMarket* market = nullptr;
  const pricing::DeltaModel* delta = nullptr;
  accounts::AccountsService* accounts = nullptr;
  core::Scheduler* scheduler = nullptr;
  // The venues it may trade on (the routable ones), connected to as `participant`.
  std::vector<venues::Venue*> venues;
  core::ParticipantId participant;
  uint64_t first_order_id = 1;
  // Null: completed units stay in the error account.
  CompletedUnitsTaker* taker = nullptr;
  // Nothing is sent while trading is halted. Null: always allowed.
  const risk::RiskManager* risk = nullptr;
  prometheus::Registry* registry = nullptr;
  ResolverObserver* observer = nullptr;
};

class ResidualResolver final : public venues::VenueListener {
 public:
  static absl::StatusOr<std::unique_ptr<ResidualResolver>> Create(ResolverConfig config,
                                                                  ResolverDependencies deps);
  ~ResidualResolver() override;
  ResidualResolver(const ResidualResolver&) = delete;
  ResidualResolver& operator=(const ResidualResolver&) = delete;

  // Evaluates every `interval` from now on (when enabled).
  void Start();
  void Stop();
  // SIGHUP: takes a new config (bands, horizon, switches, hand-offs) from the next evaluation.
  // Fails, changing nothing, for an invalid one.
  absl::Status Reconfigure(const ResolverConfig& config);
  const ResolverConfig& config() const { return config_; }

  // One evaluation now.
  void RunOnce();

  // Residuals with an action's orders out, by origin order.
  size_t working() const { return in_flight_.size(); }
  const ResolverMetrics* metrics() const { return metrics_ ? &*metrics_ : nullptr; }

  // venues::VenueListener (its own orders).
  void OnAck(const venues::OrderAcked& event) override;
  void OnReject(const venues::OrderRejected& event) override;
  void OnFill(const venues::Fill& event) override;
  void OnComplexFill(const venues::ComplexFill& event) override;
  void OnCancelled(const venues::OrderCancelled& event) override;
  void OnRestated(const venues::OrderRestated& event) override;

 private:
  struct WorkingOrder {
    core::OrderId residual;
    accounts::ResolverPurpose purpose = accounts::ResolverPurpose::kUnwind;
    core::VenueId venue;
    core::InstrumentId instrument;
    core::Side side = core::Side::kBuy;
    core::Quantity quantity;
    core::Quantity filled;
    // Filled or cancelled so far: an immediate order whose match latency protection holds is
    // cancelled in parts (its unheld rest first), so it is done only when this reaches quantity.
    core::Quantity done;
  };
  // An action whose orders are out.
  struct InFlight {
    accounts::ResidualActionKind action = accounts::ResidualActionKind::kUnwind;
    std::set<core::OrderId> orders;
    core::Quantity wanted;
    core::Quantity filled;
  };

  ResidualResolver(ResolverConfig config, ResolverDependencies deps);
  void ScheduleNext();
  void Evaluate(core::OrderId order, const accounts::ResidualRecord& residual,
                const accounts::OrderRecord& record);
  // Whole units the residual holds for its order (client form), and their leg prices.
  core::Quantity WholeUnits(const accounts::ResidualRecord& residual,
                            const accounts::OrderRecord& record,
                            std::vector<accounts::LegPrice>* prices) const;
  ResidualView View(const accounts::ResidualRecord& residual,
                    const accounts::OrderRecord& record) const;
  // Sends the plans' slices (one IOC per venue and plan); false when nothing could be sent.
  bool Send(core::OrderId residual, accounts::ResidualActionKind action,
            accounts::ResolverPurpose purpose, const std::vector<std::optional<TradePlan>>& plans);
  void Finished(core::OrderId order_id);
  void Journal(core::OrderId residual, accounts::ResidualActionKind action, std::string outcome,
               std::string detail);
  void RecordEvent(accounts::JournalEvent event);
  void ObserveMetrics();
  std::optional<core::Price> Mid(core::InstrumentId instrument) const;

  ResolverConfig config_;
  ResolverDependencies deps_;
  std::optional<ResolverMetrics> metrics_;
  core::TimerId timer_;
  bool started_ = false;
  uint64_t next_order_id_;
  // Distinguishes this run's execution ids from an earlier run's (venues number theirs afresh).
  uint64_t epoch_ = 0;
  std::map<core::OrderId, WorkingOrder> orders_;
  std::map<core::OrderId, InFlight> in_flight_;
};

}  // namespace combo::resolver

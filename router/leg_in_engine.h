// LegInEngine: the seam between the router and the engine that works a combo by sending leg
// orders (seed 003 R12-R16). The router hands it a number of canonical combo units at a
// limit; the engine reports back, in order, whole units filled (with every leg execution behind
// them), a failure (leftover leg executions go to the error account, the rest of the units come
// back to the router), and the end of its work (how many units it did not do).
//
// Contract the router relies on: after Start, exactly one of OnLegInFailed / OnLegInFinished ends
// the work; OnLegInUnits never reports more units than were started; the legs of one
// LegInUnits reproduce its net price exactly (sum over legs of sign x weight x price). Cancel asks
// the engine to stop; it answers once its working legs are done: OnLegInFinished, or
// OnLegInFailed (cause kCancelled) when leg executions are left over for the error account.
// StopAfterSlice asks it to start nothing new but let the slice in flight finish under the
// normal rules, so its legs still make whole units (a client replace waits for that).
// Listener calls never happen inside Start or Cancel (they come from venue events or timers).
// Not thread-safe: called on the router's core thread; listeners are called on it too.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "core/ids.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/side.h"
#include "core/time.h"
#include "router/leg_in_policy.h"

namespace combo::router {

// What the router asks the engine to do, in canonical terms.
struct LegInOrder {
  core::OrderId order;
  core::ComboId combo;
  core::Side side = core::Side::kBuy;
  // Canonical combo units.
  core::Quantity units;
  // Net price per unit the engine must not exceed (buy) / go below (sell).
  core::Price limit;
  // The start threshold the router applied (R24-R26): labels the engine's metrics and events.
  LegInMode mode = LegInMode::kAggressive;
};

// Why a leg-in ended. Only kLegFailed counts towards the order's failures (R25, R28): it is
// the one where legs were sent and could not be completed; the others put nothing at risk.
enum class LegInEnd : uint8_t {
  kCompleted,        // every unit asked for was done
  kLegFailed,        // a leg could not be completed (after re-routes and resubmits)
  kCancelled,        // the router asked the engine to stop
  kPreflightFailed,  // R12: a leg order would break a venue's rules; no leg was sent
  kRiskDenied,       // risk refused the legging exposure; no leg was sent
  kMarketMoved,      // the legs' displayed prices no longer meet the limit; no leg was sent
};

std::string_view ToString(LegInEnd end);

// One leg execution at a venue.
struct LegInExecution {
  core::InstrumentId instrument;
  core::Side side = core::Side::kBuy;
  core::VenueId venue;
  core::Price price;
  core::Quantity quantity;
};

// Whole combo units completed by leg executions.
struct LegInUnits {
  core::OrderId order;
  core::Quantity units;
  core::Price net_price;
  std::vector<LegInExecution> legs;
  core::Timestamp time;
};

// The leg-in could not complete: executions that make no whole unit go to the error account.
struct LegInFailure {
  core::OrderId order;
  // Units the engine did not do; they come back to the router (R16: resubmitted).
  core::Quantity units_left;
  std::vector<LegInExecution> error_account_legs;
  std::string reason;
  core::Timestamp time;
  LegInEnd cause = LegInEnd::kLegFailed;
};

// The engine stopped working the order (done, or cancelled at the router's request).
struct LegInDone {
  core::OrderId order;
  core::Quantity units_left;
  std::string reason;
  core::Timestamp time;
  LegInEnd cause = LegInEnd::kCompleted;
};

class LegInListener {
 public:
  virtual ~LegInListener() = default;
  virtual void OnLegInUnits(const LegInUnits& event) = 0;
  virtual void OnLegInFailed(const LegInFailure& event) = 0;
  virtual void OnLegInFinished(const LegInDone& event) = 0;
};

class LegInEngine {
 public:
  virtual ~LegInEngine() = default;
  // Starts working `order`, reporting to `listener` (not owned). Fails when the engine cannot
  // take it (already working that order, bad quantity); then nothing was started.
  virtual absl::Status Start(const LegInOrder& order, LegInListener* listener) = 0;
  // Asks the engine to stop working `order`: the working leg order is pulled, and leg executions
  // that make no whole unit go to the error account. Fails for an order it is not working.
  virtual absl::Status Cancel(core::OrderId order) = 0;
  // Asks the engine to start no further slice of `order`: the slice in flight goes on (its legs
  // fill, are re-routed or resubmitted as usual) and the work ends when it is done, with
  // OnLegInFinished (cause kCancelled, or kCompleted when it was the last slice) or, if the
  // slice itself fails, OnLegInFailed. A later Cancel still pulls the working legs. Fails for
  // an order the engine is not working.
  virtual absl::Status StopAfterSlice(core::OrderId order) = 0;
  // The policy in force: the router applies its start thresholds and failure limits (R24-R28).
  virtual const LegInPolicy& policy() const = 0;
};

}  // namespace combo::router

// OrderChecks: the rules a client's request must meet before the router takes it (order type,
// time in force, quantity, limit price and its tick, ClOrdIDs, what a replace may change), as
// pure functions. ComboRouter is the one place that applies them; a stand-in for the router in
// tests (fix/testing/fake_order_entry.h) applies the same functions rather than copies.
//
// The rules that need the router's state (a ClOrdID already in use, an unknown or finished
// order, the quantity already filled) stay in ComboRouter. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "core/price.h"
#include "router/order_entry.h"

namespace combo::router {

// Why a request is refused: the reason and a text naming the problem.
struct Refusal {
  RejectReason reason = RejectReason::kUnsupportedOrder;
  std::string text;
};

// Whether an order of this time in force is immediate: IOC and FOK make one attempt at once and
// never rest (docs/ROUTER.md "Immediate orders").
bool IsImmediate(ComboTimeInForce time_in_force);

// Order type, time in force, quantity and the presence of a limit price. A limit order carries a
// limit price and may be day, GTC, IOC or FOK; a market order carries none and must be IOC or
// FOK (it never rests: the router gives it a limit by its collar at arrival).
std::optional<Refusal> CheckNewOrder(const NewComboOrder& order);

// A limit price must sit on the combo's tick (pricing::ComboTerms::tick, or the router's
// configured override).
std::optional<Refusal> CheckOnTick(core::Price limit_price, core::Price tick);

// A cancel names the order by its current ClOrdID and carries a new one of its own.
std::optional<Refusal> CheckCancel(const CancelComboOrder& cancel);

// A replace carries a new ClOrdID, asks for a limit order with a positive quantity, and restates
// the order's side, legs and time in force unchanged if it restates them (`order` is the order's
// terms as the client sent them). A market order and an immediate (IOC, FOK) one are never
// replaced.
std::optional<Refusal> CheckReplace(const ReplaceComboOrder& replace, const NewComboOrder& order);

}  // namespace combo::router

// OrderCheckRequest: what the router tells risk about a combo order (or a replace) before it
// accepts it, in core types only (risk sits below the router and cannot see its order types).
//
// The router fills it from the client's order and from pricing: the notional and the best combo
// price are inputs here, risk does not price. Side, limit price, best price and tick are in the
// same terms (the client's combo or the canonical one; the collar only compares them).
// The legs and venues are views: the request does not own them and must not outlive them.
// Value type; not thread-safe to share while the viewed data changes.
#pragma once

#include <optional>
#include <span>

#include "core/combo_spec.h"
#include "core/ids.h"
#include "core/money.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/side.h"

namespace combo::risk {

struct OrderCheckRequest {
  core::ClientId client;
  // The new order's ClOrdID, or the replace request's own ClOrdID.
  core::ClientOrderId client_order_id;
  core::AccountId account;
  // For a replace: the router's id of the order being replaced (its open notional is released
  // for the credit check). Absent for a new order.
  std::optional<core::OrderId> replaces;
  std::span<const core::ComboLeg> legs;
  core::Side side = core::Side::kBuy;
  // Combo units: the whole order, or a replace's new total.
  core::Quantity quantity;
  // Absent for a market order (no collar then).
  std::optional<core::Price> limit_price;
  // The combo's price increment, for a collar in ticks; positive.
  core::Price combo_tick = core::Price::FromParts(0, 10'000'000);
  // gcd over legs of ratio x leg multiplier (pricing/); at least 1. Informational for risk.
  int64_t combo_multiplier = 1;
  // The best combo price on the side the order would trade against (the best ask for a buy,
  // the best bid for a sell), when there is one.
  std::optional<core::Price> best_opposite_price;
  // The notional the order would have open: its open units x price x combo multiplier, at the
  // limit price (or the best price for a market order), as a non-negative magnitude.
  core::Money notional;
  // The venues the order may use (native venues and the legs' venues); at least one.
  std::span<const core::VenueId> venues;
};

}  // namespace combo::risk

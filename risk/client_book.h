// ClientBook: what risk remembers about clients' orders: the ClOrdIDs each client used today
// (duplicate check) and the open notional of each working order (credit check).
//
// The router tells it when an order is accepted, replaced, filled and finished. Lookups
// (IsDuplicate, OpenNotional, OrderOpenNotional) do not allocate; recording does.
// Bounded memory: per client at most `max_remembered_ids` ClOrdIDs are remembered; past it the
// oldest is forgotten (first in, first out). StartTradingDay() forgets all ClOrdIDs (working
// orders and their notional stay). Not thread-safe: used on the router's core thread.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "core/ids.h"
#include "core/money.h"
#include "core/quantity.h"

namespace combo::risk {

class ClientBook {
 public:
  explicit ClientBook(int64_t max_remembered_ids) : max_remembered_ids_(max_remembered_ids) {}

  bool IsDuplicate(const core::ClientId& client, const core::ClientOrderId& id) const;
  // The sum of the client's working orders' open notional; zero for an unknown client.
  core::Money OpenNotional(const core::ClientId& client) const;
  // The order's client and open notional, when the order is working.
  const core::ClientId* OrderClient(core::OrderId order) const;
  std::optional<core::Money> OrderOpenNotional(core::OrderId order) const;

  // An order started working: `units` combo units with `notional` open. Remembers its ClOrdID.
  // Fails (changing nothing) for an order id already working, an empty client or ClOrdID,
  // non-positive units or a negative notional.
  absl::Status Accept(core::OrderId order, const core::ClientId& client,
                      const core::ClientOrderId& client_order_id, core::Quantity units,
                      core::Money notional);
  // A replace took effect: the order now has `open_units` open with `open_notional`, and the
  // replace's ClOrdID is remembered.
  absl::Status Replace(core::OrderId order, const core::ClientOrderId& client_order_id,
                       core::Quantity open_units, core::Money open_notional);
  // `units` of the order filled: its open notional shrinks in proportion (rounded up, so the
  // credit in use is never under-counted). Fails for more units than are open.
  absl::Status Fill(core::OrderId order, core::Quantity units);
  // The order is done (filled, cancelled, rejected by a venue, expired): its notional is freed.
  absl::Status Finish(core::OrderId order);

  void StartTradingDay();
  // A new cap on remembered ClOrdIDs per client (limits reload); clients over it forget their
  // oldest ids as new ones arrive.
  void SetMaxRememberedIds(int64_t max_remembered_ids) { max_remembered_ids_ = max_remembered_ids; }

  size_t remembered_ids(const core::ClientId& client) const;
  size_t working_orders() const { return orders_.size(); }

 private:
  struct ClientState {
    absl::flat_hash_set<std::string> ids;
    // The same ids in the order they arrived, to forget the oldest first.
    std::deque<std::string> arrival;
    core::Money open_notional;
  };
  struct OrderState {
    core::ClientId client;
    core::Quantity base_units;
    core::Money base_notional;
    core::Quantity open_units;
    core::Money open_notional;
  };

  void Remember(ClientState& state, const core::ClientOrderId& id);
  static absl::Status CheckAmounts(core::Quantity units, core::Money notional);

  int64_t max_remembered_ids_;
  // Lookups only, never iterated into an event.
  absl::flat_hash_map<std::string, ClientState> clients_;
  absl::flat_hash_map<core::OrderId, OrderState> orders_;
};

}  // namespace combo::risk

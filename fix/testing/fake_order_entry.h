// FakeOrderEntry (test double of router::OrderEntry): an in-memory stand-in for the router that
// tests and the load generator drive. It acknowledges every new order the router's request
// rules (router/order_checks.h; not the combo's tick) take, rejects a ClOrdID the client used
// before, cancels and replaces on request (refusing what the router's rules refuse, unknown or
// finished orders and a replace below the filled quantity), answers status requests, defines
// combos (canonical form, id from a ComboCatalog, gcd combo multiplier) and fills or publishes
// quotes when the test says. Its reports carry the order's legs and per-leg totals, as the
// router's do. It never routes anything: the real router replaces it.
//
// Not thread-safe: call it on the core thread, like the router.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/numeric/int128.h"
#include "core/clock.h"
#include "core/combo_catalog.h"
#include "core/instrument_catalog.h"
#include "router/order_entry.h"

namespace combo::fix::testing {

class FakeOrderEntry final : public router::OrderEntry {
 public:
  enum class Fills : uint8_t {
    kOnCommand,
    // Every accepted order fills completely at its limit price right after the ack (the load
    // generator's fill latency). Leg prices: the first leg carries the whole price.
    kImmediately,
  };

  FakeOrderEntry(const core::InstrumentCatalog& instruments, const core::Clock& clock,
                 Fills fills = Fills::kOnCommand);

  void SetListener(router::OrderEntryListener* listener) override { listener_ = listener; }
  // Called first thing in Submit (the load generator's stage timings).
  void SetOnSubmit(std::function<void()> on_submit) { on_submit_ = std::move(on_submit); }
  absl::Status Submit(const router::NewComboOrder& order) override;
  absl::Status Cancel(const router::CancelComboOrder& cancel) override;
  absl::Status Replace(const router::ReplaceComboOrder& replace) override;
  absl::Status RequestStatus(const router::ComboOrderStatusRequest& request) override;
  absl::StatusOr<router::ComboDefinition> DefineCombo(const core::ComboSpec& combo) override;
  const core::ComboSpec* FindDefinedCombo(core::ComboId combo) const override;
  absl::StatusOr<router::ComboQuote> SubscribeQuotes(core::ComboId combo,
                                                     router::ComboQuoteListener* listener) override;
  absl::Status UnsubscribeQuotes(core::ComboId combo,
                                 router::ComboQuoteListener* listener) override;

  // Fills `units` of an open order at `price`, with one leg fill per leg of the client's combo
  // at `leg_prices` (same order as the legs) on `venue`. Fails for an unknown or finished order
  // or more units than are left.
  absl::Status Fill(core::OrderId order, core::Quantity units, core::Price price,
                    const std::vector<core::Price>& leg_prices, core::VenueId venue);
  // Sets the best quote of a defined combo and tells its subscribers.
  absl::Status PublishQuote(const router::ComboQuote& quote);

  // What the fake received, for tests to check that a bad message reached nothing.
  const std::vector<router::NewComboOrder>& submitted() const { return submitted_; }
  int cancels() const { return cancels_; }
  int replaces() const { return replaces_; }
  int status_requests() const { return status_requests_; }
  // The order a client's ClOrdID (current or original) names.
  std::optional<core::OrderId> FindOrder(const core::ClientId& client,
                                         const core::ClientOrderId& id) const;
  size_t subscribers() const;
  // The catalog its definitions intern into.
  const core::ComboCatalog& combos() const { return combos_; }

 private:
  struct Order {
    router::NewComboOrder request;
    router::OrderSnapshot snapshot;
    // Sum of unit price x units (raw), for the exact average.
    absl::int128 notional = 0;
  };
  bool Finished(const Order& order) const;

  const core::InstrumentCatalog& instruments_;
  const core::Clock& clock_;
  Fills fills_;
  router::OrderEntryListener* listener_ = nullptr;
  std::function<void()> on_submit_;
  core::ComboCatalog combos_;
  std::map<core::ComboId, router::ComboQuote> quotes_;
  std::map<core::ComboId, std::set<router::ComboQuoteListener*>> subscribers_;
  std::map<core::OrderId, Order> orders_;
  std::map<std::pair<std::string, std::string>, core::OrderId> by_client_id_;
  std::set<std::pair<std::string, std::string>> used_ids_;
  uint64_t next_order_id_ = 1;
  uint64_t next_execution_id_ = 1;
  std::vector<router::NewComboOrder> submitted_;
  int cancels_ = 0;
  int replaces_ = 0;
  int status_requests_ = 0;
};

}  // namespace combo::fix::testing

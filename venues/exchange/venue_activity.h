// VenueActivity: what a simulated venue's executions and resting orders amount to, counted for
// operators and tests (docs/VENUES.md "Prints", docs/METRICS.md):
//   - prints by what they print (a leg or a combo) and kind (leg vs leg, complex vs complex,
//     complex vs leg; seed 001 R18, R21, R50);
//   - orders that came to rest, by book (leg, complex) and participant role;
//   - customer-priority allocations (seed 001 R30): a price level of a seed-001 allocation venue
//     where, in one matching walk, resting public customers were filled and then professional
//     interest at the same price too, so the customers went first whatever their time;
//   - complex-vs-complex trades made while a public customer rested at an edge of the synthetic
//     range (a leg's best bid or offer), where the customer-at-the-edge rules price the trade
//     (R12-R16, E-C10).
// The counts are always kept (SimulatedVenue::activity()); with a registry they are also exported
// as Prometheus counters, looked up once.
//
// Not thread-safe: owned by one venue, on its Scheduler's thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "core/ids.h"
#include "core/market_data.h"
#include "core/price.h"
#include "core/side.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "venues/exchange/order_registry.h"
#include "venues/venue.h"

namespace combo::venues {

// What a print prints: one leg (core::TradePrint) or a whole combo (core::ComboTradePrint).
enum class PrintSubject : uint8_t { kLeg, kCombo };

class VenueActivity {
 public:
  static constexpr size_t kKinds = 3;
  static constexpr size_t kRoles = 4;
  static constexpr size_t kBooks = 2;

  // Exports the counts to `registry` (not owned; must outlive the activity) under the venue's
  // name; `seed001` says whether the venue allocates by seed 001 (the priority series exists
  // only then).
  absl::Status Export(prometheus::Registry& registry, const std::string& venue, bool seed001);

  void CountPrint(PrintSubject subject, core::PrintKind kind);
  void CountResting(BookKind book, ParticipantRole role);
  // A leg trade's resting side, in the order the book allocated it; `seed001` books only.
  void CountAllocation(core::InstrumentId instrument, uint64_t incoming_tag, core::Price price,
                       ParticipantRole resting_role);
  void CountComplexTradeAtCustomerEdge();
  // A matching step ended: the next trade starts a new walk.
  void EndStep() { walk_.reset(); }

  int64_t prints(PrintSubject subject, core::PrintKind kind) const {
    return prints_[Index(subject)][Index(kind)].count;
  }
  int64_t resting_orders(BookKind book, ParticipantRole role) const {
    return resting_[Index(book)][Index(role)].count;
  }
  int64_t customer_priority_allocations() const { return customer_priority_.count; }
  int64_t complex_trades_at_customer_edge() const { return customer_edge_.count; }

 private:
  struct Count {
    int64_t count = 0;
    prometheus::Counter* exported = nullptr;
    void Add() {
      ++count;
      if (exported != nullptr) exported->Increment();
    }
  };
  // The price level one incoming order is walking.
  struct Walk {
    core::InstrumentId instrument;
    uint64_t incoming_tag = 0;
    core::Price price;
    bool customer_filled = false;
    bool counted = false;
  };
  template <typename Enum>
  static size_t Index(Enum value) {
    return static_cast<size_t>(value);
  }

  std::array<std::array<Count, kKinds>, 2> prints_{};
  std::array<std::array<Count, kRoles>, kBooks> resting_{};
  Count customer_priority_;
  Count customer_edge_;
  std::optional<Walk> walk_;
};

}  // namespace combo::venues

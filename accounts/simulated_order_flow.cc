#include "accounts/simulated_order_flow.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace combo::accounts {
namespace {

using core::AssetClass;
using core::Side;

LegTerms Leg(uint32_t id, const char* symbol, AssetClass asset_class, int64_t multiplier,
             int64_t ratio, Side side) {
  return LegTerms{core::InstrumentId(id), symbol, asset_class, multiplier, ratio, side};
}

// The combos clients trade: each is a valid set of legs over a fixed instrument universe.
std::vector<std::vector<LegTerms>> Templates() {
  const auto kCall450 = [](int64_t ratio, Side side) {
    return Leg(11, "SPY 20261218 C 450", AssetClass::kOption, 100, ratio, side);
  };
  const auto kCall460 = [](int64_t ratio, Side side) {
    return Leg(12, "SPY 20261218 C 460", AssetClass::kOption, 100, ratio, side);
  };
  const auto kCall470 = [](int64_t ratio, Side side) {
    return Leg(13, "SPY 20261218 C 470", AssetClass::kOption, 100, ratio, side);
  };
  return {
      // Vertical call spread.
      {kCall450(1, Side::kBuy), kCall460(1, Side::kSell)},
      // Covered call: 100 shares of the ETF against one call.
      {Leg(1, "SPY", AssetClass::kEtf, 1, 100, Side::kBuy), kCall460(1, Side::kSell)},
      // Futures calendar.
      {Leg(21, "ESZ6", AssetClass::kFuture, 50, 1, Side::kBuy),
       Leg(22, "ESH7", AssetClass::kFuture, 50, 1, Side::kSell)},
      // Butterfly 1:2:1.
      {kCall450(1, Side::kBuy), kCall460(2, Side::kSell), kCall470(1, Side::kBuy)},
      // Stock against a future.
      {Leg(2, "AAPL", AssetClass::kStock, 1, 50, Side::kBuy),
       Leg(21, "ESZ6", AssetClass::kFuture, 50, 1, Side::kSell)},
  };
}

constexpr const char* kClients[] = {"ACME", "BETA", "GAMMA"};
constexpr const char* kFailureReasons[] = {"leg timeout", "other leg rejected", "price moved away",
                                           "client cancel while legging"};

core::Quantity Get(const std::map<core::InstrumentId, core::Quantity>& m, core::InstrumentId id) {
  auto it = m.find(id);
  return it == m.end() ? core::Quantity(0) : it->second;
}

bool Active(const OrderRecord& order) {
  return order.state == OrderState::kAccepted || order.state == OrderState::kPartiallyFilled;
}

}  // namespace

SimulatedOrderFlow::SimulatedOrderFlow(uint64_t seed, CommissionSchedule commission)
    : rng_(seed),
      commission_(std::move(commission)),
      now_(core::Timestamp::FromUtc(2026, 11, 20, 14, 30, 0)) {}

core::Price SimulatedOrderFlow::RandomPrice(int64_t low_cents, int64_t high_cents) {
  return core::Price::FromParts(0, 10'000'000) * rng_.UniformInt(low_cents, high_cents);
}

template <typename Pred>
const OrderRecord* SimulatedOrderFlow::PickOrder(Pred accept) {
  std::vector<const OrderRecord*> candidates;
  for (core::OrderId id : live_) {
    const OrderRecord& order = *model_.FindOrder(id);
    if (accept(order)) candidates.push_back(&order);
  }
  if (candidates.empty()) return nullptr;
  return candidates[static_cast<size_t>(
      rng_.UniformInt(0, static_cast<int64_t>(candidates.size()) - 1))];
}

JournalEvent SimulatedOrderFlow::Next() {
  now_ += core::Duration::Microseconds(rng_.UniformInt(50, 5'000));
  while (true) {
    std::optional<JournalEvent> event = Propose();
    if (!event.has_value()) continue;
    if (!model_.Apply(model_.last_sequence() + 1, *event).ok()) continue;
    if (std::optional<core::OrderId> id = OrderOf(*event); id.has_value()) {
      if (const OrderRecord* order = model_.FindOrder(*id); order != nullptr) {
        bool live = Active(*order);
        for (const auto& [instrument, quantity] : order->unallocated) {
          live = live || quantity.is_positive();
        }
        if (live) {
          live_.insert(*id);
        } else {
          live_.erase(*id);
        }
      }
    }
    return *std::move(event);
  }
}

std::optional<JournalEvent> SimulatedOrderFlow::Propose() {
  int active = 0;
  for (core::OrderId id : live_) active += Active(*model_.FindOrder(id)) ? 1 : 0;
  if (active < 3) return NewOrder();
  const int64_t roll = rng_.UniformInt(0, 99);
  if (roll < 10) return NewOrder();
  if (roll < 50) return FillLeg();
  if (roll < 70) return FillCombo();
  if (roll < 78) return BookToErrorAccount();
  if (roll < 83) return Unwind();
  if (roll < 90) return Cancel();
  if (roll < 96) return Replace();
  return Marks();
}

std::optional<JournalEvent> SimulatedOrderFlow::NewOrder() {
  static const std::vector<std::vector<LegTerms>> kTemplates = Templates();
  OrderAccepted e;
  e.order = core::OrderId(next_order_++);
  e.account = core::AccountId(kClients[rng_.UniformInt(0, std::size(kClients) - 1)]);
  e.client_order = core::ClientOrderId(absl::StrCat("C", e.order.value()));
  e.side = rng_.Bernoulli(0.5) ? Side::kBuy : Side::kSell;
  e.quantity = core::Quantity(rng_.UniformInt(1, 10));
  e.limit = RandomPrice(-500, 500);
  e.legs = kTemplates[static_cast<size_t>(rng_.UniformInt(0, kTemplates.size() - 1))];
  e.time = now_;
  return e;
}

std::optional<JournalEvent> SimulatedOrderFlow::FillLeg() {
  const OrderRecord* order = PickOrder([](const OrderRecord& o) { return Active(o); });
  if (order == nullptr) return std::nullopt;
  const auto& legs = order->accepted.legs;
  const LegTerms& leg = legs[static_cast<size_t>(rng_.UniformInt(0, legs.size() - 1))];
  const int64_t wanted = (order->quantity - order->filled).value() * leg.ratio -
                         Get(order->unallocated, leg.instrument).value();
  LegFill e;
  e.order = order->accepted.order;
  e.venue = core::VenueId(static_cast<uint32_t>(rng_.UniformInt(1, 3)));
  e.execution_id = absl::StrCat("X", next_execution_++);
  e.instrument = leg.instrument;
  e.side = LegExecutionSide(order->accepted.side, leg);
  e.quantity =
      core::Quantity(std::max<int64_t>(1, rng_.UniformInt(1, std::max<int64_t>(1, wanted))));
  e.price = RandomPrice(1, 50'000);
  e.time = now_;
  return e;
}

std::optional<JournalEvent> SimulatedOrderFlow::FillCombo() {
  auto whole_units = [](const OrderRecord& o) {
    int64_t units = (o.quantity - o.filled).value();
    for (const LegTerms& leg : o.accepted.legs) {
      units = std::min(units, Get(o.unallocated, leg.instrument).value() / leg.ratio);
    }
    return units;
  };
  const OrderRecord* order = PickOrder([&](const OrderRecord& o) { return whole_units(o) > 0; });
  if (order == nullptr) return std::nullopt;
  ComboFillReported e;
  e.order = order->accepted.order;
  e.units = core::Quantity(rng_.UniformInt(1, whole_units(*order)));
  e.price = order->limit;
  for (const LegTerms& leg : order->accepted.legs) {
    e.leg_prices.push_back(LegPrice{leg.instrument, RandomPrice(1, 50'000)});
  }
  e.commission = commission_.ChargeFor(order->accepted.legs, e.units);
  e.time = now_;
  return e;
}

std::optional<JournalEvent> SimulatedOrderFlow::BookToErrorAccount() {
  const OrderRecord* order = PickOrder([](const OrderRecord& o) {
    for (const auto& [id, q] : o.unallocated) {
      if (q.is_positive()) return true;
    }
    return false;
  });
  if (order == nullptr) return std::nullopt;
  for (const LegTerms& leg : order->accepted.legs) {
    const core::Quantity open = Get(order->unallocated, leg.instrument);
    if (!open.is_positive()) continue;
    ErrorAccountBooking e;
    e.kind = ErrorBookingKind::kLegInFailure;
    e.order = order->accepted.order;
    e.instrument = leg.instrument;
    e.side = LegExecutionSide(order->accepted.side, leg);
    e.quantity = core::Quantity(rng_.UniformInt(1, open.value()));
    e.price = RandomPrice(1, 50'000);
    e.reason = kFailureReasons[rng_.UniformInt(0, std::size(kFailureReasons) - 1)];
    e.time = now_;
    return e;
  }
  return std::nullopt;
}

std::optional<JournalEvent> SimulatedOrderFlow::Unwind() {
  std::vector<std::pair<core::InstrumentId, core::SignedQuantity>> open;
  for (const auto& [id, position] : model_.error_account().positions) {
    if (!position.is_flat()) open.emplace_back(id, position.quantity());
  }
  if (open.empty()) return std::nullopt;
  const auto& [instrument, held] = open[static_cast<size_t>(rng_.UniformInt(0, open.size() - 1))];
  ErrorAccountBooking e;
  e.kind = ErrorBookingKind::kUnwindFill;
  e.order = core::OrderId(1'000'000 + next_execution_++);
  e.instrument = instrument;
  e.side = held.is_long() ? Side::kSell : Side::kBuy;
  e.quantity = core::Quantity(rng_.UniformInt(1, held.Magnitude().value()));
  e.price = RandomPrice(1, 50'000);
  e.reason = "unwind";
  e.time = now_;
  return e;
}

std::optional<JournalEvent> SimulatedOrderFlow::Cancel() {
  const OrderRecord* order = PickOrder([](const OrderRecord& o) { return Active(o); });
  if (order == nullptr) return std::nullopt;
  return OrderCancelled{order->accepted.order, "client request", now_};
}

std::optional<JournalEvent> SimulatedOrderFlow::Replace() {
  const OrderRecord* order = PickOrder([](const OrderRecord& o) { return Active(o); });
  if (order == nullptr) return std::nullopt;
  OrderReplaced e;
  e.order = order->accepted.order;
  e.client_order = core::ClientOrderId(absl::StrCat(order->client_order.value(), "R"));
  e.quantity = core::Quantity(
      rng_.UniformInt(std::max<int64_t>(1, order->filled.value()), order->filled.value() + 10));
  e.limit = RandomPrice(-500, 500);
  e.time = now_;
  return e;
}

std::optional<JournalEvent> SimulatedOrderFlow::Marks() {
  MarksRecorded e;
  for (const auto& [id, position] : model_.error_account().positions) {
    if (!position.is_flat()) e.marks.push_back(InstrumentMark{id, RandomPrice(1, 50'000)});
  }
  if (e.marks.empty()) return std::nullopt;
  e.time = now_;
  return e;
}

}  // namespace combo::accounts

#include "pricing/implied_price.h"

#include <limits>
#include <optional>

#include "absl/strings/str_cat.h"

namespace combo::pricing {
namespace {

using core::Price;
using core::Quantity;
using core::Side;

}  // namespace

core::TopOfBook ImpliedQuote(const ComboTerms& terms, const LegMarket& market) {
  static const core::TopOfBook kEmpty;
  implied_detail::SideSum ask;
  implied_detail::SideSum bid;
  for (const LegTerms& leg : terms.legs()) {
    std::optional<LegIndex> index = market.Find(leg.instrument);
    const core::TopOfBook& top = index.has_value() ? market.Consolidated(*index) : kEmpty;
    implied_detail::AddLeg(leg.side == Side::kBuy, leg.ratio, leg.weight, top, bid, ask);
  }
  return core::TopOfBook{bid.Result(), ask.Result()};
}

ImpliedLeg ToImpliedLeg(const LegTerms& terms, LegIndex leg) {
  return ImpliedLeg{leg, terms.side == Side::kBuy, terms.ratio, terms.weight};
}

absl::StatusOr<ImpliedFill> ImpliedForQuantity(const ComboTerms& terms, const LegMarket& market,
                                               Side combo_side, Quantity units) {
  if (!units.is_positive()) {
    return absl::InvalidArgumentError(
        absl::StrCat("combo quantity must be positive, got ", units.value()));
  }
  ImpliedFill fill;
  fill.combo_side = combo_side;
  fill.units = units;
  for (const LegTerms& leg : terms.legs()) {
    LegPlan plan;
    plan.instrument = leg.instrument;
    plan.side = combo_side == Side::kBuy ? leg.side : core::Opposite(leg.side);
    int64_t leg_quantity = 0;
    if (__builtin_mul_overflow(units.value(), leg.ratio, &leg_quantity)) {
      return absl::OutOfRangeError(
          absl::StrCat("combo quantity ", units.value(), " x ratio ", leg.ratio, " overflows"));
    }
    plan.quantity = Quantity(leg_quantity);
    absl::StatusOr<core::Money> value =
        market.Walk(leg.instrument, plan.side, plan.quantity, &plan.allocations);
    if (!value.ok()) return value.status();
    // A leg bought when the combo is bought adds to its price; a leg sold subtracts.
    if (leg.side == Side::kBuy) {
      fill.value += *value;
    } else {
      fill.value -= *value;
    }
    fill.legs.push_back(std::move(plan));
  }
  const absl::int128 divisor = absl::int128(units.value()) * terms.multiplier();
  const core::RoundingMode against_trader =
      combo_side == Side::kBuy ? core::RoundingMode::kUp : core::RoundingMode::kDown;
  absl::StatusOr<Price> price = fill.value.DivideToPrice(divisor, against_trader);
  if (!price.ok()) return price.status();
  fill.price = *price;
  return fill;
}

}  // namespace combo::pricing

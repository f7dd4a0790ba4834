#include "pricing/implied_price.h"

#include <limits>
#include <optional>

#include "absl/strings/str_cat.h"

namespace combo::pricing {
namespace {

using core::Price;
using core::PriceLevel;
using core::Quantity;
using core::Side;

// Accumulates one side of an implied quote; an overflow or a missing leg empties it.
class SideSum {
 public:
  void Add(int64_t signed_weight, int64_t ratio, const std::optional<PriceLevel>& level) {
    if (!valid_) return;
    if (!level.has_value()) {
      valid_ = false;
      return;
    }
    int64_t term = 0;
    if (__builtin_mul_overflow(level->price.raw(), signed_weight, &term) ||
        __builtin_add_overflow(raw_, term, &raw_)) {
      valid_ = false;
      return;
    }
    const int64_t units = level->quantity.value() / ratio;
    if (units < size_) size_ = units;
  }

  std::optional<PriceLevel> Result() const {
    if (!valid_ || size_ <= 0) return std::nullopt;
    return PriceLevel{Price::FromRaw(raw_), Quantity(size_)};
  }

 private:
  bool valid_ = true;
  int64_t raw_ = 0;
  int64_t size_ = std::numeric_limits<int64_t>::max();
};

template <typename TopOfLeg>
core::TopOfBook Compute(std::span<const LegTerms> legs, TopOfLeg top_of_leg) {
  SideSum ask;
  SideSum bid;
  for (size_t i = 0; i < legs.size(); ++i) {
    const LegTerms& leg = legs[i];
    const core::TopOfBook& top = top_of_leg(i);
    if (leg.side == Side::kBuy) {
      ask.Add(leg.weight, leg.ratio, top.ask);
      bid.Add(leg.weight, leg.ratio, top.bid);
    } else {
      ask.Add(-leg.weight, leg.ratio, top.bid);
      bid.Add(-leg.weight, leg.ratio, top.ask);
    }
  }
  return core::TopOfBook{bid.Result(), ask.Result()};
}

}  // namespace

core::TopOfBook ImpliedQuote(const ComboTerms& terms, const LegMarket& market) {
  static const core::TopOfBook kEmpty;
  return Compute(terms.legs(), [&](size_t i) -> const core::TopOfBook& {
    std::optional<LegIndex> index = market.Find(terms.legs()[i].instrument);
    return index.has_value() ? market.Consolidated(*index) : kEmpty;
  });
}

core::TopOfBook ImpliedQuote(std::span<const LegTerms> legs, std::span<const LegIndex> leg_index,
                             const LegMarket& market) {
  return Compute(
      legs, [&](size_t i) -> const core::TopOfBook& { return market.Consolidated(leg_index[i]); });
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

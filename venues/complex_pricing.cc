// Complex-order pricing: synthetic range, execution price and leg prices (complex_pricing.h).
#include "venues/complex_pricing.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace combo::venues {

core::Price NetPrice(std::span<const ComplexLeg> legs, std::span<const core::Price> leg_prices) {
  core::Price net;
  for (size_t i = 0; i < legs.size(); ++i) {
    const core::Price weighted = leg_prices[i] * legs[i].weight;
    net += legs[i].side == core::Side::kBuy ? weighted : -weighted;
  }
  return net;
}

SyntheticRange ComputeSyntheticRange(std::span<const ComplexLeg> legs,
                                     std::span<const LegQuote> quotes) {
  SyntheticRange range;
  range.has_low = true;
  range.has_high = true;
  for (size_t i = 0; i < legs.size(); ++i) {
    const ComplexLeg& leg = legs[i];
    const LegQuote& quote = quotes[i];
    const bool buy = leg.side == core::Side::kBuy;
    range.has_high &= buy ? quote.has_ask : quote.has_bid;
    range.has_low &= buy ? quote.has_bid : quote.has_ask;
    if (buy) {
      range.high += quote.ask * leg.weight;
      range.low += quote.bid * leg.weight;
      range.customer_at_high |= quote.customer_at_ask;
      range.customer_at_low |= quote.customer_at_bid;
    } else {
      range.high -= quote.bid * leg.weight;
      range.low -= quote.ask * leg.weight;
      range.customer_at_high |= quote.customer_at_bid;
      range.customer_at_low |= quote.customer_at_ask;
    }
  }
  return range;
}

bool LegInverted(const ComplexLeg& leg, const LegQuote& quote, core::Side order_side) {
  if (quote.has_bid && quote.has_ask && quote.bid >= quote.ask) return true;
  const bool buys_leg = (leg.side == core::Side::kBuy) == (order_side == core::Side::kBuy);
  if (buys_leg) return quote.has_ask && quote.away_ask.has_value() && *quote.away_ask < quote.ask;
  return quote.has_bid && quote.away_bid.has_value() && *quote.away_bid > quote.bid;
}

bool AnyLegInverted(std::span<const ComplexLeg> legs, std::span<const LegQuote> quotes,
                    core::Side order_side) {
  for (size_t i = 0; i < legs.size(); ++i) {
    if (LegInverted(legs[i], quotes[i], order_side)) return true;
  }
  return false;
}

core::TopOfBook LegsImpliedTop(std::span<const ComplexLeg> legs, std::span<const LegQuote> quotes) {
  const SyntheticRange range = ComputeSyntheticRange(legs, quotes);
  core::TopOfBook top;
  for (core::Side side : {core::Side::kBuy, core::Side::kSell}) {
    // Buying the combo (the ask) takes the asks of its buy legs and the bids of its sell legs.
    const bool buying = side == core::Side::kBuy;
    if (!(buying ? range.has_high : range.has_low)) continue;
    if (AnyLegInverted(legs, quotes, side)) continue;
    int64_t units = INT64_MAX;
    for (size_t i = 0; i < legs.size(); ++i) {
      const bool takes_ask = (legs[i].side == core::Side::kBuy) == buying;
      units = std::min(
          units, (takes_ask ? quotes[i].ask_size : quotes[i].bid_size).value() / legs[i].ratio);
    }
    if (units <= 0) continue;
    (buying ? top.ask : top.bid) =
        core::PriceLevel{buying ? range.high : range.low, core::Quantity(units)};
  }
  return top;
}

SyntheticRange InFrame(const SyntheticRange& range, core::Side side) {
  if (side == core::Side::kBuy) return range;
  SyntheticRange mirrored;
  mirrored.has_low = range.has_high;
  mirrored.has_high = range.has_low;
  mirrored.low = -range.high;
  mirrored.high = -range.low;
  mirrored.customer_at_low = range.customer_at_high;
  mirrored.customer_at_high = range.customer_at_low;
  return mirrored;
}

bool ReachesLow(core::Price limit, const SyntheticRange& frame_range) {
  if (!frame_range.has_low) return true;
  return frame_range.customer_at_low ? limit > frame_range.low : limit >= frame_range.low;
}

std::optional<core::Price> ComplexExecutionPrice(std::optional<core::Price> processed_limit,
                                                 core::Price inverse_price, OlderOrder older,
                                                 const SyntheticRange& frame_range,
                                                 core::Price net_tick) {
  const core::Price low = frame_range.low;
  const core::Price high = frame_range.high;
  // A market order accepts any price in the range.
  const core::Price limit = processed_limit.value_or(high);
  if (older == OlderOrder::kProcessed && processed_limit.has_value()) {
    // R16 A1: at the processed (older) order's price, clipped down to the high.
    core::Price price = std::min(limit, high);
    if (price == high && frame_range.customer_at_high) price = high - net_tick;
    if (price < inverse_price || price < low) return std::nullopt;
    if (price == low && frame_range.customer_at_low) return std::nullopt;
    return price;
  }
  // R16 A2: at the inverse (older) order's price, clipped up to the low.
  core::Price price = std::max(inverse_price, low);
  if (price == low && frame_range.customer_at_low) price = low + net_tick;
  if (price > limit || price > high) return std::nullopt;
  if (price == high && frame_range.customer_at_high) return std::nullopt;
  return price;
}

bool AssignLegPrices(std::span<const ComplexLeg> legs, std::span<const LegQuote> quotes,
                     core::Price net, std::span<core::Price> prices) {
  const size_t n = legs.size();
  if (n > kMaxComplexLegs || prices.size() < n) return false;
  std::array<int64_t, kMaxComplexLegs> max_steps{};
  std::array<int64_t, kMaxComplexLegs> steps{};
  std::array<int64_t, kMaxComplexLegs> step_value{};
  std::array<bool, kMaxComplexLegs> customer_at_low{};
  std::array<bool, kMaxComplexLegs> customer_at_high{};
  std::array<uint32_t, kMaxComplexLegs> order{};
  int64_t low = 0;
  for (size_t i = 0; i < n; ++i) {
    const LegQuote& quote = quotes[i];
    const bool buy = legs[i].side == core::Side::kBuy;
    const int64_t tick = quote.tick.raw();
    if (tick <= 0 || !quote.has_bid || !quote.has_ask || quote.ask < quote.bid) return false;
    max_steps[i] = (quote.ask - quote.bid).raw() / tick;
    step_value[i] = tick * legs[i].weight;
    customer_at_low[i] = buy ? quote.customer_at_bid : quote.customer_at_ask;
    customer_at_high[i] = buy ? quote.customer_at_ask : quote.customer_at_bid;
    low += buy ? quote.bid.raw() * legs[i].weight : -quote.ask.raw() * legs[i].weight;
    order[i] = static_cast<uint32_t>(i);
  }
  int64_t remaining = net.raw() - low;
  if (remaining < 0) return false;
  const auto take = [&](size_t i, int64_t cap) {
    const int64_t k = std::min(remaining / step_value[i], cap - steps[i]);
    if (k <= 0) return;
    steps[i] += k;
    remaining -= k * step_value[i];
  };
  // Legs whose low edge holds a customer step off it first, so the trade is not ahead of them.
  for (size_t i = 0; i < n && remaining > 0; ++i) {
    if (customer_at_low[i]) take(i, std::min<int64_t>(1, max_steps[i]));
  }
  // Largest steps first (fewest legs moved; a greedy coin change), ties in leg order.
  // Insertion sort: stable, and unlike std::stable_sort it never allocates a buffer.
  for (size_t k = 1; k < n; ++k) {
    const uint32_t leg = order[k];
    size_t j = k;
    for (; j > 0 && step_value[order[j - 1]] < step_value[leg]; --j) order[j] = order[j - 1];
    order[j] = leg;
  }
  // Stop one tick short of a high edge that holds a customer, then allow the edge if needed.
  for (size_t k = 0; k < n && remaining > 0; ++k) {
    const uint32_t i = order[k];
    take(i, customer_at_high[i] ? std::max<int64_t>(max_steps[i] - 1, steps[i]) : max_steps[i]);
  }
  for (size_t k = 0; k < n && remaining > 0; ++k) take(order[k], max_steps[order[k]]);
  if (remaining != 0) return false;
  for (size_t i = 0; i < n; ++i) {
    const LegQuote& quote = quotes[i];
    const core::Price moved = quote.tick * steps[i];
    prices[i] = legs[i].side == core::Side::kBuy ? quote.bid + moved : quote.ask - moved;
  }
  return true;
}

}  // namespace combo::venues

// Side: buy or sell, of an order, a leg or a fill.
#pragma once

#include <cstdint>
#include <ostream>
#include <string_view>

namespace combo::core {

enum class Side : uint8_t { kBuy, kSell };

constexpr Side Opposite(Side side) { return side == Side::kBuy ? Side::kSell : Side::kBuy; }
// +1 for a buy, -1 for a sell: the sign a leg's price takes in a combo price.
constexpr int Sign(Side side) { return side == Side::kBuy ? 1 : -1; }
constexpr std::string_view ToString(Side side) { return side == Side::kBuy ? "buy" : "sell"; }
inline std::ostream& operator<<(std::ostream& os, Side side) { return os << ToString(side); }

}  // namespace combo::core

// ComboSpec: the legs of a combination order (instrument, ratio, side), and its canonical form.
//
// A ComboSpec is built only by ComboSpec::Create, which rejects fewer than two legs, a ratio
// below 1 and an instrument that appears twice, naming the offending leg. It keeps the legs in
// the order the client gave them, so reports go back in the client's terms.
//
// The canonical form gives a combo its identity, so the same combo entered twice is the same
// book: legs sorted by instrument, ratios divided by their gcd, and the sides flipped if needed
// so the first leg is a buy. An order for Q units of a 2:2 combo is an order for 2Q units of the
// 1:1 form; an order to buy the mirror combo is an order to sell the canonical one at the
// negated price. Under the gcd combo-multiplier rule (pricing/) a combo's price per unit does
// not change when its ratios are divided by a common factor, so only the quantity scales.
//
// Immutable value types; safe to share between threads.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/ids.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/side.h"

namespace combo::core {

class InstrumentCatalog;

struct ComboLeg {
  InstrumentId instrument;
  // Contracts (or shares, for a stock leg) of this leg per unit of the combo; at least 1.
  int64_t ratio = 1;
  // The leg's side when the combo is bought.
  Side side = Side::kBuy;
  friend auto operator<=>(const ComboLeg&, const ComboLeg&) = default;
};

class ComboSpec {
 public:
  static absl::StatusOr<ComboSpec> Create(std::vector<ComboLeg> legs);

  const std::vector<ComboLeg>& legs() const { return legs_; }
  size_t size() const { return legs_.size(); }
  const ComboLeg& leg(size_t i) const { return legs_[i]; }
  // The leg of `instrument`, or nullptr.
  const ComboLeg* FindLeg(InstrumentId instrument) const;

  // The same legs with every side flipped: buying it is selling this one.
  ComboSpec Mirror() const;
  // Sorted by instrument, ratios coprime, first leg a buy.
  bool IsCanonical() const;

  // "+1 #7 / -2 #9": signed ratio and instrument id per leg, in the legs' order.
  std::string ToString() const;

  friend auto operator<=>(const ComboSpec&, const ComboSpec&) = default;

 private:
  explicit ComboSpec(std::vector<ComboLeg> legs) : legs_(std::move(legs)) {}
  std::vector<ComboLeg> legs_;
};

enum class ComboOrientation : uint8_t {
  kSame,      // the client's combo, possibly reordered and with ratios reduced
  kMirrored,  // the client's combo with every side flipped
};

// A client's combo mapped onto its canonical form.
struct CanonicalCombo {
  ComboSpec spec;
  // The gcd of the client's ratios: one client unit is this many canonical units.
  int64_t unit_factor = 1;
  ComboOrientation orientation = ComboOrientation::kSame;

  bool mirrored() const { return orientation == ComboOrientation::kMirrored; }
  Side ToCanonical(Side client_side) const {
    return mirrored() ? Opposite(client_side) : client_side;
  }
  Quantity ToCanonical(Quantity client_units) const { return client_units * unit_factor; }
  Price ToCanonical(Price client_price) const { return mirrored() ? -client_price : client_price; }
  Side ToClient(Side canonical_side) const {
    return mirrored() ? Opposite(canonical_side) : canonical_side;
  }
  // Whole client units in `canonical_units`, rounded down.
  Quantity ToClient(Quantity canonical_units) const { return canonical_units / unit_factor; }
  Price ToClient(Price canonical_price) const {
    return mirrored() ? -canonical_price : canonical_price;
  }
};

CanonicalCombo Canonicalize(const ComboSpec& spec);

// "SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1": each leg is an instrument symbol from the
// catalog followed by its signed ratio (+ buys the leg, - sells it); legs are separated by '/'.
absl::StatusOr<ComboSpec> ParseComboText(std::string_view text, const InstrumentCatalog& catalog);
// The same notation, with the catalog's symbols.
std::string DescribeCombo(const ComboSpec& spec, const InstrumentCatalog& catalog);

}  // namespace combo::core

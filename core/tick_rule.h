// TickRule: an instrument's minimum price increment as a function of its price, an ordered table
// of price bands: "0.01 below 3.00, 0.05 from 3.00" (a penny-pilot option), "0.25" (a future),
// "1/16 below 3, 1/8 from 3" (seed 001 R49's schedule).
//
// Semantics, decided for every user of a tick (venues, the simulator, the leg-in, pricing):
//   - A band's boundary price belongs to the band above it, as markets state it ("3.00 and
//     above trade in 0.05"). The boundary lies on the ticks of both bands around it, so it is
//     a valid price whichever way one steps onto it: 2.99 -> 3.00 -> 3.05 and back.
//   - The first band reaches down without bound, so the rule answers for every price, including
//     zero and below. Whether a price may trade at all (a leg does not trade below zero; a
//     spread's net price may) is not the rule's question: it says only which prices are on tick.
//   - A price is on the rule when it is a whole multiple of the tick of the band that holds it.
//     Grids are anchored at zero (as Price::IsOnTick), so a boundary on both ticks keeps the
//     bands' grids continuous.
// The text form is the configuration's: "TICK" or "TICK<BOUNDARY;TICK[<BOUNDARY;TICK...]",
// e.g. "0.01<3.00;0.05"; Parse says what is wrong with anything else.
//
// A value type; holds up to two bands without allocating. Immutable once built; safe to share
// between threads.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/price.h"
#include "core/rounding.h"

namespace combo::core {

// One band: `tick` applies from `from` (inclusive) up to the next band's `from` (exclusive).
struct TickBand {
  Price from;
  Price tick;
  friend bool operator==(const TickBand&, const TickBand&) = default;
};

// Evenly spaced valid prices from a price in one direction: the step, and the price where the
// step changes (nullopt: it never does). `end` is itself on the rule.
struct TickRun {
  Price tick;
  std::optional<Price> end;
};

class TickRule {
 public:
  // The same tick at every price (an instrument's single tick size). `tick` must be positive;
  // Validate says so when it is not.
  static TickRule Uniform(Price tick);
  // A single tick is the one-band rule, wherever a rule is expected (a venue listing written as
  // {instrument, tick}); the same as Uniform.
  TickRule(Price tick);  // NOLINT(google-explicit-constructor)
  // `first_tick` below the first of `above`, then each band's tick from its `from`. Checks the
  // bands (Validate).
  static absl::StatusOr<TickRule> Create(Price first_tick, std::span<const TickBand> above);
  // "0.05" or "0.01<3.00;0.05": each band's tick, then '<' and the boundary where the next band
  // starts, bands separated by ';', the last band a tick alone.
  static absl::StatusOr<TickRule> Parse(std::string_view text);

  // Every tick positive; boundaries strictly ascending; each boundary on the ticks of both
  // bands it separates.
  absl::Status Validate() const;

  // The text form Parse reads: "0.01<3;0.05".
  std::string ToString() const;

  bool is_uniform() const { return bands_.size() == 1; }
  // bands()[0].from is Price::Min(): the first band has no lower bound.
  std::span<const TickBand> bands() const { return {bands_.data(), bands_.size()}; }

  // The tick of the band that holds `price`.
  Price TickAt(Price price) const { return BandAt(price).tick; }
  bool IsOnTick(Price price) const;
  // The greatest common divisor of the bands' ticks: every price on the rule is a multiple of
  // it (the finest grid a sum of on-tick prices can land on).
  Price FinestTick() const;

  // The price on the rule next to `price` in the direction `mode` gives (kDown: the greatest
  // on-rule price at or below; kUp: the least at or above; the nearest modes pick between those
  // two, a tie going as Price::RoundToTick would within the lower one's band). Fails only when
  // the result does not fit a Price.
  absl::StatusOr<Price> Round(Price price, RoundingMode mode) const;
  // The least on-rule price strictly above / the greatest strictly below `price`, stepping
  // across a band boundary correctly (2.99 -> 3.00 -> 3.05; 3.05 -> 3.00 -> 2.99).
  absl::StatusOr<Price> NextAbove(Price price) const;
  absl::StatusOr<Price> NextBelow(Price price) const;

  // From an on-rule `price`: the run of prices going up (the tick of its band, ending at the
  // next boundary) and going down (the tick of the band just below it, ending at that band's
  // start). Lets a caller walk a price range in whole steps without leaving the rule.
  TickRun RunAbove(Price price) const;
  TickRun RunBelow(Price price) const;

  friend bool operator==(const TickRule& a, const TickRule& b) { return a.bands_ == b.bands_; }

 private:
  explicit TickRule(absl::InlinedVector<TickBand, 2> bands) : bands_(std::move(bands)) {}
  size_t BandIndex(Price price) const;
  const TickBand& BandAt(Price price) const { return bands_[BandIndex(price)]; }

  absl::InlinedVector<TickBand, 2> bands_;
};

}  // namespace combo::core

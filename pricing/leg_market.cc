#include "pricing/leg_market.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::pricing {
namespace {

using core::Price;
using core::PriceLevel;
using core::Quantity;
using core::Side;
using core::TopOfBook;

// Levels each side's vector holds before it must grow: enough for a normal book, so that
// steady-state updates never allocate.
constexpr size_t kReservedLevels = 16;

uint64_t Magnitude(Price price) {
  const int64_t raw = price.raw();
  return raw < 0 ? uint64_t{0} - static_cast<uint64_t>(raw) : static_cast<uint64_t>(raw);
}

// True when `a` is a better price than `b` on the book side `book_side` (bids: higher).
bool Better(Side book_side, Price a, Price b) { return book_side == Side::kBuy ? a > b : a < b; }

absl::Status CheckTop(const TopOfBook& top, core::VenueId venue, core::InstrumentId instrument) {
  for (Side side : {Side::kBuy, Side::kSell}) {
    const std::optional<PriceLevel>& level = top.side(side);
    if (level.has_value() && !level->quantity.is_positive()) {
      return absl::InvalidArgumentError(
          absl::StrCat("venue ", venue.value(), " instrument ", instrument.value(),
                       ": top-of-book ", side == Side::kBuy ? "bid" : "ask", " has size ",
                       level->quantity.value(), "; a displayed level needs a positive size"));
    }
  }
  if (top.bid.has_value() && top.ask.has_value() && top.bid->price > top.ask->price) {
    return absl::InvalidArgumentError(
        absl::StrCat("venue ", venue.value(), " instrument ", instrument.value(),
                     ": its own book is crossed (bid ", top.bid->price.ToString(), " above ask ",
                     top.ask->price.ToString(), ")"));
  }
  return absl::OkStatus();
}

// Sets the level at `price` to `quantity` (zero removes it) in a best-first vector.
void SetLevel(std::vector<PriceLevel>& levels, Side book_side, Price price, Quantity quantity) {
  auto it = levels.begin();
  while (it != levels.end() && Better(book_side, it->price, price)) ++it;
  if (it != levels.end() && it->price == price) {
    if (quantity.is_zero()) {
      levels.erase(it);
    } else {
      it->quantity = quantity;
    }
  } else if (!quantity.is_zero()) {
    levels.insert(it, PriceLevel{price, quantity});
  }
}

// Makes the front of a best-first vector agree with the venue's top of book: levels better than
// the top are stale and go; the top level takes the top's size.
void Reconcile(std::vector<PriceLevel>& levels, Side book_side,
               const std::optional<PriceLevel>& top) {
  if (!top.has_value()) {
    levels.clear();
    return;
  }
  auto first_kept = levels.begin();
  while (first_kept != levels.end() && Better(book_side, first_kept->price, top->price)) {
    ++first_kept;
  }
  levels.erase(levels.begin(), first_kept);
  if (!levels.empty() && levels.front().price == top->price) {
    levels.front().quantity = top->quantity;
  } else {
    levels.insert(levels.begin(), *top);
  }
}

absl::Status CheckDepthSide(const std::vector<PriceLevel>& levels, Side book_side,
                            core::VenueId venue, core::InstrumentId instrument) {
  for (size_t i = 0; i < levels.size(); ++i) {
    if (!levels[i].quantity.is_positive()) {
      return absl::InvalidArgumentError(
          absl::StrCat("venue ", venue.value(), " instrument ", instrument.value(), ": ",
                       book_side == Side::kBuy ? "bid" : "ask", " level ", i, " has size ",
                       levels[i].quantity.value(), "; levels need a positive size"));
    }
    if (i > 0 && !Better(book_side, levels[i - 1].price, levels[i].price)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "venue ", venue.value(), " instrument ", instrument.value(), ": ",
          book_side == Side::kBuy ? "bids" : "asks", " must be strictly best first; level ", i,
          " (", levels[i].price.ToString(), ") is not worse than level ", i - 1));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<LegMarket> LegMarket::Create(const core::InstrumentCatalog& catalog,
                                            std::vector<core::VenueId> venues, VenueFees fees,
                                            FeeMode fee_mode) {
  if (venues.empty()) {
    return absl::InvalidArgumentError("pricing needs at least one venue the router may use");
  }
  std::vector<core::VenueId> sorted = venues;
  std::sort(sorted.begin(), sorted.end());
  if (auto dup = std::adjacent_find(sorted.begin(), sorted.end()); dup != sorted.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("venue ", dup->value(), " is listed twice among the pricing venues"));
  }
  return LegMarket(catalog, std::move(venues), std::move(fees), fee_mode);
}

LegMarket::LegMarket(const core::InstrumentCatalog& catalog, std::vector<core::VenueId> venues,
                     VenueFees fees, FeeMode fee_mode)
    : catalog_(&catalog), venues_(std::move(venues)), fees_(std::move(fees)), fee_mode_(fee_mode) {
  for (uint32_t slot = 0; slot < venues_.size(); ++slot) venue_slots_[venues_[slot]] = slot;
}

absl::StatusOr<uint32_t> LegMarket::VenueSlot(core::VenueId venue) const {
  const auto it = venue_slots_.find(venue);
  if (it == venue_slots_.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("venue ", venue.value(), " is not one the router may use for pricing"));
  }
  return it->second;
}

absl::Status LegMarket::CheckSequence(const Leg* leg, uint32_t slot, core::VenueId venue,
                                      core::InstrumentId instrument, uint64_t sequence) const {
  if (leg == nullptr) return absl::OkStatus();
  const VenueBook& book = leg->books[slot];
  if (book.has_sequence && sequence <= book.sequence) {
    return absl::InvalidArgumentError(absl::StrCat(
        "venue ", venue.value(), " instrument ", instrument.value(), ": sequence ", sequence,
        " is not after the last applied ", book.sequence, " (stale or duplicate update)"));
  }
  return absl::OkStatus();
}

std::optional<LegIndex> LegMarket::Find(core::InstrumentId instrument) const {
  const auto it = leg_index_.find(instrument);
  if (it == leg_index_.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<LegIndex> LegMarket::Register(core::InstrumentId instrument) {
  if (std::optional<LegIndex> known = Find(instrument)) return *known;
  const core::Instrument* definition = catalog_->Find(instrument);
  if (definition == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("instrument ", instrument.value(), " is not in the catalog"));
  }
  return GetOrAdd(*definition);
}

LegIndex LegMarket::GetOrAdd(const core::Instrument& instrument) {
  if (std::optional<LegIndex> known = Find(instrument.id())) return *known;
  Leg leg;
  leg.instrument = instrument.id();
  leg.multiplier = instrument.multiplier();
  leg.books.resize(venues_.size());
  for (uint32_t slot = 0; slot < venues_.size(); ++slot) {
    VenueBook& book = leg.books[slot];
    book.bids.reserve(kReservedLevels);
    book.asks.reserve(kReservedLevels);
    if (fee_mode_ == FeeMode::kNetOfTakerFees) {
      book.fee_per_unit = FeePerPriceUnit(fees_.Find(venues_[slot], instrument.asset_class()).taker,
                                          instrument.multiplier());
    }
  }
  const auto index = static_cast<LegIndex>(legs_.size());
  legs_.push_back(std::move(leg));
  consolidated_.emplace_back();
  leg_index_[instrument.id()] = index;
  return index;
}

absl::StatusOr<LegApplyResult> LegMarket::Apply(const core::LegBookUpdate& update) {
  absl::StatusOr<uint32_t> slot = VenueSlot(update.venue);
  if (!slot.ok()) return slot.status();
  std::optional<LegIndex> index = Find(update.instrument);
  const core::Instrument* definition = nullptr;
  if (!index.has_value()) {
    definition = catalog_->Find(update.instrument);
    if (definition == nullptr) {
      return absl::NotFoundError(absl::StrCat("venue ", update.venue.value(), ": instrument ",
                                              update.instrument.value(), " is not in the catalog"));
    }
  }
  if (absl::Status s = CheckSequence(index.has_value() ? &legs_[*index] : nullptr, *slot,
                                     update.venue, update.instrument, update.sequence);
      !s.ok()) {
    return s;
  }
  if (update.quantity.value() < 0) {
    return absl::InvalidArgumentError(absl::StrCat("venue ", update.venue.value(), " instrument ",
                                                   update.instrument.value(), ": level quantity ",
                                                   update.quantity.value(), " is negative"));
  }
  if (absl::Status s = CheckTop(update.top, update.venue, update.instrument); !s.ok()) return s;

  if (!index.has_value()) index = GetOrAdd(*definition);
  Leg& leg = legs_[*index];
  VenueBook& book = leg.books[*slot];
  book.has_sequence = true;
  book.sequence = update.sequence;
  std::vector<PriceLevel>& levels = update.side == Side::kBuy ? book.bids : book.asks;
  SetLevel(levels, update.side, update.price, update.quantity);
  book.top = update.top;
  Reconcile(book.bids, Side::kBuy, book.top.bid);
  Reconcile(book.asks, Side::kSell, book.top.ask);
  return Consolidate(*index);
}

absl::StatusOr<LegApplyResult> LegMarket::Reset(core::VenueId venue, core::InstrumentId instrument,
                                                uint64_t sequence, const core::Depth& depth) {
  absl::StatusOr<uint32_t> slot = VenueSlot(venue);
  if (!slot.ok()) return slot.status();
  const core::Instrument* definition = catalog_->Find(instrument);
  if (definition == nullptr) {
    return absl::NotFoundError(absl::StrCat("venue ", venue.value(), ": instrument ",
                                            instrument.value(), " is not in the catalog"));
  }
  std::optional<LegIndex> index = Find(instrument);
  if (absl::Status s = CheckSequence(index.has_value() ? &legs_[*index] : nullptr, *slot, venue,
                                     instrument, sequence);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckDepthSide(depth.bids, Side::kBuy, venue, instrument); !s.ok()) return s;
  if (absl::Status s = CheckDepthSide(depth.asks, Side::kSell, venue, instrument); !s.ok()) {
    return s;
  }
  TopOfBook top;
  if (!depth.bids.empty()) top.bid = depth.bids.front();
  if (!depth.asks.empty()) top.ask = depth.asks.front();
  if (absl::Status s = CheckTop(top, venue, instrument); !s.ok()) return s;

  const LegIndex leg_index = GetOrAdd(*definition);
  Leg& leg = legs_[leg_index];
  VenueBook& book = leg.books[*slot];
  book.has_sequence = true;
  book.sequence = sequence;
  book.top = top;
  book.bids = depth.bids;
  book.asks = depth.asks;
  return Consolidate(leg_index);
}

LegApplyResult LegMarket::Consolidate(LegIndex index) {
  TopOfBook best;
  for (const VenueBook& book : legs_[index].books) {
    if (book.top.bid.has_value()) {
      const Price net = book.top.bid->price - book.fee_per_unit;
      if (!best.bid.has_value() || net > best.bid->price) {
        best.bid = PriceLevel{net, book.top.bid->quantity};
      } else if (net == best.bid->price) {
        best.bid->quantity += book.top.bid->quantity;
      }
    }
    if (book.top.ask.has_value()) {
      const Price net = book.top.ask->price + book.fee_per_unit;
      if (!best.ask.has_value() || net < best.ask->price) {
        best.ask = PriceLevel{net, book.top.ask->quantity};
      } else if (net == best.ask->price) {
        best.ask->quantity += book.top.ask->quantity;
      }
    }
  }
  if (best == consolidated_[index]) return LegApplyResult{index, false, {}};
  if (best.bid.has_value()) price_bound_ = std::max(price_bound_, Magnitude(best.bid->price));
  if (best.ask.has_value()) price_bound_ = std::max(price_bound_, Magnitude(best.ask->price));
  LegApplyResult result{index, true, consolidated_[index]};
  consolidated_[index] = best;
  return result;
}

TopOfBook LegMarket::Consolidated(core::InstrumentId instrument) const {
  std::optional<LegIndex> index = Find(instrument);
  return index.has_value() ? consolidated_[*index] : TopOfBook{};
}

TopOfBook LegMarket::VenueTop(core::VenueId venue, core::InstrumentId instrument) const {
  const auto slot = venue_slots_.find(venue);
  std::optional<LegIndex> index = Find(instrument);
  if (slot == venue_slots_.end() || !index.has_value()) return {};
  return legs_[*index].books[slot->second].top;
}

core::Depth LegMarket::VenueDepth(core::VenueId venue, core::InstrumentId instrument) const {
  const auto slot = venue_slots_.find(venue);
  std::optional<LegIndex> index = Find(instrument);
  if (slot == venue_slots_.end() || !index.has_value()) return {};
  const VenueBook& book = legs_[*index].books[slot->second];
  return core::Depth{book.bids, book.asks};
}

absl::StatusOr<core::Money> LegMarket::Walk(core::InstrumentId instrument, Side trade_side,
                                            Quantity quantity,
                                            std::vector<LegAllocation>* plan) const {
  if (!quantity.is_positive()) {
    return absl::InvalidArgumentError(absl::StrCat("instrument ", instrument.value(),
                                                   ": quantity to walk must be positive, got ",
                                                   quantity.value()));
  }
  std::optional<LegIndex> index = Find(instrument);
  // A buy takes the asks; a sell hits the bids.
  const Side book_side = core::Opposite(trade_side);
  Quantity available;
  if (index.has_value()) {
    for (const VenueBook& book : legs_[*index].books) {
      for (const PriceLevel& level : book_side == Side::kBuy ? book.bids : book.asks) {
        available += level.quantity;
      }
    }
  }
  if (available < quantity) {
    return absl::FailedPreconditionError(
        absl::StrCat("instrument ", instrument.value(), ": the books hold ", available.value(),
                     " to ", core::AsAbsl(core::ToString(trade_side)), " across all venues, ",
                     quantity.value(), " needed"));
  }
  const Leg& leg = legs_[*index];
  // One cursor per venue into its best-first levels; each step takes from the best head.
  std::vector<size_t> cursor(leg.books.size(), 0);
  std::vector<Quantity> taken_at_cursor(leg.books.size());
  core::Money value;
  Quantity remaining = quantity;
  while (remaining.is_positive()) {
    std::optional<size_t> best_slot;
    Price best_net;
    Quantity best_size;
    for (size_t slot = 0; slot < leg.books.size(); ++slot) {
      const VenueBook& book = leg.books[slot];
      const std::vector<PriceLevel>& levels = book_side == Side::kBuy ? book.bids : book.asks;
      if (cursor[slot] >= levels.size()) continue;
      const PriceLevel& level = levels[cursor[slot]];
      const Price net = NetOfFee(level.price, trade_side, book.fee_per_unit);
      const Quantity size = level.quantity - taken_at_cursor[slot];
      bool take = !best_slot.has_value();
      if (!take) {
        if (net != best_net) {
          take = trade_side == Side::kBuy ? net < best_net : net > best_net;
        } else if (size != best_size) {
          take = size > best_size;
        } else {
          take = venues_[slot] < venues_[*best_slot];
        }
      }
      if (take) {
        best_slot = slot;
        best_net = net;
        best_size = size;
      }
    }
    const size_t slot = *best_slot;  // available >= quantity guarantees a head
    const PriceLevel& level =
        (book_side == Side::kBuy ? leg.books[slot].bids : leg.books[slot].asks)[cursor[slot]];
    const Quantity take = core::Min(best_size, remaining);
    plan->push_back(
        LegAllocation{venues_[slot], static_cast<int>(cursor[slot]), level.price, best_net, take});
    value += core::Money::Notional(best_net, take, leg.multiplier);
    remaining -= take;
    taken_at_cursor[slot] += take;
    if (taken_at_cursor[slot] == level.quantity) {
      ++cursor[slot];
      taken_at_cursor[slot] = Quantity();
    }
  }
  return value;
}

}  // namespace combo::pricing

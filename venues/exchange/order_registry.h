// OrderRegistry: the simulated venue's one record of every open order, leg or complex, by the
// venue's tag (the reference its books echo in their events) and by the participant's
// (participant, order id); and every order id a participant ever used, for the duplicate-id
// admission check (venues/simulated_venue.h).
//
// A leg order and a complex order differ only in what they trade (an instrument with its
// handle in the leg book, or a native combo in the complex book): one record serves both, so
// cancel, replace, fills and forgetting an order take one path. Tags come from one counter, so
// a tag names one order whatever its kind; tag 0 (the complex book's own leg orders) is never
// registered.
//
// Not thread-safe: owned by one venue, on its Scheduler's thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "core/ids.h"
#include "core/quantity.h"
#include "core/side.h"
#include "venues/order_book.h"

namespace combo::venues {

// Which book an order is in. kHeld: a leg order a seed-001 leg process holds outside its book
// (accumulated for a single-price trade, stored hidden, a block or a block response).
enum class BookKind : uint8_t { kLeg, kComplex, kHeld };

struct OrderRecord {
  core::ParticipantId participant;
  core::OrderId order_id;
  BookKind book = BookKind::kLeg;
  // Leg orders: the instrument and the order's place in that instrument's book.
  core::InstrumentId instrument;
  OrderHandle handle;
  // Complex orders: the (canonical) combo and the administrative terms (seed 001 R5).
  core::ComboId combo;
  ComplexOrderDetails details;
  core::Side side = core::Side::kBuy;
  ParticipantRole role = ParticipantRole::kProfessional;
  // As in FIX, the total counts what has filled (a replace sets it).
  core::Quantity total_quantity;
  // Contracts for a leg order, units for a complex order.
  core::Quantity filled;
};

// A new order's book terms and open record from its request (leg or complex); what it trades
// is the caller's to add.
template <typename Request>
OrderTerms NewOrderTerms(const Request& request, uint64_t tag) {
  OrderTerms terms;
  static_cast<OrderInstructions&>(terms) = request;
  terms.tag = tag;
  terms.owner = request.participant;
  return terms;
}
template <typename Request>
OrderRecord NewOrderRecord(const Request& request, BookKind book) {
  OrderRecord record;
  record.participant = request.participant;
  record.order_id = request.order_id;
  record.book = book;
  record.side = request.side;
  record.role = request.role;
  record.total_quantity = request.quantity;
  return record;
}

class OrderRegistry {
 public:
  // Records that `participant` used `order_id`; false if it already had (open or not).
  bool UseId(core::ParticipantId participant, core::OrderId order_id) {
    return used_ids_.insert(Key(participant, order_id)).second;
  }

  // Registers an open order under `tag` (not registered yet).
  OrderRecord& Add(uint64_t tag, const OrderRecord& record) {
    tag_by_key_[Key(record.participant, record.order_id)] = tag;
    return orders_.emplace(tag, record).first->second;
  }

  // The open order with that tag; nullptr once it is forgotten (or for tag 0).
  OrderRecord* Find(uint64_t tag) {
    auto it = orders_.find(tag);
    return it == orders_.end() ? nullptr : &it->second;
  }
  const OrderRecord* Find(uint64_t tag) const {
    auto it = orders_.find(tag);
    return it == orders_.end() ? nullptr : &it->second;
  }
  // The open order's tag, or 0 when that participant has no such open order.
  uint64_t TagOf(core::ParticipantId participant, core::OrderId order_id) const {
    auto it = tag_by_key_.find(Key(participant, order_id));
    return it == tag_by_key_.end() ? 0 : it->second;
  }

  // The order is no longer open (a no-op for one already forgotten).
  void Forget(uint64_t tag) {
    auto it = orders_.find(tag);
    if (it == orders_.end()) return;
    tag_by_key_.erase(Key(it->second.participant, it->second.order_id));
    orders_.erase(it);
  }

  size_t size() const { return orders_.size(); }

 private:
  using OrderKey = std::pair<uint32_t, uint64_t>;  // (participant, order id)
  static OrderKey Key(core::ParticipantId participant, core::OrderId order_id) {
    return {participant.value(), order_id.value()};
  }

  absl::flat_hash_map<uint64_t, OrderRecord> orders_;
  absl::flat_hash_map<OrderKey, uint64_t> tag_by_key_;
  absl::flat_hash_set<OrderKey> used_ids_;
};

}  // namespace combo::venues

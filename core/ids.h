// Strong identifiers: an OrderId cannot be passed where a VenueId is expected.
//
// Numeric ids are assigned inside the daemon; string ids come from clients (ClOrdID, Account).
// Value types: cheap to copy (string ids copy their text), safe to share between threads.
#pragma once

#include <compare>
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>

namespace combo::core {

template <typename Tag, typename Rep>
class StrongId {
 public:
  using rep_type = Rep;
  constexpr StrongId() = default;
  constexpr explicit StrongId(Rep value) : value_(std::move(value)) {}

  constexpr const Rep& value() const { return value_; }

  friend constexpr auto operator<=>(const StrongId&, const StrongId&) = default;
  friend constexpr bool operator==(const StrongId&, const StrongId&) = default;

  template <typename H>
  friend H AbslHashValue(H h, const StrongId& id) {
    return H::combine(std::move(h), id.value_);
  }
  friend std::ostream& operator<<(std::ostream& os, const StrongId& id) { return os << id.value_; }

 private:
  Rep value_{};
};

// The router's own id for a combo order or a child order it sends.
using OrderId = StrongId<struct OrderIdTag, uint64_t>;
// The client's ClOrdID(11), unique per client session.
using ClientOrderId = StrongId<struct ClientOrderIdTag, std::string>;
// A venue (embedded exchange) of the configuration.
using VenueId = StrongId<struct VenueIdTag, uint32_t>;
// A listed instrument (a leg).
using InstrumentId = StrongId<struct InstrumentIdTag, uint32_t>;
// A canonical combo, as the ComboCatalog interned it.
using ComboId = StrongId<struct ComboIdTag, uint32_t>;
// A client connection: the FIX session's counterparty (SenderCompID). ClOrdIDs are unique per
// client; reports go back to it.
using ClientId = StrongId<struct ClientIdTag, std::string>;
// A client, error or house account (FIX Account(1)).
using AccountId = StrongId<struct AccountIdTag, std::string>;
// A venue participant (an owner of orders inside a simulated exchange).
using ParticipantId = StrongId<struct ParticipantIdTag, uint32_t>;

}  // namespace combo::core

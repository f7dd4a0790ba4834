// Listings: what a broker can trade through the router, and where. Every instrument a venue
// the router routes to lists, with those venues; every combo such a venue trades natively (its
// complex-order book's or negotiation listing) or a client defined with SecurityDefinitionRequest,
// with the venues trading it natively. The reference data a front end answers a security list
// request from (FIX SecurityListRequest, docs/FIX.md); the routing stack implements it over its
// live venues, so an instrument a reload lists is in the next answer.
//
// Read on the thread that owns the routing stack (the daemon's core thread); the pointers in an
// answer are good until the catalogs or the venues change (the next reload or definition).
#pragma once

#include <string>
#include <vector>

#include "core/combo_spec.h"
#include "core/ids.h"
#include "core/instrument.h"

namespace combo::router {

struct ListingVenue {
  core::VenueId id;
  std::string name;
  friend bool operator==(const ListingVenue&, const ListingVenue&) = default;
};

struct InstrumentListing {
  const core::Instrument* instrument = nullptr;
  // The routable venues listing it, in the stack's venue order; never empty.
  std::vector<ListingVenue> venues;
};

struct ComboListing {
  core::ComboId id;
  // The canonical legs.
  const core::ComboSpec* spec = nullptr;
  // The routable venues trading it natively, in the stack's venue order; empty for a combo
  // only defined by a client (traded by legging in).
  std::vector<ListingVenue> native_venues;
  // Defined with SecurityDefinitionRequest: orders and quotes may name it by its id
  // (OrderEntry::FindDefinedCombo finds it). A native combo no client defined yet is traded by
  // its legs, or defined first to get its SecurityID.
  bool defined = false;
};

class Listings {
 public:
  virtual ~Listings() = default;
  // Every instrument some routable venue lists, in id order.
  virtual std::vector<InstrumentListing> ListedInstruments() const = 0;
  // Every combo a routable venue lists natively or a client defined, in id order.
  virtual std::vector<ComboListing> ListedCombos() const = 0;
};

}  // namespace combo::router

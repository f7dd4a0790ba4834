// InstrumentCatalog: every instrument the daemon knows, by id, by symbol, and by the contract
// terms exchanges and FIX name derivatives with (a future's root and delivery month, an option's
// root, expiry, right and strike), so that every standard way of naming a contract finds it.
//
// Filled once from config (or a test) and then only read, so components may hold pointers into
// it for its lifetime. Iterates in id order. Not thread-safe while being filled; safe to read
// from many threads afterwards.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "core/ids.h"
#include "core/instrument.h"
#include "core/price.h"

namespace combo::core {

class InstrumentCatalog {
 public:
  // Fails, changing nothing, if the id or the symbol is already taken.
  absl::Status Add(Instrument instrument);

  // nullptr when unknown.
  const Instrument* Find(InstrumentId id) const;
  const Instrument* FindBySymbol(std::string_view symbol) const;
  // The futures on `root` (their underlying) delivering in `year`-`month`: the month of their
  // expiry, or of a "ROOT YYYYMM" symbol when they have no expiry. Id order.
  std::vector<const Instrument*> FindFutures(std::string_view root, int year, int month) const;
  // The options on `root` with `right` and `strike` expiring from `first` to `last` (inclusive),
  // by expiry, then in the order they were added.
  std::vector<const Instrument*> FindOptions(std::string_view root, OptionRight right, Price strike,
                                             absl::CivilDay first, absl::CivilDay last) const;

  size_t size() const { return by_id_.size(); }
  // Id order.
  const std::map<InstrumentId, Instrument>& all() const { return by_id_; }

 private:
  std::map<InstrumentId, Instrument> by_id_;
  std::map<std::string, InstrumentId, std::less<>> by_symbol_;
  // (root, year * 100 + month) -> futures.
  std::multimap<std::pair<std::string, int>, InstrumentId, std::less<>> futures_;
  // (root, right, strike, expiry) -> option.
  using OptionKey = std::tuple<std::string, OptionRight, int64_t, absl::CivilDay>;
  std::multimap<OptionKey, InstrumentId, std::less<>> options_;
};

}  // namespace combo::core

// InstrumentCatalog: every instrument the daemon knows, by id, by symbol, and by the contract
// terms exchanges and FIX name derivatives with (a future's root and delivery month, an option's
// root, expiry, right and strike), so that every standard way of naming a contract finds it.
//
// Beside the tradable instruments it keeps the expired ones: rows of an instrument master whose
// expiry passed before the daemon's date. They are never tradable (Find and the other lookups
// do not see them); the FindExpired* lookups let an order naming one be told why it is refused.
//
// Filled from config (or a test) and afterwards only added to (a reload lists new instruments,
// never removes or changes one), so components may hold pointers into it for its lifetime.
// Iterates in id order. Not thread-safe: filled and read on one thread (the daemon's core
// thread), or filled once and then only read from many.
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
  // Fails, changing nothing, if the id or the symbol is already taken (by a tradable or an
  // expired instrument).
  absl::Status Add(Instrument instrument);
  // Records an expired instrument (not tradable); the same checks as Add.
  absl::Status AddExpired(Instrument instrument);

  // nullptr when unknown.
  const Instrument* Find(InstrumentId id) const { return live_.Find(id); }
  const Instrument* FindBySymbol(std::string_view symbol) const {
    return live_.FindBySymbol(symbol);
  }
  // The futures on `root` (their underlying) delivering in `year`-`month`: the month of their
  // expiry, or of a "ROOT YYYYMM" symbol when they have no expiry. Id order.
  std::vector<const Instrument*> FindFutures(std::string_view root, int year, int month) const {
    return live_.FindFutures(root, year, month);
  }
  // The options on `root` with `right` and `strike` expiring from `first` to `last` (inclusive),
  // by expiry, then in the order they were added.
  std::vector<const Instrument*> FindOptions(std::string_view root, OptionRight right, Price strike,
                                             absl::CivilDay first, absl::CivilDay last) const {
    return live_.FindOptions(root, right, strike, first, last);
  }

  // The same lookups among the expired instruments.
  const Instrument* FindExpired(InstrumentId id) const { return expired_.Find(id); }
  const Instrument* FindExpiredBySymbol(std::string_view symbol) const {
    return expired_.FindBySymbol(symbol);
  }
  std::vector<const Instrument*> FindExpiredFutures(std::string_view root, int year,
                                                    int month) const {
    return expired_.FindFutures(root, year, month);
  }
  std::vector<const Instrument*> FindExpiredOptions(std::string_view root, OptionRight right,
                                                    Price strike, absl::CivilDay first,
                                                    absl::CivilDay last) const {
    return expired_.FindOptions(root, right, strike, first, last);
  }

  // Tradable instruments only.
  size_t size() const { return live_.by_id.size(); }
  // Tradable instruments, id order.
  const std::map<InstrumentId, Instrument>& all() const { return live_.by_id; }
  // Expired instruments, id order.
  const std::map<InstrumentId, Instrument>& expired() const { return expired_.by_id; }

 private:
  // One set of instruments with its lookup indexes.
  struct Table {
    void Add(Instrument instrument);
    const Instrument* Find(InstrumentId id) const;
    const Instrument* FindBySymbol(std::string_view symbol) const;
    std::vector<const Instrument*> FindFutures(std::string_view root, int year, int month) const;
    std::vector<const Instrument*> FindOptions(std::string_view root, OptionRight right,
                                               Price strike, absl::CivilDay first,
                                               absl::CivilDay last) const;

    std::map<InstrumentId, Instrument> by_id;
    std::map<std::string, InstrumentId, std::less<>> by_symbol;
    // (root, year * 100 + month) -> futures.
    std::multimap<std::pair<std::string, int>, InstrumentId, std::less<>> futures;
    // (root, right, strike, expiry) -> option.
    using OptionKey = std::tuple<std::string, OptionRight, int64_t, absl::CivilDay>;
    std::multimap<OptionKey, InstrumentId, std::less<>> options;
  };

  absl::Status CheckFree(const Instrument& instrument) const;

  Table live_;
  Table expired_;
};

}  // namespace combo::core

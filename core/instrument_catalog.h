// InstrumentCatalog: every instrument the daemon knows, by id and by symbol.
//
// Filled once from config (or a test) and then only read, so components may hold pointers into
// it for its lifetime. Iterates in id order. Not thread-safe while being filled; safe to read
// from many threads afterwards.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "core/ids.h"
#include "core/instrument.h"

namespace combo::core {

class InstrumentCatalog {
 public:
  // Fails, changing nothing, if the id or the symbol is already taken.
  absl::Status Add(Instrument instrument);

  // nullptr when unknown.
  const Instrument* Find(InstrumentId id) const;
  const Instrument* FindBySymbol(std::string_view symbol) const;

  size_t size() const { return by_id_.size(); }
  // Id order.
  const std::map<InstrumentId, Instrument>& all() const { return by_id_; }

 private:
  std::map<InstrumentId, Instrument> by_id_;
  std::map<std::string, InstrumentId, std::less<>> by_symbol_;
};

}  // namespace combo::core

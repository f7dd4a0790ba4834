// HandleBook: the rotating pseudonyms participants show each other (seed 000 N6), and the
// service's private map from every live handle back to its account.
//
// A participant has one current handle; issuing a new one retires the old, which still resolves
// until the service forgets it (after a retention time, so messages already in flight under it
// and trade requests naming it still work). Handles are "H" and seven characters of an alphabet
// without look-alikes, drawn from a seeded core::Rng, never repeated. Not thread-safe; owned by
// the service.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "core/ids.h"
#include "core/random.h"

namespace combo::venues::negotiation {

class HandleBook {
 public:
  explicit HandleBook(uint64_t seed) : rng_(seed) {}

  // A name that may never be issued as a handle (accounts, "SERVICE").
  void Reserve(std::string_view name) { issued_.emplace(name); }
  // Issues a fresh handle to `account`; its previous handle (returned through `retired` when
  // not null) stays resolvable until Forget.
  std::string Issue(const core::AccountId& account, std::string* retired = nullptr);
  // The current handle, or nullptr.
  const std::string* Current(const core::AccountId& account) const;
  // The account behind a current or retired-but-remembered handle, or nullptr.
  const core::AccountId* Resolve(std::string_view handle) const;
  // Stops resolving a retired handle. A current handle is never forgotten.
  void Forget(std::string_view handle);

  size_t resolvable() const { return owners_.size(); }

 private:
  core::Rng rng_;
  std::map<core::AccountId, std::string> current_;
  std::map<std::string, core::AccountId, std::less<>> owners_;
  // Every handle ever issued and every reserved name, so none is issued twice.
  std::set<std::string, std::less<>> issued_;
};

}  // namespace combo::venues::negotiation

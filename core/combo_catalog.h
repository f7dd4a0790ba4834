// ComboCatalog: gives each canonical combo one ComboId, so every component (venues' complex
// books, pricing, the router, FIX SecurityDefinition) names the same combo the same way.
//
// Interning the same canonical ComboSpec twice returns the same id. Ids are assigned in order
// from 1. Not thread-safe; owned by the core thread.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "core/combo_spec.h"
#include "core/ids.h"

namespace combo::core {

class ComboCatalog {
 public:
  // The id of `canonical`, assigning a new one the first time. Fails if the spec is not in
  // canonical form (call Canonicalize first).
  absl::StatusOr<ComboId> Intern(const ComboSpec& canonical);
  std::optional<ComboId> Lookup(const ComboSpec& canonical) const;
  // nullptr when unknown.
  const ComboSpec* Find(ComboId id) const;
  size_t size() const { return specs_.size(); }

 private:
  std::map<ComboSpec, ComboId> ids_;
  // Index id - 1.
  std::vector<ComboSpec> specs_;
};

}  // namespace combo::core

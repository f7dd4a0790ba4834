// ComboCatalog: gives each canonical combo one ComboId, so every component (venues' complex
// books, pricing, the router, FIX SecurityDefinition) names the same combo the same way.
//
// Interning the same canonical ComboSpec twice returns the same id. Ids are assigned in order
// from 1; InternAs gives a combo the id it had before a restart (ids clients were told as FIX
// SecurityIDs must not change), leaving any ids it skips unused. Not thread-safe; owned by the
// core thread.
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
  // Gives `canonical` exactly `id`. Fails, changing nothing, when the spec is not canonical, the
  // id is zero, the id names another combo, or the combo already has another id.
  absl::Status InternAs(const ComboSpec& canonical, ComboId id);
  std::optional<ComboId> Lookup(const ComboSpec& canonical) const;
  // nullptr when unknown.
  const ComboSpec* Find(ComboId id) const;
  // The highest id handed out.
  size_t size() const { return specs_.size(); }

 private:
  std::map<ComboSpec, ComboId> ids_;
  // Index id - 1; empty for an id InternAs skipped.
  std::vector<std::optional<ComboSpec>> specs_;
};

}  // namespace combo::core

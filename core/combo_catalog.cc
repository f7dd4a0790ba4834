#include "core/combo_catalog.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace combo::core {

absl::StatusOr<ComboId> ComboCatalog::Intern(const ComboSpec& canonical) {
  if (!canonical.IsCanonical()) {
    return absl::InvalidArgumentError(
        absl::StrCat("combo ", canonical.ToString(), " is not in canonical form"));
  }
  auto it = ids_.find(canonical);
  if (it != ids_.end()) return it->second;
  const ComboId id(static_cast<uint32_t>(specs_.size() + 1));
  specs_.push_back(canonical);
  ids_.emplace(canonical, id);
  return id;
}

std::optional<ComboId> ComboCatalog::Lookup(const ComboSpec& canonical) const {
  auto it = ids_.find(canonical);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

const ComboSpec* ComboCatalog::Find(ComboId id) const {
  if (id.value() == 0 || id.value() > specs_.size()) return nullptr;
  return &specs_[id.value() - 1];
}

}  // namespace combo::core

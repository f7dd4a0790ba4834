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

absl::Status ComboCatalog::InternAs(const ComboSpec& canonical, ComboId id) {
  if (!canonical.IsCanonical()) {
    return absl::InvalidArgumentError(
        absl::StrCat("combo ", canonical.ToString(), " is not in canonical form"));
  }
  if (id.value() == 0) return absl::InvalidArgumentError("combo id 0 is not an id");
  if (std::optional<ComboId> known = Lookup(canonical); known.has_value()) {
    if (*known == id) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat(
        "combo ", canonical.ToString(), " already has id ", known->value(), ", not ", id.value()));
  }
  if (const ComboSpec* taken = Find(id); taken != nullptr) {
    return absl::FailedPreconditionError(absl::StrCat("combo id ", id.value(), " is already ",
                                                      taken->ToString(), ", not ",
                                                      canonical.ToString()));
  }
  if (id.value() > specs_.size()) specs_.resize(id.value());
  specs_[id.value() - 1] = canonical;
  ids_.emplace(canonical, id);
  return absl::OkStatus();
}

std::optional<ComboId> ComboCatalog::Lookup(const ComboSpec& canonical) const {
  auto it = ids_.find(canonical);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

const ComboSpec* ComboCatalog::Find(ComboId id) const {
  if (id.value() == 0 || id.value() > specs_.size()) return nullptr;
  const std::optional<ComboSpec>& spec = specs_[id.value() - 1];
  return spec.has_value() ? &*spec : nullptr;
}

}  // namespace combo::core

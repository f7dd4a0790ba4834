// Build status helpers: what the builders of long-lived parts (the routing stack, the daemon)
// share to say which part could not be built ("venue ALPHA: ..."), and to create the
// directories a part keeps its files in. Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace combo::stack {

// `status` with "<part>: " before its message; OK stays OK.
absl::Status Annotate(const absl::Status& status, std::string_view part);

template <typename T>
absl::StatusOr<T> WithContext(std::string_view part, absl::StatusOr<T> result) {
  if (result.ok()) return result;
  return Annotate(result.status(), part);
}

// Creates `dir` and its parents (nothing for an empty path); `what` names it in the error.
absl::Status MakeDirectories(const std::string& dir, std::string_view what);

}  // namespace combo::stack

#include "stack/build_status.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::stack {

absl::Status Annotate(const absl::Status& status, std::string_view part) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(core::AsAbsl(part), ": ", status.message()));
}

absl::Status MakeDirectories(const std::string& dir, std::string_view what) {
  if (dir.empty()) return absl::OkStatus();
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat("cannot create the ", core::AsAbsl(what),
                                                      " directory ", dir, ": ", error.message()));
  }
  return absl::OkStatus();
}

}  // namespace combo::stack

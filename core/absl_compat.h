// Bridges between std:: and absl:: string views.
//
// Debian 12's Abseil is built with ABSL_OPTION_USE_STD_STRING_VIEW=0, so absl::string_view is
// its own class and absl::StrCat, StrSplit and SimpleAtoi do not take a std::string_view. The
// project's interfaces use std::string_view; these two calls cross over where absl needs it.
#pragma once

#include <string_view>

#include "absl/strings/string_view.h"

namespace combo::core {

constexpr absl::string_view AsAbsl(std::string_view s) { return {s.data(), s.size()}; }
constexpr std::string_view AsStd(absl::string_view s) { return {s.data(), s.size()}; }

}  // namespace combo::core

// 32nds notation: parse and format (see thirty_seconds.h).
#include "venues/aop/thirty_seconds.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::venues::aop {
namespace {

absl::Status Bad(std::string_view text, std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("32nds price \"", core::AsAbsl(text), "\": ", core::AsAbsl(why)));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

absl::StatusOr<core::Price> ParseThirtySeconds(std::string_view text) {
  std::string_view rest = text;
  bool negative = false;
  if (!rest.empty() && rest.front() == '-') {
    negative = true;
    rest.remove_prefix(1);
  }
  const size_t dash = rest.find('-');
  if (dash == std::string_view::npos) return Bad(text, "missing '-' between points and 32nds");
  const std::string_view whole_text = rest.substr(0, dash);
  const std::string_view frac_text = rest.substr(dash + 1);
  if (whole_text.empty() || whole_text.size() > 9) {
    return Bad(text, "the whole points must be 1 to 9 digits");
  }
  int64_t whole = 0;
  for (char c : whole_text) {
    if (!IsDigit(c)) return Bad(text, "the whole points must be digits");
    whole = whole * 10 + (c - '0');
  }
  if (frac_text.size() < 2 || frac_text.size() > 3 || !IsDigit(frac_text[0]) ||
      !IsDigit(frac_text[1])) {
    return Bad(text, "expected two digits of 32nds, then optionally '+' or an eighth 1-7");
  }
  const int64_t thirty_seconds = (frac_text[0] - '0') * 10 + (frac_text[1] - '0');
  if (thirty_seconds > 31) return Bad(text, "32nds must be 00 to 31");
  int64_t eighths = 0;
  if (frac_text.size() == 3) {
    const char last = frac_text[2];
    if (last == '+') {
      eighths = 4;
    } else if (last == '4') {
      return Bad(text, "half a 32nd is written '+', not '4'");
    } else if (last >= '1' && last <= '7') {
      eighths = last - '0';
    } else {
      return Bad(text, "the third digit counts eighths of a 32nd and must be 1-7 (or '+')");
    }
  }
  const int64_t raw =
      whole * core::Price::kScale + (thirty_seconds * 8 + eighths) * kOneTwoFiftySixth.raw();
  return core::Price::FromRaw(negative ? -raw : raw);
}

absl::StatusOr<std::string> FormatThirtySeconds(core::Price price) {
  if (!price.IsOnTick(kOneTwoFiftySixth)) {
    return absl::InvalidArgumentError(
        absl::StrCat("price ", price.ToString(), " is not a whole number of 256ths"));
  }
  const bool negative = price.is_negative();
  const int64_t raw = negative ? -price.raw() : price.raw();
  const int64_t whole = raw / core::Price::kScale;
  const int64_t steps = (raw % core::Price::kScale) / kOneTwoFiftySixth.raw();
  const int64_t thirty_seconds = steps / 8;
  const int64_t eighths = steps % 8;
  std::string out =
      absl::StrCat(negative ? "-" : "", whole, "-", thirty_seconds < 10 ? "0" : "", thirty_seconds);
  if (eighths == 4) {
    out += '+';
  } else if (eighths != 0) {
    out += static_cast<char>('0' + eighths);
  }
  return out;
}

}  // namespace combo::venues::aop

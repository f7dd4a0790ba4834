#include "core/time.h"

#include <ostream>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "core/absl_compat.h"

namespace combo::core {
namespace {

struct Unit {
  std::string_view suffix;
  int64_t nanos;
};
// Longest suffix first so "ms" is not read as "m".
constexpr Unit kUnits[] = {{"ns", 1},
                           {"us", 1'000},
                           {"ms", 1'000'000},
                           {"s", 1'000'000'000},
                           {"m", 60'000'000'000},
                           {"h", 3'600'000'000'000}};

absl::Status DurationError(std::string_view text, std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("duration \"", AsAbsl(text), "\": ", AsAbsl(why)));
}

}  // namespace

absl::StatusOr<Duration> Duration::Parse(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && text[i] == '-') {
    negative = true;
    ++i;
  }
  absl::int128 whole = 0;
  absl::int128 fraction = 0;
  absl::int128 fraction_scale = 1;
  int digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    whole = whole * 10 + (text[i++] - '0');
    if (whole > INT64_MAX) return DurationError(text, "out of range");
    ++digits;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (fraction_scale > 1'000'000'000'000'000'000) return DurationError(text, "too precise");
      fraction = fraction * 10 + (text[i++] - '0');
      fraction_scale *= 10;
      ++digits;
    }
  }
  if (digits == 0) return DurationError(text, "expected a number with a unit, such as 250ms");
  const std::string_view suffix = text.substr(i);
  for (const Unit& unit : kUnits) {
    if (suffix != unit.suffix) continue;
    const absl::int128 fractional_nanos = fraction * unit.nanos;
    if (fractional_nanos % fraction_scale != 0) {
      return DurationError(text, "finer than a nanosecond");
    }
    absl::int128 total = whole * unit.nanos + fractional_nanos / fraction_scale;
    if (total > INT64_MAX) return DurationError(text, "out of range");
    if (negative) total = -total;
    return Duration(static_cast<int64_t>(total));
  }
  return DurationError(text, "expected a unit: ns, us, ms, s, m or h");
}

std::string Duration::ToString() const {
  if (ns_ == 0) return "0s";
  const bool negative = ns_ < 0;
  const absl::uint128 magnitude =
      static_cast<absl::uint128>(negative ? -absl::int128(ns_) : absl::int128(ns_));
  // The largest unit up to seconds in which the value is whole, else seconds with a fraction.
  std::string out = negative ? "-" : "";
  if (magnitude % 1'000'000'000 == 0) {
    absl::StrAppend(&out, static_cast<uint64_t>(magnitude / 1'000'000'000), "s");
  } else if (magnitude < 1'000) {
    absl::StrAppend(&out, static_cast<uint64_t>(magnitude), "ns");
  } else if (magnitude < 1'000'000 && magnitude % 1'000 == 0) {
    absl::StrAppend(&out, static_cast<uint64_t>(magnitude / 1'000), "us");
  } else if (magnitude < 1'000'000'000 && magnitude % 1'000'000 == 0) {
    absl::StrAppend(&out, static_cast<uint64_t>(magnitude / 1'000'000), "ms");
  } else {
    std::string fraction(9, '0');
    uint64_t rest = static_cast<uint64_t>(magnitude % 1'000'000'000);
    for (int k = 8; k >= 0; --k) {
      fraction[static_cast<size_t>(k)] = static_cast<char>('0' + rest % 10);
      rest /= 10;
    }
    while (fraction.back() == '0') fraction.pop_back();
    absl::StrAppend(&out, static_cast<uint64_t>(magnitude / 1'000'000'000), ".", fraction, "s");
  }
  return out;
}

Timestamp Timestamp::FromUtc(int year, int month, int day, int hour, int minute, int second,
                             int64_t nanos) {
  const absl::Time t = absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second),
                                       absl::UTCTimeZone());
  return Timestamp(absl::ToUnixNanos(t) + nanos);
}

absl::StatusOr<Timestamp> Timestamp::Parse(std::string_view text) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime("%Y-%m-%d%ET%H:%M:%E*S%Ez", AsAbsl(text), &t, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("timestamp \"", AsAbsl(text),
                     "\": expected ISO-8601 such as 2026-11-20T14:22:27.04Z (", error, ")"));
  }
  return Timestamp(absl::ToUnixNanos(t));
}

std::string Timestamp::ToString() const {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E9SZ", absl::FromUnixNanos(ns_), absl::UTCTimeZone());
}

std::ostream& operator<<(std::ostream& os, Duration d) { return os << d.ToString(); }
std::ostream& operator<<(std::ostream& os, Timestamp t) { return os << t.ToString(); }

}  // namespace combo::core

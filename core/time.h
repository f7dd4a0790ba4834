// Timestamp and Duration: nanosecond time for every event, timer and latency in the project.
//
// Timestamp counts nanoseconds since the Unix epoch (UTC). Nothing here reads a clock: the time
// comes from an injected Clock (core/clock.h), so tests run on simulated time.
// Value types: cheap to copy, safe to share between threads.
#pragma once

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace combo::core {

class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration Nanoseconds(int64_t n) { return Duration(n); }
  static constexpr Duration Microseconds(int64_t n) { return Duration(n * 1'000); }
  static constexpr Duration Milliseconds(int64_t n) { return Duration(n * 1'000'000); }
  static constexpr Duration Seconds(int64_t n) { return Duration(n * 1'000'000'000); }
  static constexpr Duration Zero() { return Duration(0); }
  static constexpr Duration Max() { return Duration(INT64_MAX); }
  // "250ms", "1s", "1.5s", "300us", "40ns", "2m": for config files. Exact, no floating point.
  static absl::StatusOr<Duration> Parse(std::string_view text);

  constexpr int64_t nanoseconds() const { return ns_; }
  constexpr int64_t ToMicroseconds() const { return ns_ / 1'000; }
  constexpr int64_t ToMilliseconds() const { return ns_ / 1'000'000; }
  double ToSecondsDouble() const { return static_cast<double>(ns_) / 1e9; }
  // Shortest exact form in the largest fitting unit: "1.5s", "250ms", "40ns".
  std::string ToString() const;

  friend constexpr auto operator<=>(Duration a, Duration b) = default;
  constexpr Duration operator-() const { return Duration(-ns_); }
  constexpr Duration& operator+=(Duration o) {
    ns_ += o.ns_;
    return *this;
  }
  constexpr Duration& operator-=(Duration o) {
    ns_ -= o.ns_;
    return *this;
  }
  friend constexpr Duration operator+(Duration a, Duration b) { return Duration(a.ns_ + b.ns_); }
  friend constexpr Duration operator-(Duration a, Duration b) { return Duration(a.ns_ - b.ns_); }
  friend constexpr Duration operator*(Duration d, int64_t k) { return Duration(d.ns_ * k); }
  friend constexpr Duration operator*(int64_t k, Duration d) { return Duration(d.ns_ * k); }
  friend constexpr Duration operator/(Duration d, int64_t k) { return Duration(d.ns_ / k); }

 private:
  constexpr explicit Duration(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

class Timestamp {
 public:
  constexpr Timestamp() = default;
  static constexpr Timestamp FromUnixNanos(int64_t ns) { return Timestamp(ns); }
  static constexpr Timestamp UnixEpoch() { return Timestamp(0); }
  static constexpr Timestamp Max() { return Timestamp(INT64_MAX); }
  // A UTC civil time, for tests and scenarios: FromUtc(2026, 11, 20, 14, 22, 27, 40'000'000) is
  // 2026-11-20 14:22:27.040 UTC.
  static Timestamp FromUtc(int year, int month, int day, int hour, int minute, int second,
                           int64_t nanos = 0);
  // ISO-8601 UTC with nanoseconds: "2026-11-20T14:22:27.040000000Z".
  static absl::StatusOr<Timestamp> Parse(std::string_view text);

  constexpr int64_t unix_nanos() const { return ns_; }
  std::string ToString() const;

  friend constexpr auto operator<=>(Timestamp a, Timestamp b) = default;
  constexpr Timestamp& operator+=(Duration d) {
    ns_ += d.nanoseconds();
    return *this;
  }
  friend constexpr Timestamp operator+(Timestamp t, Duration d) {
    return Timestamp(t.ns_ + d.nanoseconds());
  }
  friend constexpr Timestamp operator-(Timestamp t, Duration d) {
    return Timestamp(t.ns_ - d.nanoseconds());
  }
  friend constexpr Duration operator-(Timestamp a, Timestamp b) {
    return Duration::Nanoseconds(a.ns_ - b.ns_);
  }

 private:
  constexpr explicit Timestamp(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

std::ostream& operator<<(std::ostream& os, Duration d);
std::ostream& operator<<(std::ostream& os, Timestamp t);

}  // namespace combo::core

// EventLog: the market simulator's record of everything it did and saw, reduced to a running
// 64-bit hash so that two runs can be compared cheaply (same seed, same hash).
//
// Every order the simulator sends, every fill and reject its agents receive, every market-data
// update of the venues it watches, every underlying move and every scripted event is folded in,
// in the order it happened, field by field (FNV-1a over 64-bit words). Optionally the log also
// keeps a readable line per event (for debugging a divergence); off by default because the
// benchmark measures the hot path. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace combo::venues::market_sim {

// What an event-log record is; the first word hashed for it.
enum class LogKind : uint8_t {
  kUnderlyingMove,
  kSubmit,
  kSubmitComplex,
  kReplace,
  kCancel,
  kAck,
  kReject,
  kFill,
  kComplexFill,
  kCancelled,
  kRestated,
  kLegBookUpdate,
  kNativeComboUpdate,
  kTradePrint,
  kScripted,
  kNegotiationMessage,
  kNegotiationAnswer,
  kComboTradePrint,
};

enum class KeepLines : uint8_t { kNo, kYes };

class EventLog {
 public:
  explicit EventLog(KeepLines keep = KeepLines::kNo) : keep_(keep) {}

  // Starts a record of `kind`; the words that follow belong to it.
  void Begin(LogKind kind);
  // Any integer, as its 64-bit two's-complement word.
  template <typename Integer>
  requires std::is_integral_v<Integer>
  void Add(Integer word) { AddWord(static_cast<uint64_t>(word)); }
  // A string, as its length and then its bytes eight to a word.
  void AddString(std::string_view text);
  // Adds a readable line to the kept lines (only when lines are kept).
  void Describe(std::string line);

  uint64_t hash() const { return hash_; }
  int64_t events() const { return events_; }
  bool keeps_lines() const { return keep_ == KeepLines::kYes; }
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  void AddWord(uint64_t word);

  KeepLines keep_;
  uint64_t hash_ = 0xcbf29ce484222325ULL;
  int64_t events_ = 0;
  std::vector<std::string> lines_;
};

}  // namespace combo::venues::market_sim

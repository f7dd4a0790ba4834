#include "venues/market_sim/event_log.h"

#include <utility>

namespace combo::venues::market_sim {

void EventLog::Begin(LogKind kind) {
  ++events_;
  AddWord(static_cast<uint64_t>(kind) | uint64_t{0xe7e7e7e700000000});
}

void EventLog::AddWord(uint64_t word) {
  constexpr uint64_t kPrime = 0x100000001b3ULL;
  for (int i = 0; i < 8; ++i) {
    hash_ ^= (word >> (8 * i)) & 0xff;
    hash_ *= kPrime;
  }
}

void EventLog::AddString(std::string_view text) {
  AddWord(text.size());
  for (size_t start = 0; start < text.size(); start += 8) {
    uint64_t word = 0;
    for (size_t i = start; i < text.size() && i < start + 8; ++i) {
      word |= uint64_t{static_cast<unsigned char>(text[i])} << (8 * (i - start));
    }
    AddWord(word);
  }
}

void EventLog::Describe(std::string line) {
  if (keep_ == KeepLines::kYes) lines_.push_back(std::move(line));
}

}  // namespace combo::venues::market_sim

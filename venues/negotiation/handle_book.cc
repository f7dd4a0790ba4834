#include "venues/negotiation/handle_book.h"

namespace combo::venues::negotiation {
namespace {
// No 0/O, 1/I: handles are read aloud and retyped.
constexpr std::string_view kAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
constexpr int kHandleLetters = 7;
}  // namespace

std::string HandleBook::Issue(const core::AccountId& account, std::string* retired) {
  std::string handle;
  do {
    handle = "H";
    for (int i = 0; i < kHandleLetters; ++i) {
      handle += kAlphabet[static_cast<size_t>(
          rng_.UniformInt(0, static_cast<int64_t>(kAlphabet.size()) - 1))];
    }
  } while (issued_.count(handle) != 0);
  issued_.insert(handle);
  std::string& current = current_[account];
  if (retired != nullptr) *retired = current;
  current = handle;
  owners_.emplace(handle, account);
  return handle;
}

const std::string* HandleBook::Current(const core::AccountId& account) const {
  auto it = current_.find(account);
  return it == current_.end() ? nullptr : &it->second;
}

const core::AccountId* HandleBook::Resolve(std::string_view handle) const {
  auto it = owners_.find(handle);
  return it == owners_.end() ? nullptr : &it->second;
}

void HandleBook::Forget(std::string_view handle) {
  auto it = owners_.find(handle);
  if (it == owners_.end()) return;
  const std::string* current = Current(it->second);
  if (current != nullptr && *current == handle) return;
  owners_.erase(it);
}

}  // namespace combo::venues::negotiation

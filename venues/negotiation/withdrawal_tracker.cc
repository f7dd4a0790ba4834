#include "venues/negotiation/withdrawal_tracker.h"

#include "absl/strings/str_cat.h"

namespace combo::venues::negotiation {

absl::Status ValidateWithdrawalPolicy(const WithdrawalPolicy& policy) {
  if (policy.window_offers < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("withdrawal window_offers ", policy.window_offers, " must be at least 1"));
  }
  if (policy.min_offers < 1 || policy.min_offers > policy.window_offers) {
    return absl::InvalidArgumentError(absl::StrCat("withdrawal min_offers ", policy.min_offers,
                                                   " must be from 1 to window_offers (",
                                                   policy.window_offers, ")"));
  }
  if (policy.max_premature_percent < 1 || policy.max_premature_percent > 100) {
    return absl::InvalidArgumentError(absl::StrCat("withdrawal max_premature_percent ",
                                                   policy.max_premature_percent,
                                                   " must be from 1 to 100"));
  }
  if (policy.min_offer_life < core::Duration::Zero() ||
      policy.throttle_duration < core::Duration::Zero()) {
    return absl::InvalidArgumentError(
        "withdrawal min_offer_life and throttle_duration must not be negative");
  }
  return absl::OkStatus();
}

void WithdrawalTracker::OnOfferPosted(const core::AccountId& account) {
  ++records_[account].stats.offers_posted;
}

namespace {

bool OverLimit(const WithdrawalPolicy& policy, int64_t window_offers, int64_t window_premature) {
  return window_offers >= policy.min_offers &&
         window_premature * 100 >=
             static_cast<int64_t>(policy.max_premature_percent) * window_offers;
}

}  // namespace

bool WithdrawalTracker::OnOfferEnded(const core::AccountId& account, OfferEnd end,
                                     core::Duration age, core::Timestamp now) {
  Record& record = records_[account];
  const bool premature = end == OfferEnd::kWithdrawn && age < policy_.min_offer_life;
  if (end == OfferEnd::kWithdrawn) ++record.stats.withdrawals;
  if (premature) ++record.stats.premature_withdrawals;
  record.window.push_back(premature);
  if (premature) ++record.stats.window_premature;
  while (static_cast<int>(record.window.size()) > policy_.window_offers) {
    if (record.window.front()) --record.stats.window_premature;
    record.window.pop_front();
  }
  record.stats.window_offers = static_cast<int64_t>(record.window.size());
  const bool over_limit =
      OverLimit(policy_, record.stats.window_offers, record.stats.window_premature);
  if (!premature || !over_limit || policy_.action != WithdrawalAction::kThrottle) return false;
  record.stats.throttled_until = now + policy_.throttle_duration;
  return true;
}

bool WithdrawalTracker::IsThrottled(const core::AccountId& account, core::Timestamp now) const {
  if (policy_.action != WithdrawalAction::kThrottle) return false;
  auto it = records_.find(account);
  return it != records_.end() && now < it->second.stats.throttled_until;
}

bool WithdrawalTracker::WouldThrottle(const core::AccountId& account) const {
  if (policy_.action != WithdrawalAction::kThrottle) return false;
  auto it = records_.find(account);
  if (it == records_.end()) return OverLimit(policy_, 1, 1);
  // The window after one more premature end: it grows by one, dropping its oldest when full.
  const Record& record = it->second;
  int64_t offers = static_cast<int64_t>(record.window.size()) + 1;
  int64_t premature = record.stats.window_premature + 1;
  if (offers > policy_.window_offers) {
    if (record.window.front()) --premature;
    --offers;
  }
  return OverLimit(policy_, offers, premature);
}

void WithdrawalTracker::OnOfferRefused(const core::AccountId& account) {
  ++records_[account].stats.offers_refused;
}

WithdrawalStats WithdrawalTracker::Stats(const core::AccountId& account) const {
  auto it = records_.find(account);
  return it == records_.end() ? WithdrawalStats{} : it->second.stats;
}

}  // namespace combo::venues::negotiation

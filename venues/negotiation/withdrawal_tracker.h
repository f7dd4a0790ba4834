// WithdrawalTracker: who posts offers and withdraws them prematurely (seed 000 N7: fishing for
// how many ACCEPTs arrive), and the throttle that answers it.
//
// A withdrawal is premature when it comes before the offer has lived `min_offer_life`. The
// tracker keeps, per participant, lifetime counts and the outcomes of its last `window_offers`
// ended offers; when at least `min_offers` are in the window and premature withdrawals make up
// `max_premature_percent` or more of it, a throttling policy refuses the participant's new
// offers for `throttle_duration` from the premature withdrawal that tipped it. Integer
// arithmetic decides; the ratio as a double is for display only. Not thread-safe; owned by the
// service.
#pragma once

#include <cstdint>
#include <deque>
#include <map>

#include "absl/status/status.h"
#include "core/ids.h"
#include "core/time.h"

namespace combo::venues::negotiation {

enum class WithdrawalAction : uint8_t {
  kTrackOnly,  // count and expose, never refuse
  kThrottle,   // refuse new offers while over the limit
};

struct WithdrawalPolicy {
  WithdrawalAction action = WithdrawalAction::kThrottle;
  core::Duration min_offer_life = core::Duration::Seconds(5);
  int window_offers = 20;
  int min_offers = 5;
  int max_premature_percent = 50;
  core::Duration throttle_duration = core::Duration::Seconds(60);
};

// Fails, naming the field, on a non-positive window, min_offers outside [1, window], a percent
// outside [1, 100] or a negative duration.
absl::Status ValidateWithdrawalPolicy(const WithdrawalPolicy& policy);

struct WithdrawalStats {
  int64_t offers_posted = 0;
  int64_t withdrawals = 0;
  int64_t premature_withdrawals = 0;
  // Ended offers in the window and the premature withdrawals among them.
  int64_t window_offers = 0;
  int64_t window_premature = 0;
  // Offers refused while throttled.
  int64_t offers_refused = 0;
  // When the current throttle ends; Timestamp() when never throttled.
  core::Timestamp throttled_until;
  // window_premature / window_offers, for display and metric export only.
  double premature_ratio() const {
    return window_offers == 0
               ? 0.0
               : static_cast<double>(window_premature) / static_cast<double>(window_offers);
  }
};

enum class OfferEnd : uint8_t { kAccepted, kExpired, kWithdrawn };

class WithdrawalTracker {
 public:
  // The policy must have passed ValidateWithdrawalPolicy.
  explicit WithdrawalTracker(WithdrawalPolicy policy) : policy_(policy) {}

  void OnOfferPosted(const core::AccountId& account);
  // An offer ended; `age` is how long it lived. Returns true when a premature withdrawal has
  // just put the participant over the limit (it is throttled from `now`).
  bool OnOfferEnded(const core::AccountId& account, OfferEnd end, core::Duration age,
                    core::Timestamp now);
  // Whether the policy refuses the participant's offers at `now`.
  bool IsThrottled(const core::AccountId& account, core::Timestamp now) const;
  // Whether one more premature withdrawal now would put the participant over the limit and
  // throttle it: what a participant that means to stay under the policy asks before withdrawing
  // an offer younger than `min_offer_life`.
  bool WouldThrottle(const core::AccountId& account) const;
  void OnOfferRefused(const core::AccountId& account);

  WithdrawalStats Stats(const core::AccountId& account) const;
  const WithdrawalPolicy& policy() const { return policy_; }

 private:
  struct Record {
    WithdrawalStats stats;
    // true for a premature withdrawal, oldest first.
    std::deque<bool> window;
  };
  WithdrawalPolicy policy_;
  std::map<core::AccountId, Record> records_;
};

}  // namespace combo::venues::negotiation

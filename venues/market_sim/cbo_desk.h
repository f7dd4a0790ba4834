// The market simulator's CBO desks (venues/market_sim/market_simulator.h, CboDeskConfig): a
// client that submits client bid/offers to a venue's CBO book (seed 004) and the dealers that
// answer them. Private to venues/market_sim/: nested classes of MarketSimulator, so they reach
// its fair values, last tops, venue slots and stats; each is an agent (a participant at the
// venue) with its own random stream.
//
// Not thread-safe: they live with their simulator, on its Scheduler's thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "venues/aop/cbo_book.h"
#include "venues/market_sim/agents.h"

namespace combo::venues::market_sim {

class MarketSimulator::CboDealer final : public Agent, public aop::CboListener {
 public:
  CboDealer(MarketSimulator* sim, core::ParticipantId id, const CboDeskConfig& config,
            SimulatedVenue* exchange, core::ParticipantId client, bool exclusive, core::Rng rng);
  ~CboDealer() override;

  // The desk's client submitted `request` naming this dealer (its terms are disclosed, R1).
  void Offered(const aop::CboRequest& request);

  void Start() override;
  void StopAgent() override;
  void OnFairValueChanged() override;

  void OnCboAccepted(const aop::CboAccepted& /*event*/) override {}
  void OnCboPhaseChanged(const aop::CboPhaseChanged& event) override;
  void OnCboRestated(const aop::CboRestated& event) override;
  void OnCboFill(const aop::CboFill& event) override;
  void OnCboDone(const aop::CboDone& event) override;
  void OnResponseRejected(const aop::ResponseRejected& event) override;
  void OnAopStatus(const AopStatusChanged& /*event*/) override {}

 private:
  // What the dealer knows of one CBO of its desk.
  struct View {
    aop::CboRequest request;
    core::Price level;
    aop::CboPhase phase = aop::CboPhase::kExclusive;
  };

  bool MayAnswer(const View& view) const;
  // The dealer's price for `view` now: fair value plus its edge, on its own side, on the tick.
  std::optional<core::Price> PriceFor(const View& view);
  // Whether answering at `price` can fill: it meets the level, misses it within the dealer's
  // autofill threshold, or is within the client's original limit (client autofill).
  bool Worth(const View& view, core::Price price) const;
  core::Price Tick(core::InstrumentId instrument) const;
  // Schedules an answer to `key` unless one is on its way or the dealer may not answer.
  void Consider(const aop::CboKey& key);
  void Answer(const aop::CboKey& key);
  void ScheduleLegOrder();
  void SendLegOrder();

  CboDeskConfig config_;
  SimulatedVenue* exchange_;
  core::ParticipantId client_;
  bool exclusive_;
  std::map<aop::CboKey, View> cbos_;
  // CBOs with an answer scheduled or in a window: one at a time per CBO.
  std::set<aop::CboKey> answering_;
  std::map<aop::CboKey, core::TimerId> timers_;
  core::TimerId leg_timer_;
  bool subscribed_ = false;
};

class MarketSimulator::CboClient final : public Agent {
 public:
  CboClient(MarketSimulator* sim, core::ParticipantId id, const CboDeskConfig& config,
            SimulatedVenue* exchange, core::Rng rng);

  void AddDealer(CboDealer* dealer, bool exclusive);

  void Start() override;
  void StopAgent() override;

 private:
  void ScheduleArrival();
  void Arrive();

  CboDeskConfig config_;
  SimulatedVenue* exchange_;
  std::vector<CboDealer*> dealers_;
  std::vector<core::ParticipantId> exclusive_;
  std::vector<core::ParticipantId> open_;
  uint64_t next_cbo_id_ = 1;
  core::TimerId arrival_timer_;
};

}  // namespace combo::venues::market_sim

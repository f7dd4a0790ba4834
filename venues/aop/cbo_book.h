// CboBook: the seed-004 trading system for Client Bid/Offers (CBOs) and dealer responses on an
// AOP venue: phases, the tie-breaking window, the price auction, autofill and the protected loop.
//
// A client submits a CBO (a bid or offer on one instrument, or on a combo traded as one
// synthetic asset) naming its exclusive dealers and optionally open-phase dealers; the client
// must hold a permission with each (R2). The CBO moves Exclusive -> Open -> Protected on its
// phase timers (R19-R23; Open is skipped without open dealers); FOK gets one matching
// opportunity and never reaches Protected (D5). Dealers answer with responses (price, quantity,
// optional dealer autofill threshold). The first response to a CBO opens a tie-breaking window
// (300 ms by default, R26/R29 anchor (b)); at its end the matching responses are ranked, either
// at random from the seeded core::Rng or, with the price auction, best price for the client
// first and random among ties (R27); the winner fills first, and later matching responses fill
// what is left in rank order (R29 decision). A phase timer that expires during a window waits
// for it (D3); a cancel wins over an open window (D2).
//
// A response matches at its own price when it is at or better than the CBO's current level
// (R56); with dealer autofill it fills at the current level if within its threshold of the TPIM
// contra and of the level (R53); with client autofill (per CBO) it fills at its price if within
// the client's threshold of the protected level and not worse than the original (R54). Dealer
// autofill is tried first (R55). No fill is ever worse than the client's original limit (R58).
//
// In the Protected phase (or from entry with AopPhases::kAll) every TPIM quote and trade runs
// the protected loop of protection.h; each reprice is a CboRestated event with its reason. The
// TPIM of a combo is the implied market of its legs (implied_market.h). While the TPIM is stale
// AOP is frozen and autofill is off; an AopStatusChanged event says so; on recovery the first
// fresh update runs as a price-only update (F2-F3).
//
// Events go to the CboListener after the step that caused them completes. Not thread-safe:
// lives on the thread that runs its Scheduler.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/combo_catalog.h"
#include "core/ids.h"
#include "core/instrument_catalog.h"
#include "core/random.h"
#include "core/scheduler.h"
#include "venues/aop/implied_market.h"
#include "venues/aop/protection.h"
#include "venues/aop/third_party_market.h"
#include "venues/venue.h"

namespace combo::venues::aop {

enum class CboPhase : uint8_t { kExclusive, kOpen, kProtected, kDone };
enum class CboTimeInForce : uint8_t { kFillOrKill, kDay, kGoodTillCancel, kGoodForTime };
enum class QuantityInstruction : uint8_t { kPartialsAccepted, kAllOrNone };
enum class TieBreak : uint8_t { kRandom, kPriceAuction };
// Where AOP applies: the seed's Protected phase only, or from entry (spec E1 extension).
enum class AopPhases : uint8_t { kProtectedOnly, kAll };
enum class CboDoneReason : uint8_t {
  kFilled,
  kCancelled,
  kExpired,
  kFillOrKillUnfilled,
  kEndOfDay
};
enum class FillKind : uint8_t { kStandard, kDealerAutofill, kClientAutofill };
enum class ResponseRejectCode : uint8_t {
  kUnknownCbo,    // no such CBO, or it is done
  kNotEligible,   // the dealer is not a dealer of the CBO's current phase
  kLevelChanged,  // the price does not match the current level, and no autofill applies
  kNothingLeft,   // the CBO filled (or was cancelled) before this response's turn
  kAllOrNone,     // the response's quantity cannot fill an all-or-none CBO whole
};

std::string_view ToString(CboPhase value);
std::string_view ToString(CboDoneReason value);
std::string_view ToString(FillKind value);
std::string_view ToString(ResponseRejectCode value);

struct CboBookConfig {
  core::Duration exclusive_time = core::Duration::Seconds(3);
  core::Duration open_time = core::Duration::Seconds(3);
  core::Duration tie_break_window = core::Duration::Milliseconds(300);
  TieBreak tie_break = TieBreak::kRandom;
  uint64_t rng_seed = 1;
  AopPhases aop_phases = AopPhases::kProtectedOnly;
  ProtectionConfig protection;
  // Single instruments a CBO may name, with the client tick its limit must sit on.
  std::map<core::InstrumentId, core::Price> instruments;
  // For combo CBOs (both needed; not owned, must outlive the book). Without them combo CBOs are
  // refused.
  const core::ComboCatalog* combos = nullptr;
  const core::InstrumentCatalog* catalog = nullptr;
  // The rungs of implied combo depth built for the AWP.
  int implied_depth_levels = 5;
};

absl::Status ValidateCboBookConfig(const CboBookConfig& config);

struct CboKey {
  core::ParticipantId client;
  core::OrderId id;
  friend auto operator<=>(const CboKey&, const CboKey&) = default;
};

struct CboRequest {
  core::ParticipantId client;
  core::OrderId id;
  // Exactly one of the two.
  std::optional<core::InstrumentId> instrument;
  std::optional<core::ComboId> combo;
  core::Side side = core::Side::kBuy;
  core::Price limit;
  core::Quantity quantity;
  CboTimeInForce time_in_force = CboTimeInForce::kDay;
  // For kGoodForTime.
  core::Duration good_for;
  QuantityInstruction quantity_instruction = QuantityInstruction::kPartialsAccepted;
  std::vector<core::ParticipantId> exclusive_dealers;
  std::vector<core::ParticipantId> open_dealers;
  // Client autofill (R54): how far a dealer's price may sit on the wrong side of the protected
  // level.
  std::optional<core::Price> client_autofill_threshold;
};

struct DealerResponse {
  core::ParticipantId dealer;
  CboKey cbo;
  core::Price price;
  core::Quantity quantity;
  // Dealer autofill (R53), chosen per message.
  std::optional<core::Price> autofill_threshold;
};

struct CboAccepted {
  CboKey cbo;
  core::Timestamp time;
};
struct CboPhaseChanged {
  CboKey cbo;
  CboPhase phase = CboPhase::kExclusive;
  core::Timestamp time;
};
// AOP moved the CBO's working level.
struct CboRestated {
  CboKey cbo;
  RestatementReason reason = RestatementReason::kAopTopOfBook;
  // The basis of the reprice the reason names.
  ProtectionBasis basis = ProtectionBasis::kTopOfBook;
  core::Price previous_level;
  core::Price level;
  core::Price original_limit;
  core::Quantity leaves_quantity;
  // The TPIM contra top when it happened (absent: empty contra).
  std::optional<core::Price> tpim_contra;
  core::Timestamp time;
};
struct CboFill {
  CboKey cbo;
  core::ParticipantId dealer;
  core::Price price;
  core::Quantity quantity;
  core::Quantity leaves_quantity;
  FillKind kind = FillKind::kStandard;
  core::Timestamp time;
};
struct CboDone {
  CboKey cbo;
  CboDoneReason reason = CboDoneReason::kFilled;
  core::Quantity filled_quantity;
  core::Timestamp time;
};
// How a tie-breaking window ended (R27): no matching response, one, several ranked at random,
// or several ranked by the price auction (best price for the client first).
enum class WindowOutcome : uint8_t { kNoMatch, kSingle, kRandom, kPriceAuction };
std::string_view ToString(WindowOutcome value);

// A tie-breaking window closed: the responses it held and how many of them could match.
struct CboWindowClosed {
  CboKey cbo;
  size_t responses = 0;
  size_t matching = 0;
  WindowOutcome outcome = WindowOutcome::kNoMatch;
  core::Timestamp time;
};
struct ResponseRejected {
  core::ParticipantId dealer;
  CboKey cbo;
  ResponseRejectCode code = ResponseRejectCode::kUnknownCbo;
  std::string reason;
  core::Timestamp time;
};

class CboListener {
 public:
  virtual ~CboListener() = default;
  virtual void OnCboAccepted(const CboAccepted& event) = 0;
  virtual void OnCboPhaseChanged(const CboPhaseChanged& event) = 0;
  virtual void OnCboRestated(const CboRestated& event) = 0;
  virtual void OnCboFill(const CboFill& event) = 0;
  virtual void OnCboDone(const CboDone& event) = 0;
  virtual void OnResponseRejected(const ResponseRejected& event) = 0;
  virtual void OnAopStatus(const AopStatusChanged& event) = 0;
  // Before the fills and rejects of the window it closes.
  virtual void OnWindowClosed(const CboWindowClosed& /*event*/) {}
};

class CboBook final : public ThirdPartyMarketObserver {
 public:
  // `market`, `scheduler` and `listener` are not owned and must outlive the book; the book adds
  // itself as an observer of `market`. `venue` names the venue in AOP status events.
  static absl::StatusOr<std::unique_ptr<CboBook>> Create(CboBookConfig config,
                                                         ThirdPartyMarket* market,
                                                         core::Scheduler* scheduler,
                                                         CboListener* listener,
                                                         core::VenueId venue = core::VenueId());
  ~CboBook() override;

  // The client may deal with the dealer (R2).
  void Permit(core::ParticipantId client, core::ParticipantId dealer);

  // Fails, changing nothing, for a malformed CBO (no or two subjects, unknown instrument or
  // combo, off-tick limit, quantity not positive, no exclusive dealer, a dealer without
  // permission, a used id, good-for time not positive).
  absl::Status Submit(const CboRequest& request);
  // Fails for a CBO that is not open.
  absl::Status Cancel(const CboKey& cbo);
  // Fails for a quantity or threshold that is not positive; every other outcome is an event.
  absl::Status Respond(const DealerResponse& response);
  // Ends every Day CBO (CboDoneReason::kEndOfDay).
  void EndOfDay();

  // ThirdPartyMarketObserver.
  void OnTpimQuote(core::InstrumentId instrument) override;
  void OnTpimTrade(const core::TradePrint& print) override;
  void OnFeedState(FeedState state, std::string_view reason) override;

  // State, for tests and the venue.
  std::optional<ProtectedOrder> Protection(const CboKey& cbo) const;
  std::optional<CboPhase> Phase(const CboKey& cbo) const;
  bool frozen() const { return frozen_; }

 private:
  struct PendingResponse {
    DealerResponse response;
    core::Timestamp arrival;
  };
  struct Cbo {
    CboRequest request;
    CboPhase phase = CboPhase::kExclusive;
    ProtectedOrder protection;
    core::Quantity filled;
    std::vector<ImpliedLeg> legs;  // empty for a single instrument
    std::vector<PendingResponse> window;
    bool window_open = false;
    bool phase_expired = false;  // the phase timer fired during a window (D3)
    core::TimerId window_timer;
    core::TimerId phase_timer;
    core::TimerId expiry_timer;
  };
  using Event = std::variant<CboAccepted, CboPhaseChanged, CboRestated, CboFill, CboDone,
                             ResponseRejected, AopStatusChanged, CboWindowClosed>;

  CboBook(CboBookConfig config, ThirdPartyMarket* market, core::Scheduler* scheduler,
          CboListener* listener, core::VenueId venue);

  absl::Status CheckRequest(const CboRequest& request) const;
  bool Eligible(const Cbo& cbo, core::ParticipantId dealer) const;
  bool Protecting(const Cbo& cbo) const;
  // The CBO's contra TPIM ladder (implied for a combo) in `scratch_`.
  const std::vector<core::PriceLevel>& ContraLevels(const Cbo& cbo);
  void SchedulePhaseTimer(const CboKey& key, core::Duration after);
  void OnPhaseTimer(const CboKey& key);
  void EnterPhase(Cbo& cbo, CboPhase phase);
  void AdvancePhase(Cbo& cbo);
  void CloseWindow(const CboKey& key);
  void Finish(Cbo& cbo, CboDoneReason reason);
  void RunQuote(Cbo& cbo);
  void Restate(Cbo& cbo, const Reprice& reprice, std::optional<core::Price> contra);
  void RejectResponse(const DealerResponse& response, ResponseRejectCode code, std::string reason);
  void Emit(Event event) { pending_.push_back(std::move(event)); }
  void Flush();

  CboBookConfig config_;
  ThirdPartyMarket* market_;
  core::Scheduler* scheduler_;
  CboListener* listener_;
  core::VenueId venue_;
  core::Rng rng_;
  std::set<std::pair<core::ParticipantId, core::ParticipantId>> permissions_;
  std::map<CboKey, Cbo> cbos_;
  std::set<CboKey> used_ids_;
  bool frozen_ = true;
  std::vector<core::PriceLevel> scratch_;
  std::vector<Event> pending_;
  bool flushing_ = false;
  std::shared_ptr<CboBook*> self_;
};

}  // namespace combo::venues::aop

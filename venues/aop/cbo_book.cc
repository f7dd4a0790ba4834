// The seed-004 CBO trading system (see cbo_book.h).
#include "venues/aop/cbo_book.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::venues::aop {
namespace {

std::string Name(const CboKey& key) {
  return absl::StrCat("CBO ", key.id.value(), " of client ", key.client.value());
}

bool Contains(const std::vector<core::ParticipantId>& dealers, core::ParticipantId dealer) {
  return std::find(dealers.begin(), dealers.end(), dealer) != dealers.end();
}

}  // namespace

std::string_view ToString(CboPhase value) {
  switch (value) {
    case CboPhase::kExclusive:
      return "exclusive";
    case CboPhase::kOpen:
      return "open";
    case CboPhase::kProtected:
      return "protected";
    case CboPhase::kDone:
      return "done";
  }
  return "unknown";
}

std::string_view ToString(CboDoneReason value) {
  switch (value) {
    case CboDoneReason::kFilled:
      return "filled";
    case CboDoneReason::kCancelled:
      return "cancelled";
    case CboDoneReason::kExpired:
      return "expired";
    case CboDoneReason::kFillOrKillUnfilled:
      return "fill_or_kill_unfilled";
    case CboDoneReason::kEndOfDay:
      return "end_of_day";
  }
  return "unknown";
}

std::string_view ToString(FillKind value) {
  switch (value) {
    case FillKind::kStandard:
      return "standard";
    case FillKind::kDealerAutofill:
      return "dealer_autofill";
    case FillKind::kClientAutofill:
      return "client_autofill";
  }
  return "unknown";
}

std::string_view ToString(ResponseRejectCode value) {
  switch (value) {
    case ResponseRejectCode::kUnknownCbo:
      return "unknown_cbo";
    case ResponseRejectCode::kNotEligible:
      return "not_eligible";
    case ResponseRejectCode::kLevelChanged:
      return "level_changed";
    case ResponseRejectCode::kNothingLeft:
      return "nothing_left";
    case ResponseRejectCode::kAllOrNone:
      return "all_or_none";
  }
  return "unknown";
}

std::string_view ToString(WindowOutcome value) {
  switch (value) {
    case WindowOutcome::kNoMatch:
      return "no_match";
    case WindowOutcome::kSingle:
      return "single";
    case WindowOutcome::kRandom:
      return "random";
    case WindowOutcome::kPriceAuction:
      return "price_auction";
  }
  return "unknown";
}

absl::Status ValidateCboBookConfig(const CboBookConfig& config) {
  if (config.exclusive_time <= core::Duration::Zero() ||
      config.open_time <= core::Duration::Zero()) {
    return absl::InvalidArgumentError(
        absl::StrCat("CBO book: exclusive_time (", config.exclusive_time.ToString(),
                     ") and open_time (", config.open_time.ToString(), ") must be positive"));
  }
  if (config.tie_break_window < core::Duration::Zero()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "CBO book: tie_break_window ", config.tie_break_window.ToString(), " is negative"));
  }
  for (const auto& [instrument, tick] : config.instruments) {
    if (!tick.is_positive()) {
      return absl::InvalidArgumentError(absl::StrCat("CBO book: client tick ", tick.ToString(),
                                                     " of instrument ", instrument.value(),
                                                     " is not positive"));
    }
  }
  if (absl::Status status = ValidateProtectionConfig(config.protection); !status.ok()) {
    return status;
  }
  if ((config.combos == nullptr) != (config.catalog == nullptr)) {
    return absl::InvalidArgumentError(
        "CBO book: combo CBOs need both the combo catalog and the instrument catalog");
  }
  if (config.implied_depth_levels < 1) {
    return absl::InvalidArgumentError("CBO book: implied_depth_levels must be at least 1");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<CboBook>> CboBook::Create(CboBookConfig config,
                                                         ThirdPartyMarket* market,
                                                         core::Scheduler* scheduler,
                                                         CboListener* listener,
                                                         core::VenueId venue) {
  if (market == nullptr || scheduler == nullptr || listener == nullptr) {
    return absl::InvalidArgumentError("CBO book: market, scheduler and listener are required");
  }
  if (absl::Status status = ValidateCboBookConfig(config); !status.ok()) return status;
  auto book =
      std::unique_ptr<CboBook>(new CboBook(std::move(config), market, scheduler, listener, venue));
  market->AddObserver(book.get());
  return book;
}

CboBook::CboBook(CboBookConfig config, ThirdPartyMarket* market, core::Scheduler* scheduler,
                 CboListener* listener, core::VenueId venue)
    : config_(std::move(config)),
      market_(market),
      scheduler_(scheduler),
      listener_(listener),
      venue_(venue),
      rng_(config_.rng_seed),
      frozen_(market->stale()),
      self_(std::make_shared<CboBook*>(this)) {}

CboBook::~CboBook() { *self_ = nullptr; }

void CboBook::Permit(core::ParticipantId client, core::ParticipantId dealer) {
  permissions_.insert({client, dealer});
}

absl::Status CboBook::CheckRequest(const CboRequest& request) const {
  const std::string name = Name({request.client, request.id});
  if (request.instrument.has_value() == request.combo.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": name exactly one of an instrument and a combo"));
  }
  if (used_ids_.contains({request.client, request.id})) {
    return absl::AlreadyExistsError(absl::StrCat(name, ": the id is already used"));
  }
  if (request.instrument.has_value()) {
    auto it = config_.instruments.find(*request.instrument);
    if (it == config_.instruments.end()) {
      return absl::NotFoundError(
          absl::StrCat(name, ": instrument ", request.instrument->value(), " is not traded"));
    }
    if (!request.limit.IsOnTick(it->second)) {
      return absl::InvalidArgumentError(absl::StrCat(name, ": limit ", request.limit.ToString(),
                                                     " is not a multiple of the client tick ",
                                                     it->second.ToString()));
    }
  } else {
    if (config_.combos == nullptr || config_.combos->Find(*request.combo) == nullptr) {
      return absl::NotFoundError(
          absl::StrCat(name, ": combo ", request.combo->value(), " is not known"));
    }
  }
  if (!request.quantity.is_positive()) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": quantity ", request.quantity.value(), " is not positive"));
  }
  if (request.exclusive_dealers.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": no exclusive dealer"));
  }
  for (const auto* dealers : {&request.exclusive_dealers, &request.open_dealers}) {
    for (core::ParticipantId dealer : *dealers) {
      if (!permissions_.contains({request.client, dealer})) {
        return absl::PermissionDeniedError(
            absl::StrCat(name, ": dealer ", dealer.value(), " is not permissioned for the client"));
      }
    }
  }
  if (request.time_in_force == CboTimeInForce::kGoodForTime &&
      request.good_for <= core::Duration::Zero()) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": good-for time ", request.good_for.ToString(), " is not positive"));
  }
  if (request.client_autofill_threshold.has_value() &&
      !request.client_autofill_threshold->is_positive()) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": client autofill threshold must be positive"));
  }
  return absl::OkStatus();
}

absl::Status CboBook::Submit(const CboRequest& request) {
  if (absl::Status status = CheckRequest(request); !status.ok()) return status;
  std::vector<ImpliedLeg> legs;
  if (request.combo.has_value()) {
    absl::StatusOr<std::vector<ImpliedLeg>> implied =
        ImpliedLegs(*config_.combos->Find(*request.combo), *config_.catalog);
    if (!implied.ok()) return implied.status();
    legs = *std::move(implied);
  }
  const CboKey key{request.client, request.id};
  used_ids_.insert(key);
  Cbo& cbo = cbos_[key];
  cbo.request = request;
  cbo.legs = std::move(legs);
  cbo.protection = ProtectedOrder::Create(request.side, request.limit, request.quantity);
  Emit(CboAccepted{key, scheduler_->Now()});
  if (request.time_in_force == CboTimeInForce::kGoodForTime) {
    cbo.expiry_timer = scheduler_->ScheduleAfter(request.good_for, [self = self_, key]() {
      if (*self == nullptr) return;
      auto it = (*self)->cbos_.find(key);
      if (it == (*self)->cbos_.end()) return;
      (*self)->Finish(it->second, CboDoneReason::kExpired);  // D4
      (*self)->Flush();
    });
  }
  EnterPhase(cbo, CboPhase::kExclusive);
  Flush();
  return absl::OkStatus();
}

absl::Status CboBook::Cancel(const CboKey& key) {
  auto it = cbos_.find(key);
  if (it == cbos_.end()) {
    return absl::NotFoundError(absl::StrCat(Name(key), " is not open"));
  }
  Finish(it->second, CboDoneReason::kCancelled);  // D2: pending responses are rejected
  Flush();
  return absl::OkStatus();
}

absl::Status CboBook::Respond(const DealerResponse& response) {
  if (!response.quantity.is_positive()) {
    return absl::InvalidArgumentError(absl::StrCat("response of dealer ", response.dealer.value(),
                                                   " to ", Name(response.cbo), ": quantity ",
                                                   response.quantity.value(), " is not positive"));
  }
  if (response.autofill_threshold.has_value() && !response.autofill_threshold->is_positive()) {
    return absl::InvalidArgumentError(absl::StrCat("response of dealer ", response.dealer.value(),
                                                   ": autofill threshold must be positive"));
  }
  auto it = cbos_.find(response.cbo);
  if (it == cbos_.end()) {
    RejectResponse(response, ResponseRejectCode::kUnknownCbo,
                   absl::StrCat(Name(response.cbo), " is not open"));
    Flush();
    return absl::OkStatus();
  }
  Cbo& cbo = it->second;
  if (!Eligible(cbo, response.dealer)) {
    RejectResponse(
        response, ResponseRejectCode::kNotEligible,
        absl::StrCat("dealer ", response.dealer.value(), " is not a dealer of the ",
                     core::AsAbsl(ToString(cbo.phase)), " phase of ", Name(response.cbo)));
    Flush();
    return absl::OkStatus();
  }
  cbo.window.push_back({response, scheduler_->Now()});
  if (!cbo.window_open) {
    // R29 anchor (b): the window opens on the first response.
    cbo.window_open = true;
    const CboKey key = response.cbo;
    cbo.window_timer = scheduler_->ScheduleAfter(config_.tie_break_window, [self = self_, key]() {
      if (*self != nullptr) (*self)->CloseWindow(key);
    });
  }
  Flush();
  return absl::OkStatus();
}

void CboBook::EndOfDay() {
  std::vector<CboKey> day;
  for (const auto& [key, cbo] : cbos_) {
    if (cbo.request.time_in_force == CboTimeInForce::kDay) day.push_back(key);
  }
  for (const CboKey& key : day) Finish(cbos_.at(key), CboDoneReason::kEndOfDay);
  Flush();
}

bool CboBook::Eligible(const Cbo& cbo, core::ParticipantId dealer) const {
  switch (cbo.phase) {
    case CboPhase::kExclusive:
    case CboPhase::kProtected:  // R23: solely the exclusive dealers
      return Contains(cbo.request.exclusive_dealers, dealer);
    case CboPhase::kOpen:
      return Contains(cbo.request.open_dealers, dealer);
    case CboPhase::kDone:
      break;
  }
  return false;
}

bool CboBook::Protecting(const Cbo& cbo) const {
  if (cbo.phase == CboPhase::kDone) return false;
  return cbo.phase == CboPhase::kProtected || config_.aop_phases == AopPhases::kAll;
}

void CboBook::EnterPhase(Cbo& cbo, CboPhase phase) {
  const CboKey key{cbo.request.client, cbo.request.id};
  cbo.phase = phase;
  cbo.phase_expired = false;
  Emit(CboPhaseChanged{key, phase, scheduler_->Now()});
  if (phase == CboPhase::kExclusive) {
    SchedulePhaseTimer(key, config_.exclusive_time);
  } else if (phase == CboPhase::kOpen) {
    SchedulePhaseTimer(key, config_.open_time);
  }
  if (Protecting(cbo)) RunQuote(cbo);
}

void CboBook::SchedulePhaseTimer(const CboKey& key, core::Duration after) {
  Cbo& cbo = cbos_.at(key);
  cbo.phase_timer = scheduler_->ScheduleAfter(after, [self = self_, key]() {
    if (*self != nullptr) (*self)->OnPhaseTimer(key);
  });
}

void CboBook::OnPhaseTimer(const CboKey& key) {
  auto it = cbos_.find(key);
  if (it == cbos_.end()) return;
  Cbo& cbo = it->second;
  cbo.phase_timer = core::TimerId();
  if (cbo.window_open) {
    cbo.phase_expired = true;  // D3: finish the window first
    return;
  }
  AdvancePhase(cbo);
  Flush();
}

void CboBook::AdvancePhase(Cbo& cbo) {
  if (cbo.request.time_in_force == CboTimeInForce::kFillOrKill) {
    Finish(cbo, CboDoneReason::kFillOrKillUnfilled);  // D5
    return;
  }
  if (cbo.phase == CboPhase::kExclusive && !cbo.request.open_dealers.empty()) {
    EnterPhase(cbo, CboPhase::kOpen);
  } else if (cbo.phase == CboPhase::kExclusive || cbo.phase == CboPhase::kOpen) {
    EnterPhase(cbo, CboPhase::kProtected);
  }
}

void CboBook::CloseWindow(const CboKey& key) {
  auto it = cbos_.find(key);
  if (it == cbos_.end()) return;
  Cbo& cbo = it->second;
  cbo.window_open = false;
  cbo.window_timer = core::TimerId();
  std::vector<PendingResponse> responses = std::move(cbo.window);
  cbo.window.clear();

  struct Candidate {
    DealerResponse response;
    core::Price fill_price;
    FillKind kind;
    int64_t random_rank;
  };
  const ProtectedOrder& state = cbo.protection;
  const core::Side side = state.side;
  // A dealer "sells" to a client bid at `p`: p at or below the bid level matches; mirrored for
  // an offer. `Worse` measures how far a price sits on the wrong side of a level.
  const auto worse_by = [side](core::Price p, core::Price level) {
    return side == core::Side::kBuy ? p - level : level - p;
  };
  const std::vector<core::PriceLevel>& contra = ContraLevels(cbo);
  const std::optional<core::Price> contra_top =
      contra.empty() ? std::nullopt : std::optional<core::Price>(contra.front().price);
  std::vector<Candidate> candidates;
  const size_t first_event = pending_.size();
  for (const PendingResponse& pending : responses) {
    const DealerResponse& r = pending.response;
    const int64_t rank = rng_.UniformInt(0, INT64_MAX);
    if (!worse_by(r.price, state.level).is_positive()) {
      candidates.push_back({r, r.price, FillKind::kStandard, rank});  // R56
      continue;
    }
    // Autofill references the real-time TPIM: off while it is stale (F2).
    if (!frozen_ && r.autofill_threshold.has_value() && contra_top.has_value()) {
      const core::Price off_contra = r.price - *contra_top;
      const core::Price distance = off_contra.is_negative() ? -off_contra : off_contra;
      if (distance <= *r.autofill_threshold &&
          worse_by(r.price, state.level) <= *r.autofill_threshold) {
        candidates.push_back({r, state.level, FillKind::kDealerAutofill, rank});  // R53
        continue;
      }
    }
    if (!frozen_ && cbo.request.client_autofill_threshold.has_value() && state.aop_flag &&
        worse_by(r.price, state.level) <= *cbo.request.client_autofill_threshold &&
        !worse_by(r.price, state.original).is_positive()) {
      candidates.push_back({r, r.price, FillKind::kClientAutofill, rank});  // R54
      continue;
    }
    RejectResponse(r, ResponseRejectCode::kLevelChanged,
                   absl::StrCat("price ", r.price.ToString(), " does not match the level ",
                                state.level.ToString(), " of ", Name(key)));
  }
  // R27: random order, or the price auction's best-for-client first, random among ties. The
  // window's event goes before its rejects and fills (the level-changed rejects above are
  // emitted already, so it is inserted ahead of them).
  CboWindowClosed closed{key, responses.size(), candidates.size(), WindowOutcome::kNoMatch,
                         scheduler_->Now()};
  if (candidates.size() == 1) {
    closed.outcome = WindowOutcome::kSingle;
  } else if (candidates.size() > 1) {
    closed.outcome = config_.tie_break == TieBreak::kPriceAuction ? WindowOutcome::kPriceAuction
                                                                  : WindowOutcome::kRandom;
  }
  pending_.insert(pending_.begin() + static_cast<std::ptrdiff_t>(first_event), closed);
  std::stable_sort(
      candidates.begin(), candidates.end(), [this, side](const Candidate& a, const Candidate& b) {
        if (config_.tie_break == TieBreak::kPriceAuction && a.fill_price != b.fill_price) {
          return BetterForClient(side, a.fill_price, b.fill_price);
        }
        return a.random_rank < b.random_rank;
      });
  const bool all_or_none = cbo.request.quantity_instruction == QuantityInstruction::kAllOrNone ||
                           cbo.request.time_in_force == CboTimeInForce::kFillOrKill;
  for (const Candidate& candidate : candidates) {
    const core::Quantity leaves = cbo.protection.leaves;
    if (!leaves.is_positive()) {
      RejectResponse(candidate.response, ResponseRejectCode::kNothingLeft,
                     absl::StrCat(Name(key), " has nothing left to fill"));
      continue;
    }
    if (all_or_none && candidate.response.quantity < leaves) {
      RejectResponse(
          candidate.response, ResponseRejectCode::kAllOrNone,
          absl::StrCat("quantity ", candidate.response.quantity.value(),
                       " cannot fill all-or-none ", Name(key), " (", leaves.value(), " open)"));
      continue;
    }
    const core::Quantity quantity = Min(candidate.response.quantity, leaves);
    cbo.protection.leaves -= quantity;
    cbo.filled += quantity;
    Emit(CboFill{key, candidate.response.dealer, candidate.fill_price, quantity,
                 cbo.protection.leaves, candidate.kind, scheduler_->Now()});
  }
  if (!cbo.protection.leaves.is_positive()) {
    Finish(cbo, CboDoneReason::kFilled);
  } else if (cbo.request.time_in_force == CboTimeInForce::kFillOrKill) {
    Finish(cbo, CboDoneReason::kFillOrKillUnfilled);  // D5: one matching opportunity
  } else if (cbo.phase_expired) {
    AdvancePhase(cbo);
  }
  Flush();
}

void CboBook::Finish(Cbo& cbo, CboDoneReason reason) {
  const CboKey key{cbo.request.client, cbo.request.id};
  for (core::TimerId timer : {cbo.window_timer, cbo.phase_timer, cbo.expiry_timer}) {
    if (timer.valid()) scheduler_->Cancel(timer);
  }
  for (const PendingResponse& pending : cbo.window) {
    RejectResponse(pending.response, ResponseRejectCode::kNothingLeft,
                   absl::StrCat(Name(key), " is ", core::AsAbsl(ToString(reason))));
  }
  Emit(CboDone{key, reason, cbo.filled, scheduler_->Now()});
  cbos_.erase(key);
}

const std::vector<core::PriceLevel>& CboBook::ContraLevels(const Cbo& cbo) {
  if (cbo.request.instrument.has_value()) {
    return market_->Contra(*cbo.request.instrument, cbo.request.side);
  }
  scratch_ =
      ImpliedLadder(cbo.legs, *market_, core::Opposite(cbo.request.side),
                    std::max(config_.implied_depth_levels, config_.protection.awp_max_levels));
  return scratch_;
}

void CboBook::RunQuote(Cbo& cbo) {
  if (frozen_ || !Protecting(cbo)) return;
  const std::vector<core::PriceLevel>& levels = ContraLevels(cbo);
  const ContraMarket contra{levels};
  if (auto reprice = OnQuote(cbo.protection, contra, config_.protection, scheduler_->Now())) {
    Restate(cbo, *reprice, contra.top() ? std::optional(contra.top()->price) : std::nullopt);
  }
}

void CboBook::Restate(Cbo& cbo, const Reprice& reprice, std::optional<core::Price> contra) {
  CboRestated event;
  event.cbo = {cbo.request.client, cbo.request.id};
  event.reason = RestatementReasonFor(reprice.basis);
  event.basis = reprice.basis;
  event.previous_level = reprice.from;
  event.level = reprice.to;
  event.original_limit = cbo.protection.original;
  event.leaves_quantity = cbo.protection.leaves;
  event.tpim_contra = contra;
  event.time = scheduler_->Now();
  Emit(event);
}

void CboBook::OnTpimQuote(core::InstrumentId instrument) {
  if (frozen_) return;
  for (auto& [key, cbo] : cbos_) {
    const bool references =
        cbo.request.instrument == instrument ||
        std::any_of(cbo.legs.begin(), cbo.legs.end(),
                    [instrument](const ImpliedLeg& leg) { return leg.instrument == instrument; });
    if (references) RunQuote(cbo);
  }
  Flush();
}

void CboBook::OnTpimTrade(const core::TradePrint& print) {
  if (frozen_) return;
  for (auto& [key, cbo] : cbos_) {
    if (!Protecting(cbo)) continue;
    std::optional<core::TradePrint> trade;
    if (cbo.request.instrument == print.instrument) {
      trade = print;
    } else if (!cbo.legs.empty()) {
      trade = SyntheticComboTrade(cbo.legs, *market_, cbo.request.side, print);
    }
    if (!trade.has_value()) continue;
    const std::vector<core::PriceLevel>& levels = ContraLevels(cbo);
    const ContraMarket contra{levels};
    if (auto reprice = OnTrade(cbo.protection, trade->price, trade->quantity, contra,
                               config_.protection, scheduler_->Now())) {
      Restate(cbo, *reprice, contra.top() ? std::optional(contra.top()->price) : std::nullopt);
    }
  }
  Flush();
}

void CboBook::OnFeedState(FeedState state, std::string_view reason) {
  frozen_ = state == FeedState::kStale;
  AopStatusChanged event;
  event.venue = venue_;
  event.state = frozen_ ? AopState::kSuspended : AopState::kActive;
  event.reason = std::string(reason);
  event.time = scheduler_->Now();
  Emit(std::move(event));
  if (!frozen_) {
    for (auto& [key, cbo] : cbos_) RunQuote(cbo);  // F3: the first fresh update, price-only
  }
  Flush();
}

std::optional<ProtectedOrder> CboBook::Protection(const CboKey& cbo) const {
  auto it = cbos_.find(cbo);
  if (it == cbos_.end()) return std::nullopt;
  return it->second.protection;
}

std::optional<CboPhase> CboBook::Phase(const CboKey& cbo) const {
  auto it = cbos_.find(cbo);
  if (it == cbos_.end()) return std::nullopt;
  return it->second.phase;
}

void CboBook::RejectResponse(const DealerResponse& response, ResponseRejectCode code,
                             std::string reason) {
  Emit(ResponseRejected{response.dealer, response.cbo, code, std::move(reason), scheduler_->Now()});
}

void CboBook::Flush() {
  // Events raised from inside a listener callback join the batch being delivered.
  if (flushing_) return;
  flushing_ = true;
  for (size_t i = 0; i < pending_.size(); ++i) {
    Event event = pending_[i];
    std::visit(
        [this](const auto& e) {
          using T = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<T, CboAccepted>) listener_->OnCboAccepted(e);
          if constexpr (std::is_same_v<T, CboPhaseChanged>) listener_->OnCboPhaseChanged(e);
          if constexpr (std::is_same_v<T, CboRestated>) listener_->OnCboRestated(e);
          if constexpr (std::is_same_v<T, CboFill>) listener_->OnCboFill(e);
          if constexpr (std::is_same_v<T, CboDone>) listener_->OnCboDone(e);
          if constexpr (std::is_same_v<T, ResponseRejected>) listener_->OnResponseRejected(e);
          if constexpr (std::is_same_v<T, AopStatusChanged>) listener_->OnAopStatus(e);
          if constexpr (std::is_same_v<T, CboWindowClosed>) listener_->OnWindowClosed(e);
        },
        event);
  }
  pending_.clear();
  flushing_ = false;
}

}  // namespace combo::venues::aop

// MarketSimulator's negotiators: how a simulated trader on a negotiation venue values and
// answers the offers it hears (accept, counter, decline), and the log of their messages (see
// market_simulator.h, NegotiatorConfig).
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "venues/market_sim/agents.h"
#include "venues/market_sim/market_simulator.h"
#include "venues/market_sim/sim_values.h"
#include "venues/negotiation/instrument_text.h"
#include "venues/negotiation/protocol.h"

namespace combo::venues::market_sim {

std::optional<double> MarketSimulator::FairValueOf(std::string_view offer_instrument) const {
  absl::StatusOr<negotiation::Tradable> tradable =
      negotiation::ResolveInstrument(offer_instrument, *catalog_);
  if (!tradable.ok()) return std::nullopt;
  if (tradable->instrument.has_value()) return FairValue(*tradable->instrument);
  absl::StatusOr<pricing::ComboTerms> terms =
      pricing::ComboTerms::Create(*tradable->combo, *catalog_);
  if (!terms.ok()) return std::nullopt;
  double net = 0;
  for (const pricing::LegTerms& leg : terms->legs()) {
    const std::optional<double> fair = FairValue(leg.instrument);
    if (!fair.has_value()) return std::nullopt;
    const double weight = static_cast<double>(leg.weight);
    net += leg.side == core::Side::kBuy ? weight * *fair : -weight * *fair;
  }
  return net;
}

negotiation::OfferResponse MarketSimulator::AnswerOffer(std::string_view account,
                                                        const negotiation::Message& offer) {
  for (auto& negotiator : negotiators_) {
    if (negotiator->config.account == account) return Answer(*negotiator, offer);
  }
  return {};
}

std::vector<const negotiation::SimulatedParticipant*> MarketSimulator::negotiators() const {
  std::vector<const negotiation::SimulatedParticipant*> all;
  for (const auto& negotiator : negotiators_) all.push_back(negotiator->participant.get());
  return all;
}

negotiation::OfferResponse MarketSimulator::Answer(Negotiator& negotiator,
                                                   const negotiation::Message& offer) {
  using negotiation::OfferAnswer;
  const NegotiatorConfig& config = negotiator.config;
  negotiation::OfferResponse response;
  // The edge is drawn for every answer, whatever it turns out to be, so the stream does not
  // depend on the market's state.
  const int64_t edge_ticks =
      negotiator.rng.UniformInt(config.min_edge_ticks, config.max_edge_ticks);
  ++stats_.negotiation_offers_answered;
  const std::optional<double> fair = FairValueOf(offer.instrument);
  const bool single_instrument = !offer.instrument.empty() && offer.instrument.front() != '[';
  // A combo's prices are on the configured combo tick; an instrument's on its tick rule, with
  // the edge and band counted in ticks of the band fair value lies in.
  core::TickRule tick = core::TickRule::Uniform(config.combo_tick);
  if (single_instrument) {
    absl::StatusOr<negotiation::Tradable> tradable =
        negotiation::ResolveInstrument(offer.instrument, *catalog_);
    if (tradable.ok() && tradable->instrument.has_value()) {
      tick = catalog_->Find(*tradable->instrument)->tick_rule();
    }
  }
  if (fair.has_value() && !stopped_ && venues_.at(config.venue).state == VenueState::kOpen) {
    const double tick_at_fair = TickAtValue(tick, *fair);
    const double edge = static_cast<double>(edge_ticks) * tick_at_fair;
    const double band = static_cast<double>(config.counter_band_ticks) * tick_at_fair;
    // The offer sells: we would buy, at most at fair - edge; and mirror.
    const bool we_buy = offer.side == core::Side::kSell;
    const std::optional<core::Price> ours =
        we_buy ? ToTick(*fair - edge, tick, core::RoundingMode::kDown)
               : ToTick(*fair + edge, tick, core::RoundingMode::kUp);
    const std::optional<core::Price> band_edge =
        we_buy ? ToTick(*fair + band, tick, core::RoundingMode::kUp)
               : ToTick(*fair - band, tick, core::RoundingMode::kDown);
    if (ours.has_value() && band_edge.has_value()) {
      const bool acceptable = we_buy ? offer.price <= *ours : offer.price >= *ours;
      const bool near = we_buy ? offer.price <= *band_edge : offer.price >= *band_edge;
      // The crowd's own counters are taken when good enough, never countered: two negotiators
      // would otherwise answer each other's counters back and forth.
      const bool from_crowd = crowd_offers_.contains(offer.id);
      if (acceptable && offer.quantity <= config.max_quantity) {
        response.answer = OfferAnswer::kAccept;
      } else if ((acceptable || near) && !from_crowd &&
                 (!single_instrument || ours->is_positive())) {
        response.answer = OfferAnswer::kCounter;
        response.price = *ours;
        response.quantity = std::min(offer.quantity, config.max_quantity);
      }
    }
  }
  switch (response.answer) {
    case OfferAnswer::kAccept:
      ++stats_.negotiation_accepts;
      break;
    case OfferAnswer::kCounter:
      ++stats_.negotiation_counters;
      break;
    case OfferAnswer::kDecline:
      ++stats_.negotiation_declines;
      break;
  }
  log_.Begin(LogKind::kNegotiationAnswer);
  log_.Add(uint64_t{negotiator.index});
  log_.AddString(offer.id);
  log_.Add(static_cast<uint64_t>(response.answer));
  log_.Add(response.price.raw());
  log_.Add(response.quantity.value());
  log_.Add(scheduler_->Now().unix_nanos());
  if (log_.keeps_lines()) {
    log_.Describe(absl::StrCat(scheduler_->Now().ToString(), " negotiator ", config.account, " ",
                               core::AsAbsl(negotiation::ToString(response.answer)), " #", offer.id,
                               " ", offer.instrument, " @", offer.price.ToString(),
                               response.answer == OfferAnswer::kCounter
                                   ? absl::StrCat(" with ", response.price.ToString())
                                   : std::string()));
  }
  return response;
}

void MarketSimulator::LogNegotiationMessage(const Negotiator& negotiator,
                                            negotiation::MessageDirection direction,
                                            const negotiation::Message& message) {
  if (direction == negotiation::MessageDirection::kSent &&
      message.type == negotiation::MessageType::kOffer) {
    crowd_offers_.insert(message.id);
  } else if (message.type == negotiation::MessageType::kExpired ||
             message.type == negotiation::MessageType::kWithdrawn) {
    crowd_offers_.erase(message.id);
  }
  log_.Begin(LogKind::kNegotiationMessage);
  log_.Add(uint64_t{negotiator.index});
  log_.Add(static_cast<uint64_t>(direction));
  log_.Add(static_cast<uint64_t>(message.type));
  log_.AddString(message.id);
  log_.Add(Word(message.side));
  log_.Add(message.quantity.value());
  log_.AddString(message.instrument);
  log_.Add(message.price.raw());
  log_.Add(message.timeout_seconds);
  log_.AddString(message.counterparty);
  log_.AddString(message.code);
  log_.Add(scheduler_->Now().unix_nanos());
}

}  // namespace combo::venues::market_sim

#include "config/config_schema.h"

#include <utility>

namespace combo::config {
namespace {

std::map<std::string, std::vector<std::string_view>> BuildSchema() {
  std::map<std::string, std::vector<std::string_view>> schema = {
      {"",
       {"daemon", "logging", "metrics", "instruments", "instruments_file", "pricing", "venues",
        "router", "leg_in", "risk", "resolver", "accounts", "fix", "simulation", "calendar",
        "sharding"}},
      {"daemon", {"name", "data_dir", "drain_timeout", "shutdown_timeout", "busy_poll"}},
      {"logging", {"level", "file"}},
      {"metrics", {"enabled", "listen_address", "port"}},
      {"instruments[]",
       {"id", "symbol", "asset_class", "underlying", "multiplier", "tick_size", "right", "strike",
        "expiry"}},
      {"pricing", {"fee_mode", "underlyings"}},
      {"pricing.underlyings.<name>", {"volatility", "rate"}},
      {"venues[]",
       {"name", "id", "kind", "routable", "expected_latency", "instruments", "option_underlyings",
        "allocation", "seed001", "market_maker_rules", "fees", "latency", "latency_protection",
        "aop", "complex_book", "leg_processes", "negotiation"}},
      {"venues[].leg_processes", {"away_market", "fast_market", "opening", "block", "farmm"}},
      {"venues[].leg_processes.away_market", {"enabled", "table"}},
      {"venues[].leg_processes.away_market.table[]", {"difference", "size"}},
      {"venues[].leg_processes.fast_market", {"enabled", "level_delays", "automatic"}},
      {"venues[].leg_processes.fast_market.automatic", {"primary_market", "level", "interval"}},
      {"venues[].leg_processes.opening", {"enabled", "start_after"}},
      {"venues[].leg_processes.block",
       {"enabled", "min_quantity", "response_window", "facilitation_percent"}},
      {"venues[].leg_processes.farmm", {"enabled", "decision_window"}},
      {"venues[].seed001",
       {"small_order_threshold", "pmm_share_percent_one_other", "pmm_share_percent_two_others",
        "pmm_share_percent_three_or_more"}},
      {"venues[].market_maker_rules",
       {"minimum_market_size", "step_up_budget", "professional_band_ticks",
        "professional_availability", "farmm_availability", "tick_worse_sizes", "derive_matrix",
        "quote_match_delay"}},
      {"venues[].market_maker_rules.derive_matrix[]", {"improvement", "contracts"}},
      {"venues[].market_maker_rules.professional_availability", {"percent", "contracts"}},
      {"venues[].market_maker_rules.farmm_availability", {"percent", "contracts"}},
      {"venues[].fees", {"maker_per_contract", "taker_per_contract"}},
      {"venues[].latency", {"seed", "default", "inbound", "outbound"}},
      {"venues[].latency.inbound", {"new_order", "complex_order", "cancel", "replace"}},
      {"venues[].latency.outbound",
       {"ack", "reject", "fill", "cancelled", "restated", "market_data"}},
      {"venues[].latency_protection",
       {"enabled", "tiers", "scope", "submitter_rule", "measure", "log_scope",
        "history_per_participant", "reported_cap", "test_instrument_id", "router_probe_interval"}},
      {"venues[].latency_protection.tiers[]", {"from", "bound", "period"}},
      {"venues[].aop",
       {"enabled", "sources", "stale_after", "coverage", "protected_participants", "protection",
        "cbo"}},
      {"venues[].aop.protection",
       {"awp_enabled", "awp_max_levels", "awp_tick", "awp_rounding", "wff_enabled", "wff_tolerance",
        "wff_max_age", "active_level", "empty_contra"}},
      {"venues[].aop.cbo",
       {"enabled", "exclusive_time", "open_time", "tie_break_window", "tie_break", "rng_seed",
        "aop_phases", "implied_depth_levels"}},
      {"venues[].complex_book",
       {"enabled", "combos", "net_tick", "price_buffer", "buffer_scope", "exposure_delay"}},
      {"venues[].negotiation",
       {"account", "offer_timeout", "immediate_offer_timeout", "offer_id_prefix", "combo_scope",
        "combos", "listen_address", "port", "service"}},
      {"venues[].negotiation.service",
       {"trade_request_timeout", "handle_rotation_interval", "handle_retention",
        "closed_offer_retention", "handle_seed", "withdrawal"}},
      {"venues[].negotiation.service.withdrawal",
       {"action", "min_offer_life", "window_offers", "min_offers", "max_premature_percent",
        "throttle_duration"}},
      {"router",
       {"participant", "stability_wait", "cancel_timeout_with_legs_working", "combo_tick",
        "first_order_id", "on_restart", "market_order_collar"}},
      {"router.market_order_collar", {"ticks", "basis_points"}},
      {"calendar", {"time_zone", "close", "weekdays", "holidays", "closes"}},
      {"calendar.closes[]", {"product", "venue", "close"}},
      {"leg_in",
       {"ranking", "desk_prefers_to_hold", "similar_delta_tolerance", "mode", "defensive_ticks",
        "failures_before_defensive", "always_defensive_above_legs", "max_failures_per_order",
        "max_units_per_slice", "displayed_size_percent", "leg_order_type", "leg_timeout",
        "max_leg_resubmits", "leg_resubmit_delay", "max_leg_reroutes"}},
      {"risk",
       {"max_combo_quantity", "max_legs", "max_notional", "collar_ticks", "collar_basis_points",
        "default_client_credit_limit", "client_credit_limits", "allowed_instruments",
        "blocked_instruments", "max_remembered_client_order_ids", "max_legin_units",
        "max_legin_notional", "max_legin_dollar_delta", "max_error_account_position",
        "max_error_account_total_position", "max_error_account_loss", "halt_error_account_loss"}},
      {"resolver",
       {"enabled", "interval", "horizon", "complete", "unwind", "hedge",
        "completion_probability_bps", "adverse_move_bps", "max_order_quantity", "max_action_cost",
        "hand_off"}},
      {"resolver.complete", {"enabled", "band_ticks", "max_band_ticks"}},
      {"resolver.unwind", {"enabled", "band_ticks", "max_band_ticks"}},
      {"resolver.hedge", {"enabled", "band_ticks", "min_delta_shares"}},
      {"accounts", {"durability", "flush_interval", "group_commit", "commission", "journal"}},
      {"accounts.group_commit", {"max_events", "max_delay"}},
      {"accounts.commission", {"per_trade", "per_combo_unit", "per_leg_contract", "minimum"}},
      {"accounts.commission.per_leg_contract", {"securities", "options", "futures"}},
      {"accounts.journal", {"path", "max_pages"}},
      {"fix",
       {"enabled", "listen_address", "port", "data_dictionary", "store_directory", "log_directory",
        "max_legs", "sessions", "tls", "sockets"}},
      {"fix.sessions[]",
       {"client_comp_id", "gateway_comp_id", "username", "password", "default_account",
        "cancel_on_disconnect"}},
      {"fix.tls", {"certificate_file", "private_key_file", "ca_file"}},
      {"sharding", {"product_groups", "shards", "this_shard"}},
      {"sharding.shards[]", {"name", "product_groups", "fix_endpoint"}},
      {"simulation",
       {"enabled", "seed", "step", "rate", "first_participant_id", "underlyings", "market_makers",
        "takers", "complex_quoters", "resting_traders", "cbo_desks", "script", "negotiators",
        "negotiation_participants"}},
      {"simulation.cbo_desks[]",
       {"venue", "instruments", "exclusive_dealers", "open_dealers", "cbos_per_second",
        "min_quantity", "max_quantity", "min_limit_offset_ticks", "max_limit_offset_ticks",
        "cbo_lifetime", "client_autofill_ticks", "min_edge_ticks", "max_edge_ticks",
        "dealer_autofill_ticks", "min_response_delay", "max_response_delay",
        "leg_orders_per_second"}},
      {"simulation.underlyings[]",
       {"underlying", "initial_price", "drift", "volatility", "jump_intensity", "jump_mean",
        "jump_deviation"}},
      {"simulation.market_makers[]",
       {"venue", "instruments", "min_half_spread_ticks", "max_half_spread_ticks", "quantity",
        "requote_delay", "requote_jitter", "role", "latency", "probe_interval", "group"}},
      {"simulation.takers[]",
       {"venue", "instruments", "combos", "arrivals_per_second", "min_quantity", "max_quantity",
        "role", "latency", "probe_interval", "group"}},
      {"simulation.complex_quoters[]",
       {"venue", "combos", "net_tick", "min_half_spread_ticks", "max_half_spread_ticks", "quantity",
        "requote_delay", "requote_jitter", "role", "latency", "probe_interval", "group"}},
      {"simulation.resting_traders[]",
       {"venue", "role", "instruments", "combos", "orders_per_second", "min_offset_ticks",
        "max_offset_ticks", "min_quantity", "max_quantity", "min_lifetime", "max_lifetime",
        "replace_percent", "max_open_orders", "net_tick", "block_percent", "block_quantity",
        "facilitation_percent"}},
      {"simulation.script[]",
       {"at", "kind", "venue", "instrument", "underlying", "log_return", "extra_latency",
        "spike_length", "level", "delay"}},
      {"simulation.negotiators[]",
       {"venue", "account", "min_edge_ticks", "max_edge_ticks", "counter_band_ticks", "combo_tick",
        "max_quantity", "min_think_time", "max_think_time", "counter_timeout_seconds"}},
      {"simulation.negotiation_participants[]",
       {"account", "interests", "min_think_time", "max_think_time", "trade_request_delay",
        "clearing_firm", "seed"}},
      {"simulation.negotiation_participants[].interests[]",
       {"instrument", "buy_limit", "sell_limit", "max_quantity"}},
  };
  // Every latency entry is a {fixed, jitter} pair.
  const std::vector<std::string_view> latency_spec = {"fixed", "jitter"};
  schema["venues[].latency.default"] = latency_spec;
  for (std::string_view key : schema["venues[].latency.inbound"]) {
    schema["venues[].latency.inbound." + std::string(key)] = latency_spec;
  }
  for (std::string_view key : schema["venues[].latency.outbound"]) {
    schema["venues[].latency.outbound." + std::string(key)] = latency_spec;
  }
  for (std::string_view agents : {"market_makers", "takers", "complex_quoters"}) {
    schema["simulation." + std::string(agents) + "[].latency"] = latency_spec;
  }
  return schema;
}

}  // namespace

const std::map<std::string, std::vector<std::string_view>>& ConfigSchema() {
  static const auto* const schema =
      new std::map<std::string, std::vector<std::string_view>>(BuildSchema());
  return *schema;
}

}  // namespace combo::config

// DaemonConfig: everything combo-routerd is configured with, loaded from one YAML file into the
// typed structs of the modules that use them (docs/OPERATIONS.md "Config reference").
//
// Loading is strict: unknown keys, wrong types, out-of-range values, missing required keys and
// bad cross-references (a native combo on an instrument that does not exist, an AOP source that
// is not a venue, ...) are all errors, and every error of the file is reported at once, one per
// line, as "file:line:column: key.path: what was expected, got what". Each module's own Validate*
// is applied to what the file builds, its message tied to the key path of the section.
//
// Instruments come from the `instruments` list, from an instrument master file
// (`instruments_file`, config/instrument_master.h), or both; a master row whose last trading day
// is before the load's date (LoadOptions::today) is expired: kept out of trading, remembered only
// to tell an order naming it why it is refused.
//
// The leg-in policy, the router's knobs, the risk limits, the residual resolver's settings and new
// instruments and listings can be
// reloaded on SIGHUP: LoadReloadableConfig validates the whole file exactly as at start-up and
// returns only those, which the daemon swaps in; every other section takes effect only on
// restart. A reload that removes or changes a running instrument, or a listing, is refused.
//
// A loaded DaemonConfig is an immutable value: build it once, share it read-only between threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "accounts/accounts_service.h"
#include "core/combo_catalog.h"
#include "core/ids.h"
#include "core/instrument_catalog.h"
#include "core/time.h"
#include "pricing/delta.h"
#include "pricing/pricing_engine.h"
#include "resolver/resolver_config.h"
#include "risk/risk_limits.h"
#include "router/leg_in_policy.h"
#include "router/router_config.h"
#include "router/shard_ownership.h"
#include "venues/market_sim/market_simulator.h"
#include "venues/negotiation/negotiation_venue.h"
#include "venues/negotiation/service.h"
#include "venues/negotiation/simulated_participant.h"
#include "venues/simulated_venue.h"

namespace combo::config {

// The daemon's own process settings (section `daemon`).
struct DaemonSettings {
  // The instance name: logs and combo_build_info carry it.
  std::string name = "combo-routerd";
  // Where the daemon keeps its state; relative paths elsewhere in the file (journal, FIX store
  // and logs) are resolved against it, and it is resolved against the working directory.
  std::string data_dir = "data";
  // SIGTERM: new orders are refused at once; working leg-ins get this long to finish (their
  // unfinished legs are then cancelled and booked to the error account)...
  core::Duration drain_timeout = core::Duration::Seconds(5);
  // ...and after this long in all the daemon exits even if a venue or the journal still owes an
  // answer. At least drain_timeout.
  core::Duration shutdown_timeout = core::Duration::Seconds(15);
  // The core thread never sleeps: it polls its sockets, timers and posted work in a loop. The
  // lowest latency (no wake-up on an order's path) for one CPU kept busy (docs/FIX.md
  // "Sockets").
  bool busy_poll = false;
};

enum class LogLevel : uint8_t { kTrace, kDebug, kInfo, kWarn, kError, kCritical, kOff };
std::string_view ToString(LogLevel level);

// Section `logging`.
struct LoggingSettings {
  LogLevel level = LogLevel::kInfo;
  // A log file (resolved against daemon.data_dir); empty logs to stderr.
  std::string file;
};

// Section `metrics`: the Prometheus exposer.
struct MetricsSettings {
  bool enabled = true;
  // Loopback by default: exposing metrics beyond the host is an operator's decision.
  std::string listen_address = "127.0.0.1";
  int port = 9464;
};

// Section `pricing`.
struct PricingSettings {
  // The venues the router may use (every venue with `routable: true`, in file order) and their
  // taker/maker fees per asset class, built from the venues section.
  pricing::PricingConfig engine;
  // Black-Scholes inputs for option deltas (leg ranking, dollar-delta exposure), by underlying.
  std::map<std::string, pricing::UnderlyingParameters> underlyings;
};

enum class VenueKind : uint8_t {
  kSimulated,    // an embedded exchange: leg books, optionally a complex book, AOP or latency
                 // protection (venues::SimulatedVenue)
  kNegotiation,  // the negotiation network of seed 000 (venues::negotiation::NegotiationVenue)
};
std::string_view ToString(VenueKind kind);

// The negotiation venue's settings (venue `negotiation:` block).
struct NegotiationSettings {
  // id, name, listed instruments and combos are filled from the venue entry.
  venues::negotiation::NegotiationVenueConfig venue;
  venues::negotiation::ServiceConfig service;
  // Outside participants may reach the service over TCP here; port 0 keeps it in-process only.
  std::string listen_address = "127.0.0.1";
  int port = 0;
};

// One entry of `venues`.
struct VenueConfig {
  std::string name;
  core::VenueId id;
  VenueKind kind = VenueKind::kSimulated;
  // Whether the router may price and route on this venue (pricing.engine.venues).
  bool routable = true;
  // What the router expects an order to take at this venue (leg ranking by venue speed, R21):
  // the configured `expected_latency`, or else the fixed inbound new-order latency plus the
  // fixed outbound ack latency of the latency model (zero for a negotiation venue).
  core::Duration expected_latency;
  // Every instrument the venue lists, in file order.
  std::vector<core::InstrumentId> instruments;
  // The combos the venue trades natively, as ids of DaemonConfig::combos, in file order.
  std::vector<core::ComboId> native_combos;
  // kind == kSimulated: the whole venue config (instruments and complex_book.combos filled).
  venues::SimulatedVenueConfig simulated;
  // How often the router probes this venue's latency protection with a test order
  // (latency_protection.router_probe_interval; seed 002 R5): 1 s by default while the venue runs
  // latency protection, zero (never) otherwise.
  core::Duration router_probe_interval;
  // kind == kNegotiation.
  NegotiationSettings negotiation;
};

// Section `accounts`.
struct AccountsSettings {
  accounts::AccountsOptions options;
  // The SQLite journal (resolved against daemon.data_dir).
  std::string journal_path;
};

// Section `fix`. The same fields as fix::GatewayConfig, which config/ may not include (config
// and fix are one layer; DESIGN.md): the daemon copies them across field by field and applies
// fix::Validate, so this loader checks the same rules (ports, CompIDs, username with password).
struct FixSessionSettings {
  std::string gateway_comp_id = "COMBO";
  std::string client_comp_id;
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::string default_account;
  // Cancel the client's working orders when its session logs out or drops.
  bool cancel_on_disconnect = false;
};

struct FixTlsSettings {
  std::string certificate_file;
  std::string private_key_file;
  std::optional<std::string> ca_file;
};

// Which thread serves the FIX sockets (fix::SocketThreads).
enum class FixSockets : uint8_t {
  // The core thread, with no hand-off on an order's path (plain TCP).
  kCoreThread,
  // QuickFIX's threads, one per connection (needed for TLS).
  kSessionThreads,
};
std::string_view ToString(FixSockets sockets);

struct FixSettings {
  bool enabled = true;
  // Default: core_thread, or session_threads when tls is set.
  FixSockets sockets = FixSockets::kCoreThread;
  // The acceptor's address (QuickFIX SocketAcceptHost).
  std::string listen_address = "127.0.0.1";
  int port = 9878;
  // The project's FIX 4.4 dictionary (resolved against the working directory).
  std::string data_dictionary = "fix/spec/FIX44-combo.xml";
  // QuickFIX file store and logs, resolved against daemon.data_dir; no logs when empty.
  std::string store_directory = "fix/store";
  std::string log_directory;
  std::vector<FixSessionSettings> sessions;
  std::optional<FixTlsSettings> tls;
  // Most legs a combo may have on FIX.
  size_t max_legs = 8;
};

// Section `simulation`: background liquidity on the embedded venues.
struct SimulationSettings {
  bool enabled = false;
  // Makers, takers and complex quoters expanded to one entry per (venue, instrument) or
  // (venue, combo); ids resolved.
  venues::market_sim::MarketSimConfig market;
  // Counterparties on the negotiation network.
  std::vector<venues::negotiation::SimulatedParticipantConfig> negotiation_participants;
};

// Key `instruments_file`: the instrument master the instruments came from.
struct InstrumentMasterSummary {
  // The file as read: relative to the config file's directory when given relative.
  std::string file;
  // Its rows that are listed (tradable) and those expired at the load's date (not listed).
  size_t listed = 0;
  size_t expired = 0;
};

// What a load judges by the date.
struct LoadOptions {
  // The daemon's date: master rows whose last trading day is before it are expired. Absent
  // (tests, tools): no row is.
  std::optional<absl::CivilDay> today;
};

struct DaemonConfig {
  // The file it was loaded from (as given).
  std::string source_file;
  // The date the load judged expiries by (LoadOptions::today).
  std::optional<absl::CivilDay> listing_date;
  std::optional<InstrumentMasterSummary> instrument_master;
  DaemonSettings daemon;
  LoggingSettings logging;
  MetricsSettings metrics;
  core::InstrumentCatalog instruments;
  // Every native combo of every venue, canonicalized and interned in file order (ids from 1).
  core::ComboCatalog combos;
  PricingSettings pricing;
  std::vector<VenueConfig> venues;
  router::RouterConfig router;
  router::LegInPolicy leg_in;
  risk::RiskLimits risk;
  // Section `resolver`: the residual resolver (docs/RESOLVER.md).
  resolver::ResolverConfig resolver;
  AccountsSettings accounts;
  FixSettings fix;
  SimulationSettings simulation;
  // Section `sharding`: the product groups of a sharded set, the shards owning them and which
  // one this daemon is. Absent: unsharded, the daemon owns every product (docs/DEPLOY.md
  // "Sharded by product group").
  std::optional<router::ShardOwnership> sharding;

  // nullptr when unknown.
  const VenueConfig* FindVenue(std::string_view name) const;
};

// What a reload adds to the running instruments: instruments that are new (strikes listed
// intraday), listings at venues that did not list an instrument, and the simulation's agents
// for those listings.
struct InstrumentAdditions {
  struct Listing {
    core::VenueId venue;
    core::InstrumentId instrument;
    core::TickRule tick_rule;
  };
  // Id order.
  std::vector<core::Instrument> instruments;
  // Venue order, then the venue's listing order.
  std::vector<Listing> listings;
  // Market makers of the new listings (the simulation's entries, expanded as at start-up).
  std::vector<venues::market_sim::MarketMakerConfig> market_makers;
  // (index of a running taker, an instrument it now also trades).
  std::vector<std::pair<size_t, core::InstrumentId>> taker_instruments;

  bool empty() const { return instruments.empty() && listings.empty(); }
};

// What SIGHUP may change while the daemon runs.
struct ReloadableConfig {
  router::RouterConfig router;
  router::LegInPolicy leg_in;
  risk::RiskLimits risk;
  resolver::ResolverConfig resolver;
  InstrumentAdditions instruments;
  // The reloaded file's instrument master, if any (for the log).
  std::optional<InstrumentMasterSummary> instrument_master;
};

// Loads and validates `path`. InvalidArgument lists every problem, one per line; NotFound when
// the file cannot be read.
absl::StatusOr<DaemonConfig> LoadDaemonConfigFile(const std::string& path,
                                                  const LoadOptions& options = {});
// The same for text in memory; `file_name` names it in errors, and a relative instruments_file
// is taken from its directory.
absl::StatusOr<DaemonConfig> LoadDaemonConfigText(std::string_view text,
                                                  const std::string& file_name,
                                                  const LoadOptions& options = {});

// SIGHUP: the whole file must load exactly as at start-up, and its instruments may only add to
// `running`'s (InstrumentChanges); only the reloadable parts are returned.
absl::StatusOr<ReloadableConfig> LoadReloadableConfig(const std::string& path,
                                                      const DaemonConfig& running,
                                                      const LoadOptions& options = {});
ReloadableConfig ReloadablePart(const DaemonConfig& config);

// The instruments and listings `loaded` adds to `running`. Fails, naming each one, if `loaded`
// removes or changes an instrument `running` trades (orders may reference it: a restart changes
// it), stops listing one at a venue, or needs a simulation the running one cannot give (a new
// underlying process, agent ids reaching the router's participant id). An instrument `loaded`
// finds expired is not a removal: it stays listed until a restart.
absl::StatusOr<InstrumentAdditions> InstrumentChanges(const DaemonConfig& running,
                                                      const DaemonConfig& loaded);

// Every key path the loader accepts, sorted, sequences written "[]" and operator-chosen names
// "<name>" (e.g. "venues[].latency_protection.tiers[].period", "risk.client_credit_limits.<name>").
// docs/OPERATIONS.md "Config reference" documents exactly these.
std::vector<std::string> AcceptedConfigKeys();

}  // namespace combo::config

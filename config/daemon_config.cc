#include "config/daemon_config.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <sstream>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "config/config_schema.h"
#include "config/instrument_master.h"
#include "config/yaml_reader.h"
#include "core/absl_compat.h"
#include "core/status.h"
#include "pricing/combo_terms.h"
#include "venues/negotiation/instrument_text.h"
#include "venues/negotiation/withdrawal_tracker.h"

namespace combo::config {

using core::AsAbsl;

std::string_view ToString(FixSockets sockets) {
  return sockets == FixSockets::kCoreThread ? "core_thread" : "session_threads";
}

std::string_view ToString(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace:
      return "trace";
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
    case LogLevel::kCritical:
      return "critical";
    case LogLevel::kOff:
      return "off";
  }
  return "?";
}

std::string_view ToString(VenueKind kind) {
  switch (kind) {
    case VenueKind::kSimulated:
      return "simulated";
    case VenueKind::kNegotiation:
      return "negotiation";
  }
  return "?";
}

const VenueConfig* DaemonConfig::FindVenue(std::string_view name) const {
  for (const VenueConfig& venue : venues) {
    if (venue.name == name) return &venue;
  }
  return nullptr;
}

ReloadableConfig ReloadablePart(const DaemonConfig& config) {
  ReloadableConfig part;
  part.router = config.router;
  part.leg_in = config.leg_in;
  part.risk = config.risk;
  part.resolver = config.resolver;
  return part;
}

namespace {

constexpr int kMaxPort = 65535;
// How often the router, and a simulated participant, probe a venue running latency protection
// unless configured (seed 002 R5 gives no value).
constexpr core::Duration kDefaultProbeInterval = core::Duration::Seconds(1);

// A relative `path` is taken from `base`.
std::string ResolvePath(const std::string& base, const std::string& path) {
  if (path.empty() || path.front() == '/' || base.empty()) return path;
  return base.back() == '/' ? base + path : base + "/" + path;
}

std::string StatusText(const absl::Status& status) { return std::string(status.message()); }

// A YAML entry that names a venue, remembered until every venue is known.
struct VenueReference {
  YamlField field;
  std::string name;
};

// One load of one file. Reads each section into the DaemonConfig, recording every problem in
// `errors_` and carrying on, so that one run reports them all.
class Loader {
 public:
  Loader(ConfigErrors* errors, LoadOptions options) : errors_(errors), options_(options) {}

  DaemonConfig Load(YamlField root, const std::string& file) {
    DaemonConfig config;
    config.source_file = file;
    config.listing_date = options_.today;
    if (!Expect(root)) return config;
    if (auto f = root.Optional("daemon")) LoadDaemon(*f, config.daemon);
    if (auto f = root.Optional("logging")) LoadLogging(*f, config.logging);
    if (auto f = root.Optional("metrics")) LoadMetrics(*f, config.metrics);
    // The instruments list may be left out when a master file gives the instruments.
    std::optional<YamlField> master = root.Optional("instruments_file");
    if (auto f = master.has_value() ? root.Optional("instruments") : root.Required("instruments")) {
      LoadInstruments(*f, config);
    }
    if (master.has_value()) LoadInstrumentMaster(*master, config);
    if (auto f = root.Optional("sharding")) LoadSharding(*f, config);
    if (auto f = root.Required("venues")) LoadVenues(*f, config);
    if (auto f = root.Optional("pricing")) LoadPricing(*f, config);
    BuildPricingEngine(config);
    if (auto f = root.Optional("router")) LoadRouter(*f, config.router);
    if (auto f = root.Optional("calendar")) LoadCalendar(*f, config);
    if (auto f = root.Optional("leg_in")) LoadLegIn(*f, config);
    if (auto f = root.Optional("risk")) LoadRisk(*f, config);
    if (auto f = root.Optional("resolver")) LoadResolver(*f, config.resolver);
    if (auto f = root.Optional("accounts")) LoadAccounts(*f, config.accounts);
    if (auto f = root.Optional("fix")) LoadFix(*f, config.fix);
    if (auto f = root.Optional("simulation")) LoadSimulation(*f, config);
    Finish(root, config);
    return config;
  }

 private:
  // Declares the keys of the mapping at `field` from the schema.
  bool Expect(YamlField& field) {
    const auto& schema = ConfigSchema();
    auto it = schema.find(field.schema_path());
    if (it == schema.end()) {
      field.Error("internal: the loader has no schema for this mapping");
      return false;
    }
    return field.ExpectMap(it->second);
  }

  size_t ErrorCount() const { return errors_->errors().size(); }

  // Records `status` (if an error) at `field`, prefixed with `what`.
  void Check(const YamlField& field, const absl::Status& status, std::string_view what = "") {
    if (status.ok()) return;
    field.Error(what.empty() ? StatusText(status)
                             : absl::StrCat(AsAbsl(what), ": ", status.message()));
  }

  void ReadPort(YamlField& parent, std::string_view key, int* port, int min_port) {
    auto f = parent.Optional(key);
    if (!f.has_value()) return;
    int32_t value = 0;
    if (!f->Read(&value)) return;
    if (value < min_port || value > kMaxPort) {
      f->Error(absl::StrCat("expected a port from ", min_port, " to ", kMaxPort, ", got ", value));
      return;
    }
    *port = value;
  }

  // A whole number of at least `min`.
  template <typename Int>
  bool ReadAtLeast(YamlField& parent, std::string_view key, Int* out, int64_t min) {
    auto f = parent.Optional(key);
    if (!f.has_value()) return false;
    int64_t value = 0;
    if (!f->Read(&value)) return false;
    if (value < min) {
      f->Error(absl::StrCat("expected a whole number of at least ", min, ", got ", value));
      return false;
    }
    if (static_cast<uint64_t>(std::numeric_limits<Int>::max()) <
            static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) &&
        static_cast<uint64_t>(value) > static_cast<uint64_t>(std::numeric_limits<Int>::max())) {
      f->Error(absl::StrCat("expected at most ", std::numeric_limits<Int>::max(), ", got ", value));
      return false;
    }
    *out = static_cast<Int>(value);
    return true;
  }

  bool ReadQuantity(YamlField& parent, std::string_view key, core::Quantity* out, int64_t min) {
    int64_t value = 0;
    if (!ReadAtLeast(parent, key, &value, min)) return false;
    *out = core::Quantity(value);
    return true;
  }

  // A non-negative duration.
  bool ReadDuration(YamlField& parent, std::string_view key, core::Duration* out) {
    auto f = parent.Optional(key);
    if (!f.has_value()) return false;
    core::Duration value;
    if (!f->Read(&value)) return false;
    if (value < core::Duration::Zero()) {
      f->Error(absl::StrCat("expected a duration of zero or more, got ", value.ToString()));
      return false;
    }
    *out = value;
    return true;
  }

  // Money as a decimal amount ("250000" or "1000000.50"); must be zero or more.
  bool ReadMoney(YamlField& field, core::Money* out) {
    core::Price amount;
    if (!field.Read(&amount)) return false;
    if (amount < core::Price::Zero()) {
      field.Error(absl::StrCat("expected an amount of zero or more, got ", amount.ToString()));
      return false;
    }
    *out = core::Money::FromPrice(amount);
    return true;
  }
  bool GetMoney(YamlField& parent, std::string_view key, core::Money* out) {
    auto f = parent.Optional(key);
    return f.has_value() && ReadMoney(*f, out);
  }

  bool ReadNonEmpty(YamlField& parent, std::string_view key, std::string* out) {
    auto f = parent.Optional(key);
    if (!f.has_value()) return false;
    std::string value;
    if (!f->Read(&value)) return false;
    if (value.empty()) {
      f->Error("expected a non-empty value");
      return false;
    }
    *out = std::move(value);
    return true;
  }

  // An instrument by symbol.
  std::optional<core::InstrumentId> ResolveSymbol(const YamlField& field,
                                                  const DaemonConfig& config,
                                                  const std::string& symbol) {
    const core::Instrument* instrument = config.instruments.FindBySymbol(symbol);
    if (instrument == nullptr) {
      field.Error(absl::StrCat("unknown instrument \"", symbol, "\" (not in instruments)"));
      return std::nullopt;
    }
    return instrument->id();
  }

  std::vector<core::InstrumentId> ReadSymbols(YamlField& parent, std::string_view key,
                                              const DaemonConfig& config) {
    std::vector<core::InstrumentId> ids;
    auto f = parent.Optional(key);
    if (!f.has_value()) return ids;
    if (!f->IsSequence()) {
      f->Error("expected a list of instrument symbols");
      return ids;
    }
    std::set<core::InstrumentId> seen;
    for (YamlField& element : f->Elements()) {
      std::string symbol;
      if (!element.Read(&symbol)) continue;
      auto id = ResolveSymbol(element, config, symbol);
      if (!id.has_value()) continue;
      if (!seen.insert(*id).second) {
        element.Error(absl::StrCat("instrument \"", symbol, "\" is listed twice"));
        continue;
      }
      ids.push_back(*id);
    }
    return ids;
  }

  // --- daemon, logging, metrics -------------------------------------------------------------

  void LoadDaemon(YamlField& f, DaemonSettings& daemon) {
    if (!Expect(f)) return;
    ReadNonEmpty(f, "name", &daemon.name);
    ReadNonEmpty(f, "data_dir", &daemon.data_dir);
    ReadDuration(f, "drain_timeout", &daemon.drain_timeout);
    ReadDuration(f, "shutdown_timeout", &daemon.shutdown_timeout);
    f.Get("busy_poll", &daemon.busy_poll);
    if (daemon.shutdown_timeout < daemon.drain_timeout) {
      YamlField at = f.Optional("shutdown_timeout").value_or(f);
      at.Error(absl::StrCat("shutdown_timeout (", daemon.shutdown_timeout.ToString(),
                            ") must be at least drain_timeout (", daemon.drain_timeout.ToString(),
                            ")"));
    }
  }

  void LoadLogging(YamlField& f, LoggingSettings& logging) {
    if (!Expect(f)) return;
    f.GetEnum("level", &logging.level,
              {{"trace", LogLevel::kTrace},
               {"debug", LogLevel::kDebug},
               {"info", LogLevel::kInfo},
               {"warn", LogLevel::kWarn},
               {"error", LogLevel::kError},
               {"critical", LogLevel::kCritical},
               {"off", LogLevel::kOff}});
    f.Get("file", &logging.file);
  }

  void LoadMetrics(YamlField& f, MetricsSettings& metrics) {
    if (!Expect(f)) return;
    f.Get("enabled", &metrics.enabled);
    ReadNonEmpty(f, "listen_address", &metrics.listen_address);
    ReadPort(f, "port", &metrics.port, 1);
  }

  // --- instruments --------------------------------------------------------------------------

  void LoadInstruments(YamlField& list, DaemonConfig& config) {
    if (!list.IsSequence()) {
      list.Error("expected a list of instruments");
      return;
    }
    for (YamlField& f : list.Elements()) {
      const size_t before = ErrorCount();
      if (!Expect(f)) continue;
      core::InstrumentDefinition d;
      uint32_t id = 0;
      if (auto id_field = f.Required("id")) {
        if (id_field->Read(&id) && id == 0) id_field->Error("expected an id of at least 1, got 0");
        d.id = core::InstrumentId(id);
      }
      if (auto asset = f.Required("asset_class")) {
        std::string text;
        if (asset->Read(&text)) {
          auto parsed = core::ParseAssetClass(text);
          if (parsed.ok()) {
            d.asset_class = *parsed;
          } else {
            asset->Error(StatusText(parsed.status()));
          }
        }
      }
      const bool option = d.asset_class == core::AssetClass::kOption;
      const bool future = d.asset_class == core::AssetClass::kFuture;
      f.Get("underlying", &d.underlying);
      d.multiplier = option ? 100 : 1;
      ReadAtLeast(f, "multiplier", &d.multiplier, 1);
      f.Get("tick_size", &d.tick_rule);
      // Option terms only on options; an expiry on options and futures.
      for (std::string_view key : {"right", "strike"}) {
        if (!option) {
          if (auto bad = f.Optional(key)) bad->Error("only options have this setting");
        }
      }
      std::optional<absl::CivilDay> expiry;
      if (auto e = f.Optional("expiry")) {
        if (!option && !future) {
          e->Error("only options and futures have an expiry");
        } else {
          std::string text;
          absl::CivilDay day;
          if (e->Read(&text)) {
            if (absl::ParseCivilTime(text, &day)) {
              expiry = day;
            } else {
              e->Error(absl::StrCat("expected a date such as 2026-12-18, got \"", text, "\""));
            }
          }
        }
      }
      if (option) {
        core::OptionTerms terms;
        f.GetEnum("right", &terms.right,
                  {{"call", core::OptionRight::kCall}, {"put", core::OptionRight::kPut}});
        if (!f.Optional("right").has_value()) f.Required("right");
        f.GetRequired("strike", &terms.strike);
        if (!expiry.has_value()) {
          f.Required("expiry");
        } else {
          terms.expiry = *expiry;
        }
        d.option = terms;
      } else if (future) {
        d.expiry = expiry;
      }
      const bool has_symbol = f.Optional("symbol").has_value();
      f.Get("symbol", &d.symbol);
      if (!has_symbol && option && d.option.has_value()) {
        // The conventional option symbol, as the combo-client notation writes it.
        d.symbol = OptionSymbol(d.underlying, *d.option);
      } else if (!has_symbol && !option) {
        f.Required("symbol");
      }
      if (ErrorCount() != before) continue;
      auto instrument = core::Instrument::Create(d);
      if (!instrument.ok()) {
        Check(f, instrument.status());
        continue;
      }
      const core::InstrumentId added = instrument->id();
      const size_t unadded = ErrorCount();
      Check(f, config.instruments.Add(*std::move(instrument)));
      if (ErrorCount() == unadded) instrument_fields_.emplace(added, f);
    }
  }

  // The instrument master file: its rows join the catalog (expired ones as expired), and the
  // venues its rows name list them (checked once the venues are known).
  void LoadInstrumentMaster(YamlField& f, DaemonConfig& config) {
    std::string path;
    if (!f.Read(&path)) return;
    if (path.empty()) {
      f.Error("expected the path of an instrument master file (CSV)");
      return;
    }
    const std::string& source = config.source_file;
    const size_t slash = source.rfind('/');
    const std::string file =
        ResolvePath(slash == std::string::npos ? std::string() : source.substr(0, slash), path);
    std::ifstream in(file);
    if (!in) {
      f.Error(absl::StrCat("cannot open instrument master \"", file, "\": ", std::strerror(errno)));
      master_incomplete_ = true;
      return;
    }
    std::stringstream text;
    text << in.rdbuf();
    std::vector<std::string> problems;
    std::vector<MasterRow> rows =
        ParseInstrumentMaster(text.str(), file, options_.today, &problems);
    master_incomplete_ = !problems.empty();
    for (std::string& problem : problems) errors_->AddElsewhere(std::move(problem));
    InstrumentMasterSummary summary{file, 0, 0};
    for (MasterRow& row : rows) {
      const std::string symbol = row.instrument.symbol();
      const core::InstrumentId id = row.instrument.id();
      const bool expired = row.expired;
      absl::Status added = expired ? config.instruments.AddExpired(std::move(row.instrument))
                                   : config.instruments.Add(std::move(row.instrument));
      if (!added.ok()) {
        master_incomplete_ = true;
        errors_->AddElsewhere(absl::StrCat(file, ":", row.line, ": ", added.message(),
                                           " in instruments of ", source,
                                           ": an instrument is defined once"));
        continue;
      }
      ++(expired ? summary.expired : summary.listed);
      master_rows_.emplace(id, absl::StrCat(file, ":", row.line));
      for (MasterVenueName& venue : row.venues) {
        if (!expired) master_listings_[venue.name].push_back(id);
        master_venues_.push_back({file, std::move(venue)});
      }
    }
    config.instrument_master = summary;
  }

  // --- sharding -----------------------------------------------------------------------------

  // The product-group map of a sharded set (router/shard_ownership.h): every root in one group,
  // every group owned by one shard, this shard one of them; and every instrument configured here
  // of a group this shard owns.
  void LoadSharding(YamlField& f, DaemonConfig& config) {
    if (!Expect(f)) return;
    const size_t before = ErrorCount();
    router::ShardMap map;
    // Root -> (its group, the line declaring it); group -> its entry; group -> (owner, line).
    std::map<std::string, std::pair<std::string, int>> root_groups;
    std::map<std::string, YamlField> group_fields;
    std::map<std::string, std::pair<std::string, int>> group_owners;
    if (auto groups = f.Required("product_groups")) {
      std::vector<std::pair<std::string, YamlField>> entries = groups->Entries();
      if (groups->IsMap() && entries.empty()) {
        groups->Error("expected at least one product group, such as equity-index: [SPY, SPX, ES]");
      }
      for (auto& [name, g] : entries) {
        router::ProductGroup group{name, {}};
        if (!g.IsSequence() || g.Elements().empty()) {
          g.Error("expected a non-empty list of underlyings (roots such as SPY, SPX, ES)");
        }
        for (YamlField& element : g.IsSequence() ? g.Elements() : std::vector<YamlField>()) {
          std::string root;
          if (!element.Read(&root)) continue;
          auto [it, inserted] = root_groups.emplace(root, std::pair(name, Line(element)));
          if (root.empty()) {
            element.Error("expected an underlying, got an empty name");
          } else if (!inserted) {
            element.Error(absl::StrCat("underlying \"", root, "\" is already in product group ",
                                       it->second.first, " (line ", it->second.second,
                                       "): an underlying belongs to one product group"));
          } else {
            group.roots.push_back(root);
          }
        }
        group_fields.emplace(name, g);
        map.product_groups.push_back(std::move(group));
      }
    }
    std::set<std::string> shard_names;
    if (auto shards = f.Required("shards")) {
      std::vector<YamlField> elements = shards->Elements();
      if (shards->IsSequence() && elements.empty()) shards->Error("expected at least one shard");
      for (YamlField& s : elements) {
        if (!Expect(s)) continue;
        router::ShardSpec shard;
        if (s.Required("name").has_value() && ReadNonEmpty(s, "name", &shard.name) &&
            !shard_names.insert(shard.name).second) {
          s.Optional("name")->Error(absl::StrCat("shard \"", shard.name, "\" is listed twice"));
        }
        if (s.Required("fix_endpoint").has_value()) {
          ReadNonEmpty(s, "fix_endpoint", &shard.fix_endpoint);
        }
        if (auto owned = s.Required("product_groups")) {
          if (!owned->IsSequence() || owned->Elements().empty()) {
            owned->Error("expected a non-empty list of product group names");
          }
          for (YamlField& element :
               owned->IsSequence() ? owned->Elements() : std::vector<YamlField>()) {
            std::string group;
            if (!element.Read(&group)) continue;
            if (!group_fields.contains(group)) {
              element.Error(absl::StrCat("unknown product group \"", group,
                                         "\" (not in sharding.product_groups)"));
              continue;
            }
            auto [it, inserted] = group_owners.emplace(group, std::pair(shard.name, Line(element)));
            if (!inserted) {
              element.Error(absl::StrCat("product group \"", group, "\" is already owned by shard ",
                                         it->second.first, " (line ", it->second.second,
                                         "): a product group belongs to one shard"));
              continue;
            }
            shard.product_groups.push_back(group);
          }
        }
        map.shards.push_back(std::move(shard));
      }
    }
    for (const auto& [name, g] : group_fields) {
      if (group_owners.contains(name)) continue;
      g.Error(absl::StrCat("product group \"", name,
                           "\" is owned by no shard: list it in one shard's product_groups"));
    }
    if (auto t = f.Required("this_shard");
        t.has_value() && t->Read(&map.this_shard) && !shard_names.contains(map.this_shard)) {
      t->Error(absl::StrCat("unknown shard \"", map.this_shard, "\": expected one of ",
                            absl::StrJoin(shard_names, ", "), " (sharding.shards)"));
    }
    if (ErrorCount() != before) return;
    absl::StatusOr<router::ShardOwnership> ownership = router::ShardOwnership::Create(map);
    if (!ownership.ok()) {
      Check(f, ownership.status());
      return;
    }
    CheckInstrumentsOwned(*ownership, config);
    config.sharding = *std::move(ownership);
  }

  // Each instrument configured here (listed or expired) is of a group this shard owns: another
  // shard's would be routed in two places, one of no group by none the map can name.
  void CheckInstrumentsOwned(const router::ShardOwnership& ownership, const DaemonConfig& config) {
    const std::string& here = ownership.this_shard().name;
    auto check = [&](const core::Instrument& instrument) {
      const std::optional<router::ProductOwner> owner = ownership.OwnerOf(instrument.underlying());
      if (owner.has_value() && ownership.OwnedHere(*owner)) return;
      const std::string problem =
          owner.has_value()
              ? absl::StrCat("underlying \"", instrument.underlying(), "\" of \"",
                             instrument.symbol(), "\" is in product group ", owner->group->name,
                             " of shard ", owner->shard->name, "; this is shard ", here,
                             " (sharding.this_shard): configure it on its own shard")
              : absl::StrCat("underlying \"", instrument.underlying(), "\" of \"",
                             instrument.symbol(),
                             "\" is in no product group: add it to a group of shard ", here,
                             " in sharding.product_groups");
      if (auto it = instrument_fields_.find(instrument.id()); it != instrument_fields_.end()) {
        YamlField at = it->second;
        at.Optional("underlying").value_or(at).Error(problem);
      } else if (auto row = master_rows_.find(instrument.id()); row != master_rows_.end()) {
        errors_->AddElsewhere(absl::StrCat(row->second, ": ", problem));
      }
    };
    for (const auto& [id, instrument] : config.instruments.all()) check(instrument);
    for (const auto& [id, instrument] : config.instruments.expired()) check(instrument);
  }

  // The 1-based line of a node, for errors that point back to an earlier declaration.
  static int Line(const YamlField& field) { return field.mark().line + 1; }

  // --- venues -------------------------------------------------------------------------------

  void LoadLatencySpec(YamlField& f, venues::LatencySpec& spec) {
    if (!Expect(f)) return;
    ReadDuration(f, "fixed", &spec.fixed);
    ReadDuration(f, "jitter", &spec.jitter);
  }

  void LoadLatency(YamlField& f, venues::LatencyModel& model) {
    if (!Expect(f)) return;
    f.Get("seed", &model.seed);
    venues::LatencySpec base;
    if (auto d = f.Optional("default")) LoadLatencySpec(*d, base);
    venues::InboundLatency& in = model.inbound;
    venues::OutboundLatency& out = model.outbound;
    for (venues::LatencySpec* spec :
         {&in.new_order, &in.complex_order, &in.cancel, &in.replace, &out.ack, &out.reject,
          &out.fill, &out.cancelled, &out.restated, &out.market_data}) {
      *spec = base;
    }
    if (auto inbound = f.Optional("inbound"); inbound.has_value() && Expect(*inbound)) {
      const std::pair<std::string_view, venues::LatencySpec*> entries[] = {
          {"new_order", &in.new_order},
          {"complex_order", &in.complex_order},
          {"cancel", &in.cancel},
          {"replace", &in.replace}};
      for (const auto& [key, spec] : entries) {
        if (auto e = inbound->Optional(key)) LoadLatencySpec(*e, *spec);
      }
    }
    if (auto outbound = f.Optional("outbound"); outbound.has_value() && Expect(*outbound)) {
      const std::pair<std::string_view, venues::LatencySpec*> entries[] = {
          {"ack", &out.ack},           {"reject", &out.reject},
          {"fill", &out.fill},         {"cancelled", &out.cancelled},
          {"restated", &out.restated}, {"market_data", &out.market_data}};
      for (const auto& [key, spec] : entries) {
        if (auto e = outbound->Optional(key)) LoadLatencySpec(*e, *spec);
      }
    }
  }

  void LoadLatencyProtection(YamlField& f, VenueConfig& venue, const DaemonConfig& config) {
    venues::LatencyProtectionConfig& lp = venue.simulated.latency_protection;
    if (!Expect(f)) return;
    // A latency_protection block turns the feature on unless it says otherwise.
    lp.enabled = true;
    f.Get("enabled", &lp.enabled);
    if (auto tiers = f.Optional("tiers")) {
      const size_t before = ErrorCount();
      std::vector<venues::LatencyTier> rows;
      for (YamlField& t : tiers->Elements()) {
        if (!Expect(t)) continue;
        venues::LatencyTier tier;
        if (auto from = t.Required("from")) {
          from->Read(&tier.from);
        }
        t.GetEnum("bound", &tier.bound,
                  {{"inclusive", venues::TierBound::kInclusive},
                   {"exclusive", venues::TierBound::kExclusive}});
        if (auto period = t.Required("period")) period->Read(&tier.period);
        rows.push_back(tier);
      }
      if (ErrorCount() == before) {
        if (rows.empty() && tiers->IsSequence()) tiers->Error("expected at least one tier");
        Check(*tiers, venues::ValidateLatencyTiers(rows));
        lp.tiers = std::move(rows);
      }
    }
    f.GetEnum("scope", &lp.scope,
              {{"whole_log", venues::ConditionScope::kWholeLog},
               {"per_submitter", venues::ConditionScope::kPerSubmitter}});
    f.GetEnum("submitter_rule", &lp.submitter_rule,
              {{"larger_of_both", venues::SubmitterRule::kLargerOfBoth},
               {"resting_only", venues::SubmitterRule::kRestingOnly},
               {"incoming_only", venues::SubmitterRule::kIncomingOnly}});
    f.GetEnum("measure", &lp.measure,
              {{"round_trip", venues::LatencyMeasure::kRoundTrip},
               {"one_way", venues::LatencyMeasure::kOneWay},
               {"larger_of_both", venues::LatencyMeasure::kLargerOfBoth}});
    f.GetEnum("log_scope", &lp.log_scope,
              {{"current_value", venues::LogScope::kCurrentValue},
               {"history", venues::LogScope::kHistory}});
    ReadAtLeast(f, "history_per_participant", &lp.history_per_participant, 1);
    ReadDuration(f, "reported_cap", &lp.reported_cap);
    venue.router_probe_interval = lp.enabled ? kDefaultProbeInterval : core::Duration::Zero();
    if (auto probe = f.Optional("router_probe_interval")) {
      core::Duration interval;
      if (probe->Read(&interval)) {
        if (interval < core::Duration::Zero()) {
          probe->Error(absl::StrCat("expected a duration of zero (no probes) or more, got ",
                                    interval.ToString()));
        } else if (!lp.enabled && interval > core::Duration::Zero()) {
          probe->Error("the router probes only a venue running latency protection (enabled: true)");
        } else {
          venue.router_probe_interval = interval;
        }
      }
    }
    if (auto test = f.Optional("test_instrument_id")) {
      uint32_t id = 0;
      if (test->Read(&id)) {
        lp.test_instrument = core::InstrumentId(id);
        if (config.instruments.Find(lp.test_instrument) != nullptr) {
          test->Error(absl::StrCat("the test instrument must be an artificial product, but ", id,
                                   " is instrument \"",
                                   config.instruments.Find(lp.test_instrument)->symbol(), "\""));
        }
      }
    }
    if (lp.enabled && venue.simulated.allocation != venues::AllocationRule::kPriceTime) {
      f.Error("latency protection needs allocation: price_time");
    }
    Check(f, venues::ValidateLatencyProtectionConfig(lp));
  }

  void LoadProtection(YamlField& f, venues::aop::ProtectionConfig& p) {
    if (!Expect(f)) return;
    f.Get("awp_enabled", &p.awp_enabled);
    ReadAtLeast(f, "awp_max_levels", &p.awp_max_levels, 1);
    f.Get("awp_tick", &p.awp_tick);
    f.GetEnum("awp_rounding", &p.awp_rounding,
              {{"down", core::RoundingMode::kDown},
               {"up", core::RoundingMode::kUp},
               {"toward_zero", core::RoundingMode::kTowardZero},
               {"away_from_zero", core::RoundingMode::kAwayFromZero},
               {"half_up", core::RoundingMode::kHalfUp},
               {"half_even", core::RoundingMode::kHalfEven}});
    f.Get("wff_enabled", &p.wff_enabled);
    f.Get("wff_tolerance", &p.wff_tolerance);
    ReadDuration(f, "wff_max_age", &p.wff_max_age);
    f.GetEnum("active_level", &p.active_level,
              {{"trade_price", venues::aop::ActiveProtectLevel::kTradePrice},
               {"contra_top", venues::aop::ActiveProtectLevel::kContraTop}});
    f.GetEnum("empty_contra", &p.empty_contra,
              {{"keep_level", venues::aop::EmptyContraPolicy::kKeepLevel},
               {"unprotect_to_original", venues::aop::EmptyContraPolicy::kUnprotectToOriginal}});
    Check(f, venues::aop::ValidateProtectionConfig(p));
  }

  void LoadAop(YamlField& f, VenueConfig& venue) {
    venues::AopConfig& aop = venue.simulated.aop;
    if (!Expect(f)) return;
    aop.enabled = true;
    f.Get("enabled", &aop.enabled);
    if (auto sources = f.Optional("sources")) {
      for (YamlField& s : sources->Elements()) {
        std::string name;
        if (s.Read(&name)) aop_sources_.push_back({venue.name, VenueReference{s, name}});
      }
    } else if (aop.enabled) {
      f.Required("sources");
    }
    ReadDuration(f, "stale_after", &aop.third_party.stale_after);
    f.GetEnum("coverage", &aop.coverage,
              {{"all_resting_orders", venues::AopCoverage::kAllRestingOrders},
               {"listed_participants", venues::AopCoverage::kListedParticipants}});
    if (auto participants = f.Optional("protected_participants")) {
      if (aop.coverage != venues::AopCoverage::kListedParticipants) {
        participants->Error("only with coverage: listed_participants");
      }
      for (YamlField& p : participants->Elements()) {
        uint32_t id = 0;
        if (p.Read(&id)) aop.protected_participants.push_back(core::ParticipantId(id));
      }
    } else if (aop.coverage == venues::AopCoverage::kListedParticipants) {
      f.Required("protected_participants");
    }
    if (auto p = f.Optional("protection")) LoadProtection(*p, aop.protection);
    venues::aop::CboBookConfig& cbo = aop.cbo;
    if (auto c = f.Optional("cbo"); c.has_value() && Expect(*c)) {
      // The section opens the venue's CBO book (enabled: false keeps it closed).
      aop.cbo_book = true;
      c->Get("enabled", &aop.cbo_book);
      if (!aop.enabled) {
        c->Error("the CBO book runs on automated order protection, and aop.enabled is false");
      } else if (!aop.cbo_book && c->Entries().size() > 1) {
        c->Error("enabled is false: the CBO book is closed and its other keys cannot act");
      } else if (aop.cbo_book) {
        cbo_books_.push_back({venue.name, *c});
      }
      ReadDuration(*c, "exclusive_time", &cbo.exclusive_time);
      ReadDuration(*c, "open_time", &cbo.open_time);
      ReadDuration(*c, "tie_break_window", &cbo.tie_break_window);
      c->GetEnum("tie_break", &cbo.tie_break,
                 {{"random", venues::aop::TieBreak::kRandom},
                  {"price_auction", venues::aop::TieBreak::kPriceAuction}});
      c->Get("rng_seed", &cbo.rng_seed);
      c->GetEnum("aop_phases", &cbo.aop_phases,
                 {{"protected_only", venues::aop::AopPhases::kProtectedOnly},
                  {"all", venues::aop::AopPhases::kAll}});
      ReadAtLeast(*c, "implied_depth_levels", &cbo.implied_depth_levels, 1);
    }
    // The CBO book protects with the venue's protection settings and takes CBOs on the venue's
    // instruments at their ticks; the daemon supplies the catalogs.
    cbo.protection = aop.protection;
    for (const venues::ListedInstrument& listed : venue.simulated.instruments) {
      // Seed 004 R6: a client may bid finer than the venue; under a banded rule the client
      // tick is the rule's finest.
      cbo.instruments[listed.instrument] = listed.tick_rule.FinestTick();
    }
    Check(f, venues::aop::ValidateCboBookConfig(cbo));
  }

  // Parses, canonicalizes and interns each combo text of `list`; returns the ids in order.
  std::vector<std::pair<core::ComboId, core::ComboSpec>> ReadCombos(YamlField& list,
                                                                    VenueConfig& venue,
                                                                    DaemonConfig& config) {
    std::vector<std::pair<core::ComboId, core::ComboSpec>> out;
    std::set<core::ComboId> seen;
    for (YamlField& c : list.Elements()) {
      std::string text;
      if (!c.Read(&text)) continue;
      auto spec = core::ParseComboText(text, config.instruments);
      if (!spec.ok()) {
        c.Error(absl::StrCat("combo \"", text, "\": ", spec.status().message()));
        continue;
      }
      bool listed = true;
      for (const core::ComboLeg& leg : spec->legs()) {
        if (std::find(venue.instruments.begin(), venue.instruments.end(), leg.instrument) ==
            venue.instruments.end()) {
          c.Error(absl::StrCat("combo \"", text, "\": leg \"",
                               config.instruments.Find(leg.instrument)->symbol(),
                               "\" is not listed by venue ", venue.name));
          listed = false;
        }
      }
      if (!listed) continue;
      const core::ComboSpec canonical = core::Canonicalize(*spec).spec;
      auto id = config.combos.Intern(canonical);
      if (!id.ok()) {
        c.Error(StatusText(id.status()));
        continue;
      }
      if (!seen.insert(*id).second) {
        c.Error(absl::StrCat("combo \"", text, "\" is listed twice at venue ", venue.name,
                             " (the same canonical combo)"));
        continue;
      }
      out.emplace_back(*id, canonical);
      venue.native_combos.push_back(*id);
    }
    return out;
  }

  // R39: {percent, contracts}, the lesser of which a class of order may trade of a quote.
  void ReadAvailability(YamlField& parent, std::string_view key,
                        std::optional<venues::QuoteAvailability>* out) {
    auto f = parent.Optional(key);
    if (!f.has_value() || !Expect(*f)) return;
    venues::QuoteAvailability availability;
    if (auto percent = f->Required("percent");
        percent.has_value() && percent->Read(&availability.percent)) {
      if (availability.percent < 0 || availability.percent > 100) {
        percent->Error(
            absl::StrCat("expected a percentage from 0 to 100, got ", availability.percent));
      }
    }
    if (f->Required("contracts").has_value()) {
      ReadQuantity(*f, "contracts", &availability.absolute, 0);
    }
    *out = availability;
  }

  // Seed 001 Part A's market-maker rules (venues/market_maker_rules.h).
  void LoadMarketMakerRules(YamlField& f, VenueConfig& venue) {
    venues::MarketMakerRules& rules = venue.simulated.market_maker;
    if (!Expect(f)) return;
    ReadQuantity(f, "minimum_market_size", &rules.minimum_market_size, 0);
    if (auto budget = f.Optional("step_up_budget")) {
      ReadQuantity(f, "step_up_budget", &rules.step_up_budget, 0);
      if (!rules.minimum_market_size.is_positive()) {
        budget->Error("only with a minimum_market_size above 0 (step-up keeps the best at X, R43)");
      }
    }
    ReadAtLeast(f, "professional_band_ticks", &rules.professional_band_ticks, 0);
    ReadAvailability(f, "professional_availability", &rules.professional_availability);
    ReadAvailability(f, "farmm_availability", &rules.farmm_availability);
    if (auto sizes = f.Optional("tick_worse_sizes")) {
      if (!sizes->IsSequence() || sizes->Elements().empty()) {
        sizes->Error("expected a list of contract sizes for 1, 2, ... ticks worse");
        return;
      }
      bool any_positive = false;
      for (YamlField& element : sizes->Elements()) {
        int64_t size = 0;
        if (!element.Read(&size)) continue;
        if (size < 0) {
          element.Error(absl::StrCat("expected a size of 0 or more contracts, got ", size));
          continue;
        }
        any_positive = any_positive || size > 0;
        rules.tick_worse_sizes.push_back(core::Quantity(size));
      }
      if (!any_positive) {
        sizes->Error(
            "expected at least one size above 0 (leave the key out to turn tick-worse off)");
      }
    }
    if (auto matrix = f.Optional("derive_matrix")) ReadDeriveMatrix(*matrix, rules);
    ReadDuration(f, "quote_match_delay", &rules.quote_match_delay);
  }

  // R34: the PMM's derive matrix Y, rows {improvement, contracts} by increasing improvement.
  void ReadDeriveMatrix(YamlField& matrix, venues::MarketMakerRules& rules) {
    if (!matrix.IsSequence() || matrix.Elements().empty()) {
      matrix.Error("expected a list of {improvement, contracts} rows (R34, seed Table VII)");
      return;
    }
    if (!rules.minimum_market_size.is_positive()) {
      matrix.Error(
          "only with a minimum_market_size above 0 (derive-or-trade derives up to X, R34)");
    }
    for (YamlField& element : matrix.Elements()) {
      if (!Expect(element)) continue;
      venues::DeriveRow row;
      if (auto improvement = element.Required("improvement");
          improvement.has_value() && improvement->Read(&row.improvement)) {
        if (!row.improvement.is_positive()) {
          improvement->Error(absl::StrCat("expected a price improvement above 0, got ",
                                          row.improvement.ToString()));
        } else if (!rules.derive_matrix.empty() &&
                   row.improvement <= rules.derive_matrix.back().improvement) {
          improvement->Error(absl::StrCat("expected an improvement above the previous row's ",
                                          rules.derive_matrix.back().improvement.ToString()));
        }
      }
      if (element.Required("contracts").has_value()) {
        ReadQuantity(element, "contracts", &row.size, 0);
      }
      rules.derive_matrix.push_back(row);
    }
  }

  // Seed 001 Part A's leg-book processes: each sub-block turns its process on unless it says
  // enabled: false.
  void LoadLegProcesses(YamlField& f, VenueConfig& venue) {
    venues::leg_processes::LegProcessesConfig& processes = venue.simulated.leg_processes;
    if (!Expect(f)) return;
    if (auto away = f.Optional("away_market"); away.has_value() && Expect(*away)) {
      processes.away_market.enabled = true;
      away->Get("enabled", &processes.away_market.enabled);
      if (auto table = away->Optional("table")) {
        const size_t before = ErrorCount();
        std::vector<venues::leg_processes::AwayMatchRow> rows;
        for (YamlField& r : table->Elements()) {
          if (!Expect(r)) continue;
          venues::leg_processes::AwayMatchRow row;
          if (auto difference = r.Required("difference")) difference->Read(&row.difference);
          if (r.Required("size").has_value()) ReadQuantity(r, "size", &row.size, 0);
          rows.push_back(row);
        }
        if (ErrorCount() == before) {
          if (rows.empty()) table->Error("expected at least one row");
          Check(*table, venues::leg_processes::ValidateAwayMatchTable(rows));
          processes.away_market.table = std::move(rows);
        }
      }
      if (processes.away_market.enabled && !venue.simulated.aop.enabled) {
        away->Error(
            "the away-market process needs aop: its third-party market (the aop sources) "
            "is the away market");
      }
    }
    if (auto fast = f.Optional("fast_market"); fast.has_value() && Expect(*fast)) {
      processes.fast_market.enabled = true;
      fast->Get("enabled", &processes.fast_market.enabled);
      if (auto delays = fast->Optional("level_delays")) {
        std::vector<core::Duration> values;
        for (YamlField& d : delays->Elements()) {
          core::Duration value;
          if (!d.Read(&value)) continue;
          if (value <= core::Duration::Zero()) {
            d.Error(absl::StrCat("expected a positive delay, got ", value.ToString()));
          }
          values.push_back(value);
        }
        if (values.size() != 5) {
          delays->Error(
              absl::StrCat("expected 5 delays (fast-market levels 1 to 5; level 6 is "
                           "entered when the fast market is called), got ",
                           values.size()));
        } else {
          processes.fast_market.level_delays = std::move(values);
        }
      }
      if (auto automatic = fast->Optional("automatic");
          automatic.has_value() && Expect(*automatic)) {
        venues::leg_processes::AutomaticFastMarket value;
        if (auto primary = automatic->Required("primary_market")) {
          std::string name;
          if (primary->Read(&name)) {
            primary_markets_.push_back({venue.name, VenueReference{*primary, name}});
          }
        }
        if (auto level = automatic->Optional("level"); level.has_value() &&
                                                       level->Read(&value.level) &&
                                                       (value.level < 1 || value.level > 5)) {
          level->Error(absl::StrCat("expected a fast-market level from 1 to 5, got ", value.level));
        }
        if (auto interval = automatic->Optional("interval")) {
          core::Duration duration;
          if (interval->Read(&duration)) {
            if (duration <= core::Duration::Zero()) {
              interval->Error(
                  absl::StrCat("expected a positive duration, got ", duration.ToString()));
            } else {
              value.interval = duration;
            }
          }
        }
        processes.fast_market.automatic = value;
      }
    }
    if (auto opening = f.Optional("opening"); opening.has_value() && Expect(*opening)) {
      processes.opening.enabled = true;
      opening->Get("enabled", &processes.opening.enabled);
      core::Duration start_after;
      if (ReadDuration(*opening, "start_after", &start_after)) {
        processes.opening.start_after = start_after;
      }
    }
    if (auto block = f.Optional("block"); block.has_value() && Expect(*block)) {
      processes.block.enabled = true;
      block->Get("enabled", &processes.block.enabled);
      ReadQuantity(*block, "min_quantity", &processes.block.min_quantity, 1);
      if (auto window = block->Optional("response_window")) {
        core::Duration value;
        if (window->Read(&value)) {
          if (value <= core::Duration::Zero()) {
            window->Error(absl::StrCat("expected a positive duration, got ", value.ToString()));
          } else {
            processes.block.response_window = value;
          }
        }
      }
      if (auto percent = block->Optional("facilitation_percent")) {
        int64_t value = 0;
        if (percent->Read(&value)) {
          if (value < 0 || value > 100) {
            percent->Error(absl::StrCat("expected a percentage from 0 to 100, got ", value));
          } else {
            processes.block.facilitation_percent = value;
          }
        }
      }
    }
    if (auto farmm = f.Optional("farmm"); farmm.has_value() && Expect(*farmm)) {
      processes.farmm.enabled = true;
      farmm->Get("enabled", &processes.farmm.enabled);
      if (auto window = farmm->Optional("decision_window")) {
        core::Duration value;
        if (window->Read(&value)) {
          if (value <= core::Duration::Zero()) {
            window->Error(absl::StrCat("expected a positive duration, got ", value.ToString()));
          } else {
            processes.farmm.decision_window = value;
          }
        }
      }
    }
  }

  void LoadComplexBook(YamlField& f, VenueConfig& venue, DaemonConfig& config) {
    venues::ComplexBookConfig& book = venue.simulated.complex_book;
    if (!Expect(f)) return;
    book.enabled = true;
    f.Get("enabled", &book.enabled);
    f.Get("net_tick", &book.net_tick);
    f.Get("price_buffer", &book.price_buffer);
    f.GetEnum("buffer_scope", &book.buffer_scope,
              {{"complex_matching_only", venues::BufferScope::kComplexMatchingOnly},
               {"all_matching", venues::BufferScope::kAllMatching}});
    ReadDuration(f, "exposure_delay", &book.exposure_delay);
    const size_t before = ErrorCount();
    if (auto combos = f.Optional("combos")) {
      for (auto& [id, spec] : ReadCombos(*combos, venue, config)) {
        venues::ListedCombo listed{id, spec, {}};
        // Legs of different multipliers (a stock leg against options) weigh ratio x multiplier
        // over the combo multiplier; equal multipliers leave the ratios.
        auto multiplier = pricing::ComboMultiplier(spec, config.instruments);
        if (!multiplier.ok()) {
          combos->Error(StatusText(multiplier.status()));
          continue;
        }
        bool equal = true;
        for (const core::ComboLeg& leg : spec.legs()) {
          equal &= config.instruments.Find(leg.instrument)->multiplier() ==
                   config.instruments.Find(spec.leg(0).instrument)->multiplier();
        }
        if (!equal) {
          for (const core::ComboLeg& leg : spec.legs()) {
            listed.price_weights.push_back(
                leg.ratio * config.instruments.Find(leg.instrument)->multiplier() / *multiplier);
          }
        }
        book.combos.push_back(std::move(listed));
      }
    }
    if (ErrorCount() != before) return;
    const std::set<core::InstrumentId> lists(venue.instruments.begin(), venue.instruments.end());
    Check(f, venues::ValidateComplexBookConfig(
                 book, [&](core::InstrumentId id) { return lists.count(id) > 0; }));
  }

  void LoadNegotiation(YamlField& f, VenueConfig& venue, DaemonConfig& config) {
    NegotiationSettings& n = venue.negotiation;
    if (!Expect(f)) return;
    std::string account;
    if (ReadNonEmpty(f, "account", &account)) n.venue.account = core::AccountId(account);
    auto positive = [&](std::string_view key, core::Duration* out) {
      if (auto d = f.Optional(key)) {
        core::Duration value;
        if (d->Read(&value)) {
          if (value <= core::Duration::Zero()) {
            d->Error(absl::StrCat("expected a positive duration, got ", value.ToString()));
          } else {
            *out = value;
          }
        }
      }
    };
    positive("offer_timeout", &n.venue.offer_timeout);
    positive("immediate_offer_timeout", &n.venue.immediate_offer_timeout);
    ReadNonEmpty(f, "offer_id_prefix", &n.venue.offer_id_prefix);
    f.GetEnum("combo_scope", &n.venue.combo_scope,
              {{"any_combo", venues::negotiation::ComboScope::kAnyCombo},
               {"listed_combos", venues::negotiation::ComboScope::kListedCombos}});
    if (auto combos = f.Optional("combos")) {
      for (auto& [id, spec] : ReadCombos(*combos, venue, config)) n.venue.combos.insert(id);
    }
    ReadNonEmpty(f, "listen_address", &n.listen_address);
    ReadPort(f, "port", &n.port, 0);
    if (auto s = f.Optional("service"); s.has_value() && Expect(*s)) {
      venues::negotiation::ServiceConfig& service = n.service;
      ReadDuration(*s, "trade_request_timeout", &service.trade_request_timeout);
      ReadDuration(*s, "handle_rotation_interval", &service.handle_rotation_interval);
      ReadDuration(*s, "handle_retention", &service.handle_retention);
      ReadDuration(*s, "closed_offer_retention", &service.closed_offer_retention);
      s->Get("handle_seed", &service.handle_seed);
      if (auto w = s->Optional("withdrawal"); w.has_value() && Expect(*w)) {
        venues::negotiation::WithdrawalPolicy& policy = service.withdrawal;
        w->GetEnum("action", &policy.action,
                   {{"track_only", venues::negotiation::WithdrawalAction::kTrackOnly},
                    {"throttle", venues::negotiation::WithdrawalAction::kThrottle}});
        ReadDuration(*w, "min_offer_life", &policy.min_offer_life);
        w->Get("window_offers", &policy.window_offers);
        w->Get("min_offers", &policy.min_offers);
        w->Get("max_premature_percent", &policy.max_premature_percent);
        ReadDuration(*w, "throttle_duration", &policy.throttle_duration);
      }
      Check(*s, venues::negotiation::ValidateServiceConfig(service));
    }
  }

  void LoadVenue(YamlField& f, DaemonConfig& config) {
    VenueConfig venue;
    if (!Expect(f)) return;
    const size_t before = ErrorCount();
    if (auto name = f.Required("name")) {
      if (name->Read(&venue.name)) {
        if (venue.name.empty()) name->Error("expected a non-empty name");
        if (!venue_names_.insert(venue.name).second) {
          name->Error(absl::StrCat("venue name \"", venue.name, "\" is used twice"));
        }
      }
    }
    if (auto id = f.Required("id")) {
      uint32_t value = 0;
      if (id->Read(&value)) {
        venue.id = core::VenueId(value);
        if (value == 0) id->Error("expected an id of at least 1, got 0");
        if (!venue_ids_.insert(value).second) {
          id->Error(absl::StrCat("venue id ", value, " is used twice"));
        }
      }
    }
    f.GetEnum("kind", &venue.kind,
              {{"simulated", VenueKind::kSimulated}, {"negotiation", VenueKind::kNegotiation}});
    f.Get("routable", &venue.routable);

    // Listed instruments: explicit symbols, then every option on the named underlyings.
    venue.instruments = ReadSymbols(f, "instruments", config);
    if (auto under = f.Optional("option_underlyings")) {
      std::vector<std::string> names;
      if (under->Read(&names)) {
        for (const std::string& underlying : names) {
          bool any = false;
          for (const auto& [id, instrument] : config.instruments.all()) {
            if (!instrument.is_option() || instrument.underlying() != underlying) continue;
            any = true;
            if (std::find(venue.instruments.begin(), venue.instruments.end(), id) ==
                venue.instruments.end()) {
              venue.instruments.push_back(id);
            }
          }
          if (!any) {
            under->Error(
                absl::StrCat("no option in instruments has the underlying \"", underlying, "\""));
          }
        }
      }
    }
    // Then what the instrument master lists here (its venues column).
    if (auto listed = master_listings_.find(venue.name); listed != master_listings_.end()) {
      for (core::InstrumentId id : listed->second) {
        if (std::find(venue.instruments.begin(), venue.instruments.end(), id) ==
            venue.instruments.end()) {
          venue.instruments.push_back(id);
        }
      }
    }
    // (A master file that did not load says why; its venues' emptiness would only repeat it.)
    if (venue.instruments.empty() && ErrorCount() == before && !master_incomplete_) {
      f.Error(
          "a venue must list at least one instrument (instruments, option_underlyings or the "
          "instrument master's venues column)");
    }

    const bool simulated = venue.kind == VenueKind::kSimulated;
    // A feature's settings belong to the venue kind that has the feature.
    for (std::string_view key : {"allocation", "seed001", "market_maker_rules", "fees", "latency",
                                 "latency_protection", "aop", "complex_book", "leg_processes"}) {
      if (simulated) continue;
      if (auto bad = f.Optional(key))
        bad->Error("only a venue of kind: simulated has this setting");
    }
    if (simulated) {
      if (auto bad = f.Optional("negotiation")) {
        bad->Error("only a venue of kind: negotiation has this setting");
      }
    }

    if (simulated) {
      venues::SimulatedVenueConfig& sim = venue.simulated;
      sim.id = venue.id;
      sim.name = venue.name;
      for (core::InstrumentId id : venue.instruments) {
        const core::Instrument* instrument = config.instruments.Find(id);
        sim.instruments.push_back({id, instrument->tick_rule()});
        if (instrument->option().has_value()) sim.option_rights[id] = instrument->option()->right;
        if (const core::Instrument* underlying =
                instrument->underlying().empty() || instrument->underlying() == instrument->symbol()
                    ? nullptr
                    : config.instruments.FindBySymbol(instrument->underlying())) {
          sim.underlyings[id] = underlying->id();
        }
      }
      f.GetEnum("allocation", &sim.allocation,
                {{"price_time", venues::AllocationRule::kPriceTime},
                 {"seed001_options", venues::AllocationRule::kSeed001Options}});
      if (auto s = f.Optional("seed001")) {
        if (sim.allocation != venues::AllocationRule::kSeed001Options) {
          s->Error("only with allocation: seed001_options");
        } else if (Expect(*s)) {
          ReadQuantity(*s, "small_order_threshold", &sim.seed001.small_order_threshold, 0);
          s->Get("pmm_share_percent_one_other", &sim.seed001.pmm_share_percent_one_other);
          s->Get("pmm_share_percent_two_others", &sim.seed001.pmm_share_percent_two_others);
          s->Get("pmm_share_percent_three_or_more", &sim.seed001.pmm_share_percent_three_or_more);
        }
      }
      if (auto rules = f.Optional("market_maker_rules")) LoadMarketMakerRules(*rules, venue);
      if (auto fees = f.Optional("fees"); fees.has_value() && Expect(*fees)) {
        fees->Get("maker_per_contract", &sim.maker_fee_per_contract);
        fees->Get("taker_per_contract", &sim.taker_fee_per_contract);
      }
      if (auto latency = f.Optional("latency")) LoadLatency(*latency, sim.latency);
      if (auto lp = f.Optional("latency_protection")) LoadLatencyProtection(*lp, venue, config);
      if (auto aop = f.Optional("aop")) LoadAop(*aop, venue);
      if (auto book = f.Optional("complex_book")) LoadComplexBook(*book, venue, config);
      if (auto processes = f.Optional("leg_processes")) LoadLegProcesses(*processes, venue);
      venue.expected_latency = sim.latency.inbound.new_order.fixed + sim.latency.outbound.ack.fixed;
    } else {
      NegotiationSettings& n = venue.negotiation;
      n.venue.id = venue.id;
      n.venue.name = venue.name;
      n.venue.listed.insert(venue.instruments.begin(), venue.instruments.end());
      n.venue.account = core::AccountId(venue.name);
      if (auto block = f.Optional("negotiation")) LoadNegotiation(*block, venue, config);
    }
    ReadDuration(f, "expected_latency", &venue.expected_latency);

    // The venue's own validation runs once AOP sources are resolved (LoadVenues).
    venue_clean_.push_back(ErrorCount() == before &&
                           !(master_incomplete_ && venue.instruments.empty()));
    venue_fields_.push_back(f);
    config.venues.push_back(std::move(venue));
  }

  void LoadVenues(YamlField& list, DaemonConfig& config) {
    if (!list.IsSequence()) {
      list.Error("expected a list of venues");
      return;
    }
    for (YamlField& f : list.Elements()) LoadVenue(f, config);
    // An unknown venue is reported once, at the first row naming it.
    std::map<std::string, std::pair<const std::pair<std::string, MasterVenueName>*, size_t>>
        unknown;
    for (const auto& reference : master_venues_) {
      if (config.FindVenue(reference.second.name) != nullptr) continue;
      auto [it, inserted] = unknown.try_emplace(reference.second.name, &reference, 0);
      ++it->second.second;
    }
    std::vector<std::string> names;
    for (const VenueConfig& known : config.venues) {
      if (!known.name.empty()) names.push_back(known.name);
    }
    for (const auto& [name, first] : unknown) {
      const auto& [file, venue] = *first.first;
      errors_->AddElsewhere(absl::StrCat(
          file, ":", venue.line, ":", venue.column, ": venues: unknown venue \"", name,
          "\"; the venues are ", absl::StrJoin(names, ", "),
          first.second > 1 ? absl::StrCat(" (named by ", first.second, " rows, the first here)")
                           : std::string()));
    }
    // AOP sources name other venues: resolved once every venue is known.
    for (auto& [owner, reference] : aop_sources_) {
      size_t index = 0;
      while (index < config.venues.size() && config.venues[index].name != owner) ++index;
      if (index == config.venues.size()) continue;
      const VenueConfig* source = config.FindVenue(reference.name);
      if (source == nullptr) {
        reference.field.Error(absl::StrCat("unknown venue \"", reference.name, "\""));
        venue_clean_[index] = false;
      } else if (reference.name == owner) {
        reference.field.Error("an AOP venue cannot be its own source");
        venue_clean_[index] = false;
      } else {
        config.venues[index].simulated.aop.third_party.sources.push_back(source->id);
      }
    }
    // The automatic fast market's primary market names another venue (seed 001 R46).
    for (auto& [owner, reference] : primary_markets_) {
      size_t index = 0;
      while (index < config.venues.size() && config.venues[index].name != owner) ++index;
      if (index == config.venues.size()) continue;
      const VenueConfig* primary = config.FindVenue(reference.name);
      if (primary == nullptr || primary->kind != VenueKind::kSimulated) {
        reference.field.Error(
            absl::StrCat("expected a simulated venue, got \"", reference.name, "\""));
        venue_clean_[index] = false;
      } else if (reference.name == owner) {
        reference.field.Error("expected another venue: a venue is not its own primary market");
        venue_clean_[index] = false;
      } else {
        config.venues[index].simulated.leg_processes.fast_market.automatic->primary_market =
            primary->id;
      }
    }
    for (size_t i = 0; i < config.venues.size(); ++i) {
      const VenueConfig& venue = config.venues[i];
      if (venue.kind != VenueKind::kSimulated || !venue_clean_[i]) continue;
      Check(venue_fields_[i], venues::ValidateSimulatedVenueConfig(venue.simulated));
    }
  }

  // --- pricing ------------------------------------------------------------------------------

  void LoadPricing(YamlField& f, DaemonConfig& config) {
    if (!Expect(f)) return;
    f.GetEnum("fee_mode", &config.pricing.engine.fee_mode,
              {{"ignore_fees", pricing::FeeMode::kIgnoreFees},
               {"net_of_taker_fees", pricing::FeeMode::kNetOfTakerFees}});
    if (auto under = f.Optional("underlyings")) {
      std::set<std::string> known;
      for (const auto& [id, instrument] : config.instruments.all()) {
        known.insert(instrument.underlying().empty() ? instrument.symbol()
                                                     : instrument.underlying());
      }
      for (auto& [name, u] : under->Entries()) {
        if (!Expect(u)) continue;
        pricing::UnderlyingParameters parameters;
        u.GetRequired("volatility", &parameters.volatility);
        u.Get("rate", &parameters.rate);
        if (known.count(name) == 0) {
          if (!master_incomplete_) {
            u.Error(absl::StrCat("no instrument has the underlying \"", name, "\""));
          }
          continue;
        }
        pricing::DeltaModel check;
        Check(u, check.SetUnderlying(name, parameters));
        config.pricing.underlyings[name] = parameters;
      }
    }
  }

  // The venues the router may use and their fees, from the venues section.
  void BuildPricingEngine(DaemonConfig& config) {
    for (const VenueConfig& venue : config.venues) {
      if (!venue.routable) continue;
      config.pricing.engine.venues.push_back(venue.id);
      if (venue.kind != VenueKind::kSimulated) continue;
      std::set<core::AssetClass> classes;
      for (core::InstrumentId id : venue.instruments) {
        classes.insert(config.instruments.Find(id)->asset_class());
      }
      for (core::AssetClass asset_class : classes) {
        (void)config.pricing.engine.fees.Set(
            venue.id, asset_class,
            pricing::FeeSchedule{venue.simulated.maker_fee_per_contract,
                                 venue.simulated.taker_fee_per_contract});
      }
    }
  }

  // --- router, leg_in, risk ------------------------------------------------------------------

  // "16:00" -> 57600, "16:15:30" -> 58530; nullopt for anything that is not HH:MM or HH:MM:SS
  // within a day.
  static std::optional<int32_t> SecondOfDay(const std::string& text) {
    if ((text.size() != 5 && text.size() != 8) || text[2] != ':') return std::nullopt;
    if (text.size() == 8 && text[5] != ':') return std::nullopt;
    int32_t hours = 0;
    int32_t minutes = 0;
    int32_t seconds = 0;
    if (!absl::SimpleAtoi(text.substr(0, 2), &hours) ||
        !absl::SimpleAtoi(text.substr(3, 2), &minutes) ||
        (text.size() == 8 && !absl::SimpleAtoi(text.substr(6, 2), &seconds)) || hours < 0 ||
        hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) {
      return std::nullopt;
    }
    return hours * 3600 + minutes * 60 + seconds;
  }

  bool ReadClose(YamlField& f, int32_t* close) {
    std::string text;
    if (!f.Read(&text)) return false;
    std::optional<int32_t> second = SecondOfDay(text);
    if (!second.has_value()) {
      f.Error("expected a time of day as HH:MM or HH:MM:SS (00:00 to 23:59:59), got \"" + text +
              "\"");
      return false;
    }
    *close = *second;
    return true;
  }

  // The trading calendar: when day orders expire and venues end their day.
  void LoadCalendar(YamlField& f, DaemonConfig& config) {
    if (!Expect(f)) return;
    const size_t before = ErrorCount();
    router::TradingCalendarConfig calendar;
    f.Get("time_zone", &calendar.time_zone);
    if (auto close = f.Required("close")) ReadClose(*close, &calendar.close);
    if (auto weekdays = f.Optional("weekdays")) {
      static const std::map<std::string, absl::Weekday> kNames = {
          {"mon", absl::Weekday::monday},    {"tue", absl::Weekday::tuesday},
          {"wed", absl::Weekday::wednesday}, {"thu", absl::Weekday::thursday},
          {"fri", absl::Weekday::friday},    {"sat", absl::Weekday::saturday},
          {"sun", absl::Weekday::sunday}};
      calendar.weekdays.clear();
      for (YamlField& d : weekdays->Elements()) {
        std::string text;
        if (!d.Read(&text)) continue;
        auto it = kNames.find(text);
        if (it == kNames.end()) {
          d.Error(absl::StrCat("expected one of mon, tue, wed, thu, fri, sat, sun, got \"", text,
                               "\""));
        } else if (!calendar.weekdays.insert(it->second).second) {
          d.Error(absl::StrCat("weekday ", text, " is listed twice"));
        }
      }
      if (calendar.weekdays.empty() && ErrorCount() == before)
        weekdays->Error("expected at least one weekday");
    }
    if (auto holidays = f.Optional("holidays")) {
      for (YamlField& h : holidays->Elements()) {
        std::string text;
        absl::CivilDay day;
        if (!h.Read(&text)) continue;
        if (!absl::ParseCivilTime(text, &day)) {
          h.Error(absl::StrCat("expected a date such as 2026-12-25, got \"", text, "\""));
        } else if (!calendar.holidays.insert(day).second) {
          h.Error(absl::StrCat("holiday ", text, " is listed twice"));
        }
      }
    }
    if (auto closes = f.Optional("closes")) {
      for (YamlField& c : closes->Elements()) {
        if (!Expect(c)) continue;
        auto product = c.Optional("product");
        auto venue = c.Optional("venue");
        if (product.has_value() == venue.has_value()) {
          c.Error("expected exactly one of product (an underlying) or venue (a venue name)");
          continue;
        }
        int32_t close = 0;
        auto at = c.Required("close");
        if (!at.has_value() || !ReadClose(*at, &close)) continue;
        std::string name;
        if (product.has_value() && product->Read(&name)) {
          if (!calendar.product_closes.emplace(name, close).second)
            product->Error(absl::StrCat("product ", name, " has a close already"));
        } else if (venue.has_value() && venue->Read(&name)) {
          const bool known = std::any_of(config.venues.begin(), config.venues.end(),
                                         [&](const auto& v) { return v.name == name; });
          if (!known) {
            venue->Error(
                absl::StrCat("expected the name of a configured venue, got \"", name, "\""));
          } else if (!calendar.venue_closes.emplace(name, close).second) {
            venue->Error(absl::StrCat("venue ", name, " has a close already"));
          }
        }
      }
    }
    if (ErrorCount() != before) return;
    if (absl::Status status = router::ValidateTradingCalendarConfig(calendar); !status.ok()) {
      Check(f, status);
      return;
    }
    config.router.calendar = std::move(calendar);
  }

  void LoadRouter(YamlField& f, router::RouterConfig& router) {
    if (!Expect(f)) return;
    const size_t before = ErrorCount();
    if (auto p = f.Optional("participant")) {
      uint32_t id = 0;
      if (p->Read(&id)) router.participant = core::ParticipantId(id);
    }
    ReadDuration(f, "stability_wait", &router.stability_wait);
    ReadDuration(f, "cancel_timeout_with_legs_working", &router.cancel_timeout_with_legs_working);
    // Absent: each combo's own tick (pricing); present: one tick for every combo.
    if (core::Price tick; f.Get("combo_tick", &tick)) router.combo_tick = tick;
    ReadAtLeast(f, "first_order_id", &router.first_order_id, 1);
    f.GetEnum(
        "on_restart", &router.on_restart,
        {{"resume", router::RestartPolicy::kResume}, {"cancel", router::RestartPolicy::kCancel}});
    if (auto collar = f.Optional("market_order_collar"); collar.has_value() && Expect(*collar)) {
      // The larger of ticks and basis points of the best price (docs/ROUTER.md).
      ReadAtLeast(*collar, "ticks", &router.market_order_collar.ticks, 0);
      if (auto bp = collar->Optional("basis_points")) {
        int64_t value = 0;
        if (bp->Read(&value)) {
          if (value < 0 || value > 10'000) {
            bp->Error(absl::StrCat("expected basis points from 0 to 10000, got ", value));
          } else {
            router.market_order_collar.basis_points = value;
          }
        }
      }
    }
    if (ErrorCount() == before) Check(f, router::ValidateRouterConfig(router));
  }

  void LoadLegIn(YamlField& f, DaemonConfig& config) {
    router::LegInPolicy& policy = config.leg_in;
    if (!Expect(f)) return;
    const size_t before = ErrorCount();
    if (auto ranking = f.Optional("ranking")) {
      std::vector<router::LegRankKey> keys;
      for (YamlField& k : ranking->Elements()) {
        std::string text;
        if (!k.Read(&text)) continue;
        auto key = router::ParseLegRankKey(text);
        if (!key.ok()) {
          k.Error(StatusText(key.status()));
          continue;
        }
        keys.push_back(*key);
      }
      if (ranking->IsSequence()) policy.ranking = std::move(keys);
    }
    if (f.Optional("desk_prefers_to_hold").has_value()) {
      policy.desk_prefers_to_hold = ReadSymbols(f, "desk_prefers_to_hold", config);
    }
    f.Get("similar_delta_tolerance", &policy.similar_delta_tolerance);
    auto parsed = [&](std::string_view key, auto parse, auto* out) {
      if (auto e = f.Optional(key)) {
        std::string text;
        if (!e->Read(&text)) return;
        auto value = parse(text);
        if (value.ok()) {
          *out = *value;
        } else {
          e->Error(StatusText(value.status()));
        }
      }
    };
    parsed("mode", router::ParseLegInMode, &policy.mode);
    ReadAtLeast(f, "defensive_ticks", &policy.defensive_ticks, 0);
    ReadAtLeast(f, "failures_before_defensive", &policy.failures_before_defensive, 0);
    ReadAtLeast(f, "always_defensive_above_legs", &policy.always_defensive_above_legs, 0);
    ReadAtLeast(f, "max_failures_per_order", &policy.max_failures_per_order, 0);
    ReadQuantity(f, "max_units_per_slice", &policy.max_units_per_slice, 1);
    if (auto pct = f.Optional("displayed_size_percent")) {
      int64_t value = 0;
      if (pct->Read(&value)) {
        if (value < 1 || value > 100) {
          pct->Error(absl::StrCat("expected a percentage from 1 to 100, got ", value));
        } else {
          policy.displayed_size_percent = value;
        }
      }
    }
    parsed("leg_order_type", router::ParseLegOrderType, &policy.leg_order_type);
    ReadDuration(f, "leg_timeout", &policy.leg_timeout);
    ReadAtLeast(f, "max_leg_resubmits", &policy.max_leg_resubmits, 0);
    ReadDuration(f, "leg_resubmit_delay", &policy.leg_resubmit_delay);
    ReadAtLeast(f, "max_leg_reroutes", &policy.max_leg_reroutes, 0);
    if (ErrorCount() == before) Check(f, router::ValidateLegInPolicy(policy));
  }

  void LoadRisk(YamlField& f, DaemonConfig& config) {
    risk::RiskLimits& limits = config.risk;
    if (!Expect(f)) return;
    const size_t before = ErrorCount();
    ReadQuantity(f, "max_combo_quantity", &limits.max_combo_quantity, 1);
    ReadAtLeast(f, "max_legs", &limits.max_legs, 2);
    GetMoney(f, "max_notional", &limits.max_notional);
    ReadAtLeast(f, "collar_ticks", &limits.collar_ticks, 0);
    ReadAtLeast(f, "collar_basis_points", &limits.collar_basis_points, 0);
    if (auto d = f.Optional("default_client_credit_limit")) {
      std::string text;
      if (d->Read(&text) && text == "none") {
        limits.default_client_credit_limit.reset();
      } else {
        core::Money money;
        if (ReadMoney(*d, &money)) limits.default_client_credit_limit = money;
      }
    }
    if (auto clients = f.Optional("client_credit_limits")) {
      for (auto& [name, c] : clients->Entries()) {
        core::Money money;
        if (ReadMoney(c, &money)) limits.client_credit_limits[core::ClientId(name)] = money;
      }
    }
    limits.allowed_instruments = ReadSymbols(f, "allowed_instruments", config);
    limits.blocked_instruments = ReadSymbols(f, "blocked_instruments", config);
    ReadAtLeast(f, "max_remembered_client_order_ids", &limits.max_remembered_client_order_ids, 1);
    ReadQuantity(f, "max_legin_units", &limits.max_legin_units, 0);
    GetMoney(f, "max_legin_notional", &limits.max_legin_notional);
    f.Get("max_legin_dollar_delta", &limits.max_legin_dollar_delta);
    ReadQuantity(f, "max_error_account_position", &limits.max_error_account_position, 0);
    ReadQuantity(f, "max_error_account_total_position", &limits.max_error_account_total_position,
                 0);
    GetMoney(f, "max_error_account_loss", &limits.max_error_account_loss);
    GetMoney(f, "halt_error_account_loss", &limits.halt_error_account_loss);
    if (ErrorCount() == before) Check(f, limits.Validate());
  }

  // --- resolver ------------------------------------------------------------------------------

  void LoadResolverAction(YamlField& parent, std::string_view key, resolver::ActionSettings* out) {
    auto f = parent.Optional(key);
    if (!f.has_value() || !Expect(*f)) return;
    f->Get("enabled", &out->enabled);
    ReadAtLeast(*f, "band_ticks", &out->band_ticks, 0);
    ReadAtLeast(*f, "max_band_ticks", &out->max_band_ticks, 0);
  }

  void LoadResolver(YamlField& f, resolver::ResolverConfig& config) {
    if (!Expect(f)) return;
    const size_t before = ErrorCount();
    f.Get("enabled", &config.enabled);
    ReadDuration(f, "interval", &config.interval);
    ReadDuration(f, "horizon", &config.horizon);
    LoadResolverAction(f, "complete", &config.complete);
    LoadResolverAction(f, "unwind", &config.unwind);
    if (auto hedge = f.Optional("hedge"); hedge.has_value() && Expect(*hedge)) {
      hedge->Get("enabled", &config.hedge.enabled);
      ReadAtLeast(*hedge, "band_ticks", &config.hedge.band_ticks, 0);
      ReadAtLeast(*hedge, "min_delta_shares", &config.hedge.min_delta_shares, 1);
    }
    ReadAtLeast(f, "completion_probability_bps", &config.completion_probability_bps, 0);
    ReadAtLeast(f, "adverse_move_bps", &config.adverse_move_bps, 0);
    ReadQuantity(f, "max_order_quantity", &config.max_order_quantity, 0);
    if (auto cost = f.Optional("max_action_cost")) {
      core::Price amount;
      if (cost->Read(&amount)) {
        if (amount < core::Price::Zero()) {
          cost->Error(absl::StrCat("expected an amount of zero or more, got ", amount.ToString()));
        } else {
          config.max_action_cost = amount;
        }
      }
    }
    if (auto hand_off = f.Optional("hand_off")) {
      for (YamlField& order : hand_off->Elements()) {
        int64_t id = 0;
        if (!order.Read(&id)) continue;
        if (id < 1) {
          order.Error(absl::StrCat("expected an order id of at least 1, got ", id));
        } else if (!config.hand_off.insert(core::OrderId(static_cast<uint64_t>(id))).second) {
          order.Error(absl::StrCat("order ", id, " is listed twice"));
        }
      }
    }
    if (ErrorCount() == before) Check(f, config.Validate());
  }

  // --- accounts, fix --------------------------------------------------------------------------

  void LoadAccounts(YamlField& f, AccountsSettings& accounts) {
    accounts::AccountsOptions& options = accounts.options;
    if (!Expect(f)) return;
    const size_t before = ErrorCount();
    if (auto d = f.Optional("durability")) {
      std::string text;
      if (d->Read(&text)) {
        auto mode = accounts::ParseDurabilityMode(text);
        if (mode.ok()) {
          options.durability = *mode;
        } else {
          d->Error(StatusText(mode.status()));
        }
      }
    }
    if (auto i = f.Optional("flush_interval")) {
      if (options.durability != accounts::DurabilityMode::kProcess) {
        i->Error("only with durability: process (the other modes sync before every report)");
      } else if (core::Duration interval; i->Read(&interval)) {
        if (interval <= core::Duration::Zero()) {
          i->Error(absl::StrCat("expected a duration above zero, got ", interval.ToString()));
        } else {
          options.flush_interval = interval;
        }
      }
    }
    if (auto g = f.Optional("group_commit")) {
      if (options.durability != accounts::DurabilityMode::kGroupCommit) {
        g->Error("only with durability: group_commit");
      } else if (Expect(*g)) {
        ReadAtLeast(*g, "max_events", &options.group_commit.max_events, 1);
        ReadDuration(*g, "max_delay", &options.group_commit.max_delay);
      }
    }
    if (auto c = f.Optional("commission"); c.has_value() && Expect(*c)) {
      accounts::CommissionSchedule& commission = options.commission;
      GetMoney(*c, "per_trade", &commission.per_trade);
      c->Get("per_combo_unit", &commission.per_combo_unit);
      if (auto legs = c->Optional("per_leg_contract"); legs.has_value() && Expect(*legs)) {
        const std::pair<std::string_view, accounts::SubAccount> entries[] = {
            {"securities", accounts::SubAccount::kSecurities},
            {"options", accounts::SubAccount::kOptions},
            {"futures", accounts::SubAccount::kFutures}};
        for (const auto& [key, sub] : entries) {
          core::Price rate;
          if (legs->Get(key, &rate)) commission.per_leg_contract[sub] = rate;
        }
      }
      GetMoney(*c, "minimum", &commission.minimum);
    }
    if (auto j = f.Optional("journal"); j.has_value() && Expect(*j)) {
      ReadNonEmpty(*j, "path", &journal_path_);
      ReadAtLeast(*j, "max_pages", &options.journal.max_pages, 0);
    }
    if (ErrorCount() == before) Check(f, options.Validate());
  }

  void LoadFix(YamlField& f, FixSettings& fix) {
    if (!Expect(f)) return;
    f.Get("enabled", &fix.enabled);
    ReadNonEmpty(f, "listen_address", &fix.listen_address);
    ReadPort(f, "port", &fix.port, 1);
    ReadNonEmpty(f, "data_dictionary", &fix.data_dictionary);
    ReadNonEmpty(f, "store_directory", &fix.store_directory);
    f.Get("log_directory", &fix.log_directory);
    ReadAtLeast(f, "max_legs", &fix.max_legs, 2);
    std::set<std::string> clients;
    if (auto sessions = f.Optional("sessions")) {
      for (YamlField& s : sessions->Elements()) {
        if (!Expect(s)) continue;
        FixSessionSettings session;
        if (auto client = s.Required("client_comp_id")) {
          if (client->Read(&session.client_comp_id) && session.client_comp_id.empty()) {
            client->Error("expected a non-empty CompID");
          }
        }
        ReadNonEmpty(s, "gateway_comp_id", &session.gateway_comp_id);
        std::string text;
        if (s.Get("username", &text)) session.username = text;
        if (s.Get("password", &text)) session.password = text;
        if (session.username.has_value() != session.password.has_value()) {
          s.Error("username and password go together: set both or neither");
        }
        s.Get("default_account", &session.default_account);
        s.Get("cancel_on_disconnect", &session.cancel_on_disconnect);
        // The client CompID is the client's identity (risk, accounts): one session each.
        if (!session.client_comp_id.empty() && !clients.insert(session.client_comp_id).second) {
          s.Error(absl::StrCat("client CompID \"", session.client_comp_id, "\" is listed twice"));
        }
        fix.sessions.push_back(std::move(session));
      }
    }
    if (fix.enabled && fix.sessions.empty()) {
      f.Error("an enabled FIX gateway needs at least one entry in sessions");
    }
    if (auto t = f.Optional("tls"); t.has_value() && Expect(*t)) {
      FixTlsSettings tls;
      if (t->Required("certificate_file").has_value()) {
        ReadNonEmpty(*t, "certificate_file", &tls.certificate_file);
      }
      if (t->Required("private_key_file").has_value()) {
        ReadNonEmpty(*t, "private_key_file", &tls.private_key_file);
      }
      std::string ca;
      if (t->Get("ca_file", &ca)) tls.ca_file = ca;
      fix.tls = tls;
    }
    fix.sockets = fix.tls.has_value() ? FixSockets::kSessionThreads : FixSockets::kCoreThread;
    if (f.GetEnum("sockets", &fix.sockets,
                  {{"core_thread", FixSockets::kCoreThread},
                   {"session_threads", FixSockets::kSessionThreads}}) &&
        fix.tls.has_value() && fix.sockets == FixSockets::kCoreThread) {
      f.Optional("sockets")->Error(
          "core_thread sockets are plain TCP: TLS needs sockets: session_threads");
    }
  }

  // --- simulation ---------------------------------------------------------------------------

  // A venue by name, for the simulation's agents.
  const VenueConfig* FindVenue(YamlField& parent, const DaemonConfig& config) {
    auto f = parent.Required("venue");
    if (!f.has_value()) return nullptr;
    std::string name;
    if (!f->Read(&name)) return nullptr;
    const VenueConfig* venue = config.FindVenue(name);
    if (venue == nullptr) f->Error(absl::StrCat("unknown venue \"", name, "\""));
    return venue;
  }

  // `instruments` of an agent: listed by its venue; all of the venue's when absent.
  std::vector<core::InstrumentId> AgentInstruments(YamlField& f, const VenueConfig& venue,
                                                   const DaemonConfig& config) {
    if (!f.Optional("instruments").has_value()) return venue.instruments;
    std::vector<core::InstrumentId> ids = ReadSymbols(f, "instruments", config);
    for (core::InstrumentId id : ids) {
      if (std::find(venue.instruments.begin(), venue.instruments.end(), id) ==
          venue.instruments.end()) {
        f.Optional("instruments")
            ->Error(absl::StrCat("instrument \"", config.instruments.Find(id)->symbol(),
                                 "\" is not listed by venue ", venue.name));
      }
    }
    return ids;
  }

  // `combos` of an agent: each one the venue trades natively (canonical ids).
  std::vector<core::ComboId> NativeCombos(YamlField& f, const VenueConfig& venue,
                                          const DaemonConfig& config) {
    std::vector<core::ComboId> combos;
    auto list_field = f.Optional("combos");
    if (!list_field.has_value()) return combos;
    for (YamlField& c : list_field->Elements()) {
      std::string text;
      if (!c.Read(&text)) continue;
      auto spec = core::ParseComboText(text, config.instruments);
      std::optional<core::ComboId> id;
      if (spec.ok()) id = config.combos.Lookup(core::Canonicalize(*spec).spec);
      if (!spec.ok()) {
        c.Error(absl::StrCat("combo \"", text, "\": ", spec.status().message()));
      } else if (!id.has_value() ||
                 std::find(venue.native_combos.begin(), venue.native_combos.end(), *id) ==
                     venue.native_combos.end()) {
        c.Error(absl::StrCat("combo \"", text, "\" is not traded natively at venue ", venue.name));
      } else {
        combos.push_back(*id);
      }
    }
    return combos;
  }

  void ReadRole(YamlField& f, venues::ParticipantRole* role) {
    f.GetEnum("role", role,
              {{"customer", venues::ParticipantRole::kCustomer},
               {"professional", venues::ParticipantRole::kProfessional},
               {"market_maker", venues::ParticipantRole::kMarketMaker},
               {"primary_market_maker", venues::ParticipantRole::kPrimaryMarketMaker},
               {"farmm", venues::ParticipantRole::kFarAwayMarketMaker}});
  }

  // A simulated participant group's own link (market_sim::ParticipantLink): `latency` {fixed,
  // jitter} on every message it sends, `probe_interval` of its latency test orders (only at a venue
  // running latency protection), `group` (its submitter class in metrics; default
  // "<section>-<venue>").
  void ReadLink(YamlField& f, std::string_view section, const VenueConfig* venue,
                venues::market_sim::ParticipantLink* link) {
    if (auto latency = f.Optional("latency"); latency.has_value() && Expect(*latency)) {
      ReadDuration(*latency, "fixed", &link->fixed);
      ReadDuration(*latency, "jitter", &link->jitter);
    }
    link->probe_interval = kDefaultProbeInterval;
    if (auto probe = f.Optional("probe_interval")) {
      core::Duration interval;
      if (probe->Read(&interval)) {
        const bool protected_venue = venue != nullptr && venue->kind == VenueKind::kSimulated &&
                                     venue->simulated.latency_protection.enabled;
        if (interval < core::Duration::Zero()) {
          probe->Error(absl::StrCat("expected a duration of zero (no probes) or more, got ",
                                    interval.ToString()));
        } else if (venue != nullptr && !protected_venue && interval > core::Duration::Zero()) {
          probe->Error(absl::StrCat("venue ", venue->name,
                                    " does not run latency protection: nothing to probe"));
        } else {
          link->probe_interval = interval;
        }
      }
    }
    if (auto group = f.Optional("group")) {
      std::string name;
      if (group->Read(&name)) {
        if (name.empty()) {
          group->Error("expected a non-empty group name");
        } else {
          link->group = name;
        }
      }
    }
    if (link->group.empty() && venue != nullptr) {
      link->group = absl::StrCat(core::AsAbsl(section), "-", venue->name);
    }
  }

  // Half spreads in ticks: at least 1, min <= max.
  void ReadSpread(YamlField& f, int64_t* min, int64_t* max) {
    ReadAtLeast(f, "min_half_spread_ticks", min, 1);
    ReadAtLeast(f, "max_half_spread_ticks", max, 1);
    if (*min > *max) {
      f.Error(absl::StrCat("min_half_spread_ticks (", *min, ") exceeds max_half_spread_ticks (",
                           *max, ")"));
    }
  }

  // A resting trader (venues/market_sim/resting_traders.h): leg books by default (every instrument
  // of the venue unless `instruments` or `combos` names what it works), native combos by `combos`.
  template <typename NeedProcess>
  void LoadRestingTrader(YamlField& r, DaemonConfig& config, NeedProcess& need_process) {
    if (!Expect(r)) return;
    venues::market_sim::RestingTraderConfig trader;
    const VenueConfig* venue = FindVenue(r, config);
    ReadRole(r, &trader.role);
    if (auto rate = r.Optional("orders_per_second")) {
      double value = 0;
      if (rate->Read(&value)) {
        if (!(value > 0 && value <= 1e6)) {
          rate->Error(absl::StrCat("expected a rate above 0 and at most 1000000, got ", value));
        } else {
          trader.orders_per_second = value;
        }
      }
    }
    const int64_t bound = venues::market_sim::kMaxRestingOffsetTicks;
    for (auto [key, out] : {std::pair{"min_offset_ticks", &trader.min_offset_ticks},
                            std::pair{"max_offset_ticks", &trader.max_offset_ticks}}) {
      int64_t value = 0;
      if (!ReadAtLeast(r, key, &value, -bound)) continue;
      if (value > bound) {
        r.Optional(key)->Error(
            absl::StrCat("expected a whole number of at most ", bound, ", got ", value));
      } else {
        *out = value;
      }
    }
    if (trader.min_offset_ticks > trader.max_offset_ticks) {
      r.Error(absl::StrCat("min_offset_ticks (", trader.min_offset_ticks,
                           ") exceeds max_offset_ticks (", trader.max_offset_ticks, ")"));
    }
    ReadQuantity(r, "min_quantity", &trader.min_quantity, 1);
    ReadQuantity(r, "max_quantity", &trader.max_quantity, 1);
    if (trader.min_quantity > trader.max_quantity) r.Error("min_quantity exceeds max_quantity");
    for (auto [key, out] : {std::pair{"min_lifetime", &trader.min_lifetime},
                            std::pair{"max_lifetime", &trader.max_lifetime}}) {
      core::Duration value;
      if (!ReadDuration(r, key, &value)) continue;
      if (value <= core::Duration::Zero()) {
        r.Optional(key)->Error(
            absl::StrCat("expected a positive duration, got ", value.ToString()));
      } else {
        *out = value;
      }
    }
    if (trader.min_lifetime > trader.max_lifetime) r.Error("min_lifetime exceeds max_lifetime");
    if (ReadAtLeast(r, "replace_percent", &trader.replace_percent, 0) &&
        trader.replace_percent > 100) {
      r.Optional("replace_percent")
          ->Error(
              absl::StrCat("expected a percentage from 0 to 100, got ", trader.replace_percent));
      trader.replace_percent = 100;
    }
    ReadAtLeast(r, "max_open_orders", &trader.max_open_orders, 1);
    if (r.Get("net_tick", &trader.net_tick) && !trader.net_tick.is_positive()) {
      r.Optional("net_tick")->Error("expected a positive price increment");
    }
    if (venue == nullptr) return;
    trader.venue = venue->id;
    if (r.Optional("combos").has_value()) {
      if (venue->kind != VenueKind::kSimulated || !venue->simulated.complex_book.enabled) {
        r.Optional("combos")->Error(
            absl::StrCat("venue ", venue->name, " has no complex-order book"));
        return;
      }
      trader.combos = NativeCombos(r, *venue, config);
    }
    if (r.Optional("instruments").has_value() || !r.Optional("combos").has_value()) {
      trader.instruments = AgentInstruments(r, *venue, config);
    }
    for (core::InstrumentId id : trader.instruments) {
      if (!need_process(r, id)) return;
    }
    for (core::ComboId id : trader.combos) {
      for (const core::ComboLeg& leg : config.combos.Find(id)->legs()) {
        if (!need_process(r, leg.instrument)) return;
      }
    }
    if (trader.instruments.empty() && trader.combos.empty()) {
      r.Error("expected instruments or combos to work");
      return;
    }
    if (!LoadRestingTraderBlocks(r, *venue, trader)) return;
    config.simulation.market.resting_traders.push_back(std::move(trader));
  }

  // A resting trader's block orders (seed 001 R48): percentages, and a size the venue's block
  // process takes. False (with the error) when they cannot be sent.
  bool LoadRestingTraderBlocks(YamlField& r, const VenueConfig& venue,
                               venues::market_sim::RestingTraderConfig& trader) {
    for (auto [key, out] : {std::pair{"block_percent", &trader.block_percent},
                            std::pair{"facilitation_percent", &trader.facilitation_percent}}) {
      if (ReadAtLeast(r, key, out, 0) && *out > 100) {
        r.Optional(key)->Error(absl::StrCat("expected a percentage from 0 to 100, got ", *out));
        return false;
      }
    }
    ReadQuantity(r, "block_quantity", &trader.block_quantity, 1);
    if (trader.block_percent == 0) return true;
    auto percent = r.Optional("block_percent");
    if (venue.kind != VenueKind::kSimulated || !venue.simulated.leg_processes.block.enabled) {
      percent->Error(absl::StrCat("venue ", venue.name,
                                  " takes no block orders (venues[].leg_processes.block)"));
      return false;
    }
    if (trader.instruments.empty()) {
      percent->Error("expected instruments: block orders are leg orders");
      return false;
    }
    const core::Quantity minimum = venue.simulated.leg_processes.block.min_quantity;
    if (trader.block_quantity < minimum) {
      const std::string error =
          absl::StrCat("expected at least venue ", venue.name, "'s block minimum ", minimum.value(),
                       ", got ", trader.block_quantity.value());
      if (auto quantity = r.Optional("block_quantity")) {
        quantity->Error(error);
      } else {
        r.Error(absl::StrCat("block_quantity (default 50): ", error));
      }
      return false;
    }
    return true;
  }

  // A rate in events per second: above 0 (or at 0 when `zero_allowed`), at most 1000000.
  void ReadRate(YamlField& parent, std::string_view key, double* out, bool zero_allowed) {
    auto rate = parent.Optional(key);
    double value = 0;
    if (!rate.has_value() || !rate->Read(&value)) return;
    if (!((value > 0 || (zero_allowed && value == 0)) && value <= 1e6)) {
      rate->Error(absl::StrCat("expected a rate ", zero_allowed ? "of at least 0" : "above 0",
                               " and at most 1000000, got ", value));
      return;
    }
    *out = value;
  }

  // One entry of simulation.cbo_desks (venues/market_sim/market_simulator.h, CboDeskConfig).
  template <typename NeedProcess>
  void LoadCboDesk(YamlField& d, DaemonConfig& config, NeedProcess& need_process) {
    if (!Expect(d)) return;
    venues::market_sim::CboDeskConfig desk;
    const VenueConfig* venue = FindVenue(d, config);
    ReadAtLeast(d, "exclusive_dealers", &desk.exclusive_dealers, 1);
    ReadAtLeast(d, "open_dealers", &desk.open_dealers, 0);
    if (desk.exclusive_dealers + desk.open_dealers > 64) {
      d.Error("exclusive_dealers + open_dealers must be at most 64");
    }
    ReadRate(d, "cbos_per_second", &desk.cbos_per_second, false);
    ReadQuantity(d, "min_quantity", &desk.min_quantity, 1);
    ReadQuantity(d, "max_quantity", &desk.max_quantity, 1);
    if (desk.min_quantity > desk.max_quantity) d.Error("min_quantity exceeds max_quantity");
    d.Get("min_limit_offset_ticks", &desk.min_limit_offset_ticks);
    d.Get("max_limit_offset_ticks", &desk.max_limit_offset_ticks);
    if (desk.min_limit_offset_ticks > desk.max_limit_offset_ticks) {
      d.Error("min_limit_offset_ticks exceeds max_limit_offset_ticks");
    }
    if (auto lifetime = d.Optional("cbo_lifetime")) {
      core::Duration value;
      if (lifetime->Read(&value)) {
        if (value <= core::Duration::Zero()) {
          lifetime->Error(absl::StrCat("expected a positive duration, got ", value.ToString()));
        } else {
          desk.cbo_lifetime = value;
        }
      }
    }
    ReadAtLeast(d, "client_autofill_ticks", &desk.client_autofill_ticks, 0);
    d.Get("min_edge_ticks", &desk.min_edge_ticks);
    d.Get("max_edge_ticks", &desk.max_edge_ticks);
    if (desk.min_edge_ticks > desk.max_edge_ticks) d.Error("min_edge_ticks exceeds max_edge_ticks");
    ReadAtLeast(d, "dealer_autofill_ticks", &desk.dealer_autofill_ticks, 0);
    ReadDuration(d, "min_response_delay", &desk.min_response_delay);
    ReadDuration(d, "max_response_delay", &desk.max_response_delay);
    if (desk.min_response_delay > desk.max_response_delay) {
      d.Error("min_response_delay exceeds max_response_delay");
    }
    ReadRate(d, "leg_orders_per_second", &desk.leg_orders_per_second, true);
    if (desk.leg_orders_per_second > 0 && desk.dealer_autofill_ticks == 0) {
      d.Optional("leg_orders_per_second")
          ->Error(
              "the dealers' leg orders carry the dealer autofill threshold: set "
              "dealer_autofill_ticks above 0");
    }
    if (venue == nullptr) return;
    if (venue->kind != VenueKind::kSimulated || !venue->simulated.aop.cbo_book) {
      d.Optional("venue")->Error(
          absl::StrCat("venue ", venue->name, " opens no CBO book (venues[].aop.cbo)"));
      return;
    }
    desk.venue = venue->id;
    desk.instruments = AgentInstruments(d, *venue, config);
    for (core::InstrumentId id : desk.instruments) {
      if (!need_process(d, id)) return;
    }
    config.simulation.market.cbo_desks.push_back(desk);
  }

  void LoadSimulation(YamlField& f, DaemonConfig& config) {
    SimulationSettings& sim = config.simulation;
    venues::market_sim::MarketSimConfig& market = sim.market;
    if (!Expect(f)) return;
    f.Get("enabled", &sim.enabled);
    f.Get("seed", &market.seed);
    if (auto step = f.Optional("step")) {
      core::Duration value;
      if (step->Read(&value)) {
        if (value <= core::Duration::Zero()) {
          step->Error(absl::StrCat("expected a positive duration, got ", value.ToString()));
        } else {
          market.step = value;
        }
      }
    }
    f.Get("rate", &market.rate);
    ReadAtLeast(f, "first_participant_id", &market.first_participant_id, 1);
    std::set<std::string> processes;
    if (auto list = f.Optional("underlyings")) {
      for (YamlField& u : list->Elements()) {
        if (!Expect(u)) continue;
        venues::market_sim::UnderlyingProcessConfig process;
        u.GetRequired("underlying", &process.underlying);
        u.GetRequired("initial_price", &process.initial_price);
        u.Get("drift", &process.drift);
        u.Get("volatility", &process.volatility);
        u.Get("jump_intensity", &process.jump_intensity);
        u.Get("jump_mean", &process.jump_mean);
        u.Get("jump_deviation", &process.jump_deviation);
        Check(u, venues::market_sim::ValidateUnderlyingProcessConfig(process));
        if (!processes.insert(process.underlying).second) {
          u.Error(absl::StrCat("underlying \"", process.underlying, "\" has two processes"));
        }
        market.underlyings.push_back(process);
      }
    }
    auto underlying_of = [&](core::InstrumentId id) {
      const core::Instrument* instrument = config.instruments.Find(id);
      return instrument->underlying().empty() ? instrument->symbol() : instrument->underlying();
    };
    auto need_process = [&](YamlField& at, core::InstrumentId id) {
      if (processes.count(underlying_of(id)) == 0) {
        at.Error(absl::StrCat("instrument \"", config.instruments.Find(id)->symbol(),
                              "\" has no process for its underlying \"", underlying_of(id),
                              "\" in simulation.underlyings"));
        return false;
      }
      return true;
    };
    if (auto list = f.Optional("market_makers")) {
      for (YamlField& m : list->Elements()) {
        if (!Expect(m)) continue;
        venues::market_sim::MarketMakerConfig base;
        const VenueConfig* venue = FindVenue(m, config);
        ReadSpread(m, &base.min_half_spread_ticks, &base.max_half_spread_ticks);
        ReadQuantity(m, "quantity", &base.quantity, 1);
        ReadDuration(m, "requote_delay", &base.requote_delay);
        ReadDuration(m, "requote_jitter", &base.requote_jitter);
        ReadRole(m, &base.role);
        ReadLink(m, "market_makers", venue, &base.link);
        if (venue == nullptr) continue;
        base.venue = venue->id;
        for (core::InstrumentId id : AgentInstruments(m, *venue, config)) {
          if (!need_process(m, id)) break;
          venues::market_sim::MarketMakerConfig maker = base;
          maker.instrument = id;
          market.market_makers.push_back(maker);
        }
      }
    }
    if (auto list = f.Optional("takers")) {
      for (YamlField& t : list->Elements()) {
        if (!Expect(t)) continue;
        venues::market_sim::TakerConfig taker;
        const VenueConfig* venue = FindVenue(t, config);
        if (auto rate = t.Optional("arrivals_per_second")) {
          double value = 0;
          if (rate->Read(&value)) {
            if (!(value > 0 && value <= 1e6)) {
              rate->Error(absl::StrCat("expected a rate above 0 and at most 1000000, got ", value));
            } else {
              taker.arrivals_per_second = value;
            }
          }
        }
        ReadQuantity(t, "min_quantity", &taker.min_quantity, 1);
        ReadQuantity(t, "max_quantity", &taker.max_quantity, 1);
        if (taker.min_quantity > taker.max_quantity) {
          t.Error("min_quantity exceeds max_quantity");
        }
        ReadRole(t, &taker.role);
        ReadLink(t, "takers", venue, &taker.link);
        if (venue == nullptr) continue;
        taker.venue = venue->id;
        if (t.Optional("combos").has_value()) {
          if (venue->kind != VenueKind::kSimulated || !venue->simulated.complex_book.enabled) {
            t.Optional("combos")->Error(
                absl::StrCat("venue ", venue->name, " has no complex-order book"));
            continue;
          }
          taker.combos = NativeCombos(t, *venue, config);
        }
        // Every instrument of the venue unless `instruments` or `combos` says what it takes.
        if (t.Optional("instruments").has_value() || !t.Optional("combos").has_value()) {
          taker.instruments = AgentInstruments(t, *venue, config);
        }
        if (taker.instruments.empty() && taker.combos.empty()) {
          t.Error("expected instruments or combos to take");
          continue;
        }
        market.takers.push_back(taker);
      }
    }
    if (auto list = f.Optional("complex_quoters")) {
      for (YamlField& q : list->Elements()) {
        if (!Expect(q)) continue;
        venues::market_sim::ComplexQuoterConfig base;
        const VenueConfig* venue = FindVenue(q, config);
        q.Get("net_tick", &base.net_tick);
        ReadSpread(q, &base.min_half_spread_ticks, &base.max_half_spread_ticks);
        ReadQuantity(q, "quantity", &base.quantity, 1);
        ReadDuration(q, "requote_delay", &base.requote_delay);
        ReadDuration(q, "requote_jitter", &base.requote_jitter);
        ReadRole(q, &base.role);
        ReadLink(q, "complex_quoters", venue, &base.link);
        if (venue == nullptr) continue;
        if (venue->kind != VenueKind::kSimulated || !venue->simulated.complex_book.enabled) {
          q.Error(absl::StrCat("venue ", venue->name, " has no complex-order book"));
          continue;
        }
        base.venue = venue->id;
        std::vector<core::ComboId> combos = q.Optional("combos").has_value()
                                                ? NativeCombos(q, *venue, config)
                                                : venue->native_combos;
        for (core::ComboId id : combos) {
          bool ok = true;
          for (const core::ComboLeg& leg : config.combos.Find(id)->legs()) {
            ok = ok && need_process(q, leg.instrument);
          }
          if (!ok) break;
          venues::market_sim::ComplexQuoterConfig quoter = base;
          quoter.combo = id;
          market.complex_quoters.push_back(quoter);
        }
      }
    }
    if (auto list = f.Optional("resting_traders")) {
      for (YamlField& r : list->Elements()) LoadRestingTrader(r, config, need_process);
    }
    if (auto list = f.Optional("cbo_desks")) {
      for (YamlField& d : list->Elements()) LoadCboDesk(d, config, need_process);
    }
    if (auto list = f.Optional("script")) {
      for (YamlField& s : list->Elements()) LoadScriptedEvent(s, config, processes);
    }
    if (auto list = f.Optional("negotiators")) {
      // Fair-value traders on a negotiation venue (the simulator's own agents).
      std::set<std::string> accounts;
      for (YamlField& n : list->Elements()) {
        if (!Expect(n)) continue;
        venues::market_sim::NegotiatorConfig negotiator;
        const VenueConfig* venue = FindVenue(n, config);
        if (auto a = n.Required("account"); a.has_value() && a->Read(&negotiator.account)) {
          if (negotiator.account.empty() || negotiator.account.size() > 20) {
            a->Error("expected an account of 1 to 20 characters");
          } else if (!accounts.insert(negotiator.account).second) {
            a->Error(absl::StrCat("account \"", negotiator.account, "\" is used twice"));
          }
        }
        ReadAtLeast(n, "min_edge_ticks", &negotiator.min_edge_ticks, 0);
        ReadAtLeast(n, "max_edge_ticks", &negotiator.max_edge_ticks, 0);
        if (negotiator.min_edge_ticks > negotiator.max_edge_ticks) {
          n.Error(absl::StrCat("min_edge_ticks (", negotiator.min_edge_ticks,
                               ") exceeds max_edge_ticks (", negotiator.max_edge_ticks, ")"));
        }
        ReadAtLeast(n, "counter_band_ticks", &negotiator.counter_band_ticks, 0);
        if (n.Get("combo_tick", &negotiator.combo_tick) && !negotiator.combo_tick.is_positive()) {
          n.Optional("combo_tick")->Error("expected a positive price increment");
        }
        ReadQuantity(n, "max_quantity", &negotiator.max_quantity, 1);
        ReadDuration(n, "min_think_time", &negotiator.min_think_time);
        ReadDuration(n, "max_think_time", &negotiator.max_think_time);
        if (negotiator.min_think_time > negotiator.max_think_time) {
          n.Error("min_think_time exceeds max_think_time");
        }
        if (ReadAtLeast(n, "counter_timeout_seconds", &negotiator.counter_timeout_seconds, 1) &&
            negotiator.counter_timeout_seconds > 86'400) {
          n.Optional("counter_timeout_seconds")->Error("expected at most 86400 seconds");
        }
        if (venue == nullptr) continue;
        if (venue->kind != VenueKind::kNegotiation) {
          n.Error(absl::StrCat("venue ", venue->name, " is not a negotiation venue"));
          continue;
        }
        negotiator.venue = venue->id;
        market.negotiators.push_back(negotiator);
      }
    }
    if (auto list = f.Optional("negotiation_participants")) {
      std::set<std::string> accounts;
      for (YamlField& p : list->Elements()) {
        if (!Expect(p)) continue;
        venues::negotiation::SimulatedParticipantConfig participant;
        std::string account;
        if (auto a = p.Required("account"); a.has_value() && a->Read(&account)) {
          if (account.empty()) a->Error("expected a non-empty account");
          if (!accounts.insert(account).second) {
            a->Error(absl::StrCat("account \"", account, "\" is used twice"));
          }
          participant.account = core::AccountId(account);
          for (const VenueConfig& venue : config.venues) {
            if (venue.kind == VenueKind::kNegotiation &&
                venue.negotiation.venue.account == participant.account) {
              a->Error(
                  absl::StrCat("account \"", account, "\" is the account of venue ", venue.name));
            }
          }
        }
        if (auto interests = p.Optional("interests")) {
          for (YamlField& i : interests->Elements()) {
            if (!Expect(i)) continue;
            venues::negotiation::Interest interest;
            if (auto text = i.Required("instrument");
                text.has_value() && text->Read(&interest.instrument)) {
              auto tradable =
                  venues::negotiation::ResolveInstrument(interest.instrument, config.instruments);
              if (!tradable.ok()) text->Error(StatusText(tradable.status()));
            }
            core::Price price;
            if (i.Get("buy_limit", &price)) interest.buy_limit = price;
            if (i.Get("sell_limit", &price)) interest.sell_limit = price;
            if (i.Optional("max_quantity").has_value()) {
              ReadQuantity(i, "max_quantity", &interest.max_quantity, 1);
            } else {
              i.Required("max_quantity");
            }
            if (!interest.buy_limit.has_value() && !interest.sell_limit.has_value()) {
              i.Error("an interest needs buy_limit, sell_limit or both");
            }
            participant.interests.push_back(interest);
          }
        }
        ReadDuration(p, "min_think_time", &participant.min_think_time);
        ReadDuration(p, "max_think_time", &participant.max_think_time);
        if (participant.min_think_time > participant.max_think_time) {
          p.Error("min_think_time exceeds max_think_time");
        }
        ReadDuration(p, "trade_request_delay", &participant.trade_request_delay);
        p.Get("clearing_firm", &participant.clearing_firm);
        p.Get("seed", &participant.seed);
        sim.negotiation_participants.push_back(participant);
      }
    }
  }

  void LoadScriptedEvent(YamlField& s, const DaemonConfig& config,
                         const std::set<std::string>& processes) {
    using venues::market_sim::ScriptedEventKind;
    if (!Expect(s)) return;
    venues::market_sim::ScriptedEvent event;
    if (auto at = s.Required("at")) {
      core::Duration value;
      if (at->Read(&value)) {
        if (value < core::Duration::Zero()) {
          at->Error(absl::StrCat("expected an offset of zero or more, got ", value.ToString()));
        }
        event.at = value;
      }
    }
    auto kind = s.Required("kind");
    if (!kind.has_value() ||
        !kind->ReadEnum(&event.kind, {{"pull_quotes", ScriptedEventKind::kPullQuotes},
                                      {"restore_quotes", ScriptedEventKind::kRestoreQuotes},
                                      {"price_jump", ScriptedEventKind::kPriceJump},
                                      {"halt_venue", ScriptedEventKind::kHaltVenue},
                                      {"resume_venue", ScriptedEventKind::kResumeVenue},
                                      {"latency_spike", ScriptedEventKind::kLatencySpike},
                                      {"fast_market", ScriptedEventKind::kFastMarket}})) {
      return;
    }
    const bool jump = event.kind == ScriptedEventKind::kPriceJump;
    const bool fast = event.kind == ScriptedEventKind::kFastMarket;
    const bool quotes = event.kind == ScriptedEventKind::kPullQuotes ||
                        event.kind == ScriptedEventKind::kRestoreQuotes || fast;
    const bool spike = event.kind == ScriptedEventKind::kLatencySpike;
    // Each setting belongs to the kinds it applies to.
    auto only = [&](std::string_view key, bool allowed, std::string_view kinds) {
      if (allowed) return;
      if (auto bad = s.Optional(key)) bad->Error(absl::StrCat("only for kind: ", AsAbsl(kinds)));
    };
    only("venue", !jump, "every kind but price_jump");
    only("instrument", quotes, "pull_quotes, restore_quotes or fast_market");
    only("level", fast, "fast_market");
    only("delay", fast, "fast_market");
    only("underlying", jump, "price_jump");
    only("log_return", jump, "price_jump");
    only("extra_latency", spike, "latency_spike");
    only("spike_length", spike, "latency_spike");
    const VenueConfig* venue = nullptr;
    if (!jump) {
      venue = FindVenue(s, config);
      if (venue != nullptr) event.venue = venue->id;
    }
    if (quotes && venue != nullptr) {
      std::string symbol;
      if (auto i = s.Optional("instrument"); i.has_value() && i->Read(&symbol)) {
        auto id = ResolveSymbol(*i, config, symbol);
        if (id.has_value()) {
          if (std::find(venue->instruments.begin(), venue->instruments.end(), *id) ==
              venue->instruments.end()) {
            i->Error(
                absl::StrCat("instrument \"", symbol, "\" is not listed by venue ", venue->name));
          }
          event.instrument = *id;
        }
      }
    }
    if (jump) {
      if (auto u = s.Required("underlying"); u.has_value() && u->Read(&event.underlying)) {
        if (processes.count(event.underlying) == 0) {
          u->Error(absl::StrCat("underlying \"", event.underlying,
                                "\" has no process in simulation.underlyings"));
        }
      }
      s.GetRequired("log_return", &event.log_return);
    }
    if (fast && venue != nullptr) {
      if (!event.instrument.has_value()) s.Error("kind: fast_market needs an instrument");
      if (!venue->simulated.leg_processes.fast_market.enabled) {
        s.Error(absl::StrCat("venue ", venue->name,
                             " has no fast-market process (venues[].leg_processes.fast_market)"));
      }
      if (auto level = s.Required("level");
          level.has_value() && level->Read(&event.fast_market_level) &&
          (event.fast_market_level < 0 || event.fast_market_level > 6)) {
        level->Error(absl::StrCat("expected a fast-market level from 0 to 6, got ",
                                  event.fast_market_level));
      }
      ReadDuration(s, "delay", &event.fast_market_delay);
      if (event.fast_market_level == 6 && event.fast_market_delay <= core::Duration::Zero()) {
        s.Error("fast-market level 6 needs the delay the exchange enters (delay)");
      }
    }
    if (spike) {
      if (s.Required("extra_latency").has_value()) {
        ReadDuration(s, "extra_latency", &event.extra_latency);
      }
      if (s.Required("spike_length").has_value()) {
        ReadDuration(s, "spike_length", &event.spike_length);
      }
    }
    config_script_.push_back(event);
  }

  // Cross-section checks and path resolution, once every section is read.
  void Finish(YamlField& root, DaemonConfig& config) {
    config.simulation.market.script = std::move(config_script_);
    const std::string& base = config.daemon.data_dir;
    config.accounts.journal_path = ResolvePath(base, journal_path_);
    config.fix.store_directory = ResolvePath(base, config.fix.store_directory);
    config.fix.log_directory = ResolvePath(base, config.fix.log_directory);
    config.logging.file = ResolvePath(base, config.logging.file);

    // The router's participant ids (its own, its leg-in engine's one above, its residual
    // resolver's two above) must not be ones the simulation gives its agents.
    const venues::market_sim::MarketSimConfig& market = config.simulation.market;
    if (config.simulation.enabled) {
      const uint64_t first = market.first_participant_id;
      uint64_t agents = market.market_makers.size() + market.takers.size() +
                        market.complex_quoters.size() + market.resting_traders.size();
      for (const auto& desk : market.cbo_desks)
        agents += venues::market_sim::DeskParticipants(desk);
      const uint64_t router = config.router.participant.value();
      if (router < first + agents && first < router + 3) {
        root.Error(absl::StrCat("router.participant ", router, " (with ", router + 1, " and ",
                                router + 2, " for its leg-in engine and residual resolver)",
                                " is one of the simulation's agent ids (", first, " to ",
                                first + agents - 1, "): move simulation.first_participant_id"));
      }
    }
    // A CBO book without the simulation's desks at its venue has no client and no dealer: its
    // keys could not act.
    for (auto& [venue, field] : cbo_books_) {
      const venues::market_sim::MarketSimConfig& sim = config.simulation.market;
      const core::VenueId id = config.FindVenue(venue)->id;
      const bool traded = config.simulation.enabled &&
                          std::any_of(sim.cbo_desks.begin(), sim.cbo_desks.end(),
                                      [id](const auto& desk) { return desk.venue == id; });
      if (!traded) {
        field.Error(absl::StrCat("the CBO book of venue ", venue,
                                 " has no clients or dealers: add a simulation.cbo_desks entry "
                                 "at this venue (with simulation.enabled: true)"));
      }
    }
    if (config.fix.enabled && config.metrics.enabled &&
        config.fix.listen_address == config.metrics.listen_address &&
        config.fix.port == config.metrics.port) {
      root.Error(absl::StrCat("fix.port and metrics.port are both ", config.fix.port));
    }
    // Options need a volatility for their deltas (leg ranking, dollar-delta exposure).
    std::set<std::string> missing;
    for (const auto& [id, instrument] : config.instruments.all()) {
      if (instrument.is_option() && config.pricing.underlyings.count(instrument.underlying()) == 0)
        missing.insert(instrument.underlying());
    }
    for (const std::string& underlying : missing) {
      root.Error(absl::StrCat("options on \"", underlying, "\" need pricing.underlyings.",
                              underlying, ".volatility"));
    }
  }

  ConfigErrors* errors_;
  LoadOptions options_;
  // The instrument master did not load whole: errors that only follow from its missing rows are
  // not reported again.
  bool master_incomplete_ = false;
  // The instrument master's listings by venue name (file order), and every venue it names.
  std::map<std::string, std::vector<core::InstrumentId>> master_listings_;
  std::vector<std::pair<std::string, MasterVenueName>> master_venues_;
  // Where each instrument was defined: its entry of `instruments`, or "file:line" of its master
  // row.
  std::map<core::InstrumentId, YamlField> instrument_fields_;
  std::map<core::InstrumentId, std::string> master_rows_;
  std::set<std::string> venue_names_;
  std::set<uint32_t> venue_ids_;
  std::vector<YamlField> venue_fields_;
  // Per venue: no error so far, so its own validation is worth running.
  std::vector<bool> venue_clean_;
  // (owning venue, source reference).
  std::vector<std::pair<std::string, VenueReference>> aop_sources_;
  // Automatic fast markets' primary markets, by the venue that names them.
  std::vector<std::pair<std::string, VenueReference>> primary_markets_;
  // Venues whose aop.cbo section opens a CBO book, with the section (Finish checks that the
  // simulation trades on each).
  std::vector<std::pair<std::string, YamlField>> cbo_books_;
  std::vector<venues::market_sim::ScriptedEvent> config_script_;
  std::string journal_path_ = "journal.sqlite";
};

}  // namespace

absl::StatusOr<DaemonConfig> LoadDaemonConfigText(std::string_view text,
                                                  const std::string& file_name,
                                                  const LoadOptions& options) {
  auto root = ParseYaml(text, file_name);
  if (!root.ok()) return root.status();
  ConfigErrors errors(file_name);
  Loader loader(&errors, options);
  DaemonConfig config;
  // yaml-cpp may throw on malformed nodes deep inside; such a file is reported, never crashes.
  try {
    config = loader.Load(YamlField(*root, "", "", &errors), file_name);
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(file_name, ": cannot read config: ", e.what()));
  }
  if (!errors.ok()) return errors.ToStatus();
  return config;
}

std::vector<std::string> KeysAskedWhileLoading(std::string_view text) {
  auto root = ParseYaml(text, "keys.yaml");
  if (!root.ok()) return {};
  ConfigErrors errors("keys.yaml");
  Loader loader(&errors, LoadOptions{});
  try {
    loader.Load(YamlField(*root, "", "", &errors), "keys.yaml");
  } catch (const std::exception&) {
    return {};
  }
  return {errors.asked_keys().begin(), errors.asked_keys().end()};
}

absl::StatusOr<DaemonConfig> LoadDaemonConfigFile(const std::string& path,
                                                  const LoadOptions& options) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot open config file: ", std::strerror(errno)));
  }
  std::stringstream text;
  text << in.rdbuf();
  return LoadDaemonConfigText(text.str(), path, options);
}

absl::StatusOr<ReloadableConfig> LoadReloadableConfig(const std::string& path,
                                                      const DaemonConfig& running,
                                                      const LoadOptions& options) {
  auto config = LoadDaemonConfigFile(path, options);
  if (!config.ok()) return config.status();
  COMBO_ASSIGN_OR_RETURN(InstrumentAdditions additions, InstrumentChanges(running, *config));
  ReloadableConfig part = ReloadablePart(*config);
  part.instruments = std::move(additions);
  part.instrument_master = config->instrument_master;
  return part;
}

namespace {

// The terms in which `loaded` differs from `running` ("multiplier 100 -> 10", ...).
std::vector<std::string> Differences(const core::Instrument& running,
                                     const core::Instrument& loaded) {
  std::vector<std::string> out;
  auto differ = [&](std::string_view what, const std::string& was, const std::string& is) {
    if (was != is) out.push_back(absl::StrCat(AsAbsl(what), " ", was, " -> ", is));
  };
  auto day = [](const std::optional<absl::CivilDay>& d) {
    return d.has_value() ? absl::FormatCivilTime(*d) : std::string("none");
  };
  differ("symbol", running.symbol(), loaded.symbol());
  differ("asset_class", std::string(core::ToString(running.asset_class())),
         std::string(core::ToString(loaded.asset_class())));
  differ("underlying", running.underlying(), loaded.underlying());
  differ("multiplier", absl::StrCat(running.multiplier()), absl::StrCat(loaded.multiplier()));
  differ("tick", running.tick_rule().ToString(), loaded.tick_rule().ToString());
  differ("expiry", day(running.last_trading_day()), day(loaded.last_trading_day()));
  if (running.option().has_value() && loaded.option().has_value()) {
    differ("strike", running.option()->strike.ToString(), loaded.option()->strike.ToString());
    differ("right", std::string(core::ToString(running.option()->right)),
           std::string(core::ToString(loaded.option()->right)));
  }
  return out;
}

}  // namespace

absl::StatusOr<InstrumentAdditions> InstrumentChanges(const DaemonConfig& running,
                                                      const DaemonConfig& loaded) {
  std::vector<std::string> refused;
  InstrumentAdditions additions;
  for (const auto& [id, instrument] : running.instruments.all()) {
    const core::Instrument* now = loaded.instruments.Find(id);
    if (now == nullptr) {
      const core::Instrument* expired = loaded.instruments.FindExpired(id);
      if (expired != nullptr && *expired == instrument) continue;  // expired since the start
      refused.push_back(absl::StrCat("instrument \"", instrument.symbol(), "\" (id ", id.value(),
                                     ") is no longer defined: an instrument cannot be removed "
                                     "while the daemon runs (orders may reference it); restart "
                                     "to remove it"));
    } else if (!(*now == instrument)) {
      refused.push_back(absl::StrCat("instrument \"", instrument.symbol(), "\" (id ", id.value(),
                                     ") changed (",
                                     absl::StrJoin(Differences(instrument, *now), ", "),
                                     "): an instrument cannot change while the daemon runs "
                                     "(orders may reference it); restart to change it"));
    }
  }
  for (const auto& [id, instrument] : loaded.instruments.all()) {
    if (running.instruments.Find(id) == nullptr) additions.instruments.push_back(instrument);
  }
  // Listings, venue by venue (a venue the running daemon does not have waits for a restart).
  std::set<std::pair<uint32_t, uint32_t>> new_listings;
  for (const VenueConfig& venue : running.venues) {
    const VenueConfig* now = loaded.FindVenue(venue.name);
    if (now == nullptr || now->id != venue.id || now->kind != venue.kind) continue;
    const std::set<core::InstrumentId> listed(now->instruments.begin(), now->instruments.end());
    for (core::InstrumentId id : venue.instruments) {
      if (listed.contains(id) || loaded.instruments.FindExpired(id) != nullptr) continue;
      const core::Instrument* instrument = running.instruments.Find(id);
      refused.push_back(absl::StrCat("venue ", venue.name, " no longer lists \"",
                                     instrument != nullptr ? instrument->symbol() : "?",
                                     "\": a listing cannot be removed while the daemon runs; "
                                     "restart to delist it"));
    }
    const std::set<core::InstrumentId> had(venue.instruments.begin(), venue.instruments.end());
    for (core::InstrumentId id : now->instruments) {
      if (had.contains(id)) continue;
      additions.listings.push_back({venue.id, id, loaded.instruments.Find(id)->tick_rule()});
      new_listings.insert({venue.id.value(), id.value()});
    }
  }
  // The simulation's agents for the new listings, if the running daemon simulates.
  const SimulationSettings& sim = running.simulation;
  if (sim.enabled && loaded.simulation.enabled && !new_listings.empty()) {
    std::set<std::string> processes;
    for (const auto& process : sim.market.underlyings) processes.insert(process.underlying);
    for (const auto& maker : loaded.simulation.market.market_makers) {
      if (!new_listings.contains({maker.venue.value(), maker.instrument.value()})) continue;
      const core::Instrument* instrument = loaded.instruments.Find(maker.instrument);
      if (!processes.contains(instrument->underlying())) {
        refused.push_back(absl::StrCat("\"", instrument->symbol(), "\": its underlying \"",
                                       instrument->underlying(),
                                       "\" has no process in the running simulation; a new "
                                       "simulation underlying needs a restart"));
        continue;
      }
      additions.market_makers.push_back(maker);
    }
    const auto& takers = loaded.simulation.market.takers;
    if (takers.size() == sim.market.takers.size()) {
      for (size_t i = 0; i < takers.size(); ++i) {
        for (core::InstrumentId id : takers[i].instruments) {
          if (new_listings.contains({takers[i].venue.value(), id.value()})) {
            additions.taker_instruments.emplace_back(i, id);
          }
        }
      }
    }
    // The new makers take the participant ids after the running agents'.
    const venues::market_sim::MarketSimConfig& market = sim.market;
    const uint64_t first = market.first_participant_id;
    const uint64_t agents = market.market_makers.size() + market.takers.size() +
                            market.complex_quoters.size() + market.resting_traders.size() +
                            additions.market_makers.size();
    const uint64_t router = running.router.participant.value();
    if (router >= first && router < first + agents) {
      refused.push_back(absl::StrCat("the new listings' market makers would take participant id ",
                                     router, " (router.participant): restart to list them"));
    }
  }
  if (!refused.empty()) return absl::FailedPreconditionError(absl::StrJoin(refused, "\n"));
  return additions;
}

std::vector<std::string> AcceptedConfigKeys() {
  std::set<std::string> keys;
  for (const auto& [path, names] : ConfigSchema()) {
    for (std::string_view name : names) {
      keys.insert(path.empty() ? std::string(name) : absl::StrCat(path, ".", AsAbsl(name)));
    }
    // A mapping under an operator-chosen name is itself an accepted key.
    if (path.size() >= 6 && path.compare(path.size() - 6, 6, "<name>") == 0) keys.insert(path);
  }
  // Operator-chosen names whose value is a single setting.
  keys.insert("risk.client_credit_limits.<name>");
  keys.insert("sharding.product_groups.<name>");
  return {keys.begin(), keys.end()};
}

}  // namespace combo::config

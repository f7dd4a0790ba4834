// combo-client: a command-line FIX initiator for brokers and operators (docs/FIX.md).
//
//   combo-client --sender BROKER1 buy 10 "SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1" \
//       --limit 2.35
//   combo-client --sender BROKER1 cancel o1
//   combo-client --sender BROKER1 replace o1 --qty 12 --limit 2.40
//   combo-client --sender BROKER1 status o1
//   combo-client --sender BROKER1 define "SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1"
//   combo-client --sender BROKER1 define --strategy butterfly \
//       "SPY 20261218 C 440 / SPY 20261218 C 450 / SPY 20261218 C 460"
//   combo-client strategies
//   combo-client --sender BROKER1 quote 1
//   combo-client --sender BROKER1 list --underlying SPY --type OPT --maturity 202612
//
// Every message the gateway sends back is printed as one readable line, or as one JSON object
// per line with --json. Exit status: 0 when the request was accepted, 1 when it was rejected or
// no answer came in time, 2 for a usage error.
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/clock.h"
#include "fix/client.h"
#include "fix/fix_enums.h"
#include "fix/leg_fields.h"
#include "fix/report_format.h"
#include "pricing/strategy.h"
#include "quickfix/FixFieldNumbers.h"
#include "quickfix/FixValues.h"

namespace {

using combo::fix::ClientConfig;
using combo::fix::ComboOrderParams;
using combo::fix::FixClient;
using combo::fix::FixValue;
using combo::fix::SecurityResponse;
using combo::fix::SecurityResponseTypeFromFix;
using combo::fix::SubscriptionRequestTypeToFix;

constexpr const char* kUsage = R"(usage: combo-client [options] COMMAND [ARGS]

commands:
  buy QTY "LEGS" (--limit PRICE | --market) [--tif day|gtc|ioc|fok] [--account A] [--id CLORDID]
  sell QTY "LEGS" ...                 as buy; LEGS are written for buying the combo
  buy QTY --combo ID --limit PRICE    a combo defined with "define", by its SecurityID
  cancel ORIGCLORDID [--side buy|sell] [--id CLORDID]
  replace ORIGCLORDID --qty QTY --limit PRICE [--side buy|sell] [--id CLORDID]
  status CLORDID [--side buy|sell]
  define "LEGS" [--id REQID]           returns the combo's SecurityID and multiplier
  define --strategy NAME [--underlying SYMBOL] "LEGS"
                                       a strategy template (see "strategies"): LEGS name its
                                       legs' instruments; ratios and signs may be left out
                                       (the template completes them); the underlying defaults
                                       to the first leg's
  strategies                           the strategy templates, their parameters and legs
  quote COMBOID [--count N]            live best bid/ask of a defined combo (Ctrl-C ends)
  list [--underlying SYMBOL] [--type CS|OPT|FUT|MLEG] [--maturity YYYYMM] [--symbol SYMBOL]
       [--venue NAME]                  what the daemon lists (SecurityListRequest), as a table:
                                       instruments with their venues and tick, and combos
                                       (MLEG) with their legs and native venues

LEGS: "SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1": symbol and signed ratio per leg;
      symbols: SPY (stock/ETF), SPY 20261218 C 450 (option), ES 202612 (future).

options:
  --host HOST          gateway host (127.0.0.1)
  --port PORT          gateway port (9878)
  --sender COMPID      this client's SenderCompID (or $COMBO_FIX_SENDER); required
  --target COMPID      the gateway's CompID (COMBO)
  --username U --password P   Logon credentials, when the gateway asks for them
  --store DIR          sequence-number store ($HOME/.combo-client/store)
  --reset              log on with ResetSeqNumFlag=Y: both sides start the session over at 1
                       (when this store and the daemon's disagree, e.g. after the daemon's data
                       directory was cleared or another client used the session)
  --log DIR            QuickFIX message log (none)
  --dictionary FILE    FIX data dictionary (the built-in fix/spec/FIX44-combo.xml)
  --tls                connect with TLS
  --json               print each message as a JSON object
  --follow             after an order's acknowledgement, keep printing until it is finished
  --timeout SECONDS    how long to wait for logon and for each answer (10)
)";

std::atomic<bool> g_interrupted{false};

void OnSignal(int) { g_interrupted = true; }

struct Options {
  ClientConfig client;
  bool json = false;
  bool follow = false;
  int timeout_seconds = 10;
  std::map<std::string, std::string> flags;
  std::vector<std::string> positional;
};

int UsageError(const std::string& message) {
  std::cerr << "combo-client: " << message << "\n\n" << kUsage;
  return 2;
}

// A thread-safe queue of received messages.
class Inbox {
 public:
  void Push(const FIX::Message& message) {
    std::lock_guard lock(mutex_);
    messages_.push_back(message);
    changed_.notify_one();
  }
  // The next message, or nothing after `timeout` (or on Ctrl-C).
  std::optional<FIX::Message> Pop(combo::core::Duration timeout) {
    const combo::core::MonotonicClock clock;
    const combo::core::Timestamp deadline = clock.Now() + timeout;
    std::unique_lock lock(mutex_);
    while (messages_.empty()) {
      if (g_interrupted || clock.Now() >= deadline) return std::nullopt;
      // Short slices so Ctrl-C is noticed.
      changed_.wait_for(lock, std::chrono::milliseconds(200));
    }
    FIX::Message message = messages_.front();
    messages_.pop_front();
    return message;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<FIX::Message> messages_;
};

std::string Field(const FIX::FieldMap& map, int tag) {
  return map.isSetField(tag) ? map.getField(tag) : std::string();
}

std::optional<combo::core::Side> ParseSideFlag(const std::string& text) {
  if (text.empty() || text == "buy") return combo::core::Side::kBuy;
  if (text == "sell") return combo::core::Side::kSell;
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  options.client.data_dictionary = COMBO_FIX_DICTIONARY;
  if (const char* sender = std::getenv("COMBO_FIX_SENDER")) options.client.sender_comp_id = sender;
  const char* home = std::getenv("HOME");
  options.client.store_directory =
      absl::StrCat(home != nullptr ? home : ".", "/.combo-client/store");
  static const std::map<std::string, bool> kTakesValue = {
      {"--host", true},       {"--port", true},       {"--sender", true},  {"--target", true},
      {"--username", true},   {"--password", true},   {"--store", true},   {"--log", true},
      {"--dictionary", true}, {"--tls", false},       {"--json", false},   {"--follow", false},
      {"--timeout", true},    {"--limit", true},      {"--market", false}, {"--tif", true},
      {"--account", true},    {"--id", true},         {"--combo", true},   {"--side", true},
      {"--qty", true},        {"--count", true},      {"--help", false},   {"--reset", false},
      {"--strategy", true},   {"--underlying", true}, {"--type", true},    {"--maturity", true},
      {"--symbol", true},     {"--venue", true}};
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--", 0) == 0) {
      auto it = kTakesValue.find(arg);
      if (it == kTakesValue.end()) return UsageError("unknown option " + arg);
      if (it->second) {
        if (i + 1 >= argc) return UsageError(arg + " needs a value");
        options.flags[arg] = argv[++i];
      } else {
        options.flags[arg] = "";
      }
    } else {
      options.positional.push_back(arg);
    }
  }
  if (options.flags.contains("--help")) {
    std::cout << kUsage;
    return 0;
  }
  auto flag = [&](const std::string& name) -> std::optional<std::string> {
    auto it = options.flags.find(name);
    if (it == options.flags.end()) return std::nullopt;
    return it->second;
  };
  if (auto v = flag("--host")) options.client.host = *v;
  if (auto v = flag("--port"); v && !absl::SimpleAtoi(*v, &options.client.port)) {
    return UsageError("--port: not a number");
  }
  if (auto v = flag("--sender")) options.client.sender_comp_id = *v;
  if (auto v = flag("--target")) options.client.target_comp_id = *v;
  if (auto v = flag("--username")) options.client.username = *v;
  if (auto v = flag("--password")) options.client.password = *v;
  if (auto v = flag("--store")) options.client.store_directory = *v;
  if (auto v = flag("--log")) options.client.log_directory = *v;
  if (auto v = flag("--dictionary")) options.client.data_dictionary = *v;
  if (auto v = flag("--timeout");
      v && (!absl::SimpleAtoi(*v, &options.timeout_seconds) || options.timeout_seconds < 1)) {
    return UsageError("--timeout: a whole number of seconds, at least 1");
  }
  options.client.tls = flag("--tls").has_value();
  options.client.reset_on_logon = flag("--reset").has_value();
  options.json = flag("--json").has_value();
  options.follow = flag("--follow").has_value();
  if (options.positional.empty()) return UsageError("no command");
  if (options.positional[0] == "strategies") {
    // The templates need no gateway: the same table the gateway matches requests against.
    for (combo::pricing::Strategy strategy : combo::pricing::AllStrategies()) {
      std::cout << combo::pricing::ToString(strategy) << ": "
                << combo::pricing::DescribeShape(strategy) << "\n";
    }
    return 0;
  }
  if (options.client.sender_comp_id.empty()) {
    return UsageError("--sender (or $COMBO_FIX_SENDER) is required");
  }

  const std::string command = options.positional[0];
  const combo::core::WallClock wall_clock;
  const std::string id =
      flag("--id").value_or(absl::StrCat("cc-", wall_clock.Now().unix_nanos() / 1'000'000));
  const std::optional<combo::core::Side> side = ParseSideFlag(flag("--side").value_or(""));
  if (!side.has_value()) return UsageError("--side: buy or sell");

  // Build the request and the rule that recognises its answer.
  std::optional<FIX::Message> request;
  std::function<bool(const FIX::Message&)> is_answer;
  std::function<bool(const FIX::Message&)> is_final = [](const FIX::Message&) { return true; };
  std::function<bool(const FIX::Message&)> is_success;
  int quote_count = 0;
  const combo::core::Timestamp now = wall_clock.Now();
  auto msg_type = [](const FIX::Message& m) { return m.getHeader().getField(FIX::FIELD::MsgType); };
  auto refused = [&](const FIX::Message& m) {
    return msg_type(m) == FIX::MsgType_Reject || msg_type(m) == FIX::MsgType_BusinessMessageReject;
  };
  // A Pending Cancel or Pending Replace says the request is in hand: its outcome follows.
  auto pending = [&](const FIX::Message& m) {
    return msg_type(m) == FIX::MsgType_ExecutionReport &&
           (Field(m, FIX::FIELD::ExecType) == FixValue(FIX::ExecType_PENDING_CANCEL) ||
            Field(m, FIX::FIELD::ExecType) == FixValue(FIX::ExecType_PENDING_REPLACE));
  };

  if (command == "buy" || command == "sell") {
    if (options.positional.size() < 2) return UsageError(command + " QTY \"LEGS\"");
    ComboOrderParams params;
    params.client_order_id = id;
    params.side = command == "buy" ? combo::core::Side::kBuy : combo::core::Side::kSell;
    if (!absl::SimpleAtoi(options.positional[1], &params.quantity) || params.quantity < 1) {
      return UsageError("QTY must be a whole number of at least 1");
    }
    if (auto combo_id = flag("--combo")) {
      uint32_t value = 0;
      if (!absl::SimpleAtoi(*combo_id, &value)) return UsageError("--combo: a SecurityID number");
      params.combo_id = value;
    } else {
      if (options.positional.size() < 3) return UsageError(command + " QTY \"LEGS\"");
      absl::StatusOr<std::vector<combo::fix::LegSpec>> legs =
          combo::fix::ParseLegText(options.positional[2]);
      if (!legs.ok()) return UsageError(std::string(legs.status().message()));
      params.legs = *std::move(legs);
    }
    if (flag("--market")) {
      params.type = combo::router::ComboOrderType::kMarket;
    } else if (auto limit = flag("--limit")) {
      absl::StatusOr<combo::core::Price> price = combo::core::Price::Parse(*limit);
      if (!price.ok()) return UsageError("--limit: " + std::string(price.status().message()));
      params.limit_price = *price;
    } else {
      return UsageError("give --limit PRICE or --market");
    }
    if (auto tif = flag("--tif")) {
      static const std::map<std::string, combo::router::ComboTimeInForce> kTifs = {
          {"day", combo::router::ComboTimeInForce::kDay},
          {"gtc", combo::router::ComboTimeInForce::kGoodTillCancel},
          {"ioc", combo::router::ComboTimeInForce::kImmediateOrCancel},
          {"fok", combo::router::ComboTimeInForce::kFillOrKill}};
      auto it = kTifs.find(*tif);
      if (it == kTifs.end()) return UsageError("--tif: day, gtc, ioc or fok");
      params.time_in_force = it->second;
    }
    params.account = flag("--account").value_or("");
    request = combo::fix::MakeNewOrderMultileg(params, now);
    is_answer = [&, id](const FIX::Message& m) {
      return refused(m) ||
             (msg_type(m) == FIX::MsgType_ExecutionReport && Field(m, FIX::FIELD::ClOrdID) == id);
    };
    is_success = [](const FIX::Message& m) {
      return m.getHeader().getField(FIX::FIELD::MsgType) == FIX::MsgType_ExecutionReport &&
             Field(m, FIX::FIELD::OrdStatus) != FixValue(FIX::OrdStatus_REJECTED);
    };
    if (options.follow) {
      is_final = [&](const FIX::Message& m) {
        const std::string status = Field(m, FIX::FIELD::OrdStatus);
        return refused(m) ||
               (Field(m, FIX::FIELD::MultiLegReportingType) !=
                    FixValue(FIX::MultiLegReportingType_INDIVIDUAL_LEG_OF_A_MULTI_LEG_SECURITY) &&
                (status == FixValue(FIX::OrdStatus_FILLED) ||
                 status == FixValue(FIX::OrdStatus_CANCELED) ||
                 status == FixValue(FIX::OrdStatus_REJECTED)));
      };
    }
  } else if (command == "cancel") {
    if (options.positional.size() < 2) return UsageError("cancel ORIGCLORDID");
    request = combo::fix::MakeCancelRequest(id, options.positional[1], *side, now);
    is_answer = [&, id](const FIX::Message& m) {
      return refused(m) || ((msg_type(m) == FIX::MsgType_ExecutionReport ||
                             msg_type(m) == FIX::MsgType_OrderCancelReject) &&
                            Field(m, FIX::FIELD::ClOrdID) == id && !pending(m));
    };
    is_success = [](const FIX::Message& m) {
      return m.getHeader().getField(FIX::FIELD::MsgType) == FIX::MsgType_ExecutionReport;
    };
  } else if (command == "replace") {
    if (options.positional.size() < 2)
      return UsageError("replace ORIGCLORDID --qty QTY --limit PRICE");
    int64_t quantity = 0;
    if (!absl::SimpleAtoi(flag("--qty").value_or(""), &quantity) || quantity < 1) {
      return UsageError("--qty: a whole number of at least 1");
    }
    absl::StatusOr<combo::core::Price> price =
        combo::core::Price::Parse(flag("--limit").value_or(""));
    if (!price.ok()) return UsageError("--limit: a price");
    request =
        combo::fix::MakeReplaceRequest(id, options.positional[1], *side, quantity, *price, now);
    is_answer = [&, id](const FIX::Message& m) {
      return refused(m) || ((msg_type(m) == FIX::MsgType_ExecutionReport ||
                             msg_type(m) == FIX::MsgType_OrderCancelReject) &&
                            Field(m, FIX::FIELD::ClOrdID) == id && !pending(m));
    };
    is_success = [](const FIX::Message& m) {
      return m.getHeader().getField(FIX::FIELD::MsgType) == FIX::MsgType_ExecutionReport;
    };
  } else if (command == "status") {
    if (options.positional.size() < 2) return UsageError("status CLORDID");
    const std::string target = options.positional[1];
    request = combo::fix::MakeStatusRequest(target, *side);
    is_answer = [&, target](const FIX::Message& m) {
      return refused(m) || (msg_type(m) == FIX::MsgType_ExecutionReport &&
                            Field(m, FIX::FIELD::ClOrdID) == target &&
                            Field(m, FIX::FIELD::ExecType) == FixValue(FIX::ExecType_ORDER_STATUS));
    };
    is_success = [](const FIX::Message& m) {
      return Field(m, FIX::FIELD::OrdStatus) != FixValue(FIX::OrdStatus_REJECTED);
    };
  } else if (command == "define") {
    if (options.positional.size() < 2) return UsageError("define \"LEGS\"");
    if (auto strategy = flag("--strategy")) {
      absl::StatusOr<combo::pricing::Strategy> known = combo::pricing::ParseStrategy(*strategy);
      if (!known.ok()) return UsageError("--strategy: " + std::string(known.status().message()));
      absl::StatusOr<std::vector<combo::fix::TemplateLegSpec>> legs =
          combo::fix::ParseTemplateLegText(options.positional[1]);
      if (!legs.ok()) return UsageError(std::string(legs.status().message()));
      const std::string underlying = flag("--underlying").value_or(legs->front().instrument.symbol);
      request = combo::fix::MakeStrategyDefinitionRequest(id, combo::pricing::ToString(*known),
                                                          underlying, *legs);
    } else {
      if (flag("--underlying")) return UsageError("--underlying goes with --strategy");
      absl::StatusOr<std::vector<combo::fix::LegSpec>> legs =
          combo::fix::ParseLegText(options.positional[1]);
      if (!legs.ok()) return UsageError(std::string(legs.status().message()));
      request = combo::fix::MakeSecurityDefinitionRequest(id, *legs);
    }
    is_answer = [&, id](const FIX::Message& m) {
      return refused(m) || (msg_type(m) == FIX::MsgType_SecurityDefinition &&
                            Field(m, FIX::FIELD::SecurityReqID) == id);
    };
    is_success = [](const FIX::Message& m) {
      return SecurityResponseTypeFromFix(Field(m, FIX::FIELD::SecurityResponseType)) !=
             SecurityResponse::kRejected;
    };
  } else if (command == "quote") {
    uint32_t combo_id = 0;
    if (options.positional.size() < 2 || !absl::SimpleAtoi(options.positional[1], &combo_id)) {
      return UsageError("quote COMBOID");
    }
    if (auto count = flag("--count"); count && !absl::SimpleAtoi(*count, &quote_count)) {
      return UsageError("--count: a number");
    }
    request = combo::fix::MakeMarketDataRequest(
        id, combo_id,
        SubscriptionRequestTypeToFix(combo::fix::QuoteSubscription::kSnapshotAndUpdates));
    is_answer = [&, id](const FIX::Message& m) {
      return refused(m) || ((msg_type(m) == FIX::MsgType_MarketDataSnapshotFullRefresh ||
                             msg_type(m) == FIX::MsgType_MarketDataRequestReject) &&
                            Field(m, FIX::FIELD::MDReqID) == id);
    };
    is_success = [](const FIX::Message& m) {
      return m.getHeader().getField(FIX::FIELD::MsgType) ==
             FIX::MsgType_MarketDataSnapshotFullRefresh;
    };
    int seen = 0;
    is_final = [&, seen](const FIX::Message& m) mutable {
      return msg_type(m) != FIX::MsgType_MarketDataSnapshotFullRefresh ||
             (quote_count > 0 && ++seen >= quote_count);
    };
  } else if (command == "list") {
    combo::fix::SecurityListParams params;
    params.underlying = flag("--underlying").value_or("");
    params.security_type = flag("--type").value_or("");
    params.maturity_month_year = flag("--maturity").value_or("");
    params.symbol = flag("--symbol").value_or("");
    params.exchange = flag("--venue").value_or("");
    // 1 narrows by type, 0 by symbol, 4 asks for everything; the other fields narrow any of them.
    params.request_type = !params.security_type.empty() ? 1 : !params.symbol.empty() ? 0 : 4;
    request = combo::fix::MakeSecurityListRequest(id, params);
    is_answer = [&, id](const FIX::Message& m) {
      return refused(m) || (msg_type(m) == FIX::MsgType_SecurityList &&
                            Field(m, FIX::FIELD::SecurityReqID) == id);
    };
    is_success = [](const FIX::Message& m) {
      return m.getHeader().getField(FIX::FIELD::MsgType) == FIX::MsgType_SecurityList &&
             Field(m, FIX::FIELD::SecurityRequestResult) == "0";
    };
    // The answer may come in fragments: the last says LastFragment(893)=Y.
    is_final = [&](const FIX::Message& m) {
      return refused(m) || Field(m, FIX::FIELD::LastFragment) != "N";
    };
  } else {
    return UsageError("unknown command " + command);
  }

  Inbox inbox;
  absl::StatusOr<std::unique_ptr<FixClient>> client =
      FixClient::Create(options.client, [&inbox](const FIX::Message& m) { inbox.Push(m); });
  if (!client.ok()) {
    std::cerr << "combo-client: " << client.status().message() << "\n";
    return 1;
  }
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  const combo::core::Duration timeout = combo::core::Duration::Seconds(options.timeout_seconds);
  if (absl::Status status = (*client)->Start(); !status.ok()) {
    std::cerr << "combo-client: " << status.message() << "\n";
    return 1;
  }
  if (!(*client)->WaitForLogon(timeout)) {
    const std::string why = (*client)->last_logout_text();
    std::cerr << "combo-client: no logon to " << options.client.host << ":" << options.client.port
              << " as " << options.client.sender_comp_id
              << (why.empty() ? std::string(" within the timeout") : ": " + why) << "\n";
    // The usual cause once the gateway is up: this store's sequence numbers and the gateway's
    // disagree (MsgSeqNum too low), which only a reset mends.
    if (!options.client.reset_on_logon) {
      std::cerr << "combo-client: if the gateway is running, the session's sequence numbers may be "
                   "out of step with "
                << options.client.store_directory << ": run once with --reset\n";
    }
    (*client)->Disconnect();
    return 1;
  }
  if (absl::Status status = (*client)->Send(*request); !status.ok()) {
    std::cerr << "combo-client: " << status.message() << "\n";
    (*client)->Stop();
    return 1;
  }

  int exit_code = 1;
  bool answered = false;
  const bool live = command == "quote" || command == "list" || options.follow;
  // A security list's fragments, printed as one table at the end.
  std::vector<FIX::Message> fragments;
  for (;;) {
    // A live view waits as long as it is told to; a request waits for its answer.
    std::optional<FIX::Message> message =
        inbox.Pop(live && answered ? combo::core::Duration::Seconds(86'400) : timeout);
    if (!message.has_value()) break;
    if (command == "list" && !options.json && is_answer(*message) && is_success(*message)) {
      fragments.push_back(*message);
    } else {
      std::cout << (options.json ? combo::fix::MessageToJson(*message)
                                 : combo::fix::DescribeMessage(*message))
                << std::endl;
    }
    if (!is_answer(*message)) continue;
    if (!answered) {
      answered = true;
      exit_code = is_success(*message) ? 0 : 1;
    }
    if (!is_success(*message)) exit_code = 1;
    if (!live || is_final(*message)) break;
  }
  if (!fragments.empty()) std::cout << combo::fix::SecurityListTable(fragments) << std::flush;
  if (!answered && !g_interrupted) {
    std::cerr << "combo-client: no answer within " << options.timeout_seconds << "s\n";
  }
  if (command == "quote" && answered) {
    (void)(*client)->Send(combo::fix::MakeMarketDataRequest(
        id, static_cast<uint32_t>(std::stoul(options.positional[1])), '2'));
  }
  (*client)->Stop();
  return exit_code;
}

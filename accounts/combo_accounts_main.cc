// combo-accounts: the operator's read-only view of the accounts journal.
//
//   combo-accounts --db PATH [--json] positions
//   combo-accounts --db PATH [--json] error-account
//   combo-accounts --db PATH [--json] trades --client ACCOUNT
//   combo-accounts --db PATH [--json] order-history --order ORDER_ID
//
// Opens the journal read-only (it never writes, so it is safe beside a running daemon), rebuilds
// the accounts from it and prints tables, or JSON with --json. Exit status: 0 on success, 1 when
// the journal cannot be read or the client/order is unknown, 2 on a usage error.
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/numbers.h"
#include "accounts/journal.h"
#include "accounts/ledger.h"
#include "accounts/report.h"
#include "core/absl_compat.h"

namespace {

constexpr char kUsage[] =
    "usage: combo-accounts --db PATH [--json] COMMAND\n"
    "commands:\n"
    "  positions                      every client's positions by sub-account\n"
    "  error-account                  error-account positions, P&L and bookings\n"
    "  trades --client ACCOUNT        one client's trades (one per combo fill)\n"
    "  order-history --order ORDER_ID one order's state and journaled events\n";

int Usage(const std::string& problem) {
  std::fprintf(stderr, "combo-accounts: %s\n%s", problem.c_str(), kUsage);
  return 2;
}

int Fail(std::string_view message) {
  std::fprintf(stderr, "combo-accounts: %.*s\n", static_cast<int>(message.size()), message.data());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using combo::accounts::ReportFormat;
  std::optional<std::string> db;
  std::optional<std::string> client;
  std::optional<std::string> order_text;
  std::string command;
  ReportFormat format = ReportFormat::kTable;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&](std::optional<std::string>& into) {
      if (i + 1 >= argc) return false;
      into = argv[++i];
      return true;
    };
    if (arg == "--db") {
      if (!value(db)) return Usage("--db needs a path");
    } else if (arg == "--client") {
      if (!value(client)) return Usage("--client needs an account");
    } else if (arg == "--order") {
      if (!value(order_text)) return Usage("--order needs an order id");
    } else if (arg == "--json") {
      format = ReportFormat::kJson;
    } else if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (!arg.empty() && arg.front() != '-' && command.empty()) {
      command = std::string(arg);
    } else {
      return Usage("unexpected argument '" + std::string(arg) + "'");
    }
  }
  if (!db.has_value()) return Usage("--db is required");
  if (command.empty()) return Usage("no command given");
  if (command != "positions" && command != "error-account" && command != "trades" &&
      command != "order-history") {
    return Usage("unknown command '" + command + "'");
  }
  if (command == "trades" && !client.has_value()) return Usage("trades needs --client ACCOUNT");
  uint64_t order_id = 0;
  if (command == "order-history") {
    if (!order_text.has_value()) return Usage("order-history needs --order ORDER_ID");
    if (!absl::SimpleAtoi(*order_text, &order_id)) {
      return Usage("--order must be a number, not '" + *order_text + "'");
    }
  }

  auto journal = combo::accounts::Journal::OpenReadOnly(*db);
  if (!journal.ok()) return Fail(combo::core::AsStd(journal.status().message()));
  auto events = (*journal)->ReadAll();
  if (!events.ok()) return Fail(combo::core::AsStd(events.status().message()));
  auto ledger = combo::accounts::ReplayJournal(*events);
  if (!ledger.ok()) return Fail(combo::core::AsStd(ledger.status().message()));

  std::string out;
  if (command == "positions") {
    out = combo::accounts::PositionsReport(*ledger, format);
  } else if (command == "error-account") {
    out = combo::accounts::ErrorAccountReport(*ledger, format);
  } else if (command == "trades") {
    auto report = combo::accounts::TradesReport(*ledger, combo::core::AccountId(*client), format);
    if (!report.ok()) return Fail(combo::core::AsStd(report.status().message()));
    out = *std::move(report);
  } else {
    const combo::core::OrderId order(order_id);
    auto order_events = (*journal)->ReadOrder(order);
    if (!order_events.ok()) return Fail(combo::core::AsStd(order_events.status().message()));
    auto report = combo::accounts::OrderHistoryReport(*ledger, *order_events, order, format);
    if (!report.ok()) return Fail(combo::core::AsStd(report.status().message()));
    out = *std::move(report);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

// Report formatting for people and scripts: what combo-client prints for each message the
// gateway sends (one readable line, or one JSON object per line with --json).
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "quickfix/Message.h"

namespace combo::fix {

// "ExecutionReport combo 3 ClOrdID=o1 OrderID=7 Trade PartiallyFilled buy 4/10 @ 2.35 cum 4
// leaves 6 avg 2.35 [legs: ...]".
std::string DescribeMessage(const FIX::Message& message);

// {"MsgType":"ExecutionReport","ClOrdID":"o1",...,"NoLegs":[{"LegSymbol":"SPY",...}]}: every
// field under its FIX name (or its tag number when the gateway's dictionary lacks it).
std::string MessageToJson(const FIX::Message& message);

// The entries of a SecurityList answer (its fragments, in order) as an aligned table, one row
// per instrument or combo (SECURITYID TYPE SYMBOL MATURITY P/C STRIKE MULT TICK VENUES
// DESCRIPTION; "-" where a column does not apply), and a count line.
std::string SecurityListTable(const std::vector<FIX::Message>& fragments);

// The FIX name of a tag the gateway's dictionary uses, or empty.
std::string_view FieldName(int tag);

}  // namespace combo::fix

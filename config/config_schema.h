// The key schema of the daemon's config file: for each mapping (by schema path, sequences folded
// to "[]" and operator-chosen names written "<name>") the keys it may hold.
//
// The loader declares every mapping's keys from this one table, so the keys it accepts and the
// list AcceptedConfigKeys() reports (and docs/OPERATIONS.md documents) cannot drift apart.
// Immutable after first use; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace combo::config {

// Schema path of a mapping -> the keys it accepts, in documentation order. The root is "".
const std::map<std::string, std::vector<std::string_view>>& ConfigSchema();

// For tests of the schema: loads `text` and returns every key path the loader asked for, in the
// form of AcceptedConfigKeys (whether or not the file is valid).
std::vector<std::string> KeysAskedWhileLoading(std::string_view text);

}  // namespace combo::config

// Keeps docs/OPERATIONS.md "Config reference" in sync with the keys the loader accepts: every
// accepted key path is documented, and the reference documents no key the loader refuses.
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "config/config_schema.h"
#include "config/daemon_config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace combo::config {
namespace {

// The key of each table row of the "## Config reference" section: the first cell, in backticks.
std::set<std::string> DocumentedKeys(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::set<std::string> keys;
  std::string line;
  bool in_section = false;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) {
      in_section = line == "## Config reference";
      continue;
    }
    if (!in_section || line.rfind("| `", 0) != 0) continue;
    const size_t end = line.find('`', 3);
    if (end == std::string::npos) continue;
    keys.insert(line.substr(3, end - 3));
  }
  return keys;
}

std::string Join(const std::set<std::string>& keys) {
  std::string out;
  for (const std::string& key : keys) out += "\n  " + key;
  return out;
}

TEST(ConfigReference, DocumentsExactlyTheKeysTheLoaderAccepts) {
  const std::vector<std::string> accepted_list = AcceptedConfigKeys();
  const std::set<std::string> accepted(accepted_list.begin(), accepted_list.end());
  const std::set<std::string> documented = DocumentedKeys(COMBO_OPERATIONS_DOC);
  ASSERT_FALSE(documented.empty())
      << "no \"## Config reference\" table in " << COMBO_OPERATIONS_DOC;
  std::set<std::string> undocumented;
  std::set<std::string> unknown;
  for (const std::string& key : accepted) {
    if (documented.count(key) == 0) undocumented.insert(key);
  }
  for (const std::string& key : documented) {
    if (accepted.count(key) == 0) unknown.insert(key);
  }
  EXPECT_TRUE(undocumented.empty())
      << "accepted by the loader but not documented:" << Join(undocumented);
  EXPECT_TRUE(unknown.empty()) << "documented but not accepted by the loader:" << Join(unknown);
}

// The reference is only as good as the loader's use of the schema: every accepted key must be
// one the loader asks for (none declared and then ignored). Loading a file that visits every
// section, every accepted key has been asked for.
TEST(ConfigReference, TheLoaderReadsEveryKeyItAccepts) {
  const std::string path = std::string(COMBO_CONFIG_TESTDATA_DIR) + "/every_section.yaml";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  // The file is valid, so every branch of the loader ran as it does for a real config.
  auto loaded = LoadDaemonConfigText(text.str(), path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const std::vector<std::string> asked = KeysAskedWhileLoading(text.str());
  const std::set<std::string> asked_set(asked.begin(), asked.end());
  std::set<std::string> never_asked;
  for (const std::string& key : AcceptedConfigKeys()) {
    if (asked_set.count(key) == 0) never_asked.insert(key);
  }
  EXPECT_THAT(never_asked, ::testing::IsEmpty()) << Join(never_asked);
}

}  // namespace
}  // namespace combo::config

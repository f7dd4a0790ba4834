#include "config/yaml_reader.h"

#include "gtest/gtest.h"

namespace combo::config {
namespace {

enum class Policy { kAggressive, kDefensive };

struct LegInPolicy {
  Policy policy = Policy::kAggressive;
  int64_t failures_before_defensive = 3;
  core::Duration stability_wait = core::Duration::Seconds(1);
  core::Price improvement = core::Price::FromParts(0, 10'000'000);
  bool enabled = true;
};

struct Venue {
  std::string name;
  core::Duration latency;
  std::vector<std::string> instruments;
};

struct Config {
  LegInPolicy policy;
  std::vector<Venue> venues;
};

// A loader written the way the project's loaders are.
Config Load(YamlField root) {
  Config config;
  if (!root.ExpectMap({"policy", "venues"})) return config;
  if (auto policy = root.Optional("policy")) {
    policy->ExpectMap(
        {"mode", "failures_before_defensive", "stability_wait", "improvement", "enabled"});
    policy->GetEnum("mode", &config.policy.policy,
                    {{"aggressive", Policy::kAggressive}, {"defensive", Policy::kDefensive}});
    policy->Get("failures_before_defensive", &config.policy.failures_before_defensive);
    policy->Get("stability_wait", &config.policy.stability_wait);
    policy->Get("improvement", &config.policy.improvement);
    policy->Get("enabled", &config.policy.enabled);
  }
  if (auto venues = root.Required("venues")) {
    for (YamlField& element : venues->Elements()) {
      Venue venue;
      element.ExpectMap({"name", "latency", "instruments"});
      element.GetRequired("name", &venue.name);
      element.Get("latency", &venue.latency);
      element.GetRequired("instruments", &venue.instruments);
      config.venues.push_back(venue);
    }
  }
  return config;
}

struct Loaded {
  Config config;
  ConfigErrors errors{"test.yaml"};
};

std::unique_ptr<Loaded> LoadText(std::string_view text) {
  auto loaded = std::make_unique<Loaded>();
  auto root = ParseYaml(text, "test.yaml");
  EXPECT_TRUE(root.ok()) << root.status();
  loaded->config = Load(YamlField(*root, "", "", &loaded->errors));
  return loaded;
}

TEST(YamlReader, ReadsTypedValuesAndKeepsDefaultsForMissingKeys) {
  auto loaded = LoadText(R"(
policy:
  mode: defensive
  stability_wait: 1.5s
venues:
  - name: ISE
    latency: 250us
    instruments: [SPY, QQQ]
)");
  ASSERT_TRUE(loaded->errors.ok()) << loaded->errors.ToStatus();
  EXPECT_EQ(loaded->config.policy.policy, Policy::kDefensive);
  EXPECT_EQ(loaded->config.policy.stability_wait, core::Duration::Milliseconds(1500));
  EXPECT_EQ(loaded->config.policy.failures_before_defensive, 3);
  EXPECT_EQ(loaded->config.venues[0].latency, core::Duration::Microseconds(250));
  EXPECT_EQ(loaded->config.venues[0].instruments, (std::vector<std::string>{"SPY", "QQQ"}));
}

TEST(YamlReader, UnknownKeyIsAnErrorWithLineAndPath) {
  auto loaded = LoadText(R"(venues:
  - name: ISE
    instruments: [SPY]
    latncy: 250us
)");
  ASSERT_EQ(loaded->errors.errors().size(), 1u) << loaded->errors.ToStatus();
  EXPECT_EQ(loaded->errors.errors()[0],
            "test.yaml:4:5: venues[0].latncy: unknown key; expected one of name, latency, "
            "instruments");
  EXPECT_NE(loaded->errors.errors()[0].find("test.yaml:4:5: venues[0].latncy: unknown key"),
            std::string::npos);
}

TEST(YamlReader, EveryErrorIsReportedAtOnce) {
  auto loaded = LoadText(R"(policy:
  mode: reckless
  failures_before_defensive: three
  stability_wait: soon
  improvement: 0.0000000001
  enabled: yes
venues:
  - latency: 5
    instruments: SPY
)");
  const auto& errors = loaded->errors.errors();
  ASSERT_EQ(errors.size(), 8u) << loaded->errors.ToStatus();
  EXPECT_EQ(errors[0],
            "test.yaml:2:9: policy.mode: expected one of aggressive, defensive, got \"reckless\"");
  EXPECT_EQ(errors[1],
            "test.yaml:3:30: policy.failures_before_defensive: expected a whole number, got "
            "\"three\"");
  EXPECT_NE(errors[2].find("policy.stability_wait: expected a duration"), std::string::npos);
  EXPECT_NE(errors[3].find("policy.improvement: expected a decimal price"), std::string::npos);
  EXPECT_NE(errors[4].find("policy.enabled: expected true or false, got \"yes\""),
            std::string::npos);
  EXPECT_NE(errors[5].find("venues[0].name: required key is missing"), std::string::npos);
  EXPECT_NE(errors[6].find("venues[0].latency: expected a duration"), std::string::npos);
  EXPECT_NE(errors[7].find("venues[0].instruments: expected a list of values"), std::string::npos);
  // Values that failed leave their defaults untouched.
  EXPECT_EQ(loaded->config.policy.policy, Policy::kAggressive);
  EXPECT_EQ(loaded->config.policy.failures_before_defensive, 3);
}

TEST(YamlReader, MissingRequiredSectionAndDuplicateKeysAreErrors) {
  auto loaded = LoadText(R"(policy:
  mode: aggressive
  mode: defensive
)");
  const auto& errors = loaded->errors.errors();
  ASSERT_EQ(errors.size(), 2u) << loaded->errors.ToStatus();
  EXPECT_NE(errors[0].find("policy.mode: duplicate key"), std::string::npos);
  EXPECT_NE(errors[1].find("venues: required key is missing"), std::string::npos);
}

TEST(YamlReader, TopLevelThatIsNotAMappingIsAnError) {
  auto loaded = LoadText("- just\n- a list\n");
  ASSERT_EQ(loaded->errors.errors().size(), 1u);
  EXPECT_NE(loaded->errors.errors()[0].find("(top level): expected a mapping of keys"),
            std::string::npos);
}

TEST(YamlReader, RecordsEveryKnownKeyPathWithSequencesFolded) {
  auto loaded = LoadText("venues: []\n");
  const std::set<std::string> expected = {
      "policy",
      "policy.enabled",
      "policy.failures_before_defensive",
      "policy.improvement",
      "policy.mode",
      "policy.stability_wait",
      "venues",
  };
  // The policy section was absent, so its keys are unknown to this run; venues' element keys
  // are recorded only when an element is read.
  EXPECT_EQ(loaded->errors.known_keys(), (std::set<std::string>{"policy", "venues"}));
  auto full = LoadText(R"(
policy: {mode: aggressive}
venues: [{name: A, instruments: [X]}]
)");
  ASSERT_TRUE(full->errors.ok()) << full->errors.ToStatus();
  std::set<std::string> with_elements = expected;
  with_elements.insert({"venues[].name", "venues[].latency", "venues[].instruments"});
  EXPECT_EQ(full->errors.known_keys(), with_elements);
}

TEST(YamlReader, NamedEntriesKeepFileOrder) {
  auto root = *ParseYaml("venues:\n  zeta: 1\n  alpha: 2\n", "t.yaml");
  ConfigErrors errors("t.yaml");
  YamlField top(root, "", "", &errors);
  auto venues = top.Required("venues");
  ASSERT_TRUE(venues.has_value());
  auto entries = venues->Entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].first, "zeta");
  EXPECT_EQ(entries[1].first, "alpha");
  int64_t value = 0;
  EXPECT_TRUE(entries[1].second.Read(&value));
  EXPECT_EQ(value, 2);
  EXPECT_EQ(entries[1].second.path(), "venues.alpha");
}

TEST(YamlReader, ParseErrorsNameFileAndLine) {
  auto root = ParseYaml("a: [1, 2\nb: 3\n", "broken.yaml");
  ASSERT_FALSE(root.ok());
  EXPECT_NE(root.status().message().find("broken.yaml:"), std::string::npos);
  EXPECT_NE(root.status().message().find("not valid YAML"), std::string::npos);
}

TEST(YamlReader, MissingFileIsAClearError) {
  auto root = LoadYamlFile("/nonexistent/combo.yaml");
  ASSERT_FALSE(root.ok());
  EXPECT_NE(root.status().message().find("/nonexistent/combo.yaml: cannot open config file"),
            std::string::npos);
}

TEST(YamlReader, IntegerRangesAreChecked) {
  auto root = *ParseYaml("small: 4294967296\nneg: -1\nok: 7\n", "t.yaml");
  ConfigErrors errors("t.yaml");
  YamlField top(root, "", "", &errors);
  uint32_t small = 0;
  uint64_t neg = 0;
  int32_t ok = 0;
  EXPECT_FALSE(top.Get("small", &small));
  EXPECT_FALSE(top.Get("neg", &neg));
  EXPECT_TRUE(top.Get("ok", &ok));
  EXPECT_EQ(ok, 7);
  EXPECT_EQ(errors.errors().size(), 2u);
}

}  // namespace
}  // namespace combo::config

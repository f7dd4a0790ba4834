// YamlReader: strict, typed reading of one YAML config file.
//
// Config errors are the operator's to fix, so the loader reports all of them at once, each with
// the file, line and column, the key path and what was expected:
//   demo.yaml:12:7: venues[2].latency.jitter: expected a duration such as 250us, got "fast"
// Unknown keys and duplicate keys are errors (a typo must never silently fall back to a
// default). Every key a loader asks for is recorded with its sequence indices folded
// ("venues[].latency.jitter"), so a test can keep the documented config reference in sync with
// what the loader actually reads.
//
// yaml-cpp reports problems by throwing; those exceptions stop here and become errors.
// Not thread-safe; one loader run uses one ConfigErrors.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/price.h"
#include "core/tick_rule.h"
#include "core/time.h"
#include "yaml-cpp/yaml.h"

namespace combo::config {

// Every error of one load, in the order found, plus the key paths the loader knows.
class ConfigErrors {
 public:
  explicit ConfigErrors(std::string file) : file_(std::move(file)) {}

  void Add(const YAML::Mark& mark, std::string_view path, std::string_view message);
  // An error located in another file the config names (already "file:line:column: ...").
  void AddElsewhere(std::string error) { errors_.push_back(std::move(error)); }
  bool ok() const { return errors_.empty(); }
  const std::vector<std::string>& errors() const { return errors_; }
  // OK, or InvalidArgument listing every error, one per line.
  absl::Status ToStatus() const;

  const std::string& file() const { return file_; }
  void RecordKey(std::string path) { known_keys_.insert(std::move(path)); }
  // Key paths the loader read or declared, sequences folded to "[]", sorted.
  const std::set<std::string>& known_keys() const { return known_keys_; }
  // Key paths the loader asked for (present in the file or not); a key that is declared but
  // never asked for would be accepted and then ignored.
  void RecordAsked(std::string path) { asked_keys_.insert(std::move(path)); }
  const std::set<std::string>& asked_keys() const { return asked_keys_; }

 private:
  std::string file_;
  std::vector<std::string> errors_;
  std::set<std::string> known_keys_;
  std::set<std::string> asked_keys_;
};

// A node of the file with its key path. Reading a value either fills the output or records an
// error and leaves the output as it was (so defaults survive and loading goes on).
class YamlField {
 public:
  YamlField(YAML::Node node, std::string path, std::string schema_path, ConfigErrors* errors)
      : node_(std::move(node)),
        path_(std::move(path)),
        schema_path_(std::move(schema_path)),
        errors_(errors) {}

  const std::string& path() const { return path_; }
  // The path with sequence indices folded and operator-chosen names as "<name>".
  const std::string& schema_path() const { return schema_path_; }
  YAML::Mark mark() const { return node_.IsDefined() ? node_.Mark() : YAML::Mark::null_mark(); }
  ConfigErrors* errors() const { return errors_; }
  bool IsMap() const { return node_.IsMap(); }
  bool IsSequence() const { return node_.IsSequence(); }
  bool IsNull() const { return !node_.IsDefined() || node_.IsNull(); }

  // Declares the keys this mapping may hold: an error for any other key, for a duplicate key,
  // and if the node is not a mapping at all. Returns whether the node is a mapping.
  bool ExpectMap(std::initializer_list<std::string_view> known_keys);
  bool ExpectMap(const std::vector<std::string_view>& known_keys);
  // The child at `key`: Required records an error when it is missing.
  std::optional<YamlField> Optional(std::string_view key);
  std::optional<YamlField> Required(std::string_view key);
  // The elements of a sequence (an error if the node is not one).
  std::vector<YamlField> Elements();
  // The entries of a mapping whose keys are names chosen by the operator (e.g. venue names),
  // in file order.
  std::vector<std::pair<std::string, YamlField>> Entries();

  // Scalars. Each returns whether it read a valid value.
  bool Read(std::string* out);
  bool Read(int64_t* out);
  bool Read(int32_t* out);
  bool Read(uint32_t* out);
  bool Read(uint64_t* out);
  bool Read(bool* out);
  bool Read(double* out);
  bool Read(core::Price* out);
  // A single tick ("0.01") or a rule of price bands ("0.01<3.00;0.05", core/tick_rule.h).
  bool Read(core::TickRule* out);
  bool Read(core::Duration* out);
  bool Read(std::vector<std::string>* out);
  // One of `names`, e.g. {{"aggressive", Policy::kAggressive}, ...}.
  template <typename Enum>
  bool ReadEnum(Enum* out, std::initializer_list<std::pair<std::string_view, Enum>> names) {
    std::string text;
    if (!ReadScalarText(&text)) return false;
    std::string expected;
    for (const auto& [name, value] : names) {
      if (text == name) {
        *out = value;
        return true;
      }
      expected += expected.empty() ? "" : ", ";
      expected += name;
    }
    Error("expected one of " + expected + ", got \"" + text + "\"");
    return false;
  }

  // Reads the child `key` into `out` if present (keeping `out` as the default otherwise);
  // GetRequired records an error when it is missing.
  template <typename T>
  bool Get(std::string_view key, T* out) {
    auto child = Optional(key);
    return child.has_value() && child->Read(out);
  }
  template <typename T>
  bool GetRequired(std::string_view key, T* out) {
    auto child = Required(key);
    return child.has_value() && child->Read(out);
  }
  template <typename Enum>
  bool GetEnum(std::string_view key, Enum* out,
               std::initializer_list<std::pair<std::string_view, Enum>> names) {
    auto child = Optional(key);
    return child.has_value() && child->ReadEnum(out, names);
  }

  // Records an error at this node.
  void Error(std::string_view message) const;

 private:
  bool ExpectMapOf(std::span<const std::string_view> known_keys);
  bool ReadScalarText(std::string* out);
  // Reads a scalar through `parse`, or records "expected <expected>, got ..." and keeps *out.
  template <typename T, typename Parser>
  bool ReadParsed(T* out, Parser parse, std::string_view expected);
  std::string ChildPath(std::string_view key) const;
  std::string ChildSchemaPath(std::string_view key) const;

  YAML::Node node_;
  std::string path_;
  std::string schema_path_;
  ConfigErrors* errors_;
};

// Parses `text` (named `file` in errors) and returns its root, or the parse error with its line.
absl::StatusOr<YAML::Node> ParseYaml(std::string_view text, const std::string& file);
// Reads and parses a file; a missing or unreadable file is a clear error.
absl::StatusOr<YAML::Node> LoadYamlFile(const std::string& path);

}  // namespace combo::config

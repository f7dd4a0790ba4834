#include "config/yaml_reader.h"

#include <cerrno>
#include <cstring>
#include <exception>
#include <fstream>
#include <limits>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/absl_compat.h"

namespace combo::config {

using core::AsAbsl;

void ConfigErrors::Add(const YAML::Mark& mark, std::string_view path, std::string_view message) {
  std::string location = file_;
  if (!mark.is_null()) absl::StrAppend(&location, ":", mark.line + 1, ":", mark.column + 1);
  // One error per line: a value quoted in the message may span lines of the file.
  std::string text(message);
  for (size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at)) {
    text.replace(at, 1, "\\n");
  }
  errors_.push_back(
      absl::StrCat(location, ": ", AsAbsl(path.empty() ? "(top level)" : path), ": ", text));
}

absl::Status ConfigErrors::ToStatus() const {
  if (errors_.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(errors_, "\n"));
}

std::string YamlField::ChildPath(std::string_view key) const {
  return path_.empty() ? std::string(key) : absl::StrCat(path_, ".", AsAbsl(key));
}

std::string YamlField::ChildSchemaPath(std::string_view key) const {
  return schema_path_.empty() ? std::string(key) : absl::StrCat(schema_path_, ".", AsAbsl(key));
}

void YamlField::Error(std::string_view message) const {
  errors_->Add(node_.IsDefined() ? node_.Mark() : YAML::Mark::null_mark(), path_, message);
}

bool YamlField::ExpectMap(std::initializer_list<std::string_view> known_keys) {
  return ExpectMapOf(std::span<const std::string_view>(known_keys.begin(), known_keys.size()));
}

bool YamlField::ExpectMap(const std::vector<std::string_view>& known_keys) {
  return ExpectMapOf(known_keys);
}

bool YamlField::ExpectMapOf(std::span<const std::string_view> known_keys) {
  for (std::string_view key : known_keys) errors_->RecordKey(ChildSchemaPath(key));
  if (!node_.IsMap()) {
    Error("expected a mapping of keys");
    return false;
  }
  std::set<std::string> seen;
  for (const auto& entry : node_) {
    const std::string key = entry.first.Scalar();
    const std::string path = ChildPath(key);
    if (!seen.insert(key).second) {
      errors_->Add(entry.first.Mark(), path, "duplicate key");
      continue;
    }
    bool known = false;
    for (std::string_view k : known_keys) known |= (k == key);
    if (!known) {
      std::vector<std::string> names(known_keys.begin(), known_keys.end());
      errors_->Add(entry.first.Mark(), path,
                   absl::StrCat("unknown key; expected one of ", absl::StrJoin(names, ", ")));
    }
  }
  return true;
}

std::optional<YamlField> YamlField::Optional(std::string_view key) {
  errors_->RecordKey(ChildSchemaPath(key));
  errors_->RecordAsked(ChildSchemaPath(key));
  if (!node_.IsMap()) return std::nullopt;
  YAML::Node child = node_[std::string(key)];
  if (!child.IsDefined()) return std::nullopt;
  return YamlField(child, ChildPath(key), ChildSchemaPath(key), errors_);
}

std::optional<YamlField> YamlField::Required(std::string_view key) {
  auto child = Optional(key);
  if (!child.has_value()) {
    errors_->Add(node_.IsDefined() ? node_.Mark() : YAML::Mark::null_mark(), ChildPath(key),
                 "required key is missing");
  }
  return child;
}

std::vector<YamlField> YamlField::Elements() {
  std::vector<YamlField> out;
  if (!node_.IsSequence()) {
    Error("expected a list");
    return out;
  }
  for (size_t i = 0; i < node_.size(); ++i) {
    out.emplace_back(node_[i], absl::StrCat(path_, "[", i, "]"), absl::StrCat(schema_path_, "[]"),
                     errors_);
  }
  return out;
}

std::vector<std::pair<std::string, YamlField>> YamlField::Entries() {
  std::vector<std::pair<std::string, YamlField>> out;
  errors_->RecordAsked(ChildSchemaPath("<name>"));
  if (!node_.IsMap()) {
    Error("expected a mapping of names");
    return out;
  }
  std::set<std::string> seen;
  for (const auto& entry : node_) {
    const std::string key = entry.first.Scalar();
    if (!seen.insert(key).second) {
      errors_->Add(entry.first.Mark(), ChildPath(key), "duplicate key");
      continue;
    }
    out.emplace_back(key,
                     YamlField(entry.second, ChildPath(key), ChildSchemaPath("<name>"), errors_));
  }
  return out;
}

bool YamlField::ReadScalarText(std::string* out) {
  if (!node_.IsScalar()) {
    Error("expected a single value");
    return false;
  }
  *out = node_.Scalar();
  return true;
}

bool YamlField::Read(std::string* out) {
  std::string text;
  if (!ReadScalarText(&text)) return false;
  *out = std::move(text);
  return true;
}

namespace {

// Parsers for ReadParsed: each fills `value` only from a fully valid text.
template <typename Int>
bool ParseInteger(const std::string& text, Int* value) {
  int64_t wide = 0;
  if (!absl::SimpleAtoi(text, &wide)) return false;
  if (wide < static_cast<int64_t>(std::numeric_limits<Int>::min()) ||
      (wide > 0 && static_cast<uint64_t>(wide) > std::numeric_limits<Int>::max())) {
    return false;
  }
  *value = static_cast<Int>(wide);
  return true;
}

bool ParseUnsigned64(const std::string& text, uint64_t* value) {
  return !text.empty() && text[0] != '-' && absl::SimpleAtoi(text, value);
}

bool ParseBool(const std::string& text, bool* value) {
  if (text != "true" && text != "false") return false;
  *value = text == "true";
  return true;
}

bool ParseDouble(const std::string& text, double* value) { return absl::SimpleAtod(text, value); }

bool ParsePrice(const std::string& text, core::Price* value) {
  auto price = core::Price::Parse(text);
  if (price.ok()) *value = *price;
  return price.ok();
}

bool ParseDuration(const std::string& text, core::Duration* value) {
  auto duration = core::Duration::Parse(text);
  if (duration.ok()) *value = *duration;
  return duration.ok();
}

}  // namespace

template <typename T, typename Parser>
bool YamlField::ReadParsed(T* out, Parser parse, std::string_view expected) {
  std::string text;
  if (!ReadScalarText(&text)) return false;
  // Parse into a local: a default must survive a bad value (SimpleAtoi writes even on failure).
  T value{};
  if (!parse(text, &value)) {
    Error(absl::StrCat("expected ", AsAbsl(expected), ", got \"", text, "\""));
    return false;
  }
  *out = value;
  return true;
}

bool YamlField::Read(int64_t* out) {
  return ReadParsed(out, ParseInteger<int64_t>, "a whole number");
}
bool YamlField::Read(int32_t* out) {
  return ReadParsed(out, ParseInteger<int32_t>, "a whole number (32-bit)");
}
bool YamlField::Read(uint32_t* out) {
  return ReadParsed(out, ParseInteger<uint32_t>, "a whole number from 0 to 4294967295");
}
bool YamlField::Read(uint64_t* out) {
  return ReadParsed(out, ParseUnsigned64, "a non-negative whole number");
}
bool YamlField::Read(bool* out) { return ReadParsed(out, ParseBool, "true or false"); }
bool YamlField::Read(double* out) { return ReadParsed(out, ParseDouble, "a number"); }
bool YamlField::Read(core::Price* out) {
  return ReadParsed(out, ParsePrice, "a decimal price such as 0.05");
}
bool YamlField::Read(core::TickRule* out) {
  std::string text;
  if (!ReadScalarText(&text)) return false;
  absl::StatusOr<core::TickRule> rule = core::TickRule::Parse(text);
  if (!rule.ok()) {
    Error(absl::StrCat("expected a tick such as 0.01 or a tick rule such as 0.01<3.00;0.05 (",
                       rule.status().message(), "), got \"", text, "\""));
    return false;
  }
  *out = *std::move(rule);
  return true;
}
bool YamlField::Read(core::Duration* out) {
  return ReadParsed(out, ParseDuration, "a duration such as 250us, 1.5s or 2m");
}

bool YamlField::Read(std::vector<std::string>* out) {
  if (!node_.IsSequence()) {
    Error("expected a list of values");
    return false;
  }
  std::vector<std::string> values;
  bool ok = true;
  for (YamlField& element : Elements()) {
    std::string value;
    if (element.Read(&value)) {
      values.push_back(std::move(value));
    } else {
      ok = false;
    }
  }
  if (ok) *out = std::move(values);
  return ok;
}

absl::StatusOr<YAML::Node> ParseYaml(std::string_view text, const std::string& file) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(file, ":", e.mark.line + 1, ":",
                                                   e.mark.column + 1, ": not valid YAML: ", e.msg));
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(file, ": not valid YAML: ", e.what()));
  }
}

absl::StatusOr<YAML::Node> LoadYamlFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot open config file: ", std::strerror(errno)));
  }
  std::stringstream text;
  text << in.rdbuf();
  return ParseYaml(text.str(), path);
}

}  // namespace combo::config

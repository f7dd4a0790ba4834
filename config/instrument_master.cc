#include "config/instrument_master.h"

#include <array>
#include <cstdint>
#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/absl_compat.h"
#include "core/price.h"

namespace combo::config {
namespace {

using core::AsAbsl;

enum class Column : uint8_t {
  kId,
  kSymbol,
  kAssetClass,
  kUnderlying,
  kExpiry,
  kStrike,
  kRight,
  kMultiplier,
  kTick,
  kVenues,
};
constexpr size_t kColumns = 10;
constexpr std::array<absl::string_view, kColumns> kColumnNames = {
    "id",     "symbol", "asset_class", "underlying", "expiry",
    "strike", "right",  "multiplier",  "tick",       "venues"};

// One field of a line: its text (unquoted) and the 1-based column where it starts.
struct Field {
  std::string text;
  int column = 1;
};

// Splits one CSV line. Quoted fields may hold commas and "" for a quote. Fails on an unclosed
// quote or text after a closing quote.
bool SplitLine(std::string_view line, std::vector<Field>* fields, std::string* problem) {
  fields->clear();
  size_t i = 0;
  while (true) {
    Field field;
    field.column = static_cast<int>(i) + 1;
    // Spaces around a field are not part of it.
    while (i < line.size() && line[i] == ' ') ++i;
    if (i < line.size() && line[i] == '"') {
      ++i;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.text += '"';
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        field.text += line[i++];
      }
      if (!closed) {
        *problem = absl::StrCat("column ", field.column, ": the quoted field is not closed");
        return false;
      }
      while (i < line.size() && line[i] == ' ') ++i;
      if (i < line.size() && line[i] != ',') {
        *problem =
            absl::StrCat("column ", i + 1, ": expected a comma after the quoted field, got '",
                         AsAbsl(line.substr(i, 1)), "'");
        return false;
      }
    } else {
      const size_t end = line.find(',', i);
      field.text = std::string(line.substr(i, end == std::string_view::npos ? end : end - i));
      i = end == std::string_view::npos ? line.size() : end;
      while (!field.text.empty() && field.text.back() == ' ') field.text.pop_back();
    }
    fields->push_back(std::move(field));
    if (i >= line.size()) return true;
    ++i;  // the comma
  }
}

// "450" for a whole strike, "452.5" otherwise.
std::string StrikeText(core::Price strike) {
  std::string text = strike.ToString();
  if (text.find('.') != std::string::npos) {
    while (!text.empty() && text.back() == '0') text.pop_back();
    if (!text.empty() && text.back() == '.') text.pop_back();
  }
  return text;
}

// Reads the fields of one data line into a row; every problem goes to `errors`.
class RowReader {
 public:
  RowReader(const std::string& file, int line, const std::vector<Field>& fields,
            const std::array<std::optional<size_t>, kColumns>& positions,
            std::vector<std::string>* errors)
      : file_(file), line_(line), fields_(fields), positions_(positions), errors_(errors) {}

  // The field of `column` (nullptr when the file has no such column).
  const Field* Get(Column column) const {
    const std::optional<size_t>& at = positions_[static_cast<size_t>(column)];
    return at.has_value() ? &fields_[*at] : nullptr;
  }
  bool Present(Column column) const {
    const Field* field = Get(column);
    return field != nullptr && !field->text.empty();
  }
  std::string Text(Column column) const {
    const Field* field = Get(column);
    return field == nullptr ? std::string() : field->text;
  }

  void Error(Column column, std::string_view message) {
    const Field* field = Get(column);
    errors_->push_back(absl::StrCat(file_, ":", line_, ":", field == nullptr ? 1 : field->column,
                                    ": ", kColumnNames[static_cast<size_t>(column)], ": ",
                                    AsAbsl(message)));
  }
  void ErrorGot(Column column, std::string_view expected) {
    Error(column, absl::StrCat("expected ", AsAbsl(expected), ", got \"", Text(column), "\""));
  }
  // A value the asset class does not take.
  void NotFor(Column column, core::AssetClass asset_class, std::string_view who) {
    if (!Present(column)) return;
    Error(column, absl::StrCat("only ", AsAbsl(who), " have this column, this row is ",
                               AsAbsl(core::ToString(asset_class)), " (leave it empty)"));
  }
  void Required(Column column, std::string_view why) {
    if (Present(column)) return;
    Error(column, absl::StrCat("required ", AsAbsl(why)));
  }

  bool ok(size_t before) const { return errors_->size() == before; }

 private:
  const std::string& file_;
  int line_;
  const std::vector<Field>& fields_;
  const std::array<std::optional<size_t>, kColumns>& positions_;
  std::vector<std::string>* errors_;
};

std::optional<absl::CivilDay> ParseDay(const std::string& text) {
  // Exactly YYYY-MM-DD naming a real day (absl also accepts other forms).
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int year = 0;
  int month = 0;
  int day = 0;
  if (!absl::SimpleAtoi(text.substr(0, 4), &year) || !absl::SimpleAtoi(text.substr(5, 2), &month) ||
      !absl::SimpleAtoi(text.substr(8, 2), &day)) {
    return std::nullopt;
  }
  const absl::CivilDay civil(year, month, day);
  if (civil.year() != year || civil.month() != month || civil.day() != day) return std::nullopt;
  return civil;
}

}  // namespace

std::string OptionSymbol(std::string_view underlying, const core::OptionTerms& terms) {
  const absl::CivilDay day = terms.expiry;
  return absl::StrFormat("%s %04d%02d%02d %s %s", AsAbsl(underlying), day.year(), day.month(),
                         day.day(), terms.right == core::OptionRight::kCall ? "C" : "P",
                         StrikeText(terms.strike));
}

std::vector<MasterRow> ParseInstrumentMaster(std::string_view text, const std::string& file,
                                             std::optional<absl::CivilDay> today,
                                             std::vector<std::string>* errors) {
  std::vector<MasterRow> rows;
  std::array<std::optional<size_t>, kColumns> positions;
  size_t header_fields = 0;
  bool have_header = false;
  bool header_ok = false;
  std::map<uint32_t, int> id_lines;
  std::map<std::string, int> symbol_lines;
  std::vector<Field> fields;
  int line_number = 0;
  for (absl::string_view raw : absl::StrSplit(AsAbsl(text), '\n')) {
    ++line_number;
    std::string_view line(raw.data(), raw.size());
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const absl::string_view stripped = absl::StripAsciiWhitespace(AsAbsl(line));
    if (stripped.empty() || stripped.front() == '#') continue;
    std::string problem;
    if (!SplitLine(line, &fields, &problem)) {
      errors->push_back(absl::StrCat(file, ":", line_number, ": ", problem));
      if (!have_header) return rows;
      continue;
    }
    if (!have_header) {
      have_header = true;
      header_fields = fields.size();
      const size_t before = errors->size();
      for (size_t i = 0; i < fields.size(); ++i) {
        const std::string name = absl::AsciiStrToLower(fields[i].text);
        size_t column = 0;
        while (column < kColumns && kColumnNames[column] != name) ++column;
        if (column == kColumns) {
          errors->push_back(absl::StrCat(file, ":", line_number, ":", fields[i].column,
                                         ": header: unknown column \"", fields[i].text,
                                         "\"; expected ", absl::StrJoin(kColumnNames, ", ")));
        } else if (positions[column].has_value()) {
          errors->push_back(absl::StrCat(file, ":", line_number, ":", fields[i].column,
                                         ": header: column \"", name, "\" is named twice"));
        } else {
          positions[column] = i;
        }
      }
      for (Column required : {Column::kId, Column::kAssetClass}) {
        if (!positions[static_cast<size_t>(required)].has_value()) {
          errors->push_back(absl::StrCat(file, ":", line_number, ": header: the column \"",
                                         kColumnNames[static_cast<size_t>(required)],
                                         "\" is required"));
        }
      }
      header_ok = errors->size() == before;
      // Rows cannot be read against a broken header.
      if (!header_ok) return rows;
      continue;
    }
    if (fields.size() != header_fields) {
      errors->push_back(absl::StrCat(file, ":", line_number, ": expected ", header_fields,
                                     " fields as the header names, got ", fields.size()));
      continue;
    }
    RowReader row(file, line_number, fields, positions, errors);
    const size_t before = errors->size();
    core::InstrumentDefinition d;

    uint32_t id = 0;
    if (!absl::SimpleAtoi(row.Text(Column::kId), &id) || id == 0) {
      row.ErrorGot(Column::kId, "an instrument id from 1 to 4294967295");
    } else if (auto [at, inserted] = id_lines.emplace(id, line_number); !inserted) {
      row.Error(Column::kId,
                absl::StrCat("duplicate id ", id, " (first at line ", at->second, ")"));
    }
    d.id = core::InstrumentId(id);

    const std::string asset_text = absl::AsciiStrToLower(row.Text(Column::kAssetClass));
    absl::StatusOr<core::AssetClass> asset = core::ParseAssetClass(asset_text);
    if (!asset.ok()) {
      row.ErrorGot(Column::kAssetClass, "one of stock, etf, option, future");
      continue;
    }
    d.asset_class = *asset;
    const bool option = d.asset_class == core::AssetClass::kOption;
    const bool future = d.asset_class == core::AssetClass::kFuture;

    d.underlying = row.Text(Column::kUnderlying);
    if (option || future) row.Required(Column::kUnderlying, "for options and futures: the root");

    std::optional<absl::CivilDay> expiry;
    if (row.Present(Column::kExpiry)) {
      if (!option && !future) {
        row.NotFor(Column::kExpiry, d.asset_class, "options and futures");
      } else {
        expiry = ParseDay(row.Text(Column::kExpiry));
        if (!expiry.has_value()) row.ErrorGot(Column::kExpiry, "a date as YYYY-MM-DD");
      }
    } else if (option) {
      row.Required(Column::kExpiry, "for an option: its expiry as YYYY-MM-DD");
    }

    if (option) {
      core::OptionTerms terms;
      if (row.Present(Column::kStrike)) {
        absl::StatusOr<core::Price> strike = core::Price::Parse(row.Text(Column::kStrike));
        if (!strike.ok() || !strike->is_positive()) {
          row.ErrorGot(Column::kStrike, "a positive price such as 430 or 432.5");
        } else {
          terms.strike = *strike;
        }
      } else {
        row.Required(Column::kStrike, "for an option");
      }
      const std::string right = absl::AsciiStrToUpper(row.Text(Column::kRight));
      if (right == "C") {
        terms.right = core::OptionRight::kCall;
      } else if (right == "P") {
        terms.right = core::OptionRight::kPut;
      } else if (right.empty()) {
        row.Required(Column::kRight, "for an option: C (call) or P (put)");
      } else {
        row.ErrorGot(Column::kRight, "C (call) or P (put)");
      }
      if (expiry.has_value()) terms.expiry = *expiry;
      d.option = terms;
    } else {
      row.NotFor(Column::kStrike, d.asset_class, "options");
      row.NotFor(Column::kRight, d.asset_class, "options");
      if (future) d.expiry = expiry;
    }

    d.multiplier = option ? 100 : 1;
    if (row.Present(Column::kMultiplier)) {
      int64_t multiplier = 0;
      if (!absl::SimpleAtoi(row.Text(Column::kMultiplier), &multiplier) || multiplier < 1) {
        row.ErrorGot(Column::kMultiplier, "a positive whole number");
      } else {
        d.multiplier = multiplier;
      }
    }
    if (row.Present(Column::kTick)) {
      // A single tick or a rule of price bands (core/tick_rule.h); the rule says what is wrong.
      absl::StatusOr<core::TickRule> rule = core::TickRule::Parse(row.Text(Column::kTick));
      if (!rule.ok()) {
        row.ErrorGot(Column::kTick,
                     absl::StrCat("a positive price increment such as 0.01 or 0.25, or a tick "
                                  "rule such as 0.01<3.00;0.05 (",
                                  rule.status().message(), ")"));
      } else {
        d.tick_rule = *std::move(rule);
      }
    }

    d.symbol = row.Text(Column::kSymbol);
    if (d.symbol.empty()) {
      if (option && row.ok(before)) {
        d.symbol = OptionSymbol(d.underlying, *d.option);
      } else if (!option) {
        row.Required(Column::kSymbol, "for a stock, an ETF or a future");
      }
    }
    if (!d.symbol.empty()) {
      if (auto [at, inserted] = symbol_lines.emplace(d.symbol, line_number); !inserted) {
        row.Error(
            row.Present(Column::kSymbol) ? Column::kSymbol : Column::kStrike,
            absl::StrCat("duplicate symbol \"", d.symbol, "\" (first at line ", at->second, ")"));
      }
    }

    std::vector<MasterVenueName> venues;
    if (row.Present(Column::kVenues)) {
      const Field* field = row.Get(Column::kVenues);
      size_t offset = 0;
      for (absl::string_view part : absl::StrSplit(field->text, ';')) {
        const absl::string_view name = absl::StripAsciiWhitespace(part);
        const int column = field->column + static_cast<int>(offset);
        offset += part.size() + 1;
        if (name.empty()) {
          row.Error(Column::kVenues,
                    "expected venue names separated by ';' (such as OPT-A;OPT-B), got an empty "
                    "name");
          continue;
        }
        bool twice = false;
        for (const MasterVenueName& seen : venues) twice |= seen.name == name;
        if (twice) {
          row.Error(Column::kVenues, absl::StrCat("venue \"", name, "\" is named twice"));
          continue;
        }
        venues.push_back(MasterVenueName{std::string(name), line_number, column});
      }
    }

    if (!row.ok(before)) continue;
    absl::StatusOr<core::Instrument> instrument = core::Instrument::Create(d);
    if (!instrument.ok()) {
      errors->push_back(absl::StrCat(file, ":", line_number, ": ", instrument.status().message()));
      continue;
    }
    const std::optional<absl::CivilDay> last = instrument->last_trading_day();
    const bool expired = today.has_value() && last.has_value() && *last < *today;
    rows.push_back(MasterRow{line_number, *std::move(instrument), std::move(venues), expired});
  }
  if (!have_header) {
    errors->push_back(absl::StrCat(file, ":1: the file has no header row (expected columns ",
                                   absl::StrJoin(kColumnNames, ", "), ")"));
  }
  return rows;
}

}  // namespace combo::config

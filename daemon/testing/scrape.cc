#include "daemon/testing/scrape.h"

#include <chrono>
#include <cstdlib>
#include <exception>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/read.hpp"
#include "boost/asio/streambuf.hpp"
#include "boost/asio/write.hpp"

namespace combo::daemon::testing {
namespace {

bool IsNameChar(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         (!first && c >= '0' && c <= '9');
}

absl::StatusOr<double> ParseValue(const std::string& text) {
  if (text == "+Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  double value = 0;
  if (!absl::SimpleAtod(text, &value)) {
    return absl::InvalidArgumentError(absl::StrCat("not a number: '", text, "'"));
  }
  return value;
}

// "name{a="x",b="y"} value [timestamp]"
absl::StatusOr<Sample> ParseSample(const std::string& line) {
  Sample sample;
  size_t i = 0;
  while (i < line.size() && IsNameChar(line[i], i == 0)) ++i;
  if (i == 0) return absl::InvalidArgumentError("sample without a metric name");
  sample.name = line.substr(0, i);
  if (i < line.size() && line[i] == '{') {
    ++i;
    while (i < line.size() && line[i] != '}') {
      size_t start = i;
      while (i < line.size() && IsNameChar(line[i], i == start)) ++i;
      if (i == start || i >= line.size() || line[i] != '=') {
        return absl::InvalidArgumentError("bad label name");
      }
      const std::string label = line.substr(start, i - start);
      ++i;
      if (i >= line.size() || line[i] != '"') return absl::InvalidArgumentError("unquoted label");
      ++i;
      std::string value;
      while (i < line.size() && line[i] != '"') {
        if (line[i] == '\\' && i + 1 < line.size()) {
          ++i;
          value.push_back(line[i] == 'n' ? '\n' : line[i]);
        } else {
          value.push_back(line[i]);
        }
        ++i;
      }
      if (i >= line.size()) return absl::InvalidArgumentError("unterminated label value");
      ++i;
      if (sample.labels.contains(label)) return absl::InvalidArgumentError("label repeated");
      sample.labels[label] = value;
      if (i < line.size() && line[i] == ',') ++i;
    }
    if (i >= line.size()) return absl::InvalidArgumentError("unterminated label set");
    ++i;
  }
  if (i >= line.size() || line[i] != ' ') return absl::InvalidArgumentError("no value");
  std::istringstream rest(line.substr(i + 1));
  std::string value_text;
  rest >> value_text;
  absl::StatusOr<double> value = ParseValue(value_text);
  if (!value.ok()) return value.status();
  sample.value = *value;
  return sample;
}

std::string FamilyOf(const std::string& sample, const std::map<std::string, ParsedFamily>& known) {
  if (known.contains(sample)) return sample;
  for (const char* suffix : {"_bucket", "_sum", "_count", "_total", "_created"}) {
    const std::string s(suffix);
    if (sample.size() > s.size() && sample.compare(sample.size() - s.size(), s.size(), s) == 0) {
      const std::string base = sample.substr(0, sample.size() - s.size());
      if (known.contains(base)) return base;
    }
  }
  return "";
}

}  // namespace

int FreeLoopbackPort() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

absl::StatusOr<std::string> HttpGet(const std::string& host, int port, const std::string& path,
                                    core::Duration timeout) {
  namespace asio = boost::asio;
  try {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect(
        asio::ip::tcp::endpoint(asio::ip::make_address(host), static_cast<unsigned short>(port)));
    const std::string request =
        absl::StrCat("GET ", path, " HTTP/1.0\r\nHost: ", host, "\r\nAccept: text/plain\r\n\r\n");
    asio::write(socket, asio::buffer(request));
    std::string response;
    boost::system::error_code error;
    std::array<char, 8192> chunk;
    // The exposer closes the connection after an HTTP/1.0 answer; the read ends on EOF. The
    // timeout guards a hung server through SO_RCVTIMEO.
    const int64_t millis = timeout.nanoseconds() / 1'000'000;
    struct timeval tv {
      static_cast<time_t>(millis / 1000), static_cast<suseconds_t>((millis % 1000) * 1000)
    };
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    for (;;) {
      const size_t n = socket.read_some(asio::buffer(chunk), error);
      response.append(chunk.data(), n);
      if (error) break;
    }
    if (error != asio::error::eof) {
      return absl::UnavailableError(absl::StrCat("GET ", path, ": ", error.message()));
    }
    const size_t header_end = response.find("\r\n\r\n");
    if (header_end == std::string::npos) {
      return absl::DataLossError(absl::StrCat("GET ", path, ": no HTTP header in the answer"));
    }
    const std::string status_line = response.substr(0, response.find("\r\n"));
    if (status_line.find(" 200") == std::string::npos) {
      return absl::UnavailableError(absl::StrCat("GET ", path, ": ", status_line));
    }
    return response.substr(header_end + 4);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("GET http://", host, ":", port, path, ": ", e.what()));
  }
}

absl::StatusOr<std::map<std::string, ParsedFamily>> ParseExposition(const std::string& text) {
  std::map<std::string, ParsedFamily> families;
  std::map<std::string, std::string> pending_help;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    auto fail = [&](absl::string_view why) {
      return absl::InvalidArgumentError(absl::StrCat("line ", number, ": ", why, ": ", line));
    };
    if (line.rfind("# HELP ", 0) == 0) {
      const std::string rest = line.substr(7);
      const size_t space = rest.find(' ');
      if (space == std::string::npos) return fail("HELP without text");
      pending_help[rest.substr(0, space)] = rest.substr(space + 1);
      continue;
    }
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream fields(line.substr(7));
      std::string name;
      std::string type;
      fields >> name >> type;
      if (type != "counter" && type != "gauge" && type != "histogram" && type != "summary" &&
          type != "untyped") {
        return fail("unknown type");
      }
      if (families.contains(name)) return fail("family declared twice");
      ParsedFamily& family = families[name];
      family.type = type;
      family.help = pending_help[name];
      continue;
    }
    if (line[0] == '#') continue;
    absl::StatusOr<Sample> sample = ParseSample(line);
    if (!sample.ok()) return fail(sample.status().message());
    const std::string family = FamilyOf(sample->name, families);
    if (family.empty()) return fail("sample before its family's TYPE");
    families[family].samples.push_back(*std::move(sample));
  }
  return families;
}

double SumOf(const std::map<std::string, ParsedFamily>& families, const std::string& family,
             const std::string& sample, const std::map<std::string, std::string>& labels) {
  auto found = families.find(family);
  if (found == families.end()) return 0;
  double sum = 0;
  for (const Sample& s : found->second.samples) {
    if (s.name != sample) continue;
    bool match = true;
    for (const auto& [key, value] : labels) {
      auto it = s.labels.find(key);
      if (it == s.labels.end() || it->second != value) match = false;
    }
    if (match) sum += s.value;
  }
  return sum;
}

}  // namespace combo::daemon::testing

// Test helpers for the daemon's HTTP metrics endpoint: a blocking HTTP/1.0 GET, and a strict
// parser of the Prometheus text exposition format (version 0.0.4) that the scrape tests use to
// check that every documented family is present, typed and parses. Test-only.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/time.h"

namespace combo::daemon::testing {

// A TCP port free on 127.0.0.1 right now (bound to port 0, then released), for configs that
// need a fixed port.
int FreeLoopbackPort();

// GET http://<host>:<port><path>; the body of a 200 answer, else an error naming the status.
absl::StatusOr<std::string> HttpGet(const std::string& host, int port, const std::string& path,
                                    core::Duration timeout = core::Duration::Seconds(5));

struct Sample {
  std::string name;  // with any _bucket/_sum/_count/_total suffix as written
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct ParsedFamily {
  std::string type;  // counter, gauge, histogram, summary, untyped
  std::string help;
  std::vector<Sample> samples;
};

// Parses a scrape. Fails naming the line for a malformed line, a sample before its family's
// TYPE, a value that is not a number, or a family declared twice.
absl::StatusOr<std::map<std::string, ParsedFamily>> ParseExposition(const std::string& text);

// The sum of the family's samples named exactly `sample` whose labels include `labels`.
double SumOf(const std::map<std::string, ParsedFamily>& families, const std::string& family,
             const std::string& sample, const std::map<std::string, std::string>& labels = {});

}  // namespace combo::daemon::testing

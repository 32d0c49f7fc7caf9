#pragma once
// The /sql request body (spec §3): a single query or a batch, with params converted to the
// text bind values Neon's proxy sends to Postgres.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace edgefn::gateway {

/// One query: SQL text, text params (nullopt = NULL) and the optional body `arrayMode`.
struct query_spec {
  std::string query;
  std::vector<std::optional<std::string>> params;
  std::optional<bool> array_mode;
};

/// A parsed body. `batch` is false for `{"query":…}` (which wins over `queries`).
struct payload {
  bool batch = false;
  std::vector<query_spec> queries;
};

/// Parses a body. The error message is the reason only; callers prefix it with
/// `could not parse the HTTP request body: `. Invalid UTF-8 is an error (as in serde).
[[nodiscard]] result<payload> parse_payload(std::string_view body);

}  // namespace edgefn::gateway

#pragma once
// Plain HTTP messages exchanged between the core and its hosts. The core builds requests and
// reads responses; hosts (libcurl natively, fetch() in the Worker) move the bytes.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/padded_buffer.h"

namespace edgefn::http {

using header_list = std::vector<std::pair<std::string, std::string>>;

/// Case-insensitive ASCII comparison for header names.
[[nodiscard]] bool iequals(std::string_view a, std::string_view b) noexcept;

/// The first value of header `name` (case-insensitive), or nullptr.
[[nodiscard]] const std::string* find_header(const header_list& headers, std::string_view name);

/// Appends header `name: value`. One out-of-line call for every header the core sets:
/// emplace_back with string literals instantiated a copy per pair of literal lengths.
void add_header(header_list& headers, std::string_view name, std::string value);

/// An outgoing request, fully described: the host sends exactly this.
struct request {
  std::string method = "POST";
  std::string url;
  header_list headers;
  std::string body;
};

/// What the host observed. `body` is padded for simdjson (see padded_buffer).
struct response {
  int status = 0;
  header_list headers;
  padded_buffer body;
};

}  // namespace edgefn::http

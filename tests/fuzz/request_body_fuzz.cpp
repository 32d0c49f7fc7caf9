// Request-body validation: the framework's read_body (size, media type, JSON, schema, NUL
// characters) over a table with every column kind (tests/db/test_schema.h), in insert and update
// modes, with and without omitted columns. The first byte picks mode, omit and Content-Type.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "api/body.h"
#include "db/test_schema.h"

namespace {

using namespace edgefn;
constexpr std::array<std::string_view, 2> k_omit{"id", "token"};
constexpr std::string_view k_media_types[] = {"application/json", "application/json; charset=utf-8",
                                              "text/plain", ""};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t how = data[0];
  api::body_def def;
  def.table = api::table_of<test_schema::users_table>("User");
  def.mode = (how & 1) ? db::body_mode::update : db::body_mode::insert;
  if (how & 2) def.omit = k_omit;
  exchange::request req;
  req.method = "POST";
  req.target = "/users";
  req.headers.emplace_back("Content-Type", std::string(k_media_types[(how >> 2) & 3]));
  req.body.append(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  auto read = api::read_body(req, def, (how & 0x10) ? 64 : 64 * 1024);
  if (!read) {
    if (read.error().status < 400 || read.error().status > 499) std::abort();  // bad input: 4xx
    return 0;
  }
  // A reading, valid or not, has a cell per column; a field is named once.
  if (read->cells.size() != def.table.columns.size()) std::abort();
  for (std::size_t i = 0; i < read->fields.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (read->fields[i].first == read->fields[j].first) std::abort();
  (void)db::values_from_cells<test_schema::users_table>(read->cells);
  return 0;
}

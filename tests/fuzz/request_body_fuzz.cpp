// Request-body validation: the framework's read_body (size, media type, JSON, schema) and
// nul_fields over a table with every column kind (tests/db/test_schema.h), in insert and update
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
  auto cells = api::read_body(req, def, (how & 0x10) ? 64 : 64 * 1024);
  if (!cells) {
    if (cells.error().status < 400 || cells.error().status > 499) std::abort();  // bad input: 4xx
    return 0;
  }
  if (cells->size() != def.table.columns.size()) std::abort();
  (void)api::nul_fields(*cells, def);
  (void)db::values_from_cells<test_schema::users_table>(*cells);
  return 0;
}

// The /sql response decoder (src/neon/result_set): any body, single and batch, with the status
// chosen by the first byte; every decoded cell is then read as every cell type (typed reads
// parse Postgres text: ints, floats, numeric, dates, timestamps, intervals, bytea, arrays).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "neon/result_set.h"

namespace {

using namespace edgefn::neon;

template <class T>
void read_as(const result_set& rs, std::size_t row, std::size_t col) {
  (void)rs.get<T>(row, col);
  (void)rs.get_optional<T>(row, col);
}

void read_every_cell(const result_set& rs) {
  (void)rs.column_index("id");
  for (std::size_t r = 0; r <= rs.rows(); ++r) {  // one past the end: out_of_range errors
    for (std::size_t c = 0; c <= rs.columns(); ++c) {
      (void)rs.is_null(r, c);
      (void)rs.text(r, c);
      read_as<std::int16_t>(rs, r, c);
      read_as<std::int32_t>(rs, r, c);
      read_as<std::int64_t>(rs, r, c);
      read_as<float>(rs, r, c);
      read_as<double>(rs, r, c);
      read_as<numeric>(rs, r, c);
      read_as<bool>(rs, r, c);
      read_as<uuid>(rs, r, c);
      read_as<bytes>(rs, r, c);
      read_as<date>(rs, r, c);
      read_as<time_of_day>(rs, r, c);
      read_as<timestamp>(rs, r, c);
      read_as<timestamptz>(rs, r, c);
      read_as<interval>(rs, r, c);
      read_as<std::string>(rs, r, c);
      read_as<json_text>(rs, r, c);
      read_as<array<std::int32_t>>(rs, r, c);
      read_as<array<std::string>>(rs, r, c);
      read_as<array<timestamp>>(rs, r, c);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  constexpr int k_statuses[] = {200, 200, 200, 400, 404, 413, 500, 507};
  edgefn::http::response resp;
  resp.status = k_statuses[data[0] % 8];
  const bool batch = (data[0] & 0x80) != 0;
  resp.body.append(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  decoder d;
  if (batch) {
    if (auto sets = d.decode_batch(resp)) {
      for (const auto& rs : *sets) read_every_cell(rs);
    }
  } else if (auto rs = d.decode(resp)) {
    read_every_cell(*rs);
  }
  return 0;
}

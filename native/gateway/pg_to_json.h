#pragma once
// Postgres text values to JSON, as Neon's proxy converts them (spec §4): raw mode gives
// strings; otherwise bool, int2/int4, float4/float8 (NaN/±Infinity as strings), json/jsonb
// and arrays of any type (per element type) are converted, everything else is a string.

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace edgefn::gateway {

/// How a scalar (or an array element) is written in non-raw mode.
enum class scalar_kind : std::uint8_t { string, boolean, integer, floating, json };

/// How a column of one type OID is converted.
struct type_conv {
  bool is_array = false;
  scalar_kind kind = scalar_kind::string;  ///< the element kind for arrays
  char delimiter = ',';                    ///< the element type's typdelim
};

/// The conversion of a built-in type OID, or nullopt when pg_type must be asked.
[[nodiscard]] std::optional<type_conv> builtin_type_conv(Oid oid);

/// What pg_type says about one OID (the answer of a lookup).
struct pg_type_row {
  Oid oid = 0;
  Oid element = 0;      ///< typelem
  char delimiter = ',';  ///< the element's typdelim
  char category = 'U';  ///< typcategory ('A' = array)
};

/// Looks up the given OIDs in pg_type (through some connection to the same database).
/// Returns false on failure.
using pg_type_lookup = std::function<bool(const std::vector<Oid>&, std::vector<pg_type_row>&)>;

/// Conversions of non-built-in OIDs, cached per database (thread-safe).
class type_registry {
 public:
  /// Conversions for `oids` in database `db_key`; unknown ones are looked up once.
  /// Returns false when the lookup failed.
  bool resolve(const std::string& db_key, const std::vector<Oid>& oids,
               const pg_type_lookup& lookup, std::vector<type_conv>& out);

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::unordered_map<Oid, type_conv>> cache_;
};

/// Appends one non-NULL value converted per `conv` (non-raw mode). Returns false when the
/// text cannot be converted (e.g. an int2vector "1 2"): the caller answers 500.
[[nodiscard]] bool append_converted(std::string& out, std::string_view text,
                                    const type_conv& conv);

}  // namespace edgefn::gateway

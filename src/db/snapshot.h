#pragma once
// drizzle-kit (0.31, pg snapshot version "7") snapshots: writing the JSON text of a schema
// model, byte-compatible with `JSON.stringify(snapshot, null, 2)` as drizzle-kit writes
// meta/NNNN_snapshot.json, and parsing a snapshot back into a model for diffing.

#include <string>
#include <string_view>

#include "base/padded_buffer.h"
#include "base/result.h"
#include "db/model.h"

namespace edgefn::db {

/// The all-zero UUID drizzle-kit uses as the first snapshot's prevId.
inline constexpr std::string_view origin_uuid = "00000000-0000-0000-0000-000000000000";

/// The snapshot JSON text (no trailing newline). `id` is a fresh random UUID chosen by the
/// caller (the core has no randomness); `prev_id` the previous snapshot's id or origin_uuid.
/// Roles, sequences, policies, views and schemas are written empty; _meta has no renames.
[[nodiscard]] std::string snapshot_json(const schema_model& schema, std::string_view id,
                                        std::string_view prev_id);

/// A parsed snapshot: its ids and the model (only what schema_model holds is kept).
struct snapshot {
  std::string id, prev_id;
  schema_model schema;
};

/// Parses snapshot JSON. Errors: parse_error (malformed JSON or a wrong value type),
/// unsupported (a version other than "7" or a dialect other than "postgresql").
[[nodiscard]] result<snapshot> parse_snapshot(const padded_buffer& json);

}  // namespace edgefn::db

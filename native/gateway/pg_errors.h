#pragma once
// Which Postgres and libpq failures mean "database unavailable, retry later" (503 with
// Retry-After), as opposed to a user error (400) or a gateway fault (500).

#include <string>
#include <string_view>

namespace edgefn::gateway {

/// True for SQLSTATEs that say the database can't serve now but may soon: class 08
/// (connection exception) except 08P01 (protocol violation, e.g. a wrong param count), class 53
/// (insufficient resources, e.g. 53300 too many connections) and 57P01-57P03 (admin/crash
/// shutdown, cannot connect now).
[[nodiscard]] bool sqlstate_unavailable(std::string_view sqlstate);

/// The SQLSTATE Postgres sends with a connection-time FATAL message (libpq 15 gives only its
/// text): "53300", "57P03", "57P01", or "" when the message is not one of these.
[[nodiscard]] std::string connect_failure_sqlstate(std::string_view message);

}  // namespace edgefn::gateway

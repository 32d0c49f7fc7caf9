#include "gateway/pg_errors.h"

namespace edgefn::gateway {

bool sqlstate_unavailable(std::string_view s) {
  if (s.size() != 5) return false;
  if (s.starts_with("08")) return s != "08P01";
  if (s.starts_with("53")) return true;
  return s == "57P01" || s == "57P02" || s == "57P03";
}

std::string connect_failure_sqlstate(std::string_view message) {
  // The texts Postgres sends with these codes while a connection starts (postmaster.c,
  // postinit.c, miscinit.c); English, as under the default locale C.
  if (message.find("too many clients") != std::string_view::npos ||
      message.find("too many connections") != std::string_view::npos) {
    return "53300";
  }
  if (message.starts_with("the database system is ")) return "57P03";
  if (message.find("terminating connection due to administrator command") !=
      std::string_view::npos) {
    return "57P01";
  }
  return "";
}

}  // namespace edgefn::gateway

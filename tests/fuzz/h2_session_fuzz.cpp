// The HTTP/2 side of the native server (native/http/h2_session, libnghttp2 underneath): the
// input is the client's byte stream after the connection preface (prepended here so that
// frames are reached), in chunks whose size the first byte chooses; every request that
// arrives is answered at once, and the output is drained after each chunk, as the server does.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "http/h2_session.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t chunk = 1 + data[0] % 128;
  std::string input = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  input.append(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<std::int32_t> arrived;
  edgefn::httpd::h2_session session(
      1024, 4096, true,
      [&](std::int32_t id, edgefn::httpd::request req, int status) {
        if (status != 0 && status != 413 && status != 431) std::abort();
        if (req.body.size() > 4096) std::abort();  // the body limit holds
        arrived.push_back(id);
      },
      [](std::int32_t) {});
  if (!session.start()) std::abort();
  std::string_view rest(input);
  while (!rest.empty()) {
    const std::size_t n = std::min(chunk, rest.size());
    const bool ok = session.receive(rest.substr(0, n));
    rest.remove_prefix(n);
    for (const auto id : arrived) {
      edgefn::httpd::response r;
      r.body = "{}";
      session.respond(id, std::move(r));
    }
    arrived.clear();
    (void)session.take_output();
    if (!ok) break;  // protocol error: the server sends GOAWAY and closes
  }
  return 0;
}

// The HTTP/1.1 request parser of the native server (native/http/request_reader, shared by the
// gateway and `serve`): the input arrives in chunks whose sizes the first bytes choose (as
// socket reads would deliver it), pipelined requests are read one after another, with small
// limits so that 413 and 431 are reached too.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "http/request_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t chunk = 1 + data[0] % 64;  // bytes per read
  const bool keep_query = (data[1] & 1) != 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);
  std::string pending;
  auto reader = std::make_unique<edgefn::httpd::request_reader>(1024, 4096);
  while (!input.empty() || !pending.empty()) {
    const std::size_t n = std::min(chunk, input.size());
    pending.append(input.substr(0, n));
    input.remove_prefix(n);
    const int status = reader->feed(pending);
    if (status != 0) {
      // 400 malformed, 413/431 over a limit, 501 a transfer coding other than chunked.
      if (status != 400 && status != 413 && status != 431 && status != 501) std::abort();
      return 0;  // the server answers and closes
    }
    if (reader->header_done()) {
      (void)reader->wants_continue();
      (void)reader->keep_alive();
    }
    if (reader->done()) {
      (void)reader->is_head();
      auto req = reader->take(keep_query);
      if (req.body.size() > 4096) std::abort();  // the body limit holds
      (void)req.header("content-type");
      reader = std::make_unique<edgefn::httpd::request_reader>(1024, 4096);
    } else if (n == 0) {
      break;  // truncated: the server would wait for more, then time out
    }
  }
  return 0;
}

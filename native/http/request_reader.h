#pragma once
// Incremental HTTP/1.1 request parsing for the server (http/server.h): Boost.Beast's request
// parser with the server's limits, fed whatever bytes the socket produced. Separate from the
// socket loop so that it can be fuzzed (tests/fuzz/http_request_fuzz.cpp).

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "http/server.h"

namespace edgefn::httpd {

/// Reads one request. Feed it bytes until done() or an error; then take() the request and use a
/// fresh reader for the next one (bytes of a pipelined request stay in `pending`).
class request_reader {
 public:
  request_reader(std::size_t max_header_bytes, std::size_t max_body_bytes);
  ~request_reader();
  request_reader(const request_reader&) = delete;
  request_reader& operator=(const request_reader&) = delete;

  /// Parses from the front of `pending` and erases what was consumed. Returns 0 (fine so far,
  /// or done) or the status to answer before closing: 400 malformed, 413 body too large, 431
  /// head too large. Besides Beast's own checks, 400 for a head whose framing another parser
  /// could read differently (RFC 9112): a Transfer-Encoding that does not end in chunked (its
  /// body would be read as the next request), or any in HTTP/1.0; no Host in HTTP/1.1, or two;
  /// a folded header line (obs-fold).
  [[nodiscard]] int feed(std::string& pending);
  /// Why feed() refused the request, for the client ("request headers are too large",
  /// "conflicting Content-Length headers"); "" when it did not. Static text.
  [[nodiscard]] std::string_view refusal() const;
  /// A whole request was parsed.
  [[nodiscard]] bool done() const;
  /// The request head was parsed (the body may still be coming).
  [[nodiscard]] bool header_done() const;
  /// The head asks for `Expect: 100-continue` (valid once header_done()).
  [[nodiscard]] bool wants_continue() const;
  /// The connection may be reused after the reply (valid once header_done()).
  [[nodiscard]] bool keep_alive() const;
  /// The HTTP version as 10 or 11 (valid once header_done()).
  [[nodiscard]] unsigned version() const;
  /// The request is a HEAD (its reply carries no body).
  [[nodiscard]] bool is_head() const;
  /// The Origin header among the header lines parsed so far ("" when there is none): the
  /// server's own rejections of a request carry CORS headers for it.
  [[nodiscard]] std::string origin() const;
  /// The parsed request (once done()); `target` made origin-form, without the query unless
  /// `keep_query`. Moves the body out: call once.
  [[nodiscard]] request take(bool keep_query);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace edgefn::httpd

#pragma once
// The HTTP/2 side of the server (server.h) on top of libnghttp2: frames in, whole requests out,
// responses in, frames out. No sockets here: the connection on the server's loop feeds it the
// bytes it reads and writes the bytes it takes.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "http/server.h"

struct nghttp2_session;

namespace edgefn::httpd {

class h2_session {
 public:
  /// A whole request arrived on `stream` (or, with `status` non-zero, one the server answers
  /// itself: 413 body too large, 431 head too large).
  using request_fn = std::function<void(std::int32_t stream, request req, int status)>;
  /// A stream ended before its response was submitted (reset by the client, or the session).
  using abandoned_fn = std::function<void(std::int32_t stream)>;

  h2_session(std::size_t max_header_bytes, std::size_t max_body_bytes, bool keep_query,
             request_fn on_request, abandoned_fn on_abandoned);
  ~h2_session();
  h2_session(const h2_session&) = delete;
  h2_session& operator=(const h2_session&) = delete;

  /// Queues the server's SETTINGS. For an `Upgrade: h2c` request, `upgrade_settings` is its
  /// HTTP2-Settings header (base64url) and the request becomes stream 1 (answer it with
  /// respond(1, ...)); false when those settings are malformed.
  [[nodiscard]] bool start(std::string_view upgrade_settings = {}, bool head_request = false);
  /// Feeds bytes read from the client; false on a protocol error (send what take_output()
  /// holds, then close).
  [[nodiscard]] bool receive(std::string_view bytes);
  /// The bytes to write to the client now (empty when nothing is due).
  [[nodiscard]] std::string take_output();
  /// Submits the response of `stream` (ignored when the stream has ended). `after_send` of the
  /// response runs when the stream closes.
  void respond(std::int32_t stream, response r);
  /// False once the session is over (GOAWAY sent or received and nothing left to do).
  [[nodiscard]] bool alive() const;
  /// Streams whose request arrived and whose response is not submitted yet.
  [[nodiscard]] std::size_t waiting() const { return waiting_; }
  /// Request body bytes held for streams not answered yet (arriving, or at a worker).
  [[nodiscard]] std::size_t buffered() const { return buffered_; }
  /// Ends the session gracefully (GOAWAY).
  void shut_down();

  struct stream_state;

 private:
  struct callbacks;
  void dispatch(std::int32_t id, stream_state& st);
  /// Stops counting the body bytes of `st` (answered, or gone).
  void release(stream_state& st);

  nghttp2_session* session_ = nullptr;
  std::size_t max_header_bytes_;
  std::size_t max_body_bytes_;
  bool keep_query_;
  request_fn on_request_;
  abandoned_fn on_abandoned_;
  std::map<std::int32_t, std::unique_ptr<stream_state>> streams_;
  std::size_t waiting_ = 0;
  std::size_t buffered_ = 0;
};

}  // namespace edgefn::httpd

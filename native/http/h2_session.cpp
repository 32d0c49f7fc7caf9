#include "http/h2_session.h"

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "auth/base64.h"
#include "base/text.h"

namespace edgefn::httpd {
namespace {

constexpr std::uint32_t k_max_concurrent_streams = 100;

/// Headers that HTTP/2 forbids in a response (RFC 9113 §8.2.2).
bool connection_specific(std::string_view lower_name) {
  return lower_name == "connection" || lower_name == "keep-alive" ||
         lower_name == "proxy-connection" || lower_name == "transfer-encoding" ||
         lower_name == "upgrade";
}

}  // namespace

/// One stream: the request as it arrives, then the response as it is sent.
struct h2_session::stream_state {
  request req;
  std::string path;  ///< :path as received
  std::string authority;
  std::size_t head_bytes = 0;
  int reject_status = 0;  ///< 413 or 431 once a limit was passed
  bool dispatched = false;
  bool head_request = false;
  bool responded = false;
  std::size_t held = 0;  ///< body bytes counted in h2_session::buffered_
  // The response.
  std::vector<std::pair<std::string, std::string>> out_headers;
  std::string body;
  std::size_t sent = 0;
  std::function<void()> after_send;
};

struct h2_session::callbacks {
  static h2_session& self(void* user) { return *static_cast<h2_session*>(user); }

  static stream_state* find(h2_session& s, std::int32_t id) {
    const auto it = s.streams_.find(id);
    return it == s.streams_.end() ? nullptr : it->second.get();
  }

  static int begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user) {
    if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
    self(user).streams_[frame->hd.stream_id] = std::make_unique<stream_state>();
    return 0;
  }

  static int header(nghttp2_session*, const nghttp2_frame* frame, const std::uint8_t* name,
                    std::size_t namelen, const std::uint8_t* value, std::size_t valuelen,
                    std::uint8_t, void* user) {
    h2_session& s = self(user);
    stream_state* st = find(s, frame->hd.stream_id);
    if (st == nullptr) return 0;  // trailers of an unknown stream: ignored
    st->head_bytes += namelen + valuelen + 32;  // RFC 9113 §6.5.2's accounting
    if (st->head_bytes > s.max_header_bytes_) {
      st->reject_status = 431;
      return 0;
    }
    const std::string_view n(reinterpret_cast<const char*>(name), namelen);
    std::string v(reinterpret_cast<const char*>(value), valuelen);
    if (n == ":method") st->req.method = std::move(v);
    else if (n == ":path") st->path = std::move(v);
    else if (n == ":authority") st->authority = std::move(v);
    else if (!n.starts_with(':')) st->req.headers.emplace_back(std::string(n), std::move(v));
    return 0;
  }

  static int data_chunk(nghttp2_session*, std::uint8_t, std::int32_t id, const std::uint8_t* data,
                        std::size_t len, void* user) {
    h2_session& s = self(user);
    stream_state* st = find(s, id);
    if (st == nullptr || st->reject_status != 0) return 0;
    if (st->req.body.size() + len > s.max_body_bytes_) {
      st->reject_status = 413;
      st->req.body.clear();  // nothing more is kept; the rest is read and dropped
      s.release(*st);
      return 0;
    }
    st->req.body.append(reinterpret_cast<const char*>(data), len);
    st->held += len;
    s.buffered_ += len;
    return 0;
  }

  static int frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* user) {
    const bool request_frame = frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA;
    if (!request_frame || (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) == 0) return 0;
    h2_session& s = self(user);
    stream_state* st = find(s, frame->hd.stream_id);
    if (st != nullptr && !st->dispatched) s.dispatch(frame->hd.stream_id, *st);
    return 0;
  }

  static int stream_close(nghttp2_session*, std::int32_t id, std::uint32_t, void* user) {
    h2_session& s = self(user);
    const auto it = s.streams_.find(id);
    if (it == s.streams_.end()) return 0;
    auto st = std::move(it->second);
    s.streams_.erase(it);
    s.release(*st);
    if (st->after_send) st->after_send();
    if (st->dispatched && !st->responded) {  // reset before its response: the client left
      if (s.waiting_ > 0) --s.waiting_;
      s.on_abandoned_(id);
    }
    return 0;
  }

  static ssize_t read_body(nghttp2_session*, std::int32_t id, std::uint8_t* buf, std::size_t length,
                           std::uint32_t* flags, nghttp2_data_source*, void* user) {
    stream_state* st = find(self(user), id);
    if (st == nullptr) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    const std::size_t n = std::min(length, st->body.size() - st->sent);
    std::memcpy(buf, st->body.data() + st->sent, n);
    st->sent += n;
    if (st->sent == st->body.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }
};

h2_session::h2_session(std::size_t max_header_bytes, std::size_t max_body_bytes, bool keep_query,
                       request_fn on_request, abandoned_fn on_abandoned)
    : max_header_bytes_(max_header_bytes), max_body_bytes_(max_body_bytes), keep_query_(keep_query),
      on_request_(std::move(on_request)), on_abandoned_(std::move(on_abandoned)) {
  nghttp2_session_callbacks* cbs = nullptr;
  nghttp2_session_callbacks_new(&cbs);
  nghttp2_session_callbacks_set_on_begin_headers_callback(cbs, &callbacks::begin_headers);
  nghttp2_session_callbacks_set_on_header_callback(cbs, &callbacks::header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, &callbacks::data_chunk);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, &callbacks::frame_recv);
  nghttp2_session_callbacks_set_on_stream_close_callback(cbs, &callbacks::stream_close);
  nghttp2_session_server_new(&session_, cbs, this);
  nghttp2_session_callbacks_del(cbs);
}

h2_session::~h2_session() {
  // Responses never sent still return what they hold (e.g. a pooled database connection).
  for (auto& [id, st] : streams_) {
    if (st->after_send) st->after_send();
  }
  nghttp2_session_del(session_);
}

bool h2_session::start(std::string_view upgrade_settings, bool head_request) {
  const nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, k_max_concurrent_streams},
      {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, static_cast<std::uint32_t>(max_header_bytes_)},
  };
  if (!upgrade_settings.empty()) {
    const auto payload = auth::base64url_decode(upgrade_settings);
    if (!payload) return false;
    if (nghttp2_session_upgrade2(session_, reinterpret_cast<const std::uint8_t*>(payload->data()),
                                 payload->size(), head_request ? 1 : 0, nullptr) != 0) {
      return false;
    }
    auto st = std::make_unique<stream_state>();
    st->dispatched = true;
    st->head_request = head_request;
    streams_[1] = std::move(st);
    ++waiting_;
  }
  return nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings, std::size(settings)) == 0;
}

bool h2_session::receive(std::string_view bytes) {
  const auto n = nghttp2_session_mem_recv(session_, reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                          bytes.size());
  return n >= 0 && static_cast<std::size_t>(n) == bytes.size();
}

std::string h2_session::take_output() {
  std::string out;
  for (;;) {
    const std::uint8_t* data = nullptr;
    const auto n = nghttp2_session_mem_send(session_, &data);
    if (n <= 0) break;
    out.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
  }
  return out;
}

void h2_session::dispatch(std::int32_t id, stream_state& st) {
  st.dispatched = true;
  ++waiting_;
  st.head_request = st.req.method == "HEAD";
  std::string_view target = st.path.empty() ? std::string_view("/") : std::string_view(st.path);
  st.req.target = std::string(keep_query_ ? target : target.substr(0, target.find('?')));
  if (!st.authority.empty() && st.req.header("host") == nullptr) {
    st.req.headers.emplace_back("host", st.authority);
  }
  on_request_(id, std::move(st.req), st.reject_status);
}

void h2_session::respond(std::int32_t id, response r) {
  const auto it = streams_.find(id);
  if (it == streams_.end()) {  // the client reset the stream meanwhile
    if (r.after_send) r.after_send();
    return;
  }
  stream_state& st = *it->second;
  if (st.responded) return;
  st.responded = true;
  release(st);
  if (waiting_ > 0) --waiting_;
  st.out_headers.emplace_back(":status", std::to_string(r.status));
  for (auto& [k, v] : r.headers) {
    std::string name = text::ascii_lower(k);
    if (connection_specific(name) || name == "content-length") continue;
    st.out_headers.emplace_back(std::move(name), std::move(v));
  }
  const bool has_body = r.status != 204 && r.status != 304;
  if (has_body) st.out_headers.emplace_back("content-length", std::to_string(r.body.size()));
  if (st.head_request) r.body.clear();  // a HEAD reply: the GET's content-length (RFC 9110 8.6), no DATA
  st.body = std::move(r.body);
  st.after_send = std::move(r.after_send);
  std::vector<nghttp2_nv> nva;
  for (auto& [k, v] : st.out_headers) {
    nva.push_back({reinterpret_cast<std::uint8_t*>(k.data()), reinterpret_cast<std::uint8_t*>(v.data()),
                   k.size(), v.size(), NGHTTP2_NV_FLAG_NONE});
  }
  nghttp2_data_provider provider{};
  provider.read_callback = &callbacks::read_body;
  const bool send_data = has_body && !st.body.empty();
  nghttp2_submit_response(session_, id, nva.data(), nva.size(), send_data ? &provider : nullptr);
}

void h2_session::release(stream_state& st) {
  buffered_ -= std::min(buffered_, st.held);
  st.held = 0;
}

bool h2_session::alive() const {
  return nghttp2_session_want_read(session_) != 0 || nghttp2_session_want_write(session_) != 0;
}

void h2_session::shut_down() { (void)nghttp2_session_terminate_session(session_, NGHTTP2_NO_ERROR); }

}  // namespace edgefn::httpd

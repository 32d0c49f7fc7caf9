#include "http/request_reader.h"

#include "base/text.h"

#include <boost/beast/http.hpp>
#include <cctype>
#include <string_view>

namespace edgefn::httpd {
namespace {

namespace beast_http = boost::beast::http;
using request_parser = beast_http::request_parser<beast_http::string_body>;
using request_message = beast_http::request<beast_http::string_body>;

int status_of(const boost::system::error_code& ec) {
  if (ec == beast_http::error::header_limit) return 431;
  if (ec == beast_http::error::body_limit) return 413;
  return 400;
}

/// Why Beast refused a request, for the client. `msg` holds the header lines before the faulty
/// one (Beast stores each once it accepted it): they tell a second Content-Length from a bad one.
std::string_view refusal_of(const boost::system::error_code& ec, const request_message& msg) {
  using beast_http::error;
  const bool has_length = msg.count(beast_http::field::content_length) != 0;
  const bool has_coding = msg.count(beast_http::field::transfer_encoding) != 0;
  if (ec == error::header_limit) return "request headers are too large";
  if (ec == error::body_limit) return "request body is too large";
  if (ec == error::bad_content_length) {
    if (has_coding) return "both Content-Length and Transfer-Encoding";
    return has_length ? "conflicting Content-Length headers" : "invalid Content-Length";
  }
  if (ec == error::bad_transfer_encoding) {  // after a Content-Length, or after a final chunked
    return has_length ? "both Content-Length and Transfer-Encoding" : "Transfer-Encoding after chunked";
  }
  if (ec == error::bad_chunk || ec == error::bad_chunk_extension) return "invalid chunk in a chunked body";
  if (ec == error::bad_method) return "invalid request method";
  if (ec == error::bad_target) return "invalid request target";
  if (ec == error::bad_version) return "invalid HTTP version";
  if (ec == error::bad_field) return "invalid header name";
  if (ec == error::bad_value) return "invalid header value";
  if (ec == error::bad_line_ending) return "invalid line ending";
  if (ec == error::bad_obs_fold) return "folded header line (obs-fold)";
  return "malformed HTTP request";
}

/// True when a line of `head` (a request's raw head; eager parsing may have read on into the
/// body) starts with SP or HTAB: obs-fold, or whitespace before the first header line.
bool has_obs_fold(std::string_view head) {
  head = head.substr(0, head.find("\r\n\r\n"));
  for (auto at = head.find('\n'); at != std::string_view::npos; at = head.find('\n', at + 1)) {
    if (at + 1 < head.size() && (head[at + 1] == ' ' || head[at + 1] == '\t')) return true;
  }
  return false;
}

/// True when every coding the Transfer-Encoding lines name is chunked (e.g. not "gzip, chunked":
/// the body would reach the app still gzip-encoded; RFC 9112 6.1 answers 501 to a coding the
/// server does not implement).
bool only_chunked(const request_message& msg) {
  const auto [first, last] = msg.equal_range(beast_http::field::transfer_encoding);
  for (auto field = first; field != last; ++field) {
    std::string_view list(field->value().data(), field->value().size());
    while (!list.empty()) {
      const auto comma = list.find(',');
      std::string_view coding = list.substr(0, comma);
      while (!coding.empty() && (coding.front() == ' ' || coding.front() == '\t')) coding.remove_prefix(1);
      while (!coding.empty() && (coding.back() == ' ' || coding.back() == '\t')) coding.remove_suffix(1);
      if (!boost::beast::iequals(coding, "chunked")) return false;
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
  }
  return true;
}

/// Why a head that Beast accepts must still be refused (400, RFC 9112), "" when it need not:
/// each of these is read differently by some other parser on the way (a proxy, a cache), which
/// is how a request is smuggled past it. `raw` is the head as received.
std::string_view head_refusal(std::string_view raw, const request_parser& parser) {
  const auto& msg = parser.get();
  if (msg.count(beast_http::field::transfer_encoding) != 0) {
    // §6.1 and §6.3: only a final chunked tells the body's length. Beast reads any other as an
    // empty body, so the body's bytes would be taken for the next request on the connection.
    if (msg.version() < 11) return "Transfer-Encoding in an HTTP/1.0 request";
    if (!parser.chunked()) return "Transfer-Encoding must end in chunked, applied once";
  }
  const std::size_t hosts = msg.count(beast_http::field::host);  // §3.2
  if (hosts > 1) return "more than one Host header";
  if (hosts == 0 && msg.version() >= 11) return "missing Host header";
  // §5.2: Beast joins a folded line to the one before it; another parser takes it for a
  // header of its own.
  if (has_obs_fold(raw)) return "folded header line (obs-fold)";
  return {};
}

}  // namespace

struct request_reader::impl {
  request_parser parser;
  std::string_view refusal;  ///< static text; set when feed() refuses

  int refuse(int status, std::string_view why) {
    refusal = why;
    return status;
  }
};

request_reader::request_reader(std::size_t max_header_bytes, std::size_t max_body_bytes)
    : impl_(std::make_unique<impl>()) {
  auto& p = impl_->parser;
  p.header_limit(static_cast<std::uint32_t>(max_header_bytes));
  p.body_limit(max_body_bytes);
  p.eager(true);
}

request_reader::~request_reader() = default;

int request_reader::feed(std::string& pending) {
  auto& parser = impl_->parser;
  while (!pending.empty() && !parser.is_done()) {
    const bool had_head = parser.is_header_done();
    boost::system::error_code ec;
    const std::size_t n = parser.put(boost::asio::buffer(pending.data(), pending.size()), ec);
    // Beast parses a head only once all of it is here: it is checked whole, before its bytes go.
    const bool head_now = !had_head && parser.is_header_done();
    const std::string_view head_fault =
        head_now ? head_refusal(std::string_view(pending).substr(0, n), parser) : std::string_view();
    pending.erase(0, n);
    if (ec && ec != beast_http::error::need_more) return impl_->refuse(status_of(ec), refusal_of(ec, parser.get()));
    if (!head_fault.empty()) return impl_->refuse(400, head_fault);
    if (head_now && !only_chunked(parser.get()))
      return impl_->refuse(501, "Transfer-Encoding other than chunked is not implemented");
    if (ec || n == 0) return 0;
  }
  return 0;
}

std::string_view request_reader::refusal() const { return impl_->refusal; }

bool request_reader::done() const { return impl_->parser.is_done(); }

bool request_reader::header_done() const { return impl_->parser.is_header_done(); }

bool request_reader::wants_continue() const {
  const auto& msg = impl_->parser.get();
  const auto it = msg.find(beast_http::field::expect);
  return it != msg.end() && text::ascii_lower(it->value()) == "100-continue";
}

bool request_reader::keep_alive() const { return impl_->parser.keep_alive(); }

unsigned request_reader::version() const { return impl_->parser.get().version(); }

bool request_reader::is_head() const {
  return impl_->parser.get().method() == beast_http::verb::head;
}

std::string request_reader::origin() const {
  // Not only once header_done(): a Content-Length over the limit is refused before the head
  // counts as done, its fields already parsed (each is stored once its line is whole).
  const auto& msg = impl_->parser.get();
  const auto it = msg.find(beast_http::field::origin);
  return it == msg.end() ? std::string() : std::string(it->value());
}

request request_reader::take(bool keep_query) {
  auto& msg = impl_->parser.get();
  request req;
  req.method = std::string(msg.method_string());
  std::string_view target = msg.target();
  if (target.starts_with("http://") || target.starts_with("https://")) {  // absolute-form
    const auto path = target.find('/', target.find("//") + 2);
    target = path == std::string_view::npos ? std::string_view("/") : target.substr(path);
  }
  req.target = std::string(keep_query ? target : target.substr(0, target.find('?')));
  for (const auto& field : msg) {
    req.headers.emplace_back(text::ascii_lower(field.name_string()), std::string(field.value()));
  }
  req.body = std::move(msg.body());
  return req;
}

}  // namespace edgefn::httpd

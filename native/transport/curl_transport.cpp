#include "transport/curl_transport.h"

#include <curl/curl.h>

#include <mutex>
#include <utility>

namespace edgefn::native {
namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

transport_failure classify(CURLcode code) {
  switch (code) {
    case CURLE_OK: return transport_failure::none;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return transport_failure::dns;
    case CURLE_COULDNT_CONNECT: return transport_failure::connect;
    case CURLE_OPERATION_TIMEDOUT: return transport_failure::timeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS: return transport_failure::tls;
    default: return transport_failure::other;
  }
}

}  // namespace

const char* to_string(transport_failure f) noexcept {
  switch (f) {
    case transport_failure::none: return "none";
    case transport_failure::dns: return "dns";
    case transport_failure::connect: return "connect";
    case transport_failure::tls: return "tls";
    case transport_failure::timeout: return "timeout";
    case transport_failure::other: return "other";
  }
  return "other";
}

std::string endpoint_of(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  const auto path = url.find_first_of("/?#", scheme_end + 3);
  return url.substr(0, path);
}

struct curl_transport::transfer {
  std::string endpoint;
  http::request request;
  completion done;
  transport_result result;
  curl_slist* headers = nullptr;
  char error[CURL_ERROR_SIZE] = {};
  ~transfer() { curl_slist_free_all(headers); }
};

namespace {

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<padded_buffer*>(user);
  const size_t n = size * count;
  auto span = body->prepare(n);
  std::copy(data, data + n, span.data());
  body->commit(n);
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<http::response*>(user);
  const size_t n = size * count;
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {
    response->headers.clear();  // a new response (after 100-continue or a redirect)
    return n;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  response->headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  return n;
}

}  // namespace

curl_transport::curl_transport(transport_options options) : options_(std::move(options)) {
  global_init_once();
  multi_ = curl_multi_init();
}

curl_transport::~curl_transport() {
  auto* multi = static_cast<CURLM*>(multi_);
  for (auto& [easy, t] : transfers_) {
    curl_multi_remove_handle(multi, static_cast<CURL*>(easy));
    curl_easy_cleanup(static_cast<CURL*>(easy));
  }
  for (auto& [endpoint, handles] : idle_handles_)
    for (void* easy : handles) curl_easy_cleanup(static_cast<CURL*>(easy));
  curl_multi_cleanup(multi);
}

void* curl_transport::acquire_handle(const std::string& endpoint) {
  auto& idle = idle_handles_[endpoint];
  if (!idle.empty()) {
    void* easy = idle.back();
    idle.pop_back();
    curl_easy_reset(static_cast<CURL*>(easy));  // keeps live connections and caches
    return easy;
  }
  return curl_easy_init();
}

void curl_transport::release_handle(const std::string& endpoint, void* easy) {
  idle_handles_[endpoint].push_back(easy);
}

void curl_transport::submit(http::request request, completion done, std::chrono::milliseconds timeout) {
  auto t = std::make_unique<transfer>();
  t->endpoint = endpoint_of(request.url);
  t->request = std::move(request);
  t->done = std::move(done);
  auto* easy = static_cast<CURL*>(acquire_handle(t->endpoint));
  for (const auto& [name, value] : t->request.headers)
    t->headers = curl_slist_append(t->headers, (name + ": " + value).c_str());
  // libcurl would otherwise add "Expect: 100-continue" to large POSTs: one more round trip.
  t->headers = curl_slist_append(t->headers, "Expect:");
  curl_easy_setopt(easy, CURLOPT_URL, t->request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, t->request.method.c_str());
  if (t->request.method != "GET" && t->request.method != "HEAD") {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, t->request.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(t->request.body.size()));
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t->headers);
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  const auto total = timeout.count() > 0 ? timeout : options_.total_timeout;
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(total.count()));
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t->result.response.body);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &t->result.response);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t->error);
  curl_easy_setopt(easy, CURLOPT_PRIVATE, t.get());
  transfers_.emplace(easy, std::move(t));
  curl_multi_add_handle(static_cast<CURLM*>(multi_), easy);
}

void curl_transport::finish(void* easy_ptr, int curl_code) {
  auto* easy = static_cast<CURL*>(easy_ptr);
  auto node = transfers_.extract(easy_ptr);
  if (node.empty()) return;
  std::unique_ptr<transfer> t = std::move(node.mapped());
  curl_multi_remove_handle(static_cast<CURLM*>(multi_), easy);
  const auto code = static_cast<CURLcode>(curl_code);
  t->result.failure = classify(code);
  if (code == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    t->result.response.status = static_cast<int>(status);
  } else {
    t->result.failure_detail = t->error[0] ? t->error : curl_easy_strerror(code);
  }
  release_handle(t->endpoint, easy);
  t->done(std::move(t->result));
}

int curl_transport::run_once(std::chrono::milliseconds timeout) {
  auto* multi = static_cast<CURLM*>(multi_);
  int running = 0;
  curl_multi_perform(multi, &running);
  if (running > 0) {
    curl_multi_poll(multi, nullptr, 0, static_cast<int>(timeout.count()), nullptr);
    curl_multi_perform(multi, &running);
  }
  int queued = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
    if (msg->msg == CURLMSG_DONE) finish(msg->easy_handle, msg->data.result);
  }
  return in_flight();
}

void curl_transport::run() {
  while (in_flight() > 0) run_once(std::chrono::milliseconds(100));
}

transport_result curl_transport::perform(http::request request) {
  transport_result out;
  bool finished = false;
  submit(std::move(request), [&](transport_result&& r) {
    out = std::move(r);
    finished = true;
  });
  while (!finished) run_once(std::chrono::milliseconds(100));
  return out;
}

}  // namespace edgefn::native

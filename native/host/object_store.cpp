#include "host/object_store.h"

#include <curl/curl.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "api/object_key.h"

namespace edgefn::host {
namespace {

std::string percent_encode_path(const std::string& key) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : key) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.' || c == '~' || c == '/';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

size_t discard(char*, size_t size, size_t n, void*) { return size * n; }

}  // namespace

bool safe_object_key(const std::string& key) { return api::is_safe_object_key(key); }

bool uses_s3(const images_config& c) { return !c.s3_endpoint.empty() && !c.s3_bucket.empty(); }

delete_outcome delete_local(const std::string& dir, const std::string& key) {
  if (!safe_object_key(key)) return {false, "unsafe object key"};
  std::error_code ec;
  std::filesystem::remove(std::filesystem::path(dir) / key, ec);
  if (ec) return {false, "local delete failed: " + ec.message()};
  return {true, {}};
}

delete_outcome delete_s3(const images_config& c, const std::string& key) {
  if (!safe_object_key(key)) return {false, "unsafe object key"};
  std::string url = c.s3_endpoint;
  while (!url.empty() && url.back() == '/') url.pop_back();
  url += "/" + c.s3_bucket + "/" + percent_encode_path(key);
  CURL* easy = curl_easy_init();
  if (!easy) return {false, "curl_easy_init failed"};
  const std::string sigv4 = "aws:amz:" + c.s3_region + ":s3";
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, "DELETE");
  curl_easy_setopt(easy, CURLOPT_AWS_SIGV4, sigv4.c_str());
  curl_easy_setopt(easy, CURLOPT_USERNAME, c.s3_access_key.c_str());
  curl_easy_setopt(easy, CURLOPT_PASSWORD, c.s3_secret_key.c_str());
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 15000L);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(easy);
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(easy);
  if (rc != CURLE_OK) return {false, std::string("S3 delete failed: ") + curl_easy_strerror(rc)};
  if (status != 204 && status != 200 && status != 404)
    return {false, "S3 delete failed: HTTP " + std::to_string(status)};
  return {true, {}};
}

delete_outcome delete_object(const images_config& c, const std::string& key) {
  if (uses_s3(c)) return delete_s3(c, key);
  if (!c.dir.empty()) return delete_local(c.dir, key);
  return {false, "no image store configured (IMAGES_DIR or IMAGES_S3_*)"};
}

}  // namespace edgefn::host

#include "gateway_client.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <stdexcept>

#include "base/json_writer.h"
#include "simdjson.h"
#include "support/test_env.h"
#include "support/loopback.h"

namespace edgefn::gateway_test {
namespace {

using testing::test_env;

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<reply*>(user)->body.append(data, size * n);
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  const std::string line(data, size * n);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    static_cast<reply*>(user)->headers[name] = value;
  }
  return size * n;
}

std::string gateway_base() {
  const std::string& url = test_env::get().gateway_url;
  return url.substr(0, url.rfind('/'));
}

}  // namespace

reply request(const std::string& method, const std::string& path, const header_list& headers,
              const std::string& body) {
  return post(body, headers, "@" + method + " " + gateway_base() + path);
}

reply post(const std::string& body, const header_list& headers, const std::string& url_in) {
  std::string url = url_in.empty() ? test_env::get().gateway_url : url_in;
  std::string method = "POST";
  if (!url.empty() && url[0] == '@') {
    method = url.substr(1, url.find(' ') - 1);
    url = url.substr(url.find(' ') + 1);
  }
  reply r;
  CURL* curl = curl_easy_init();
  curl_slist* list = nullptr;
  list = curl_slist_append(list, "Expect:");
  for (const auto& [k, v] : headers) list = curl_slist_append(list, (k + ": " + v).c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method != "GET" && method != "OPTIONS") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  if (curl_easy_perform(curl) == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  }
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return r;
}

std::pair<std::string, std::string> conn_header(const std::string& database) {
  return {"Neon-Connection-String", test_env::get().connection_string(database)};
}

reply sql(const std::string& body, const header_list& extra) {
  header_list headers{conn_header()};
  headers.insert(headers.end(), extra.begin(), extra.end());
  return post(body, headers);
}

int gateway_port() {
  const std::string base = gateway_base();
  return std::stoi(base.substr(base.rfind(':') + 1));
}

int connect_tcp(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool send_all(int fd, const std::string& data) {
  std::size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

std::string read_until_close(int fd, std::chrono::milliseconds timeout, bool& closed) {
  std::string out;
  closed = false;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    char buf[65536];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      closed = true;
      break;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

std::string read_response(int fd, std::chrono::milliseconds timeout) {
  return testing::read_http_replies(fd, 1, timeout);
}

direct_pg::direct_pg(const std::string& database)
    : conn_(PQconnectdb(test_env::get().libpq_conninfo(database).c_str())) {
  if (PQstatus(conn_) != CONNECTION_OK) throw std::runtime_error(PQerrorMessage(conn_));
}

direct_pg::~direct_pg() { PQfinish(conn_); }

std::string direct_pg::scalar(const std::string& sql) {
  PGresult* r = PQexec(conn_, sql.c_str());
  std::string out;
  if (PQresultStatus(r) == PGRES_FATAL_ERROR) out = std::string("ERROR: ") + PQresultErrorMessage(r);
  else if (PQntuples(r) > 0 && PQnfields(r) > 0) out = PQgetvalue(r, 0, 0);
  PQclear(r);
  return out;
}

void direct_pg::exec(const std::string& sql) {
  PGresult* r = PQexec(conn_, sql.c_str());
  const auto st = PQresultStatus(r);
  const std::string err = PQresultErrorMessage(r);
  PQclear(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) throw std::runtime_error(err);
}

std::string field(const std::string& name, int type, int size, int table, int column,
                  int modifier) {
  std::string out = "{\"name\":";
  json::append_string(out, name);
  out += ",\"dataTypeID\":" + std::to_string(type) + ",\"tableID\":" + std::to_string(table) +
         ",\"columnID\":" + std::to_string(column) + ",\"dataTypeSize\":" + std::to_string(size) +
         ",\"dataTypeModifier\":" + std::to_string(modifier) + ",\"format\":\"text\"}";
  return out;
}

std::string result(const std::string& fields, const std::string& rows, const std::string& command,
                   const std::string& row_count, bool as_array) {
  return "{\"fields\":[" + fields + "],\"rows\":" + rows + ",\"command\":\"" + command +
         "\",\"rowCount\":" + row_count + ",\"rowAsArray\":" + (as_array ? "true" : "false") + "}";
}

std::string proxy_error(const std::string& message) {
  std::string out = "{\"message\":";
  json::append_string(out, message);
  out += ",\"code\":\"\",\"detail\":null,\"hint\":null,\"position\":null,"
         "\"internalPosition\":null,\"internalQuery\":null,\"severity\":\"\",\"where\":null,"
         "\"table\":null,\"column\":null,\"schema\":null,\"dataType\":null,\"constraint\":null,"
         "\"file\":null,\"line\":null,\"routine\":null}";
  return out;
}

std::string rows_of(const std::string& body) {
  const auto start = body.find("\"rows\":");
  const auto end = body.rfind(",\"command\":");
  if (start == std::string::npos || end == std::string::npos || end < start) return "<none>";
  return body.substr(start + 7, end - start - 7);
}

std::string error_field(const std::string& body, const std::string& key) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(body).get(doc)) return "<not json>";
  simdjson::dom::element v;
  if (doc[key].get(v)) return "<absent>";
  if (v.is_null()) return "null";
  std::string_view s;
  if (v.get_string().get(s)) return "<not a string>";
  return std::string(s);
}

}  // namespace edgefn::gateway_test

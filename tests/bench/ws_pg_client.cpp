#include "ws_pg_client.h"

#include <arpa/inet.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <cstdint>
#include <cstring>
#include <sstream>

#include "auth/base64.h"
#include "host/jws_crypto.h"

namespace edgefn::bench {
namespace {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;

void put_u32(std::string& out, std::uint32_t v) {
  const std::uint32_t be = htonl(v);
  out.append(reinterpret_cast<const char*>(&be), 4);
}

std::uint32_t get_u32(const char* p) {
  std::uint32_t be = 0;
  std::memcpy(&be, p, 4);
  return ntohl(be);
}

/// Appends a typed message: type byte, length (self included), body.
void put_message(std::string& out, char type, const std::string& body) {
  out += type;
  put_u32(out, static_cast<std::uint32_t>(body.size() + 4));
  out += body;
}

std::string cstr(const std::string& s) { return s + '\0'; }

std::string sha256(const std::string& s) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(s.data(), s.size(), d, &n, EVP_sha256(), nullptr);
  return {reinterpret_cast<char*>(d), n};
}

/// The value of `key` in a SCRAM attribute list ("r=…,s=…,i=…").
std::string scram_attr(const std::string& msg, char key) {
  std::stringstream in(msg);
  std::string part;
  while (std::getline(in, part, ',')) {
    if (part.size() >= 2 && part[0] == key && part[1] == '=') return part.substr(2);
  }
  return {};
}

}  // namespace

bool parse_ws_pg_target(const std::string& url, const std::string& conninfo, ws_pg_target& out,
                        std::string& error) {
  constexpr std::string_view scheme = "ws://";
  if (!url.starts_with(scheme)) {
    error = "websocket URL must start with ws://";
    return false;
  }
  const std::string rest = url.substr(scheme.size());
  const auto slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  out.path = slash == std::string::npos ? "/" : rest.substr(slash);
  const auto colon = authority.rfind(':');
  if (colon == std::string::npos) {
    error = "websocket URL needs host:port";
    return false;
  }
  out.host = authority.substr(0, colon);
  out.port = authority.substr(colon + 1);
  std::stringstream in(conninfo);
  std::string kv;
  while (in >> kv) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos) continue;
    const std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
    if (k == "user") out.user = v;
    else if (k == "password") out.password = v;
    else if (k == "dbname") out.database = v;
  }
  if (out.user.empty() || out.database.empty()) {
    error = "conninfo needs user= and dbname=";
    return false;
  }
  return true;
}

struct ws_pg_connection::impl {
  asio::io_context ioc{1};
  websocket::stream<tcp::socket> ws{ioc};
  boost::beast::flat_buffer frame;
  std::string in;  ///< bytes received and not yet parsed

  void send(const std::string& bytes) { ws.write(asio::buffer(bytes)); }

  /// The next backend message (type, body); reads frames until one is complete.
  void next(char& type, std::string& body) {
    while (in.size() < 5 || in.size() < 1 + get_u32(in.data() + 1)) {
      frame.clear();
      ws.read(frame);
      const auto data = frame.cdata();
      in.append(static_cast<const char*>(data.data()), data.size());
    }
    const std::uint32_t len = get_u32(in.data() + 1);
    type = in[0];
    body.assign(in, 5, len - 4);
    in.erase(0, 1 + len);
  }

  bool authenticate(const ws_pg_target& t, std::string& error);
  bool scram(const ws_pg_target& t, std::string& error);
};

namespace {

/// The "M" field of an ErrorResponse body.
std::string error_message(const std::string& body) {
  for (std::size_t i = 0; i < body.size() && body[i] != '\0';) {
    const char field = body[i];
    const auto end = body.find('\0', i + 1);
    if (end == std::string::npos) break;
    if (field == 'M') return body.substr(i + 1, end - i - 1);
    i = end + 1;
  }
  return "error response";
}

}  // namespace

bool ws_pg_connection::impl::scram(const ws_pg_target& t, std::string& error) {
  unsigned char raw[18];
  RAND_bytes(raw, sizeof raw);
  const std::string nonce = auth::base64_encode({reinterpret_cast<char*>(raw), sizeof raw});
  const std::string first_bare = "n=,r=" + nonce;
  std::string msg = cstr("SCRAM-SHA-256");
  put_u32(msg, static_cast<std::uint32_t>(first_bare.size() + 3));
  msg += "n,," + first_bare;
  std::string out;
  put_message(out, 'p', msg);
  send(out);
  char type = 0;
  std::string body;
  next(type, body);
  if (type != 'R' || body.size() < 4 || get_u32(body.data()) != 11) {
    error = type == 'E' ? error_message(body) : "expected SASLContinue";
    return false;
  }
  const std::string server_first = body.substr(4);
  const std::string server_nonce = scram_attr(server_first, 'r');
  const auto salt = auth::base64_decode(scram_attr(server_first, 's'));
  const int iterations = std::atoi(scram_attr(server_first, 'i').c_str());
  if (!server_nonce.starts_with(nonce) || !salt || iterations <= 0) {
    error = "malformed SCRAM server-first message";
    return false;
  }
  unsigned char salted[32];
  PKCS5_PBKDF2_HMAC(t.password.data(), static_cast<int>(t.password.size()),
                    reinterpret_cast<const unsigned char*>(salt->data()),
                    static_cast<int>(salt->size()), iterations, EVP_sha256(), sizeof salted,
                    salted);
  const std::string salted_key(reinterpret_cast<char*>(salted), sizeof salted);
  const std::string client_key = host::hmac_sha256(salted_key, "Client Key");
  const std::string final_bare = "c=biws,r=" + server_nonce;
  const std::string auth_message = first_bare + "," + server_first + "," + final_bare;
  std::string proof = host::hmac_sha256(sha256(client_key), auth_message);
  for (std::size_t i = 0; i < proof.size(); ++i) proof[i] ^= client_key[i];
  out.clear();
  put_message(out, 'p', final_bare + ",p=" + auth::base64_encode(proof));
  send(out);
  return true;
}

bool ws_pg_connection::impl::authenticate(const ws_pg_target& t, std::string& error) {
  for (;;) {
    char type = 0;
    std::string body;
    next(type, body);
    if (type == 'E') {
      error = error_message(body);
      return false;
    }
    if (type == 'Z') return true;
    if (type != 'R' || body.size() < 4) continue;  // ParameterStatus, BackendKeyData, notices
    const std::uint32_t code = get_u32(body.data());
    if (code == 3) {
      std::string out;
      put_message(out, 'p', cstr(t.password));
      send(out);
    } else if (code == 10) {
      if (!scram(t, error)) return false;
    } else if (code != 0 && code != 12) {
      error = "unsupported authentication request " + std::to_string(code);
      return false;
    }
  }
}

ws_pg_connection::ws_pg_connection() : impl_(std::make_unique<impl>()) {}
ws_pg_connection::~ws_pg_connection() {
  boost::system::error_code ec;
  if (impl_->ws.is_open()) {
    std::string terminate;
    put_message(terminate, 'X', "");
    impl_->ws.write(asio::buffer(terminate), ec);
    impl_->ws.close(websocket::close_code::normal, ec);
  }
}

bool ws_pg_connection::connect(const ws_pg_target& target, std::string& error) {
  try {
    tcp::resolver resolver(impl_->ioc);
    asio::connect(impl_->ws.next_layer(), resolver.resolve(target.host, target.port));
    impl_->ws.next_layer().set_option(tcp::no_delay(true));
    impl_->ws.binary(true);
    impl_->ws.handshake(target.host + ":" + target.port, target.path);
    std::string startup;
    put_u32(startup, 196608);  // protocol 3.0
    startup += cstr("user") + cstr(target.user) + cstr("database") + cstr(target.database);
    startup += cstr("client_encoding") + cstr("UTF8") + '\0';
    std::string out;
    put_u32(out, static_cast<std::uint32_t>(startup.size() + 4));
    impl_->send(out + startup);
    return impl_->authenticate(target, error);
  } catch (const boost::system::system_error& e) {
    error = e.what();
    return false;
  }
}

bool ws_pg_connection::query(const std::string& sql, int& rows, std::string& error) {
  std::string out;
  put_message(out, 'P', cstr("") + cstr(sql) + std::string(2, '\0'));  // unnamed, no param types
  put_message(out, 'B', cstr("") + cstr("") + std::string(6, '\0'));   // no formats/params
  put_message(out, 'D', "P" + cstr(""));
  put_message(out, 'E', cstr("") + std::string(4, '\0'));  // all rows
  put_message(out, 'S', "");
  rows = 0;
  bool failed = false;
  try {
    impl_->send(out);
    for (;;) {
      char type = 0;
      std::string body;
      impl_->next(type, body);
      if (type == 'D') ++rows;
      else if (type == 'E') {
        failed = true;
        error = error_message(body);
      } else if (type == 'Z') return !failed;
    }
  } catch (const boost::system::system_error& e) {
    error = e.what();
    return false;
  }
}

}  // namespace edgefn::bench

// gateway_bench GATEWAY_URL CONNECTION_STRING LIBPQ_CONNINFO [SECONDS_PER_CASE]
//               [--ws WS_URL] [--also LABEL=[h2:|mux:]URL[#PID]]... [--rounds N] [--only LABEL,...]
//               [--case select1|rows100] [--c 1|16] [--cpu GATEWAY_PID,POSTMASTER_PID]
//
// Round-trip latency and throughput of the local gateway against libpq straight to the same
// Postgres (extended protocol, as the gateway uses): over HTTP/1.1 `/sql` (libcurl, keep-alive,
// the headers the official driver sends; peer `gateway`), over HTTP/2 on the same URL (h2c:
// prior knowledge, or Upgrade with libcurl < 7.89, see http2_mode(); peer `http2`: a connection
// per client, so at c=16 16 connections with one stream each; peer `http2-mux`, at c=16 only:
// one connection carrying the 16 requests as concurrent streams, libcurl multi) and, with --ws,
// over the WebSocket endpoint (the Postgres wire protocol in binary frames, as the driver's
// Pool/Client sends it; see ws_pg_client.h).
// --also adds another endpoint (e.g. an older gateway build) as a peer: an http:// /sql URL is
// reached over HTTP/1.1, or over HTTP/2 as the http2 peer with the prefix `h2:` and as the
// http2-mux peer with `mux:`; a ws:// URL is a WebSocket peer (as --ws); --only keeps the
// named peers (libpq, gateway, http2, http2-mux, websocket, --also labels), --case and --c one
// case and one concurrency, e.g. for profiling. With --cpu it also prints the CPU time one
// request costs the client, the gateway and Postgres for each peer (from getrusage and /proc),
// and the ratio of the totals: a figure that other people's load moves much less than
// throughput (the machine is shared, and its cores are what every peer competes for).
//
// The machine is shared: peers are measured in interleaved slices (each round runs every peer
// once, in a rotating order), so a burst of someone else's load hits all peers alike. Each
// ratio line gives the ratio of the totals and, in brackets, the lowest and highest per-round
// ratio (the spread). Prints the load average before and after. Asserts nothing about the
// figures; but an HTTP/2 request that fails (not a 200, not answered over HTTP/2, or an HTTP/2
// client needing more than its one connection) is an error: said on stderr, exit 1.
#include <curl/curl.h>
#include <dirent.h>
#include <libpq-fe.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ws_pg_client.h"

namespace {

using clock_type = std::chrono::steady_clock;

struct bench_case {
  const char* name;
  const char* sql;
  int rows;
};

constexpr bench_case k_cases[] = {
    {"select1", "select 1", 1},
    {"rows100", "select g, 'name ' || g, now() from generate_series(1,100) g", 100},
};

/// What one client gathered in one slice.
struct slice_counts {
  std::vector<double> samples_us;  ///< round trips started inside the measured window
  std::size_t errors = 0;
  std::size_t trips = 0;  ///< every round trip, settle time included (for CPU per request)
};

/// One connection's client: one round trip per call, false on failure.
class client {
 public:
  virtual ~client() = default;
  virtual bool round_trip() = 0;

  /// Runs round trips until `stop` (the last one may end after it) and adds them to `out`;
  /// those started before `measure_from` count as trips only.
  virtual void run(clock_type::time_point measure_from, clock_type::time_point stop,
                   slice_counts& out) {
    for (;;) {
      const auto t0 = clock_type::now();
      if (t0 >= stop) break;
      const bool ok = round_trip();
      const auto t1 = clock_type::now();
      ++out.trips;
      if (!ok) ++out.errors;
      if (t0 >= measure_from) {
        out.samples_us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
      }
    }
  }

  /// The first failure seen, in words (empty when none, or when the client does not say).
  [[nodiscard]] virtual std::string failure() const { return {}; }
};

std::string json_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::size_t discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

/// Whether this libcurl can send a second request on a connection it opened with HTTP/2 prior
/// knowledge: before 7.89.0 that request fails with "Error in the HTTP2 framing layer"
/// (curl/curl#10634, fixed by curl/curl#10643; Debian 12 ships 7.88.1).
bool prior_knowledge_reusable() {
  return curl_version_info(CURLVERSION_NOW)->version_num >= 0x075900;
}

/// How the HTTP/2 peers reach HTTP/2 on the gateway's plain port, in words.
std::string http2_mode() {
  if (prior_knowledge_reusable()) return "h2c with prior knowledge";
  return std::string("h2c by Upgrade on each connection's first request (warm-up, not measured; "
                     "every measured request is an HTTP/2 stream on that connection): libcurl ") +
         curl_version_info(CURLVERSION_NOW)->version +
         " cannot reuse a prior-knowledge connection (curl#10634, fixed in 7.89.0)";
}

/// One `/sql` request on its own easy handle, with the headers the official driver sends, over
/// HTTP/1.1 or over HTTP/2 without TLS (h2c: the gateway's plain port speaks both; see
/// http2_mode()). The handle keeps its connection between transfers; the body is discarded.
class sql_request {
 public:
  sql_request(const std::string& url, const std::string& conn, const std::string& sql,
              bool http2)
      : curl_(curl_easy_init()),
        body_("{\"query\":" + json_quote(sql) + ",\"params\":[]}"),
        http2_(http2) {
    headers_ = curl_slist_append(headers_, ("Neon-Connection-String: " + conn).c_str());
    headers_ = curl_slist_append(headers_, "Neon-Raw-Text-Output: true");
    headers_ = curl_slist_append(headers_, "Neon-Array-Mode: true");
    headers_ = curl_slist_append(headers_, "Expect:");
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body_.c_str());
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl_, CURLOPT_TCP_NODELAY, 1L);
    long version = CURL_HTTP_VERSION_1_1;
    if (http2) {
      version = prior_knowledge_reusable() ? CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE
                                           : CURL_HTTP_VERSION_2_0;  // Upgrade: h2c
    }
    curl_easy_setopt(curl_, CURLOPT_HTTP_VERSION, version);
    // A multiplexed transfer waits for the connection in use rather than opening another.
    if (http2) curl_easy_setopt(curl_, CURLOPT_PIPEWAIT, 1L);
  }
  ~sql_request() {
    curl_slist_free_all(headers_);
    curl_easy_cleanup(curl_);
  }
  sql_request(const sql_request&) = delete;
  sql_request& operator=(const sql_request&) = delete;

  [[nodiscard]] CURL* handle() const { return curl_; }

  /// Connections the handle opened so far (as counted by succeeded()).
  [[nodiscard]] long connects() const { return connects_; }

  /// Whether the transfer that ended with `rc` got a 200, over HTTP/2 when asked for; when not,
  /// says why in `why` (if `why` is still empty: the first failure is the one kept).
  bool succeeded(CURLcode rc, std::string& why) {
    long status = 0, version = 0, opened = 0;
    curl_easy_getinfo(curl_, CURLINFO_NUM_CONNECTS, &opened);
    connects_ += opened;
    if (rc == CURLE_OK) {
      curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
      curl_easy_getinfo(curl_, CURLINFO_HTTP_VERSION, &version);
    }
    const bool ok =
        rc == CURLE_OK && status == 200 && (!http2_ || version == CURL_HTTP_VERSION_2_0);
    if (!ok && why.empty()) {
      const char* over = version == CURL_HTTP_VERSION_2_0 ? " over HTTP/2" : " over HTTP/1.x";
      why = rc != CURLE_OK ? std::string("libcurl: ") + curl_easy_strerror(rc)
                           : "status " + std::to_string(status) + over;
    }
    return ok;
  }

 private:
  CURL* curl_;
  curl_slist* headers_ = nullptr;
  std::string body_;
  bool http2_;
  long connects_ = 0;
};

/// The failure of an HTTP/2 client that should have kept one connection and opened `connects`
/// (after a reconnect, with Upgrade, a measured request went out as HTTP/1.1): empty when one.
std::string one_connection_failure(long connects) {
  if (connects <= 1) return {};
  return "opened " + std::to_string(connects) + " connections, not one";
}

/// HTTP/1.1 keep-alive, or HTTP/2 with one stream at a time: one connection per client.
class gateway_client final : public client {
 public:
  gateway_client(const std::string& url, const std::string& conn, const std::string& sql,
                 bool http2 = false)
      : request_(url, conn, sql, http2), http2_(http2) {}

  bool round_trip() override {
    return request_.succeeded(curl_easy_perform(request_.handle()), why_);
  }
  [[nodiscard]] std::string failure() const override {
    return !why_.empty() || !http2_ ? why_ : one_connection_failure(request_.connects());
  }

 private:
  sql_request request_;
  bool http2_;
  std::string why_;
};

/// HTTP/2 with `streams` requests in flight on one connection (libcurl multi, multiplexing, one
/// host connection at most): each stream sends its next request as soon as its answer is in,
/// all driven by the one thread that runs the client.
class multiplexed_client final : public client {
 public:
  multiplexed_client(const std::string& url, const std::string& conn, const std::string& sql,
                     int streams)
      : multi_(curl_multi_init()) {
    curl_multi_setopt(multi_, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
    curl_multi_setopt(multi_, CURLMOPT_MAX_CONCURRENT_STREAMS, static_cast<long>(streams));
    for (int i = 0; i < streams; ++i) {
      requests_.push_back(std::make_unique<sql_request>(url, conn, sql, true));
    }
    started_.resize(requests_.size());
  }
  ~multiplexed_client() override {
    for (auto& r : requests_) curl_multi_remove_handle(multi_, r->handle());
    requests_.clear();
    curl_multi_cleanup(multi_);
  }
  multiplexed_client(const multiplexed_client&) = delete;
  multiplexed_client& operator=(const multiplexed_client&) = delete;

  /// One request on every stream at once; true when all got a 200 over HTTP/2.
  bool round_trip() override {
    slice_counts counts;
    const auto now = clock_type::now();
    drive(now, now, true, counts);
    return counts.errors == 0;
  }

  void run(clock_type::time_point measure_from, clock_type::time_point stop,
           slice_counts& out) override {
    drive(measure_from, stop, false, out);
  }

  [[nodiscard]] std::string failure() const override {
    if (!why_.empty()) return why_;
    long connects = 0;
    for (const auto& r : requests_) connects += r->connects();
    return one_connection_failure(connects);
  }

 private:
  /// Starts a request on every stream and, as each ends, the stream's next one while before
  /// `stop` (none when `once`); returns when no request is in flight.
  void drive(clock_type::time_point measure_from, clock_type::time_point stop, bool once,
             slice_counts& out) {
    std::size_t in_flight = 0;
    for (std::size_t i = 0; i < requests_.size(); ++i) {
      if (!once && clock_type::now() >= stop) break;
      start(i);
      ++in_flight;
    }
    while (in_flight > 0) {
      int running = 0;
      if (curl_multi_perform(multi_, &running) != CURLM_OK) break;
      int queued = 0;
      while (CURLMsg* m = curl_multi_info_read(multi_, &queued)) {
        if (m->msg != CURLMSG_DONE) continue;
        const auto t1 = clock_type::now();
        const std::size_t i = index_of(m->easy_handle);
        const CURLcode rc = m->data.result;  // m is invalid once the handle is removed
        curl_multi_remove_handle(multi_, requests_[i]->handle());
        --in_flight;
        ++out.trips;
        if (!requests_[i]->succeeded(rc, why_)) ++out.errors;
        if (started_[i] >= measure_from && !once) {
          out.samples_us.push_back(
              std::chrono::duration<double, std::micro>(t1 - started_[i]).count());
        }
        if (!once && t1 < stop) {
          start(i);
          ++in_flight;
        }
      }
      if (in_flight > 0 && curl_multi_poll(multi_, nullptr, 0, 1000, nullptr) != CURLM_OK) break;
    }
    out.errors += in_flight;  // the multi handle failed under them
    for (std::size_t i = 0; in_flight > 0 && i < requests_.size(); ++i) {
      curl_multi_remove_handle(multi_, requests_[i]->handle());
    }
    if (in_flight > 0 && why_.empty()) why_ = "libcurl multi interface failed";
  }

  void start(std::size_t i) {
    started_[i] = clock_type::now();
    curl_multi_add_handle(multi_, requests_[i]->handle());
  }

  [[nodiscard]] std::size_t index_of(CURL* easy) const {
    std::size_t i = 0;
    while (i + 1 < requests_.size() && requests_[i]->handle() != easy) ++i;
    return i;
  }

  CURLM* multi_;
  std::vector<std::unique_ptr<sql_request>> requests_;
  std::vector<clock_type::time_point> started_;
  std::string why_;
};

class libpq_client final : public client {
 public:
  libpq_client(const std::string& conninfo, const std::string& sql)
      : conn_(PQconnectdb(conninfo.c_str())), sql_(sql) {}
  ~libpq_client() override { PQfinish(conn_); }
  libpq_client(const libpq_client&) = delete;
  libpq_client& operator=(const libpq_client&) = delete;

  bool round_trip() override {
    PGresult* r = PQexecParams(conn_, sql_.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0);
    const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    return ok;
  }

 private:
  PGconn* conn_;
  std::string sql_;
};

class ws_client final : public client {
 public:
  ws_client(const edgefn::bench::ws_pg_target& target, const std::string& sql, int rows)
      : sql_(sql), rows_(rows) {
    ok_ = conn_.connect(target, error_);
    if (!ok_) std::fprintf(stderr, "websocket connect failed: %s\n", error_.c_str());
  }
  bool round_trip() override {
    if (!ok_) return false;
    int rows = -1;
    ok_ = conn_.query(sql_, rows, error_);
    if (!ok_) std::fprintf(stderr, "websocket query failed: %s\n", error_.c_str());
    return ok_ && rows == rows_;
  }

 private:
  edgefn::bench::ws_pg_connection conn_;
  std::string sql_;
  int rows_;
  bool ok_ = false;
  std::string error_;
};

/// CPU time spent by each side of a round trip, in µs.
struct cpu_split {
  double client = 0;
  double gateway = 0;
  double postgres = 0;
};

/// Reads the CPU time of this process (the clients), the gateway and Postgres (the postmaster,
/// its live children and the children it has reaped) from getrusage and /proc. CPU time per
/// request varies far less with other people's load than throughput does.
class cpu_meter {
 public:
  cpu_meter(int gateway_pid, int postmaster_pid)
      : gateway_(gateway_pid), postmaster_(postmaster_pid) {}

  [[nodiscard]] bool enabled() const { return gateway_ > 0 && postmaster_ > 0; }

  /// The servers' CPU so far (µs), with `gateway_pid` instead of the gateway's when not 0;
  /// outside the timed window: it scans /proc.
  void servers(cpu_split& out, int gateway_pid) const {
    out.gateway = proc_cpu_us(gateway_pid != 0 ? gateway_pid : gateway_, false);
    out.postgres = proc_cpu_us(postmaster_, true);
    for (int child : children_of(postmaster_)) out.postgres += proc_cpu_us(child, false);
  }

  /// This process's CPU so far (µs).
  static double self_us() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
  }

 private:
  /// The fields after the command name in /proc/PID/stat (field 3 first).
  static std::vector<std::string> stat_fields(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(in, line);
    std::vector<std::string> fields;
    const auto close = line.rfind(')');
    if (close == std::string::npos) return fields;
    std::istringstream rest(line.substr(close + 1));
    for (std::string f; rest >> f;) fields.push_back(f);
    return fields;
  }

  static double proc_cpu_us(int pid, bool reaped_children) {
    const auto f = stat_fields(pid);  // f[11..14]: utime, stime, cutime, cstime (fields 14-17)
    if (f.size() < 15) return 0;
    double ticks = std::stod(f[11]) + std::stod(f[12]);
    if (reaped_children) ticks += std::stod(f[13]) + std::stod(f[14]);
    return ticks * 1e6 / static_cast<double>(::sysconf(_SC_CLK_TCK));
  }

  static std::vector<int> children_of(int parent) {
    std::vector<int> out;
    DIR* d = ::opendir("/proc");
    if (d == nullptr) return out;
    while (const dirent* e = ::readdir(d)) {
      const int pid = std::atoi(e->d_name);
      if (pid <= 0) continue;
      const auto f = stat_fields(pid);  // f[1]: the parent's pid (field 4)
      if (f.size() > 1 && std::atoi(f[1].c_str()) == parent) out.push_back(pid);
    }
    ::closedir(d);
    return out;
  }

  int gateway_;
  int postmaster_;
};

/// What one peer gathered over all rounds of one case and concurrency.
struct tally {
  std::vector<double> samples_us;
  double seconds = 0;
  std::size_t errors = 0;
  std::vector<double> round_rps;
  std::size_t trips = 0;  ///< every round trip, settle time included (for CPU per request)
  cpu_split cpu;          ///< CPU over the whole slices, when measured

  [[nodiscard]] double rps() const {
    return seconds > 0 ? static_cast<double>(samples_us.size()) / seconds : 0;
  }
  [[nodiscard]] double percentile(double p) {
    if (samples_us.empty()) return 0;
    std::sort(samples_us.begin(), samples_us.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(samples_us.size() - 1));
    return samples_us[i];
  }
};

/// A way to reach Postgres, with one client per worker (or, when `multiplexed`, one client
/// carrying all the concurrent requests on one connection, measured at concurrency > 1 only).
struct peer {
  std::string label;
  /// A client for the case, carrying `streams` concurrent requests (1 unless `multiplexed`).
  std::function<std::unique_ptr<client>(const bench_case&, int streams)> make;
  std::vector<std::unique_ptr<client>> clients;
  tally t;
  int gateway_pid = 0;          ///< an --also gateway's own process, for --cpu
  bool multiplexed = false;
  bool fail_on_errors = false;  ///< a failed request ends the run with an error (HTTP/2 peers)
  std::string failure;          ///< the first failure a client reported, for fail_on_errors
};

using client_factory = std::function<std::unique_ptr<client>(const bench_case&, int streams)>;

/// Appends a peer (the other fields at their defaults) and returns it.
peer& add_peer(std::vector<peer>& peers, std::string label, client_factory make,
               int gateway_pid = 0) {
  peer& p = peers.emplace_back();
  p.label = std::move(label);
  p.make = std::move(make);
  p.gateway_pid = gateway_pid;
  return p;
}

/// Runs every client of `p` on its own thread for `seconds` after a short settle time (not
/// counted: it lets the previous slice's after-effects drain) and adds to `p.t`.
void run_slice(peer& p, double seconds, const cpu_meter& meter) {
  std::vector<slice_counts> counts(p.clients.size());
  cpu_split before, after;
  if (meter.enabled()) meter.servers(before, p.gateway_pid);
  before.client = cpu_meter::self_us();
  const auto measure_from = clock_type::now() + std::chrono::milliseconds(30);
  const auto stop = measure_from + std::chrono::duration_cast<clock_type::duration>(
                                       std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  for (std::size_t w = 0; w < p.clients.size(); ++w) {
    threads.emplace_back([&, w] { p.clients[w]->run(measure_from, stop, counts[w]); });
  }
  for (auto& t : threads) t.join();
  after.client = cpu_meter::self_us();
  if (meter.enabled()) meter.servers(after, p.gateway_pid);
  p.t.cpu.client += after.client - before.client;
  p.t.cpu.gateway += after.gateway - before.gateway;
  p.t.cpu.postgres += after.postgres - before.postgres;
  std::size_t count = 0;
  for (const auto& c : counts) {
    p.t.samples_us.insert(p.t.samples_us.end(), c.samples_us.begin(), c.samples_us.end());
    count += c.samples_us.size();
    p.t.trips += c.trips;
    p.t.errors += c.errors;
  }
  p.t.seconds += seconds;
  p.t.round_rps.push_back(static_cast<double>(count) / seconds);
}

void print_load(const char* when) {
  double load[3] = {0, 0, 0};
  if (FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3) load[0] = -1;
    std::fclose(f);
  }
  std::printf("load average %s: %.2f %.2f %.2f (%u cores)\n", when, load[0], load[1], load[2],
              std::thread::hardware_concurrency());
}

/// What the CPU figures allow at most, per peer (c > 1: throughput is bounded by the CPU each
/// request costs on cores that client, gateway and Postgres share): libpq's whole request over
/// what Postgres alone spends on the peer's request (its per-request reset included, as Neon
/// runs it), then over Postgres plus a client as cheap as libpq's, then, for the /sql peers,
/// over Postgres plus a gateway as cheap as the WebSocket relay measured in the same run (it
/// only moves bytes between two sockets: no HTTP, no JSON) with a free client, and with both.
/// Figures, not verdicts; printed to show where a target is out of reach whatever the gateway
/// does.
void print_ceilings(const std::vector<peer*>& peers, const bench_case& bc, int concurrency) {
  const auto per = [](const tally& t, double part) { return part / static_cast<double>(t.trips); };
  const tally& ref = peers[0]->t;
  if (ref.trips == 0) return;
  const double libpq_client = per(ref, ref.cpu.client);
  const double libpq_total = per(ref, ref.cpu.client + ref.cpu.gateway + ref.cpu.postgres);
  const tally* relay = nullptr;
  for (const peer* p : peers) {
    if (p->label == "websocket" && p->t.trips > 0) relay = &p->t;
  }
  for (std::size_t i = 1; i < peers.size(); ++i) {
    const tally& t = peers[i]->t;
    if (peers[i]->gateway_pid < 0 || t.trips == 0) continue;
    const double pg = per(t, t.cpu.postgres);
    std::printf("ceiling %s c=%d %s postgres_us=%.1f (libpq request %.1f) throughput_over_libpq<=%.2f "
                "free client and gateway, <=%.2f client as libpq's",
                bc.name, concurrency, peers[i]->label.c_str(), pg, libpq_total, libpq_total / pg,
                libpq_total / (pg + libpq_client));
    if (relay != nullptr && &t != relay) {
      const double hop = per(*relay, relay->cpu.gateway);
      std::printf(", <=%.2f free client and a gateway as the WebSocket relay (%.1f), <=%.2f both",
                  libpq_total / (pg + hop), hop, libpq_total / (pg + libpq_client + hop));
    }
    std::printf("\n");
  }
}

/// Measures the peers for one case at one concurrency (multiplexed peers at concurrency > 1
/// only); peers[0] is the reference (libpq). False when a peer that must not fail did (said on
/// stderr).
[[nodiscard]] bool measure_case(std::vector<peer>& all, const bench_case& bc, int concurrency,
                                double seconds, int rounds, const cpu_meter& meter) {
  std::vector<peer*> peers;
  for (auto& p : all) {
    if (!p.multiplexed || concurrency > 1) peers.push_back(&p);
  }
  if (peers.empty()) return true;
  for (peer* p : peers) {
    p->t = {};
    p->clients.clear();
    if (p->multiplexed) p->clients.push_back(p->make(bc, concurrency));
    for (int i = 0; !p->multiplexed && i < concurrency; ++i) p->clients.push_back(p->make(bc, 1));
    for (auto& c : p->clients) (void)c->round_trip();  // warm: connections open, types known
  }
  const double slice = seconds / rounds;
  for (int r = 0; r < rounds; ++r) {
    for (std::size_t i = 0; i < peers.size(); ++i) {
      run_slice(*peers[(i + static_cast<std::size_t>(r)) % peers.size()], slice, meter);
    }
  }
  bool ok = true;
  for (peer* p : peers) {
    for (const auto& c : p->clients) {
      if (p->failure.empty()) p->failure = c->failure();
    }
    p->clients.clear();
    std::printf("%s %s c=%d median_us=%.0f p99_us=%.0f rps=%.0f errors=%zu\n", p->label.c_str(),
                bc.name, concurrency, p->t.percentile(0.5), p->t.percentile(0.99), p->t.rps(),
                p->t.errors);
    if (p->fail_on_errors && (p->t.errors > 0 || !p->failure.empty())) {
      std::fprintf(stderr, "gateway_bench: FAILED: peer %s, %s c=%d: %zu failed requests (%s)\n",
                   p->label.c_str(), bc.name, concurrency, p->t.errors,
                   p->failure.empty() ? "no detail" : p->failure.c_str());
      ok = false;
    }
  }
  if (meter.enabled()) {
    for (peer* p : peers) {
      if (p->gateway_pid < 0) continue;  // an --also gateway without its pid
      const double n = p->t.trips > 0 ? static_cast<double>(p->t.trips) : 1;
      std::printf("cpu %s %s c=%d per_request_us client=%.1f gateway=%.1f postgres=%.1f "
                  "total=%.1f requests=%zu\n",
                  p->label.c_str(), bc.name, concurrency, p->t.cpu.client / n,
                  p->t.cpu.gateway / n, p->t.cpu.postgres / n,
                  (p->t.cpu.client + p->t.cpu.gateway + p->t.cpu.postgres) / n, p->t.trips);
    }
  }
  tally& ref = peers[0]->t;
  if (meter.enabled() && concurrency > 1 && peers[0]->label == "libpq") print_ceilings(peers, bc, concurrency);
  for (std::size_t i = peers[0]->label == "libpq" ? 1 : peers.size(); i < peers.size(); ++i) {
    tally& t = peers[i]->t;
    const char* label = peers[i]->label.c_str();
    if (concurrency == 1) {
      std::printf("ratio %s c=1 %s added_median_us=%.0f\n", bc.name, label,
                  t.percentile(0.5) - ref.percentile(0.5));
    }
    if (concurrency == 1) continue;  // one client's throughput is just 1/latency
    double lo = 1e300, hi = 0;
    for (std::size_t r = 0; r < t.round_rps.size(); ++r) {
      if (ref.round_rps[r] <= 0) continue;
      lo = std::min(lo, t.round_rps[r] / ref.round_rps[r]);
      hi = std::max(hi, t.round_rps[r] / ref.round_rps[r]);
    }
    std::printf("ratio %s c=%d %s throughput_over_libpq=%.2f [rounds %.2f..%.2f]\n", bc.name,
                concurrency, label, ref.rps() > 0 ? t.rps() / ref.rps() : 0.0,
                hi > 0 ? lo : 0.0, hi);
    if (meter.enabled() && peers[i]->gateway_pid >= 0 && t.trips > 0 && ref.trips > 0) {
      const auto total = [](const tally& x) {
        return (x.cpu.client + x.cpu.gateway + x.cpu.postgres) / static_cast<double>(x.trips);
      };
      std::printf("ratio %s c=%d %s cpu_per_request_libpq_over_peer=%.2f\n", bc.name,
                  concurrency, label, total(t) > 0 ? total(ref) / total(t) : 0);
    }
  }
  std::fflush(stdout);
  return ok;
}

int usage() {
  std::fprintf(stderr,
               "usage: gateway_bench GATEWAY_URL CONNECTION_STRING LIBPQ_CONNINFO [SECONDS]\n"
               "                     [--ws WS_URL] [--also LABEL=[h2:|mux:]URL[#PID]]...\n"
               "                     [--rounds N]\n"
               "                     [--only LABEL,...] [--case NAME] [--c N]\n"
               "                     [--cpu GATEWAY_PID,POSTMASTER_PID]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return usage();
  const std::string url = argv[1], conn = argv[2], conninfo = argv[3];
  double seconds = 2.0;
  int rounds = 8;
  std::string ws_url, only, case_name;
  int only_c = 0;
  int gateway_pid = 0, postmaster_pid = 0;
  std::vector<std::pair<std::string, std::string>> also;  // label, url[#pid]
  for (int i = 4; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--ws" && has_value) ws_url = argv[++i];
    else if (a == "--only" && has_value) only = "," + std::string(argv[++i]) + ",";
    else if (a == "--case" && has_value) case_name = argv[++i];
    else if (a == "--cpu" && has_value &&
             std::sscanf(argv[i + 1], "%d,%d", &gateway_pid, &postmaster_pid) == 2) {
      ++i;
    }
    else if (a == "--c" && has_value) only_c = std::atoi(argv[++i]);
    else if (a == "--rounds" && has_value) rounds = std::max(1, std::atoi(argv[++i]));
    else if (a == "--also" && has_value && std::strchr(argv[i + 1], '=') != nullptr) {
      const std::string v = argv[++i];
      also.emplace_back(v.substr(0, v.find('=')), v.substr(v.find('=') + 1));
    } else if (a[0] != '-') seconds = std::atof(a.c_str());
    else return usage();
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  std::vector<peer> peers;
  add_peer(peers, "libpq", [&](const bench_case& bc, int) -> std::unique_ptr<client> {
    return std::make_unique<libpq_client>(conninfo, bc.sql);
  });
  add_peer(peers, "gateway", [&](const bench_case& bc, int) -> std::unique_ptr<client> {
    return std::make_unique<gateway_client>(url, conn, bc.sql);
  });
  // HTTP/2 on the same URL: a connection per client (at c=16, 16 connections with one stream
  // each), and one connection carrying all 16 requests as concurrent streams.
  add_peer(peers, "http2", [&](const bench_case& bc, int) -> std::unique_ptr<client> {
    return std::make_unique<gateway_client>(url, conn, bc.sql, true);
  }).fail_on_errors = true;
  peer& mux = add_peer(peers, "http2-mux",
                       [&](const bench_case& bc, int streams) -> std::unique_ptr<client> {
                         return std::make_unique<multiplexed_client>(url, conn, bc.sql, streams);
                       });
  mux.multiplexed = true;
  mux.fail_on_errors = true;
  edgefn::bench::ws_pg_target ws_target;
  if (!ws_url.empty()) {
    std::string error;
    if (!edgefn::bench::parse_ws_pg_target(ws_url, conninfo, ws_target, error)) {
      std::fprintf(stderr, "gateway_bench: %s\n", error.c_str());
      return 2;
    }
    add_peer(peers, "websocket", [&](const bench_case& bc, int) -> std::unique_ptr<client> {
      return std::make_unique<ws_client>(ws_target, bc.sql, bc.rows);
    });
  }
  std::vector<std::unique_ptr<edgefn::bench::ws_pg_target>> also_ws;  // outlive the peers
  for (const auto& [label, spec] : also) {
    std::string other = spec.substr(0, spec.find('#'));
    const auto hash = spec.find('#');
    const int pid = hash == std::string::npos ? -1 : std::atoi(spec.c_str() + hash + 1);
    if (other.rfind("ws://", 0) == 0) {
      auto target = std::make_unique<edgefn::bench::ws_pg_target>();
      std::string error;
      if (!edgefn::bench::parse_ws_pg_target(other, conninfo, *target, error)) {
        std::fprintf(stderr, "gateway_bench: %s\n", error.c_str());
        return 2;
      }
      const edgefn::bench::ws_pg_target* t = also_ws.emplace_back(std::move(target)).get();
      add_peer(peers, label, [t](const bench_case& bc, int) -> std::unique_ptr<client> {
        return std::make_unique<ws_client>(*t, bc.sql, bc.rows);
      }, pid);
      continue;
    }
    const bool h2 = other.rfind("h2:", 0) == 0, multiplexed = other.rfind("mux:", 0) == 0;
    if (h2 || multiplexed) other = other.substr(other.find(':') + 1);
    peer& p = add_peer(peers, label,
                       [&, other, h2, multiplexed](const bench_case& bc,
                                                   int streams) -> std::unique_ptr<client> {
                         if (multiplexed) {
                           return std::make_unique<multiplexed_client>(other, conn, bc.sql,
                                                                       streams);
                         }
                         return std::make_unique<gateway_client>(other, conn, bc.sql, h2);
                       },
                       pid);
    p.multiplexed = multiplexed;
    p.fail_on_errors = h2 || multiplexed;
  }
  if (!only.empty()) {  // for profiling one peer at a time; no ratios without libpq first
    std::erase_if(peers,
                  [&](const peer& p) { return only.find("," + p.label + ",") == only.npos; });
  }
  if (peers.empty()) return usage();
  const cpu_meter meter(gateway_pid, postmaster_pid);
  bool failed = false;
  print_load("before");
  std::printf("each case: %.1f s per peer in %d interleaved rounds\n", seconds, rounds);
  std::printf("http2 peers: %s\n", http2_mode().c_str());
  for (const auto& bc : k_cases) {
    if (!case_name.empty() && case_name != bc.name) continue;
    for (int c : {1, 16}) {
      if (only_c != 0 && only_c != c) continue;
      if (!measure_case(peers, bc, c, seconds, rounds, meter)) failed = true;
    }
  }
  print_load("after");
  curl_global_cleanup();
  return failed ? 1 : 0;
}

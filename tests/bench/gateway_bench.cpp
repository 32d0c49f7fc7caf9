// gateway_bench GATEWAY_URL CONNECTION_STRING LIBPQ_CONNINFO [SECONDS_PER_CASE]
//
// Round-trip latency and throughput of the local gateway (libcurl, keep-alive, the headers the
// official driver sends) against libpq straight to the same Postgres (extended protocol, as
// the gateway uses). Prints one line per case plus ratio lines. Asserts nothing.
#include <curl/curl.h>
#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

struct bench_case {
  const char* name;
  const char* sql;
};

constexpr bench_case k_cases[] = {
    {"select1", "select 1"},
    {"rows100", "select g, 'name ' || g, now() from generate_series(1,100) g"},
};

struct stats {
  double median_us = 0;
  double p99_us = 0;
  double rps = 0;
  std::size_t errors = 0;
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

/// One worker's client: does one round trip per call, returns false on failure.
class gateway_client {
 public:
  gateway_client(const std::string& url, const std::string& conn, const std::string& sql)
      : curl_(curl_easy_init()), body_("{\"query\":" + json_quote(sql) + ",\"params\":[]}") {
    headers_ = curl_slist_append(headers_, ("Neon-Connection-String: " + conn).c_str());
    headers_ = curl_slist_append(headers_, "Neon-Raw-Text-Output: true");
    headers_ = curl_slist_append(headers_, "Neon-Array-Mode: true");
    headers_ = curl_slist_append(headers_, "Expect:");
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body_.c_str());
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl_, CURLOPT_TCP_NODELAY, 1L);
  }
  ~gateway_client() {
    curl_slist_free_all(headers_);
    curl_easy_cleanup(curl_);
  }
  gateway_client(const gateway_client&) = delete;
  gateway_client& operator=(const gateway_client&) = delete;

  bool round_trip() {
    long status = 0;
    if (curl_easy_perform(curl_) != CURLE_OK) return false;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    return status == 200;
  }

 private:
  CURL* curl_;
  curl_slist* headers_ = nullptr;
  std::string body_;
};

class libpq_client {
 public:
  libpq_client(const std::string& conninfo, const std::string& sql)
      : conn_(PQconnectdb(conninfo.c_str())), sql_(sql) {}
  ~libpq_client() { PQfinish(conn_); }
  libpq_client(const libpq_client&) = delete;
  libpq_client& operator=(const libpq_client&) = delete;

  bool round_trip() {
    PGresult* r = PQexecParams(conn_, sql_.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0);
    const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    return ok;
  }

 private:
  PGconn* conn_;
  std::string sql_;
};

/// Runs `concurrency` workers for `seconds` (after a short warm-up) and summarizes.
template <class Client, class Factory>
stats measure(int concurrency, double seconds, Factory make) {
  std::vector<std::vector<double>> samples(static_cast<std::size_t>(concurrency));
  std::atomic<std::size_t> errors{0};
  const auto warmup = std::chrono::milliseconds(300);
  const auto start = clock_type::now();
  const auto measure_from = start + warmup;
  const auto stop = measure_from + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  for (int w = 0; w < concurrency; ++w) {
    threads.emplace_back([&, w] {
      auto client = make();
      auto& mine = samples[static_cast<std::size_t>(w)];
      for (;;) {
        const auto t0 = clock_type::now();
        if (t0 >= stop) break;
        const bool ok = client->round_trip();
        const auto t1 = clock_type::now();
        if (!ok) ++errors;
        if (t0 >= measure_from) {
          mine.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  std::vector<double> all;
  for (const auto& s : samples) all.insert(all.end(), s.begin(), s.end());
  stats out;
  out.errors = errors.load();
  if (all.empty()) return out;
  std::sort(all.begin(), all.end());
  out.median_us = all[all.size() / 2];
  out.p99_us = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  out.rps = static_cast<double>(all.size()) / seconds;
  return out;
}

void print(const char* via, const char* name, int c, const stats& s) {
  std::printf("%s %s c=%d median_us=%.0f p99_us=%.0f rps=%.0f errors=%zu\n", via, name, c,
              s.median_us, s.p99_us, s.rps, s.errors);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr,
                 "usage: gateway_bench GATEWAY_URL CONNECTION_STRING LIBPQ_CONNINFO [SECONDS]\n");
    return 2;
  }
  const std::string url = argv[1], conn = argv[2], conninfo = argv[3];
  const double seconds = argc > 4 ? std::atof(argv[4]) : 2.0;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  for (const auto& bc : k_cases) {
    stats gw[2], pq[2];
    const int levels[2] = {1, 16};
    for (int i = 0; i < 2; ++i) {
      gw[i] = measure<gateway_client>(levels[i], seconds, [&] {
        return std::make_unique<gateway_client>(url, conn, bc.sql);
      });
      print("gateway", bc.name, levels[i], gw[i]);
      pq[i] = measure<libpq_client>(levels[i], seconds, [&] {
        return std::make_unique<libpq_client>(conninfo, bc.sql);
      });
      print("libpq", bc.name, levels[i], pq[i]);
    }
    std::printf("ratio %s c=1 added_median_us=%.0f\n", bc.name, gw[0].median_us - pq[0].median_us);
    std::printf("ratio %s c=16 throughput_gateway_over_libpq=%.2f\n", bc.name,
                pq[1].rps > 0 ? gw[1].rps / pq[1].rps : 0.0);
  }
  curl_global_cleanup();
  return 0;
}

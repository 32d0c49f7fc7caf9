// proc_cpu PID...: the CPU time each process has used so far (all its threads), in nanoseconds,
// one line per PID ("-" for one that is gone or not readable), from the process's CPU-time clock
// (clock_getcpuclockid). For the Node benchmarks (tests/bench/lib.mjs: cpuReader): /proc/PID/stat
// counts 10 ms clock ticks, i.e. 25 µs per request over a Worker benchmark round of 400.
#include <time.h>

#include <cstdio>
#include <cstdlib>

namespace {

/// The CPU time of process `text` in ns, or -1.
long long cpu_ns(const char* text) {
  char* end = nullptr;
  const long pid = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || pid <= 0) return -1;
  clockid_t clock{};
  timespec ts{};
  if (::clock_getcpuclockid(static_cast<pid_t>(pid), &clock) != 0 || ::clock_gettime(clock, &ts) != 0) return -1;
  return static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs("usage: proc_cpu PID...\n", stderr);
    return 2;
  }
  for (int i = 1; i < argc; ++i) {
    const long long ns = cpu_ns(argv[i]);
    if (ns < 0) std::puts("-");
    else std::printf("%lld\n", ns);
  }
  return 0;
}

// The wasm ABI: the only extern "C" file. Only integers and (pointer, length) pairs cross it.
//
// One engine per instance (the Worker shim creates one and drives many exchanges on it):
//
//   h  = edgefn_engine_create(cfg_ptr, cfg_len)           config blob (wasm/engine_config.h)
//   x  = edgefn_exchange_start(h, req_ptr, req_len, rid_ptr, rid_len, now_ms)
//   while (n = edgefn_next_action(h)) read edgefn_output(h)[0..n)  -> an encoded action
//   edgefn_complete(h, action_id, res_ptr, res_len, now_ms)        -> feed its result
//   while (x = edgefn_next_response(h)) read edgefn_output(h)[0..edgefn_output_len(h))
//   edgefn_exchange_cancel(h, x)                                  -> the client went away
//
// Bytes are the JSON codec of exchange/codec.h. The output buffer belongs to the engine and is
// valid until the next call on it. Inputs are written by the host into edgefn_alloc'd memory
// and freed by the host after the call. A trap (abort, OOM, unreachable) leaves the instance
// unusable: the host throws it away and instantiates a fresh one.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <string_view>
#include <variant>

#define EDGEFN_EXPORT(name) __attribute__((export_name(#name), visibility("default")))

#include "api/app.h"
#include "api/entry.h"
#include "engine_config.h"
#include "exchange/codec.h"
#include "exchange/engine.h"

namespace {

using namespace edgefn;

/// Log levels by rank (edgefn_set_log_level): lines below the minimum never leave the module.
enum log_rank : std::uint32_t { rank_debug = 0, rank_info = 1, rank_warn = 2, rank_error = 3, rank_off = 4 };

struct engine_state {
  explicit engine_state(exchange::handler handler) : engine(std::move(handler)) {}
  exchange::engine engine;
  std::string output;
  std::uint32_t min_log_rank = rank_info;
#ifdef EDGEFN_TEST_HOOKS
  std::set<exchange::exchange_id> trap_on_result;
#endif
};

std::string g_error;  // the last create/start/complete failure (no secrets: codec messages only)

engine_state* state_of(std::uint32_t handle) {
  return reinterpret_cast<engine_state*>(static_cast<std::uintptr_t>(handle));
}

std::string_view view(const std::uint8_t* ptr, std::size_t len) {
  return {reinterpret_cast<const char*>(ptr), len};
}

/// The rank of a core log line: every line the core writes starts {"level":"<level>"; any
/// other shape counts as an error line, so it is only dropped when logging is off.
std::uint32_t rank_of(std::string_view line) {
  constexpr std::string_view prefix = "{\"level\":\"";
  if (!line.starts_with(prefix)) return rank_error;
  line.remove_prefix(prefix.size());
  if (line.starts_with("debug\"")) return rank_debug;
  if (line.starts_with("info\"")) return rank_info;
  if (line.starts_with("warn\"")) return rank_warn;
  return rank_error;
}

/// Whether an action is a log line below the engine's minimum level (dropped unencoded).
bool filtered_out(const engine_state& s, const exchange::action& a) {
  const auto* line = std::get_if<exchange::log_line>(&a.body);
  return line != nullptr && rank_of(line->line) < s.min_log_rank;
}

#ifdef EDGEFN_TEST_HOOKS
// Test builds only (edgefn_testhooks.wasm): a request header makes the core trap, so the
// Worker tests can prove a trap never poisons later requests.
//   x-edgefn-test-trap: unreachable | abort | oom        -> trap at exchange start
//   x-edgefn-test-trap: on-result   -> arms a trap: the next result fed (any exchange) traps,
//                                      so other exchanges are in flight when it fires
[[noreturn]] void exhaust_memory() {
  for (;;) {
    auto* p = static_cast<volatile char*>(std::malloc(8u << 20));
    if (p == nullptr) std::abort();
    p[0] = 1;
  }
}

void test_hooks_on_start(engine_state& s, const exchange::request& req, exchange::exchange_id id) {
  const std::string* v = http::find_header(req.headers, "x-edgefn-test-trap");
  if (v == nullptr) return;
  if (*v == "unreachable") __builtin_trap();
  if (*v == "abort") std::abort();
  if (*v == "oom") exhaust_memory();
  if (*v == "on-result") s.trap_on_result.insert(id);
}

void test_hooks_on_result(engine_state& s, std::uint32_t action_id) {
  if (s.trap_on_result.empty()) return;
  (void)action_id;
  __builtin_trap();
}
#endif

}  // namespace

extern "C" {

/// Allocates `size` bytes in the module's memory for the host to write into; 0 on failure.
EDGEFN_EXPORT(edgefn_alloc) std::uint8_t* edgefn_alloc(std::size_t size) {
  return static_cast<std::uint8_t*>(std::malloc(size == 0 ? 1 : size));
}

/// Frees memory from edgefn_alloc (or returned by the module); null is ignored.
EDGEFN_EXPORT(edgefn_free) void edgefn_free(std::uint8_t* ptr) { std::free(ptr); }

/// ABI version: bumped whenever an export changes meaning (2: the exchange engine).
EDGEFN_EXPORT(edgefn_abi_version) std::uint32_t edgefn_abi_version() { return 2; }

/// 1 in test builds (edgefn_testhooks.wasm), 0 in the production module.
EDGEFN_EXPORT(edgefn_test_hooks) std::uint32_t edgefn_test_hooks() {
#ifdef EDGEFN_TEST_HOOKS
  return 1;
#else
  return 0;
#endif
}

/// The message of the last failed create/start/complete (pointer; see edgefn_error_len).
EDGEFN_EXPORT(edgefn_error) const char* edgefn_error() { return g_error.data(); }
EDGEFN_EXPORT(edgefn_error_len) std::uint32_t edgefn_error_len() {
  return static_cast<std::uint32_t>(g_error.size());
}

/// Creates an engine running the linked app (api::app_entry) from the config blob; 0 when the
/// blob or the app's route table is unusable (edgefn_error says why).
EDGEFN_EXPORT(edgefn_engine_create)
std::uint32_t edgefn_engine_create(const std::uint8_t* cfg, std::size_t cfg_len) {
  auto decoded = wasm::decode_config(view(cfg, cfg_len));
  if (!decoded) {
    g_error = decoded.error().message;
    return 0;
  }
  auto handler = api::make_handler(api::app_entry(), std::move(*decoded));
  if (!handler) {
    g_error = handler.error().message;
    return 0;
  }
  auto* s = new (std::nothrow) engine_state(std::move(*handler));
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(s));
}

/// Destroys an engine and every exchange still in it.
EDGEFN_EXPORT(edgefn_engine_destroy) void edgefn_engine_destroy(std::uint32_t handle) {
  delete state_of(handle);
}

/// Starts an exchange for the encoded request; `host_id` is the host's request id (used unless
/// the request carries a valid X-Request-Id). Returns the exchange id, 0 when the request does
/// not decode (edgefn_error says why).
EDGEFN_EXPORT(edgefn_exchange_start)
std::uint32_t edgefn_exchange_start(std::uint32_t handle, const std::uint8_t* req, std::size_t req_len,
                                    const std::uint8_t* host_id, std::size_t host_id_len,
                                    std::int64_t now_ms) {
  auto& s = *state_of(handle);
  auto decoded = exchange::decode_request(view(req, req_len));
  if (!decoded) {
    g_error = decoded.error().message;
    return 0;
  }
  std::string rid = api::choose_request_id(*decoded, std::string(view(host_id, host_id_len)));
#ifdef EDGEFN_TEST_HOOKS
  const exchange::request copy = *decoded;
  const auto id = s.engine.start(std::move(*decoded), std::move(rid), now_ms);
  test_hooks_on_start(s, copy, id);
  return id;
#else
  return s.engine.start(std::move(*decoded), std::move(rid), now_ms);
#endif
}

/// Sets the minimum level of the core's log lines (0 debug, 1 info (the default), 2 warn,
/// 3 error, 4 off): lower lines are dropped inside the module, never encoded nor handed out.
EDGEFN_EXPORT(edgefn_set_log_level) void edgefn_set_log_level(std::uint32_t handle, std::uint32_t rank) {
  state_of(handle)->min_log_rank = rank > rank_off ? rank_off : rank;
}

/// Moves the next pending action (encoded) into the output buffer and returns its length;
/// 0 when no action is pending.
EDGEFN_EXPORT(edgefn_next_action) std::uint32_t edgefn_next_action(std::uint32_t handle) {
  auto& s = *state_of(handle);
  auto a = s.engine.next_action();
  while (a && filtered_out(s, *a)) a = s.engine.next_action();
  if (!a) return 0;
  s.output = exchange::encode(*a);
  return static_cast<std::uint32_t>(s.output.size());
}

/// Feeds the encoded result of `action_id` (its "id" key is ignored). Returns 1 when fed,
/// 0 for an unknown/finished action, -1 when the bytes do not decode (edgefn_error says why).
EDGEFN_EXPORT(edgefn_complete)
std::int32_t edgefn_complete(std::uint32_t handle, std::uint32_t action_id, const std::uint8_t* res,
                             std::size_t res_len, std::int64_t now_ms) {
  auto& s = *state_of(handle);
  auto decoded = exchange::decode_result(view(res, res_len));
  if (!decoded) {
    g_error = decoded.error().message;
    return -1;
  }
#ifdef EDGEFN_TEST_HOOKS
  test_hooks_on_result(s, action_id);
#endif
  decoded->id = action_id;
  return s.engine.complete(std::move(*decoded), now_ms) ? 1 : 0;
}

/// Moves the next finished exchange's encoded response into the output buffer and returns the
/// exchange id (length: edgefn_output_len); 0 when none has finished.
EDGEFN_EXPORT(edgefn_next_response) std::uint32_t edgefn_next_response(std::uint32_t handle) {
  auto& s = *state_of(handle);
  auto f = s.engine.next_response();
  if (!f) return 0;
  s.output = exchange::encode(f->resp);
  return f->exchange;
}

/// The output buffer of the last next_action/next_response call.
EDGEFN_EXPORT(edgefn_output) const char* edgefn_output(std::uint32_t handle) {
  return state_of(handle)->output.data();
}
EDGEFN_EXPORT(edgefn_output_len) std::uint32_t edgefn_output_len(std::uint32_t handle) {
  return static_cast<std::uint32_t>(state_of(handle)->output.size());
}

/// Drops an exchange (its client went away); later results for its actions are ignored.
EDGEFN_EXPORT(edgefn_exchange_cancel) void edgefn_exchange_cancel(std::uint32_t handle, std::uint32_t id) {
  state_of(handle)->engine.cancel(id);
}

/// Exchanges started and not yet finished or cancelled.
EDGEFN_EXPORT(edgefn_active) std::uint32_t edgefn_active(std::uint32_t handle) {
  return static_cast<std::uint32_t>(state_of(handle)->engine.active());
}

}  // extern "C"

#if defined(_LIBCPP_VERSION) && _LIBCPP_VERSION >= 160000
// libc++ reports a failed precondition (e.g. std::string growing past max_size() with
// exceptions off) by printing to stderr and aborting. A Worker has no stderr: trap at once,
// which the shim turns into a rebuilt instance. This keeps fd_write & co. out of the imports.
_LIBCPP_BEGIN_NAMESPACE_STD
[[noreturn]] void __libcpp_verbose_abort(char const*, ...) { __builtin_trap(); }
_LIBCPP_END_NAMESPACE_STD
#endif

#if !defined(__EMSCRIPTEN__)
// A pure virtual call (simdjson's implementation classes have pure virtuals) would print
// through libc++abi's abort_message (fprintf to stderr). Trap instead: same outcome for the
// shim, and no stdio in the module.
extern "C" [[noreturn]] void __cxa_pure_virtual() { __builtin_trap(); }
#endif

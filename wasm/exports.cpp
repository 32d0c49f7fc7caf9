// The wasm ABI: the only extern "C" file. Only integers and (pointer, length) pairs cross it.
//
// One engine per instance (the Worker shim creates one and drives many exchanges on it):
//
//   h  = edgefn_engine_create(cfg_ptr, cfg_len)           config blob (wasm/engine_config.h)
//   p  = edgefn_input(h, n)       room for a body of up to n bytes: the host writes it there
//   x  = edgefn_exchange_start(h, meta_ptr, meta_len, body_len, rid_ptr, rid_len, now_ms)
//   while (n = edgefn_next_action(h)) read edgefn_output(h)[0..n)          -> action metadata
//        and edgefn_output_body(h)[0..edgefn_output_body_len(h))           -> its payload
//   p  = edgefn_input(h, n); write the result body at p
//   edgefn_complete(h, action_id, meta_ptr, meta_len, body_len, now_ms)    -> feed its result
//   while (x = edgefn_next_response(h)) read edgefn_output(h)[0..edgefn_output_len(h)) (status
//        and headers) and edgefn_output_body(h)[0..edgefn_output_body_len(h)) (the body)
//   edgefn_exchange_cancel(h, x)                                  -> the client went away
//
// Metadata is in the wire form of exchange/codec.h; bodies are raw bytes, never escaped. A body
// the host writes at edgefn_input is adopted by the request or result (no copy; it carries the
// padding simdjson needs, so the core parses it in place). Output buffers belong to the engine
// and are valid until the next call on it. Metadata and host ids are written by the host into
// edgefn_alloc'd memory and freed by the host after the call. A trap (abort, OOM, unreachable)
// leaves the instance unusable: the host throws it away and instantiates a fresh one.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <string_view>
#include <utility>
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
  explicit engine_state(exchange::handler handler) : engine(std::move(handler)) {
    engine.set_log_level(exchange::log_level::info);  // min_log_rank's default
  }
  exchange::engine engine;
  std::string output;       ///< metadata of the last next_action/next_response
  std::string output_body;  ///< its body
  padded_buffer input;      ///< the body staged by edgefn_input for the next start/complete
  std::size_t input_room = 0;
  std::uint32_t min_log_rank = rank_info;
  std::size_t max_body_bytes = 0;  ///< the config's: the host reads no more of a body than this + 1
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

/// Takes the body staged by edgefn_input (`len` bytes written); an error when the host wrote
/// more than it asked room for.
result<padded_buffer> take_input(engine_state& s, std::size_t len) {
  if (len > s.input_room) return fail(errc::invalid_argument, "body longer than its edgefn_input room");
  s.input.commit(len);
  s.input_room = 0;
  return std::exchange(s.input, padded_buffer());
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

/// ABI version: bumped whenever an export changes meaning (2: the exchange engine; 3: bodies
/// cross raw, apart from the metadata; 4: edgefn_max_body_bytes, which the host must honour;
/// 5: request, result and response metadata in lines, not JSON).
EDGEFN_EXPORT(edgefn_abi_version) std::uint32_t edgefn_abi_version() { return 5; }

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
  const std::size_t max_body_bytes = decoded->max_body_bytes;
  auto handler = api::make_handler(api::app_entry(), std::move(*decoded));
  if (!handler) {
    g_error = handler.error().message;
    return 0;
  }
  auto* s = new (std::nothrow) engine_state(std::move(*handler));
  if (s) s->max_body_bytes = max_body_bytes;
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(s));
}

/// The largest request body the app reads (the config's max_body_bytes: at most 10 MiB, which
/// make_handler checks). Whatever exceeds it is answered 413 by the core from its first max + 1
/// bytes alone, so a host keeps no more than that of a body in memory and never reads the rest.
EDGEFN_EXPORT(edgefn_max_body_bytes) std::uint32_t edgefn_max_body_bytes(std::uint32_t handle) {
  return static_cast<std::uint32_t>(state_of(handle)->max_body_bytes);
}

/// Destroys an engine and every exchange still in it.
EDGEFN_EXPORT(edgefn_engine_destroy) void edgefn_engine_destroy(std::uint32_t handle) {
  delete state_of(handle);
}

/// Room for a body of up to `len` bytes (the next start's request body or complete's result
/// body), valid until that call; any earlier staged body is dropped. Traps when out of memory.
EDGEFN_EXPORT(edgefn_input) char* edgefn_input(std::uint32_t handle, std::size_t len) {
  auto& s = *state_of(handle);
  s.input.clear();
  s.input_room = len;
  return s.input.prepare(len).data();
}

/// Starts an exchange for the request metadata and the `body_len` bytes written at
/// edgefn_input; `host_id` is the host's request id (used unless the request carries a valid
/// X-Request-Id). Returns the exchange id, 0 when the request does not decode (edgefn_error
/// says why).
EDGEFN_EXPORT(edgefn_exchange_start)
std::uint32_t edgefn_exchange_start(std::uint32_t handle, const std::uint8_t* meta, std::size_t meta_len,
                                    std::size_t body_len, const std::uint8_t* host_id,
                                    std::size_t host_id_len, std::int64_t now_ms) {
  auto& s = *state_of(handle);
  auto body = take_input(s, body_len);
  if (!body) {
    g_error = body.error().message;
    return 0;
  }
  auto decoded = exchange::decode_request(view(meta, meta_len), std::move(*body));
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
/// 3 error, 4 off): lower lines are dropped inside the module, never encoded nor handed out,
/// and the lines the engine's exchanges ask about (context::logs) are not even built.
EDGEFN_EXPORT(edgefn_set_log_level) void edgefn_set_log_level(std::uint32_t handle, std::uint32_t rank) {
  auto& s = *state_of(handle);
  s.min_log_rank = rank > rank_off ? rank_off : rank;
  static_assert(static_cast<std::uint32_t>(exchange::log_level::off) == rank_off);
  s.engine.set_log_level(static_cast<exchange::log_level>(s.min_log_rank));
}

/// Moves the next pending action into the output buffers (metadata; payload: the sql body or
/// log line) and returns the metadata's length; 0 when no action is pending.
EDGEFN_EXPORT(edgefn_next_action) std::uint32_t edgefn_next_action(std::uint32_t handle) {
  auto& s = *state_of(handle);
  auto a = s.engine.next_action();
  while (a && filtered_out(s, *a)) a = s.engine.next_action();
  if (!a) return 0;
  auto w = exchange::encode(std::move(*a));
  s.output = std::move(w.meta);
  s.output_body = std::move(w.body);
  return static_cast<std::uint32_t>(s.output.size());
}

/// Feeds the result of `action_id`: its metadata (its ID line is ignored) and the `body_len`
/// bytes written at edgefn_input. Returns 1 when fed, 0 for an unknown/finished action, -1 when
/// the metadata does not decode (edgefn_error says why).
EDGEFN_EXPORT(edgefn_complete)
std::int32_t edgefn_complete(std::uint32_t handle, std::uint32_t action_id, const std::uint8_t* meta,
                             std::size_t meta_len, std::size_t body_len, std::int64_t now_ms) {
  auto& s = *state_of(handle);
  auto body = take_input(s, body_len);
  if (!body) {
    g_error = body.error().message;
    return -1;
  }
  auto decoded = exchange::decode_result(view(meta, meta_len), std::move(*body));
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

/// Moves the next finished exchange's response into the output buffers (metadata: status and
/// headers; body) and returns the exchange id; 0 when none has finished.
EDGEFN_EXPORT(edgefn_next_response) std::uint32_t edgefn_next_response(std::uint32_t handle) {
  auto& s = *state_of(handle);
  auto f = s.engine.next_response();
  if (!f) return 0;
  auto w = exchange::encode(std::move(f->resp));
  s.output = std::move(w.meta);
  s.output_body = std::move(w.body);
  return f->exchange;
}

/// The metadata of the last next_action/next_response call.
EDGEFN_EXPORT(edgefn_output) const char* edgefn_output(std::uint32_t handle) {
  return state_of(handle)->output.data();
}
EDGEFN_EXPORT(edgefn_output_len) std::uint32_t edgefn_output_len(std::uint32_t handle) {
  return static_cast<std::uint32_t>(state_of(handle)->output.size());
}

/// The body of the last next_action/next_response call.
EDGEFN_EXPORT(edgefn_output_body) const char* edgefn_output_body(std::uint32_t handle) {
  return state_of(handle)->output_body.data();
}
EDGEFN_EXPORT(edgefn_output_body_len) std::uint32_t edgefn_output_body_len(std::uint32_t handle) {
  return static_cast<std::uint32_t>(state_of(handle)->output_body.size());
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

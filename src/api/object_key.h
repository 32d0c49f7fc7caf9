#pragma once
// Object keys for delete_object actions: taken from a stored URL and checked before any bucket
// is asked to delete them (every host applies the same check).

#include <string>
#include <string_view>

namespace edgefn::api {

/// The object key of a URL: its path without the leading '/', percent-decoded ("" when there is
/// none). It may be unsafe: check it with is_safe_object_key before use.
[[nodiscard]] std::string object_key(std::string_view url);

/// False for a key no bucket should be asked to delete: empty, absolute, with NUL or '\', or
/// with an empty, "." or ".." segment (a local directory bucket would leave its folder, and an
/// R2/S3 key "../x" names another object than the URL's path suggests).
[[nodiscard]] bool is_safe_object_key(std::string_view key) noexcept;

}  // namespace edgefn::api

#pragma once
// Image object deletion for the delete_object action: a local directory bucket (IMAGES_DIR)
// or an S3-compatible endpoint signed with libcurl's AWS SigV4 (CURLOPT_AWS_SIGV4).
// Deleting an object that does not exist succeeds (as S3's DELETE does).

#include <string>

#include "config/app_config.h"

namespace edgefn::host {

using native::images_config;

struct delete_outcome {
  bool ok = false;
  std::string detail;  ///< why it failed (never credentials)
};

/// True when `key` is usable as a relative object path: non-empty, no leading '/', no "." or
/// ".." segments, no NUL or backslash.
[[nodiscard]] bool safe_object_key(const std::string& key);

/// Which store is configured: S3 when IMAGES_S3_ENDPOINT and IMAGES_S3_BUCKET are set, else
/// the local directory when IMAGES_DIR is set, else none (deletes fail with a detail).
[[nodiscard]] bool uses_s3(const images_config& c);

/// Deletes `key` from the local directory bucket `dir`.
[[nodiscard]] delete_outcome delete_local(const std::string& dir, const std::string& key);

/// Deletes `key` from the S3 bucket (path-style URL endpoint/bucket/key). Blocking: call it
/// off the host loop thread.
[[nodiscard]] delete_outcome delete_s3(const images_config& c, const std::string& key);

/// Dispatches to the configured store (blocking for S3).
[[nodiscard]] delete_outcome delete_object(const images_config& c, const std::string& key);

}  // namespace edgefn::host

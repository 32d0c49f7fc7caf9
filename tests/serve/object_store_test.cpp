#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "host/object_store.h"

namespace edgefn::host {
namespace {

TEST(object_store_test, unsafe_keys_are_refused) {
  for (const char* k : {"", "/abs", "a/../b", "..", "./a", "a//b", "a/", "a\\b"}) EXPECT_FALSE(safe_object_key(k)) << k;
  EXPECT_FALSE(safe_object_key(std::string("a\0b", 3)));
  EXPECT_TRUE(safe_object_key("images/a b.png"));
  EXPECT_TRUE(safe_object_key("a..b/c"));
}

TEST(object_store_test, local_bucket_deletes_and_missing_is_ok) {
  const auto dir = std::filesystem::temp_directory_path() / ("edgefn-os-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "images");
  std::ofstream(dir / "images" / "x.png") << "x";
  EXPECT_TRUE(delete_local(dir.string(), "images/x.png").ok);
  EXPECT_FALSE(std::filesystem::exists(dir / "images" / "x.png"));
  EXPECT_TRUE(delete_local(dir.string(), "images/x.png").ok) << "already gone";
  EXPECT_FALSE(delete_local(dir.string(), "../etc/passwd").ok);
  EXPECT_FALSE(delete_object(images_config{}, "images/x.png").ok) << "no store configured";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace edgefn::host

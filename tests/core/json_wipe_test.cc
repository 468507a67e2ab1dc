#include "core/json_wipe.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace dbtrotate {
namespace {

// Every string value is overwritten in place (its bytes, not only its length); keys, numbers
// and the structure stay. Both JSON flavours the project uses.
TEST(JsonWipeTest, OverwritesEveryStringValueAndKeepsKeys) {
  auto doc =
      nlohmann::json::parse(R"({"token":"dbtc_secret","n":[1,"x",{"k":"long secret value"}]})");
  std::string& inner = doc["n"][2]["k"].get_ref<std::string&>();
  const char* bytes = inner.data();
  const std::size_t size = inner.size();
  WipeJsonStrings(doc);
  EXPECT_EQ(doc, nlohmann::json::parse(R"({"token":"","n":[1,"",{"k":""}]})"));
  // The string's old buffer (still owned: clear() keeps capacity) holds no secret byte.
  EXPECT_EQ(std::string(bytes, size).find("secret"), std::string::npos);

  auto ordered = nlohmann::ordered_json::parse(R"({"b":"s1","a":{"c":"s2"}})");
  WipeJsonStrings(ordered);
  EXPECT_EQ(ordered.dump(), R"({"b":"","a":{"c":""}})");
}

}  // namespace
}  // namespace dbtrotate

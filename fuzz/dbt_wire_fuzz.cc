// dbt Cloud response bodies (dbtcloud/wire.h): envelopes, token objects, permission rows,
// grants, pagination and error bodies, each read from whatever the server sent.

#include "dbtcloud/wire.h"
#include "fuzz/fuzz_check.h"

namespace dbtrotate::dbtcloud::wire {
namespace {

void ParseEachShape(const nlohmann::json& value, const std::string& where) {
  (void)ParseServiceToken(value, where);
  (void)ParsePermissionRow(value, where);
  auto grant = ParseGrant(value, where);
  if (grant) {
    // A grant we accept makes a create body we can send.
    (void)CreateBody("fuzz", {*grant});
  }
}

}  // namespace
}  // namespace dbtrotate::dbtcloud::wire

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dbtrotate::dbtcloud::wire;
  const std::string_view body = dbtrotate::fuzz::AsText(data, size);
  (void)ParseErrorBody(body);
  (void)RenameBody(std::string(body));
  auto json = ParseJson(body);
  if (!json) return 0;
  (void)ParsePagination(*json);
  auto payload = EnvelopeData(*json);
  if (!payload) return 0;
  const nlohmann::json& value = **payload;
  ParseEachShape(value, "data");
  if (value.is_array()) {
    for (std::size_t i = 0; i < value.size() && i < 64; ++i) {
      ParseEachShape(value[i], "data[" + std::to_string(i) + "]");
    }
  }
  return 0;
}

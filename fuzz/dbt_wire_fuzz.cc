// dbt Cloud response bodies (dbtcloud/wire.h): envelopes, token objects, permission rows,
// grants, pagination and error bodies, each read from whatever the server sent. A list page
// streamed row by row (list_page.h) must agree with the page parsed whole.

#include "dbtcloud/list_page.h"
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

// ParseListPage accepts exactly what ParseJson accepts, hands over exactly the elements of a
// top-level `data` list, and keeps everything else.
void CheckStreamedPage(std::string_view body, const ParseResult<nlohmann::json>& whole) {
  std::vector<nlohmann::json> rows;
  auto page = ParseListPage(body, [&](const nlohmann::json& row, std::size_t index) {
    FUZZ_CHECK(index == rows.size());
    rows.push_back(row);
    return std::optional<ParseError>();
  });
  FUZZ_CHECK(page.has_value() == whole.has_value());
  if (!page) {
    FUZZ_CHECK(page.error().what == whole.error().what);
    return;
  }
  FUZZ_CHECK(page->rows == rows.size());
  nlohmann::json rebuilt = page->envelope;
  const bool listed = whole->is_object() && whole->contains("data") && (*whole)["data"].is_array();
  if (listed) {
    FUZZ_CHECK(rebuilt["data"].empty());
    rebuilt["data"] = rows;
  } else {
    FUZZ_CHECK(rows.empty());
  }
  FUZZ_CHECK(rebuilt == *whole);
}

}  // namespace
}  // namespace dbtrotate::dbtcloud::wire

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dbtrotate::dbtcloud::wire;
  const std::string_view body = dbtrotate::fuzz::AsText(data, size);
  (void)ParseErrorBody(body);
  (void)RenameBody(std::string(body));
  auto json = ParseJson(body);
  CheckStreamedPage(body, json);
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

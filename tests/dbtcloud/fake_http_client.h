#ifndef DBTROTATE_TESTS_DBTCLOUD_FAKE_HTTP_CLIENT_H_
#define DBTROTATE_TESTS_DBTCLOUD_FAKE_HTTP_CLIENT_H_

// A scripted http::Client: records every request and answers from a queue (or a handler), so
// unit tests can assert exact URLs, headers and bodies without a server.

#include <deque>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/client.h"
#include "support/scripted_http_client.h"

namespace dbtrotate::dbtcloud::testing {

using FakeHttpClient = dbtrotate::testing::ScriptedHttpClient;
using dbtrotate::testing::MakeResponse;

http::Response JsonResponse(int status, const nlohmann::json& body);

/// {"status": {...success...}, "data": data, "extra": {...}}; pagination only for lists.
nlohmann::json Envelope(const nlohmann::json& data);
nlohmann::json ListEnvelope(const nlohmann::json& rows, std::int64_t total_count);

nlohmann::json TokenJson(std::int64_t id, const std::string& name, int state = 1,
                         const std::string& created_at = "2025-01-01T00:00:00.123456Z");
nlohmann::json PermissionJson(std::int64_t id, const std::string& permission_set,
                              std::optional<std::int64_t> project_id,
                              nlohmann::json categories = nlohmann::json::array(), int state = 1);

std::optional<std::string> HeaderOf(const http::Request& request, std::string_view name);

}  // namespace dbtrotate::dbtcloud::testing

#endif  // DBTROTATE_TESTS_DBTCLOUD_FAKE_HTTP_CLIENT_H_

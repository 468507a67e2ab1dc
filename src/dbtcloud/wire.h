#ifndef DBTROTATE_DBTCLOUD_WIRE_H_
#define DBTROTATE_DBTCLOUD_WIRE_H_

// The JSON shapes of the service-token endpoints (reference §4–§6), parsed tolerantly where dbt
// varies (null vs "" messages, extra fields, missing optional fields, `data` null or object)
// and strictly where a mistake would hurt (ids must be JSON integers, token_string on create).
// Internal to the dbtcloud module; the client adds operation and path to the reasons.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "dbtcloud/types.h"

namespace dbtrotate::dbtcloud::wire {

struct ParseError {
  std::string what;  // e.g. "data[3].id is a string, expected an integer"
};

template <class T>
using ParseResult = Result<T, ParseError>;

/// The whole body as JSON; never throws.
ParseResult<nlohmann::json> ParseJson(std::string_view body);

/// `where` prefixes messages, e.g. "data" or "data[3]".
ParseResult<ServiceToken> ParseServiceToken(const nlohmann::json& value, const std::string& where);
ParseResult<PermissionRow> ParsePermissionRow(const nlohmann::json& value,
                                              const std::string& where);
ParseResult<PermissionGrant> ParseGrant(const nlohmann::json& value, const std::string& where);

/// The `data` member of a success envelope; an error when the body is not an object with it.
ParseResult<const nlohmann::json*> EnvelopeData(const nlohmann::json& envelope);

struct Pagination {
  std::int64_t count = 0;
  std::int64_t total_count = 0;
};
/// `extra.pagination` when the server sent it (required by the spec, but we page without it).
ParseResult<std::optional<Pagination>> ParsePagination(const nlohmann::json& envelope);

/// What an error body says, whatever shape it has (envelope, DRF `detail`, HTML, empty).
struct ErrorBody {
  bool json = false;
  std::string user_message;       // status.user_message
  std::string developer_message;  // status.developer_message
  std::string reason;             // data.reason
  std::string detail;             // DRF {"detail": "..."}
  bool account_access_denied = false;
};
ErrorBody ParseErrorBody(std::string_view body);

/// Request bodies. Throws nothing: invalid UTF-8 in a name is reported as an error.
ParseResult<std::string> CreateBody(const std::string& name,
                                    const std::vector<PermissionGrant>& grants);
ParseResult<std::string> RenameBody(const std::string& name);

}  // namespace dbtrotate::dbtcloud::wire

#endif  // DBTROTATE_DBTCLOUD_WIRE_H_

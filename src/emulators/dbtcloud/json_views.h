#ifndef DBTROTATE_EMULATORS_DBTCLOUD_JSON_VIEWS_H_
#define DBTROTATE_EMULATORS_DBTCLOUD_JSON_VIEWS_H_

// dbt Cloud's JSON shapes (reference §4–§6): the v3 envelope, token and permission-row
// objects, and the error bodies, byte-for-byte where the reference quotes them.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "emulators/dbtcloud/state.h"

namespace dbtrotate::emulators {

/// Which permission key(s) token objects carry on GET/PUT/list (reference §12.4 is unsure).
enum class DbtPermissionKeys { kBoth, kGrantsOnly, kLegacyOnly };

/// ISO 8601 with microseconds and "+00:00", e.g. "2026-08-20T12:34:56.123456+00:00".
std::string FormatDbtTimestamp(SystemTime time);

nlohmann::json DbtGrantJson(const DbtGrant& grant);
nlohmann::json DbtPermissionJson(const DbtPermission& row);
/// The ServiceToken object of GET, PUT and list (never the token string).
nlohmann::json DbtTokenJson(const DbtToken& token, DbtPermissionKeys keys);
nlohmann::json DbtAccountJson(const DbtAccount& account);

/// {"status": {200, true, "Success!", ""}, "data": data, "extra": extra}
nlohmann::json DbtSuccessEnvelope(nlohmann::json data, nlohmann::json extra);
/// {"status": {code, false, user_message, developer_message}, "data": data}
nlohmann::json DbtErrorEnvelope(int code, std::string_view user_message,
                                nlohmann::json developer_message = "",
                                nlohmann::json data = nullptr);

inline constexpr std::string_view kDbtInvalidToken = "Invalid token.";
inline constexpr std::string_view kDbtNotFound =
    "The requested resource was not found. Please check that you have the proper permissions.";
inline constexpr std::string_view kDbtPermissionsLocked =
    "Service token permissions cannot be updated after assigment. Please create a new service "
    "token.";  // sic: dbt's typo (reference §4.7)

/// Django REST framework's 405 body: {"detail": "Method \"POST\" not allowed."}
nlohmann::json DbtMethodNotAllowed(std::string_view method);

}  // namespace dbtrotate::emulators

#endif  // DBTROTATE_EMULATORS_DBTCLOUD_JSON_VIEWS_H_

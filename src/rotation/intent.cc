#include "rotation/intent.h"

#include <fmt/format.h>

#include <algorithm>

#include "dbtcloud/recovery.h"
#include "rotation/iso_time.h"

namespace dbtrotate::rotation {
namespace {

constexpr int kFormat = 1;

Error Malformed(std::string_view where, std::string_view what) {
  return Error{ErrorCode::kMalformedSecret,
               fmt::format("{}: the dbt-rotate intent record is damaged ({})", where, what)};
}

bool ReadIds(const Json& node, std::vector<std::int64_t>& out) {
  if (!node.is_array()) return false;
  for (const auto& id : node) {
    if (!id.is_number_integer()) return false;
    out.push_back(id.get<std::int64_t>());
  }
  return true;
}

bool ReadTime(const Json& node, SystemTime& out) {
  if (!node.is_string()) return false;
  auto time = ParseIsoTime(node.get<std::string>());
  if (!time) return false;
  out = *time;
  return true;
}

}  // namespace

SecretString SerializeIntent(const Intent& intent) {
  Json scans = Json::array();
  for (const auto& scan : intent.scans) {
    scans.push_back(Json{{"token_name", scan.token_name},
                         {"since", FormatIsoTime(scan.since)},
                         {"exclude_ids", scan.exclude_ids}});
  }
  Json body = {{"format", kFormat},
               {"rotation_id", intent.rotation_id},
               {"started_at", FormatIsoTime(intent.started_at)},
               {"scans", std::move(scans)},
               {"revoke_token_ids", intent.revoke_token_ids}};
  if (intent.pending_version) body["pending_version"] = *intent.pending_version;
  return SecretJson(Json{{kIntentKey, std::move(body)}}).Serialize();
}

bool IsIntentDocument(const Json& doc) { return doc.is_object() && doc.contains(kIntentKey); }

RotationResult<Intent> ParseIntent(const Json& doc, std::string_view where) {
  if (!IsIntentDocument(doc)) return Fail(Malformed(where, "no intent key"));
  const Json& body = doc.at(kIntentKey);
  if (!body.is_object()) return Fail(Malformed(where, "not an object"));
  if (!body.contains("format") || body["format"] != kFormat) {
    return Fail(Malformed(where, "unknown format; written by a newer dbt-rotate?"));
  }
  Intent intent;
  if (!body.contains("rotation_id") || !body["rotation_id"].is_string()) {
    return Fail(Malformed(where, "rotation_id"));
  }
  intent.rotation_id = body["rotation_id"].get<std::string>();
  if (!body.contains("started_at") || !ReadTime(body["started_at"], intent.started_at)) {
    return Fail(Malformed(where, "started_at"));
  }
  if (!body.contains("scans") || !body["scans"].is_array()) return Fail(Malformed(where, "scans"));
  for (const auto& node : body["scans"]) {
    OrphanScan scan;
    if (!node.is_object() || !node.contains("token_name") || !node["token_name"].is_string() ||
        !node.contains("since") || !ReadTime(node["since"], scan.since) ||
        !node.contains("exclude_ids") || !ReadIds(node["exclude_ids"], scan.exclude_ids)) {
      return Fail(Malformed(where, "a scan entry"));
    }
    scan.token_name = node["token_name"].get<std::string>();
    intent.scans.push_back(std::move(scan));
  }
  if (!body.contains("revoke_token_ids") ||
      !ReadIds(body["revoke_token_ids"], intent.revoke_token_ids)) {
    return Fail(Malformed(where, "revoke_token_ids"));
  }
  if (body.contains("pending_version")) {
    if (!body["pending_version"].is_string()) return Fail(Malformed(where, "pending_version"));
    intent.pending_version = body["pending_version"].get<std::string>();
  }
  return intent;
}

OrphanSearch FindOrphans(const Intent& intent, const std::vector<dbtcloud::ServiceToken>& tokens,
                         const std::set<std::int64_t>& protected_ids, Duration clock_skew,
                         Duration lease) {
  OrphanSearch result;
  for (const auto& scan : intent.scans) {
    auto recent =
        dbtcloud::FindTokensCreatedSince(tokens, scan.token_name, scan.since - clock_skew);
    if (!recent) {
      result.unresolved.push_back(recent.error().message);
      continue;
    }
    std::vector<std::int64_t> matches;
    for (const auto& token : *recent) {
      if (!token.active() || protected_ids.count(token.id) > 0) continue;
      if (std::find(scan.exclude_ids.begin(), scan.exclude_ids.end(), token.id) !=
          scan.exclude_ids.end()) {
        continue;
      }
      // A run never creates after its lease (it checks before creating).
      const auto created = ParseIsoTime(token.created_at);
      if (!created || *created > scan.since + lease + clock_skew) continue;
      matches.push_back(token.id);
    }
    if (matches.size() > 1) {
      result.unresolved.push_back(fmt::format(
          "tokens {} are all named '{}' and were created while the interrupted rotation ran; it "
          "created at most one of them and dbt-rotate cannot tell which",
          fmt::join(matches, ", "), scan.token_name));
    } else if (matches.size() == 1) {
      result.orphans.push_back(matches.front());
    }
  }
  for (std::int64_t id : intent.revoke_token_ids) {
    const bool active = std::any_of(tokens.begin(), tokens.end(),
                                    [id](const auto& t) { return t.id == id && t.active(); });
    if (active && protected_ids.count(id) == 0) result.orphans.push_back(id);
  }
  std::sort(result.orphans.begin(), result.orphans.end());
  result.orphans.erase(std::unique(result.orphans.begin(), result.orphans.end()),
                       result.orphans.end());
  return result;
}

}  // namespace dbtrotate::rotation

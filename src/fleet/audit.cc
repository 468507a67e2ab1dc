#include "fleet/audit.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/iso8601.h"
#include "rotation/duration.h"
#include "rotation/secret_value.h"

namespace dbtrotate::fleet {
namespace {

// Sets that act on the whole account (dbt docs, enterprise-permissions) with admin power.
bool IsAccountWideAdmin(const dbtcloud::PermissionGrant& grant) {
  if (grant.permission_set == "account_admin" || grant.permission_set == "owner") return true;
  return grant.permission_set == "admin" && !grant.project_id;  // admin of every project
}

std::optional<Duration> Since(const std::string& iso, SystemTime now) {
  auto when = ParseIso8601(iso);
  if (!when) return std::nullopt;
  return std::chrono::duration_cast<Duration>(now - *when);
}

std::vector<std::string> Findings(const AuditedToken& audited, SystemTime now,
                                  const AuditOptions& options) {
  std::vector<std::string> findings;
  const auto& token = audited.token;
  if (audited.managed_by.empty()) findings.emplace_back("unmanaged");
  if (!token.last_used) {
    findings.emplace_back("never used");
  } else if (options.unused_for) {
    auto idle = Since(*token.last_used, now);
    if (idle && *idle > *options.unused_for) {
      findings.push_back(fmt::format("unused for {} (over {})", rotation::FormatDuration(*idle),
                                     rotation::FormatDuration(*options.unused_for)));
    }
  }
  if (options.max_age) {
    auto age = Since(token.created_at, now);
    if (age && *age > *options.max_age) {
      findings.push_back(fmt::format("older than the max age ({} > {})",
                                     rotation::FormatDuration(*age),
                                     rotation::FormatDuration(*options.max_age)));
    }
  }
  const bool manager = options.manager_token_id == token.id;
  for (const auto& grant : audited.grants) {
    if (!manager && IsAccountWideAdmin(grant)) {
      findings.push_back("account-wide admin (" + grant.permission_set + ")");
      break;
    }
  }
  return findings;
}

}  // namespace

int AuditReport::FindingCount() const {
  int count = 0;
  for (const auto& token : tokens) count += static_cast<int>(token.findings.size());
  return count;
}

std::map<std::int64_t, std::vector<std::string>> ReadManagedTokenIds(
    const std::vector<ManagingSecret>& secrets, std::int64_t account_id,
    std::vector<std::string>& warnings) {
  std::map<std::int64_t, std::vector<std::string>> managed;
  for (const auto& secret : secrets) {
    auto value = secret.api->GetSecretValue({secret.secret_id, std::nullopt, std::nullopt});
    if (!value) {
      warnings.push_back(fmt::format("secret '{}': {}", secret.secret_id, value.error().message));
      continue;
    }
    const auto role =
        secret.manager ? rotation::SecretRole::kManager : rotation::SecretRole::kRotated;
    auto parsed = rotation::ParseTokenSecret(*value, role, "secret '" + secret.secret_id + "'");
    if (!parsed) {
      warnings.push_back(parsed.error().message);
      continue;
    }
    if (parsed->account_id && *parsed->account_id != account_id) continue;
    if (parsed->service_token_id > 0) {
      managed[parsed->service_token_id].push_back(secret.secret_id);
    } else {
      warnings.push_back(fmt::format(
          "secret '{}' does not record its service_token_id: its token shows as unmanaged",
          secret.secret_id));
    }
    if (parsed->previous_service_token_id) {
      managed[*parsed->previous_service_token_id].push_back(secret.secret_id + " (previous)");
    }
  }
  return managed;
}

Result<AuditReport, std::string> Audit(
    dbtcloud::ServiceTokenApi& api, std::int64_t account_id,
    const std::map<std::int64_t, std::vector<std::string>>& managed, SystemTime now,
    const AuditOptions& options) {
  auto tokens = api.ListServiceTokens(/*active_only=*/true);
  if (!tokens) return Fail("listing the service tokens: " + tokens.error().message);
  AuditReport report;
  report.account_id = account_id;
  for (auto& token : *tokens) {
    AuditedToken audited;
    auto rows = api.ListPermissions(token.id);
    if (rows) {
      audited.grants = dbtcloud::GrantsFromPermissionRows(*rows);
    } else {
      report.warnings.push_back(fmt::format("token {}: its grants could not be read: {}", token.id,
                                            rows.error().message));
    }
    if (auto it = managed.find(token.id); it != managed.end()) audited.managed_by = it->second;
    audited.token = std::move(token);
    audited.findings = Findings(audited, now, options);
    report.tokens.push_back(std::move(audited));
  }
  std::sort(report.tokens.begin(), report.tokens.end(),
            [](const auto& a, const auto& b) { return a.token.id < b.token.id; });
  return report;
}

}  // namespace dbtrotate::fleet

#include "dbtcloud/recovery.h"

#include <fmt/format.h>

#include "core/iso8601.h"

namespace dbtrotate::dbtcloud {

DbtResult<std::vector<ServiceToken>> FindTokensCreatedSince(const std::vector<ServiceToken>& tokens,
                                                            const std::string& name,
                                                            SystemTime since) {
  std::vector<ServiceToken> found;
  for (const auto& token : tokens) {
    if (token.name != name) continue;
    const auto created = ParseIso8601(token.created_at);
    if (!created) {
      return Fail(Error{ErrorCode::kMalformedResponse, 0,
                        fmt::format("service token {} named \"{}\" has created_at \"{}\", which is "
                                    "not an ISO 8601 timestamp; cannot tell whether it is the "
                                    "token an interrupted create made — inspect it in dbt Cloud",
                                    token.id, name, token.created_at.substr(0, 64)),
                        false});
    }
    if (*created >= since) found.push_back(token);
  }
  return found;
}

}  // namespace dbtrotate::dbtcloud

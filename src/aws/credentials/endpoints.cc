#include "aws/credentials/endpoints.h"

#include <array>
#include <regex>

#include "aws/credentials/text_util.h"
#include "aws/sigv4/uri.h"

namespace dbtrotate::aws {

namespace {

struct PartitionEntry {
  Partition partition;
  const char* region_regex;
  std::array<std::string_view, 4> extra_regions;  // global pseudo-regions listed by name
};

// From partitions.json (aws-sdk-js-v3 util-endpoints, same data as botocore).
const std::array<PartitionEntry, 8>& Partitions() {
  static const std::array<PartitionEntry, 8> kPartitions = {{
      {{"aws", "amazonaws.com", "api.aws", true, true},
       R"(^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$)",
       {"aws-global"}},
      {{"aws-cn", "amazonaws.com.cn", "api.amazonwebservices.com.cn", true, true},
       R"(^cn\-\w+\-\d+$)",
       {"aws-cn-global"}},
      {{"aws-us-gov", "amazonaws.com", "api.aws", true, true},
       R"(^us\-gov\-\w+\-\d+$)",
       {"aws-us-gov-global"}},
      {{"aws-iso", "c2s.ic.gov", "c2s.ic.gov", true, false},
       R"(^us\-iso\-\w+\-\d+$)",
       {"aws-iso-global"}},
      {{"aws-iso-b", "sc2s.sgov.gov", "sc2s.sgov.gov", true, false},
       R"(^us\-isob\-\w+\-\d+$)",
       {"aws-iso-b-global"}},
      {{"aws-iso-e", "cloud.adc-e.uk", "cloud.adc-e.uk", true, false},
       R"(^eu\-isoe\-\w+\-\d+$)",
       {"aws-iso-e-global"}},
      {{"aws-iso-f", "csp.hci.ic.gov", "csp.hci.ic.gov", true, false},
       R"(^us\-isof\-\w+\-\d+$)",
       {"aws-iso-f-global"}},
      {{"aws-eusc", "amazonaws.eu", "amazonaws.eu", true, false}, R"(^eusc\-(de)\-\w+\-\d+$)", {}},
  }};
  return kPartitions;
}

bool IsDnsLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

std::string Join(std::string_view a, std::string_view b, std::string_view c, std::string_view d) {
  std::string out;
  out.append(a).append(b).append(c).append(d);
  return out;
}

// "https://user:pass@host/x" -> "https://***@host/x"; other URLs unchanged.
std::string WithoutUserInfo(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const auto authority = scheme_end + 3;
  const auto authority_end = url.find_first_of("/?#", authority);
  const auto at = url.substr(0, authority_end).rfind('@');
  if (at == std::string_view::npos || at < authority) return std::string(url);
  return std::string(url.substr(0, authority)) + "***" + std::string(url.substr(at));
}

}  // namespace

const Partition& PartitionForRegion(std::string_view region) {
  const auto& partitions = Partitions();
  for (const auto& entry : partitions) {
    for (std::string_view extra : entry.extra_regions) {
      if (!extra.empty() && extra == region) return entry.partition;
    }
  }
  const std::string text(region);
  for (const auto& entry : partitions) {
    if (std::regex_match(text, std::regex(entry.region_regex))) return entry.partition;
  }
  return partitions[0].partition;
}

bool IsValidRegionName(std::string_view region) {
  if (region.empty() || region.size() > 63) return false;
  if (region.front() == '-' || region.back() == '-') return false;
  for (char c : region) {
    if (!IsDnsLabelChar(c)) return false;
  }
  return true;
}

Result<std::string, std::string> SecretsManagerEndpointFromRules(std::string_view region,
                                                                 EndpointFlags flags) {
  if (region.empty()) return Fail(std::string("Invalid Configuration: Missing Region"));
  if (!IsValidRegionName(region)) {
    return Fail("\"" + Printable(region, 64) + "\" is not a valid AWS region name");
  }
  const Partition& p = PartitionForRegion(region);
  const bool aws_or_gov = p.name == "aws" || p.name == "aws-us-gov";
  if (flags.use_fips && flags.use_dual_stack) {
    if (!p.supports_fips || !p.supports_dual_stack) {
      return Fail(std::string(
          "FIPS and DualStack are enabled, but this partition does not support one or both"));
    }
    if (aws_or_gov) return Join("https://secretsmanager-fips.", region, ".amazonaws.com", "");
    return Join("https://secretsmanager-fips.", region, ".", p.dual_stack_dns_suffix);
  }
  if (flags.use_fips) {
    if (!p.supports_fips) {
      return Fail(std::string("FIPS is enabled but this partition does not support FIPS"));
    }
    return Join("https://secretsmanager-fips.", region, ".", p.dns_suffix);
  }
  if (flags.use_dual_stack) {
    if (!p.supports_dual_stack) {
      return Fail(
          std::string("DualStack is enabled but this partition does not support DualStack"));
    }
    if (aws_or_gov) return Join("https://secretsmanager.", region, ".amazonaws.com", "");
    if (p.name == "aws-cn") return Join("https://secretsmanager.", region, ".amazonaws.com.cn", "");
    return Join("https://secretsmanager.", region, ".", p.dual_stack_dns_suffix);
  }
  return Join("https://secretsmanager.", region, ".", p.dns_suffix);
}

Result<std::string, std::string> StsEndpointFromRules(std::string_view region,
                                                      EndpointFlags flags) {
  if (region.empty()) return Fail(std::string("Invalid Configuration: Missing Region"));
  if (!IsValidRegionName(region)) {
    return Fail("\"" + Printable(region, 64) + "\" is not a valid AWS region name");
  }
  const Partition& p = PartitionForRegion(region);
  if (flags.use_fips && flags.use_dual_stack) {
    if (!p.supports_fips || !p.supports_dual_stack) {
      return Fail(std::string(
          "FIPS and DualStack are enabled, but this partition does not support one or both"));
    }
    return Join("https://sts-fips.", region, ".", p.dual_stack_dns_suffix);
  }
  if (flags.use_fips) {
    if (!p.supports_fips) {
      return Fail(std::string("FIPS is enabled but this partition does not support FIPS"));
    }
    if (p.name == "aws-us-gov") return Join("https://sts.", region, ".amazonaws.com", "");
    return Join("https://sts-fips.", region, ".", p.dns_suffix);
  }
  if (flags.use_dual_stack) {
    if (!p.supports_dual_stack) {
      return Fail(
          std::string("DualStack is enabled but this partition does not support DualStack"));
    }
    return Join("https://sts.", region, ".", p.dual_stack_dns_suffix);
  }
  if (region == "aws-global") return std::string("https://sts.amazonaws.com");
  return Join("https://sts.", region, ".", p.dns_suffix);
}

Result<void, std::string> ValidateEndpointUrl(std::string_view url_text, std::string_view source) {
  // Messages below quote the URL: never with its user-info, which may be a password.
  const std::string shown = WithoutUserInfo(url_text);
  const std::string_view url = shown;
  auto parts = sigv4::SplitUrl(url_text);
  if (!parts) {
    return Fail(std::string(source) + " is not a valid URL (\"" + Printable(url) +
                "\"): " + parts.error());
  }
  if (parts->scheme != "http" && parts->scheme != "https") {
    return Fail(std::string(source) + " must be an http:// or https:// URL, not \"" +
                Printable(url) + "\"");
  }
  if (parts->host.empty()) {
    return Fail(std::string(source) + " has no host: \"" + Printable(url) + "\"");
  }
  return {};
}

Result<bool, std::string> IgnoreConfiguredEndpoints(const Environment& env,
                                                    const Profile* profile) {
  if (auto value = env.Get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) {
    return ParseBoolSetting("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", *value);
  }
  if (profile != nullptr) {
    if (const std::string* value = profile->Get("ignore_configured_endpoint_urls")) {
      return ParseBoolSetting("ignore_configured_endpoint_urls in profile " + profile->name,
                              *value);
    }
  }
  return false;
}

Result<std::optional<ConfiguredEndpoint>, std::string> FindConfiguredEndpoint(
    const Environment& env, const SharedConfig& config, const Profile* profile,
    ServiceNames service) {
  auto ignore = IgnoreConfiguredEndpoints(env, profile);
  if (!ignore) return Fail(std::move(ignore.error()));
  if (*ignore) return std::optional<ConfiguredEndpoint>();

  std::optional<ConfiguredEndpoint> found;
  const std::string service_env = "AWS_ENDPOINT_URL_" + std::string(service.env_suffix);
  if (auto service_url = env.Get(service_env)) {
    found = ConfiguredEndpoint{*service_url, service_env};
  } else if (auto global = env.Get("AWS_ENDPOINT_URL")) {
    found = ConfiguredEndpoint{*global, "AWS_ENDPOINT_URL"};
  } else if (profile != nullptr) {
    const std::string* services = profile->Get("services");
    const PropertyMap* block =
        services != nullptr ? config.ServiceSettings(*services, service.config_key) : nullptr;
    auto in_block = block != nullptr ? block->find("endpoint_url") : PropertyMap::const_iterator();
    if (block != nullptr && in_block != block->end() && !in_block->second.empty()) {
      found = ConfiguredEndpoint{
          in_block->second,
          "[services " + *services + "] " + std::string(service.config_key) + ".endpoint_url"};
    } else if (const std::string* url = profile->Get("endpoint_url"); url && !url->empty()) {
      found = ConfiguredEndpoint{*url, "endpoint_url in profile " + profile->name};
    }
  }
  if (found) {
    auto valid = ValidateEndpointUrl(found->url, found->source);
    if (!valid) return Fail(std::move(valid.error()));
  }
  return found;
}

}  // namespace dbtrotate::aws

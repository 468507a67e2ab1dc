// Diagnose(): the settings and checks of `dbt-rotate doctor` (doctor.h). Reads only.

#include <optional>
#include <string>

#include "cli/doctor.h"
#include "core/iso8601.h"
#include "dbtcloud/access_url.h"
#include "rotation/secret_value.h"

namespace dbtrotate::cli {

namespace {

// Which of several places a value came from: the first that is set.
std::string FirstSource(bool flag, const char* flag_name, const aws::Environment& env,
                        const char* variable, const char* otherwise) {
  if (flag) return flag_name;
  if (env.Get(variable)) return variable;
  return otherwise;
}

class Doctor {
 public:
  Doctor(const DoctorFlags& flags, const aws::Environment& env, Runtime& runtime)
      : flags_(flags), env_(env), runtime_(runtime) {}

  DoctorReport Run() {
    AddAwsSettings();
    if (CheckCredentials() && flags_.secret_id) {
      auto secret = CheckSecret(*flags_.secret_id, rotation::SecretRole::kRotated, true);
      std::optional<rotation::TokenSecret> manager;
      if (flags_.manager_secret_id) {
        manager = CheckSecret(*flags_.manager_secret_id, rotation::SecretRole::kManager, false);
      }
      AddDbtSettings(secret ? &*secret : nullptr);
      if (secret && (manager || !flags_.manager_secret_id)) CheckDbtCloud(*secret, manager);
    } else {
      AddDbtSettings(nullptr);
    }
    if (!flags_.secret_id) {
      Skip("secret and token", "give --secret-id to check the secret, dbt Cloud and the token");
    }
    return std::move(report_);
  }

 private:
  void Setting(std::string name, std::string value, std::string source) {
    report_.settings.push_back({std::move(name), std::move(value), std::move(source)});
  }
  void Ok(std::string name, std::string detail) {
    report_.checks.push_back({std::move(name), CheckStatus::kOk, std::move(detail)});
  }
  void Failed(std::string name, std::string detail) {
    report_.checks.push_back({std::move(name), CheckStatus::kFailed, std::move(detail)});
  }
  void Skip(std::string name, std::string detail) {
    report_.checks.push_back({std::move(name), CheckStatus::kSkipped, std::move(detail)});
  }

  void AddAwsSettings() {
    const auto& aws = runtime_.aws_config;
    Setting("AWS profile", aws.profile + (aws.profile_exists ? "" : " (not in the shared files)"),
            FirstSource(flags_.connection.profile.has_value(), "--profile", env_, "AWS_PROFILE",
                        "default"));
    Setting("AWS region", aws.region, aws.region_source);
    Setting("Secrets Manager endpoint", aws.endpoint_url, aws.endpoint_source);
    Setting("AWS CA bundle", aws.ca_bundle.value_or("the system's"),
            aws.ca_bundle ? aws.ca_bundle_source : "default");
    const bool timeout = flags_.connection.timeout_seconds.has_value();
    Setting("request timeout",
            timeout ? std::to_string(*flags_.connection.timeout_seconds) + " s" : "30 s",
            timeout ? "--timeout" : "default");
    for (const char* proxy : {"HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"}) {
      // The value may hold proxy credentials: only say that it is set.
      if (env_.Get(proxy)) Setting(proxy, "set", "environment");
    }
  }

  void AddDbtSettings(const rotation::TokenSecret* secret) {
    const auto& connection = runtime_.connection;
    if (connection.account_id) {
      Setting("dbt Cloud account id", std::to_string(*connection.account_id),
              FirstSource(flags_.connection.account_id.has_value(), "--account-id", env_,
                          "DBT_CLOUD_ACCOUNT_ID", "?"));
    } else if (secret != nullptr && secret->account_id) {
      Setting("dbt Cloud account id", std::to_string(*secret->account_id), "the secret");
    } else {
      Setting("dbt Cloud account id", "not set", "nowhere: use --account-id");
    }
    std::optional<std::string> url = connection.access_url;
    std::string source = FirstSource(flags_.connection.access_url.has_value(), "--access-url", env_,
                                     "DBT_CLOUD_HOST", "?");
    if (!url && secret != nullptr && secret->access_url) {
      url = secret->access_url;
      source = "the secret";
    }
    if (!url) {
      Setting("dbt Cloud API", "not set", "nowhere: use --access-url");
      return;
    }
    auto parsed = dbtcloud::ParseAccessUrl(*url);
    Setting("dbt Cloud API", parsed ? parsed->base + "/api/v3" : *url + " (unusable)", source);
    const bool ca = flags_.connection.ca_bundle.has_value() || env_.Get("SSL_CERT_FILE");
    Setting(
        "dbt Cloud CA bundle",
        flags_.connection.ca_bundle.value_or(env_.Get("SSL_CERT_FILE").value_or("the system's")),
        ca ? FirstSource(flags_.connection.ca_bundle.has_value(), "--ca-bundle", env_,
                         "SSL_CERT_FILE", "default")
           : "default");
  }

  bool CheckCredentials() {
    auto credentials = runtime_.credentials->Resolve();
    if (!credentials) {
      Failed("AWS credentials", credentials.error().message);
      return false;
    }
    std::string detail = "from " + (*credentials)->source;
    if (!(*credentials)->session_token.empty()) detail += ", temporary";
    if ((*credentials)->expiration) {
      detail += ", expire " + FormatIso8601((*credentials)->expiration.value());
    }
    Ok("AWS credentials", detail);
    return true;
  }

  // DescribeSecret, GetSecretValue (parsed), ListSecretVersionIds: the read permissions a
  // rotation needs, each shown allowed or denied.
  std::optional<rotation::TokenSecret> CheckSecret(const std::string& id, rotation::SecretRole role,
                                                   bool list_versions) {
    const std::string on = " on '" + id + "'";
    auto& secrets = *runtime_.secrets;
    auto described = secrets.DescribeSecret(id);
    if (!AwsCallOk("secretsmanager:DescribeSecret" + on, described.has_value(),
                   described ? nullptr : &described.error(), DescribeDetail(described))) {
      return std::nullopt;
    }
    auto value = secrets.GetSecretValue({id, std::nullopt, std::nullopt});
    if (!AwsCallOk("secretsmanager:GetSecretValue" + on, value.has_value(),
                   value ? nullptr : &value.error(), "allowed")) {
      return std::nullopt;
    }
    if (list_versions) {
      auto versions = secrets.ListSecretVersionIds(id, false);
      AwsCallOk("secretsmanager:ListSecretVersionIds" + on, versions.has_value(),
                versions ? nullptr : &versions.error(), "allowed");
      Skip("secretsmanager:PutSecretValue, UpdateSecretVersionStage" + on,
           "not verifiable without writing (doctor writes nothing); rotate needs both");
    }
    auto parsed = rotation::ParseTokenSecret(*value, role, "secret '" + id + "' AWSCURRENT");
    if (!parsed) {
      Failed("value of '" + id + "'", parsed.error().message);
      return std::nullopt;
    }
    Ok("value of '" + id + "'",
       parsed->service_token_id != 0
           ? "a token secret for token " + std::to_string(parsed->service_token_id)
           : "a token secret");
    return std::move(*parsed);
  }

  std::string DescribeDetail(const aws::AwsResult<aws::SecretDescription>& described) {
    if (!described) return "";
    std::string detail = "allowed";
    for (const auto& [version, stages] : described->version_ids_to_stages) {
      for (const auto& stage : stages) {
        if (stage == "AWSPENDING") {
          detail += "; AWSPENDING is set (version " + version +
                    "): a rotation is in progress or was interrupted, see `dbt-rotate status`";
        }
      }
    }
    if (described->deleted_date) detail += "; the secret is scheduled for deletion";
    return detail;
  }

  bool AwsCallOk(const std::string& name, bool ok, const aws::Error* error,
                 const std::string& detail) {
    if (ok) {
      if (!reached_aws_) Ok("Secrets Manager reachable", runtime_.aws_config.endpoint_url);
      reached_aws_ = true;
      Ok(name, detail);
      return true;
    }
    if (error->code == aws::ErrorCode::kTransport) {
      Failed("Secrets Manager reachable", runtime_.aws_config.endpoint_url + ": " + error->message);
      return false;
    }
    if (!reached_aws_) Ok("Secrets Manager reachable", runtime_.aws_config.endpoint_url);
    reached_aws_ = true;
    std::string why = error->message;
    if (error->code == aws::ErrorCode::kAccessDenied) why = "denied: " + why;
    Failed(name, why);
    return false;
  }

  void CheckDbtCloud(const rotation::TokenSecret& secret,
                     const std::optional<rotation::TokenSecret>& manager) {
    rotation::ConnectionInfo info;
    info.account_id = runtime_.connection.account_id.value_or(secret.account_id.value_or(0));
    info.access_url = runtime_.connection.access_url.value_or(secret.access_url.value_or(""));
    if (info.account_id == 0 || info.access_url.empty()) {
      Failed("dbt Cloud", "no account id or access URL: give --account-id and --access-url");
      return;
    }
    const std::int64_t id = secret.service_token_id;
    auto own = runtime_.dbt_factory(info, secret.service_token.Clone());
    if (!own) {
      Failed("dbt Cloud", "the account id or access URL is unusable");
      return;
    }
    auto row = own->GetServiceToken(id);
    if (!row && row.error().code == dbtcloud::ErrorCode::kTransport) {
      Failed("dbt Cloud reachable", row.error().message);
      return;
    }
    Ok("dbt Cloud reachable", info.access_url);
    TokenVerdict("token " + std::to_string(id) + " authenticates", row, !manager.has_value());
    if (manager) {
      auto as_manager = own->WithToken(manager->service_token.Clone());
      TokenVerdict("manager token can read token " + std::to_string(id),
                   as_manager->GetServiceToken(id), true);
    }
  }

  void TokenVerdict(const std::string& name, const dbtcloud::DbtResult<dbtcloud::ServiceToken>& row,
                    bool must_read) {
    if (row) {
      if (!row->active()) {
        Failed(name, "dbt Cloud shows token " + std::to_string(row->id) + " as not active");
      } else {
        Ok(name, "yes: '" + row->name + "' is active");
      }
      return;
    }
    const auto& error = row.error();
    if (error.code == dbtcloud::ErrorCode::kUnauthenticated) {
      Failed(name,
             "dbt Cloud rejected it (401): revoked, another account, or the wrong access "
             "URL (cell-based accounts need their own host)");
    } else if (error.code == dbtcloud::ErrorCode::kForbiddenOrNotFound && !must_read) {
      Ok(name, "authenticated; it cannot read its own record (fine with --manager-secret-id)");
    } else if (error.code == dbtcloud::ErrorCode::kForbiddenOrNotFound) {
      Failed(name,
             "authenticated, but cannot read the token (403/404): creating and revoking "
             "needs account_admin; rotate with --manager-secret-id otherwise");
    } else {
      Failed(name, error.message);
    }
  }

  const DoctorFlags& flags_;
  const aws::Environment& env_;
  Runtime& runtime_;
  DoctorReport report_;
  bool reached_aws_ = false;
};

}  // namespace

DoctorReport Diagnose(const DoctorFlags& flags, const aws::Environment& env, Runtime& runtime) {
  return Doctor(flags, env, runtime).Run();
}

}  // namespace dbtrotate::cli

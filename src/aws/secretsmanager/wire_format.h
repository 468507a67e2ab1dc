#ifndef DBTROTATE_AWS_SECRETSMANAGER_WIRE_FORMAT_H_
#define DBTROTATE_AWS_SECRETSMANAGER_WIRE_FORMAT_H_

// The JSON 1.1 bodies of the operations we use (reference §1, §2): encoders leave out unset
// members, decoders accept only the documented types (timestamps as a number or a numeric
// string) and report the first member that is wrong. Secret values move straight between the
// JSON document and SecretString; WipeJson clears every string left in a document.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "aws/secretsmanager/types.h"
#include "core/json_wipe.h"
#include "core/result.h"

namespace dbtrotate::aws {

nlohmann::json EncodeGetSecretValue(const GetSecretValueRequest& request);
nlohmann::json EncodePutSecretValue(const PutSecretValueRequest& request);
nlohmann::json EncodeDescribeSecret(const std::string& secret_id);
nlohmann::json EncodeUpdateSecretVersionStage(const UpdateSecretVersionStageRequest& request);
nlohmann::json EncodeCreateSecret(const CreateSecretRequest& request);
nlohmann::json EncodeListSecretVersionIds(const std::string& secret_id, bool include_deprecated,
                                          int max_results,
                                          const std::optional<std::string>& next_token);

/// Serializes compactly, then wipes every string in `document` (it may hold a secret value).
/// Fails, without echoing any of it, when a string is not valid UTF-8.
Result<std::string, std::string> DumpAndWipe(nlohmann::json& document);

/// WipeJsonStrings (core/json_wipe.h), then resets the document to null.
void WipeJson(nlohmann::json& document);

/// Parses a response body; a parse failure is reported without quoting the body.
Result<nlohmann::json, std::string> ParseBody(std::string_view body);

/// Decoders take the document by reference so the secret value can be moved out of it.
Result<SecretValue, std::string> DecodeSecretValue(nlohmann::json& document);
Result<PutSecretValueResult, std::string> DecodePutSecretValue(nlohmann::json& document);
Result<SecretDescription, std::string> DecodeDescribeSecret(nlohmann::json& document);
Result<CreateSecretResult, std::string> DecodeCreateSecret(nlohmann::json& document);

struct VersionsPage {
  std::vector<SecretVersion> versions;
  std::optional<std::string> next_token;  // absent (or empty) = last page
};
Result<VersionsPage, std::string> DecodeVersionsPage(nlohmann::json& document);

/// Epoch seconds (number, possibly fractional, or numeric string) → time, millisecond precision.
std::optional<SystemTime> ParseEpochSeconds(const nlohmann::json& value);

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_SECRETSMANAGER_WIRE_FORMAT_H_

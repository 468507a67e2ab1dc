#ifndef DBTROTATE_ROTATION_SECRET_JSON_H_
#define DBTROTATE_ROTATION_SECRET_JSON_H_

// A parsed secret value. Users keep their own keys in the secret (possibly other
// credentials), so the whole document is treated as secret: every string in it is wiped when
// it is destroyed, and it only leaves as a SecretString.

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/result.h"
#include "core/secret_string.h"

namespace dbtrotate::rotation {

/// Insertion-ordered, so a rotation keeps the user's key order.
using Json = nlohmann::ordered_json;

/// Wipes every string value in `doc` (object keys are names, not secrets).
void WipeJson(Json& doc);

class SecretJson {
 public:
  SecretJson() : doc_(Json::object()) {}
  explicit SecretJson(Json doc) : doc_(std::move(doc)) {}
  ~SecretJson() { WipeJson(doc_); }
  SecretJson(SecretJson&& other) noexcept : doc_(std::move(other.doc_)) {}
  SecretJson& operator=(SecretJson&& other) noexcept;
  SecretJson(const SecretJson&) = delete;
  SecretJson& operator=(const SecretJson&) = delete;

  /// Parses without letting the parser's message (which quotes the input) escape: on failure
  /// the error is only the byte offset.
  static Result<SecretJson, std::size_t> Parse(std::string_view text);

  SecretJson Clone() const { return SecretJson(doc_); }
  Json& doc() { return doc_; }
  const Json& doc() const { return doc_; }
  SecretString Serialize() const;

 private:
  Json doc_;
};

}  // namespace dbtrotate::rotation

#endif  // DBTROTATE_ROTATION_SECRET_JSON_H_

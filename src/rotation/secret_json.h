#ifndef DBTROTATE_ROTATION_SECRET_JSON_H_
#define DBTROTATE_ROTATION_SECRET_JSON_H_

// A parsed secret value. Users keep their own keys in the secret (possibly other
// credentials), so the whole document is treated as secret: every string in it is wiped when
// it is destroyed, and it only leaves as a SecretString.
//
// The README promises that a user's keys survive every rotation unchanged, so each top-level
// member keeps its original text and is written back byte for byte unless it was replaced:
// a JSON parser would turn 123456789012345678901234567890 or 1.0000000000000000001 into a
// double, and refuses 1E400 outright (which Python's json, the notebook's reader, accepts).

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>

#include "core/json_limits.h"
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
  SecretJson(SecretJson&& other) noexcept = default;
  SecretJson& operator=(SecretJson&& other) noexcept;
  SecretJson(const SecretJson&) = delete;
  SecretJson& operator=(const SecretJson&) = delete;

  /// Parses with the limits of core/json_limits.h (depth, repeated keys) without letting the
  /// parser's message (which quotes the input) escape. A number too large for a double is
  /// accepted (held as 0 in doc(), its text kept for writing back); overflowed() names the
  /// top-level keys that hold one.
  static Result<SecretJson, JsonError> Parse(std::string_view text);

  SecretJson Clone() const;
  Json& doc() { return doc_; }
  const Json& doc() const { return doc_; }
  /// Top-level keys whose value holds a number too large for a double.
  const std::set<std::string>& overflowed() const { return overflowed_; }
  /// Drops the original text of a top-level key: call before replacing its value in doc().
  void ForgetOriginal(const std::string& key);
  /// Every top-level member in doc() order: its original text where it has one, else doc()'s.
  SecretString Serialize() const;

 private:
  struct Original {
    std::string key_text;  // the key as written, quotes and escapes included
    SecretString value_text;
  };

  Json doc_;
  std::map<std::string, Original, std::less<>> originals_;
  std::set<std::string> overflowed_;
};

}  // namespace dbtrotate::rotation

#endif  // DBTROTATE_ROTATION_SECRET_JSON_H_

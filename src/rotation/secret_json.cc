#include "rotation/secret_json.h"

#include <string>
#include <utility>

#include "core/json_wipe.h"
#include "rotation/secret_json_text.h"

namespace dbtrotate::rotation {

namespace {

std::string DumpNoThrow(const Json& value) {
  // `replace` instead of throwing: a value we add (an access URL from the command line) could
  // be invalid UTF-8.
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

void WipeJson(Json& doc) { WipeJsonStrings(doc); }

SecretJson& SecretJson::operator=(SecretJson&& other) noexcept {
  if (this != &other) {
    WipeJson(doc_);
    doc_ = std::move(other.doc_);
    originals_ = std::move(other.originals_);
    overflowed_ = std::move(other.overflowed_);
  }
  return *this;
}

Result<SecretJson, JsonError> SecretJson::Parse(std::string_view text) {
  std::string copy(text);
  const auto overflows = secret_text::NeutralizeOverflowingNumbers(copy);
  auto doc = ParseJsonLimited<Json>(copy, kMaxJsonDepth, &WipeJson);
  WipeString(copy);
  if (!doc) return Fail(doc.error());
  SecretJson out(std::move(*doc));
  if (!out.doc_.is_object()) return out;
  for (const auto& member : secret_text::TopLevelMembers(text)) {
    const std::string_view key_text =
        text.substr(member.key.begin, member.key.end - member.key.begin);
    auto key = ParseJsonLimited<Json>(key_text);
    if (!key || !key->is_string()) continue;  // cannot happen for text the parser accepted
    const std::string& name = key->get_ref<const std::string&>();
    for (const auto& span : overflows) {
      if (span.begin >= member.value.begin && span.end <= member.value.end) {
        out.overflowed_.insert(name);
      }
    }
    out.originals_[name] = Original{
        std::string(key_text), SecretString::CopyOf(text.substr(
                                   member.value.begin, member.value.end - member.value.begin))};
  }
  return out;
}

SecretJson SecretJson::Clone() const {
  SecretJson copy(doc_);
  for (const auto& [name, original] : originals_) {
    copy.originals_[name] = Original{original.key_text, original.value_text.Clone()};
  }
  copy.overflowed_ = overflowed_;
  return copy;
}

void SecretJson::ForgetOriginal(const std::string& key) {
  originals_.erase(key);
  overflowed_.erase(key);
}

SecretString SecretJson::Serialize() const {
  if (originals_.empty() || !doc_.is_object()) return SecretString(DumpNoThrow(doc_));
  // Reserved up front so that appending never leaves an unwiped copy behind.
  std::string whole = DumpNoThrow(doc_);
  std::size_t capacity = whole.size() + 2;
  WipeString(whole);
  for (const auto& [name, original] : originals_) {
    capacity += original.key_text.size() + original.value_text.size() + 2;
  }
  std::string text;
  text.reserve(capacity);
  text += '{';
  for (const auto& [key, value] : doc_.items()) {
    if (text.size() > 1) text += ',';
    const auto original = originals_.find(key);
    if (original != originals_.end()) {
      text += original->second.key_text;
      text += ':';
      text += original->second.value_text.expose();
    } else {
      text += DumpNoThrow(Json(key));
      text += ':';
      std::string dumped = DumpNoThrow(value);
      text += dumped;
      WipeString(dumped);
    }
  }
  text += '}';
  return SecretString(std::move(text));  // wipes `text`
}

}  // namespace dbtrotate::rotation

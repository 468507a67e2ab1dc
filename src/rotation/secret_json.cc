#include "rotation/secret_json.h"

#include <string>
#include <utility>

namespace dbtrotate::rotation {

void WipeJson(Json& doc) {
  if (doc.is_string()) {
    WipeString(doc.get_ref<std::string&>());
  } else if (doc.is_structured()) {
    for (auto& item : doc) WipeJson(item);
  }
}

SecretJson& SecretJson::operator=(SecretJson&& other) noexcept {
  if (this != &other) {
    WipeJson(doc_);
    doc_ = std::move(other.doc_);
  }
  return *this;
}

Result<SecretJson, std::size_t> SecretJson::Parse(std::string_view text) {
  try {
    return SecretJson(Json::parse(text));
  } catch (const nlohmann::json::parse_error& e) {
    return Fail(e.byte);  // e.what() quotes the input ("last read: …"): never surface it
  } catch (const nlohmann::json::exception&) {
    return Fail(std::size_t{0});
  }
}

SecretString SecretJson::Serialize() const {
  // `replace` instead of throwing: a value we add (an access URL from the command line) could
  // be invalid UTF-8.
  std::string text = doc_.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return SecretString(std::move(text));  // wipes `text`
}

}  // namespace dbtrotate::rotation

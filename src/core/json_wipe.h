#ifndef DBTROTATE_CORE_JSON_WIPE_H_
#define DBTROTATE_CORE_JSON_WIPE_H_

// Wiping a parsed JSON document that held (or may hold) a secret: a token in a create reply, a
// secret value, credentials, a rotation event. Every string value is overwritten in place
// before the document is freed; object keys are member names and stay. Also the `discard` hook
// of ParseJsonLimited (core/json_limits.h), for a document refused half-way.

#include <string>

#include "core/secret_string.h"

namespace dbtrotate {

template <class BasicJson>
void WipeJsonStrings(BasicJson& value) {
  if (value.is_string()) {
    WipeString(value.template get_ref<std::string&>());
  } else if (value.is_structured()) {
    for (auto& item : value) WipeJsonStrings(item);
  }
}

}  // namespace dbtrotate

#endif  // DBTROTATE_CORE_JSON_WIPE_H_

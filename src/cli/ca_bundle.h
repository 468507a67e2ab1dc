#ifndef DBTROTATE_CLI_CA_BUNDLE_H_
#define DBTROTATE_CLI_CA_BUNDLE_H_

// A CA bundle named by --ca-bundle, SSL_CERT_FILE, AWS_CA_BUNDLE or a profile's ca_bundle is
// checked before anything is sent: a regular file of bounded size holding at least one PEM
// certificate. Otherwise libcurl would only fail at the first request (exit 1 instead of 2).

#include <string>
#include <string_view>

#include "core/result.h"

namespace dbtrotate::cli {

/// `source` names the setting in the message ("--ca-bundle", "AWS_CA_BUNDLE").
Result<void, std::string> CheckCaBundle(const std::string& path, std::string_view source);

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_CA_BUNDLE_H_

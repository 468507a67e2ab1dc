#ifndef DBTROTATE_AWS_CREDENTIALS_TEXT_UTIL_H_
#define DBTROTATE_AWS_CREDENTIALS_TEXT_UTIL_H_

// Small string helpers shared by the config parsers and providers.

#include <string>
#include <string_view>

namespace dbtrotate::aws {

/// Strips spaces, tabs, CR and LF at both ends.
std::string_view Trim(std::string_view text);
/// A short, printable rendering of untrusted text for error messages (non-printable bytes become
/// '?', long text is cut). Never use it on secrets.
std::string Printable(std::string_view text, std::size_t max_chars = 200);
/// application/x-www-form-urlencoded with RFC 3986 escaping (what the AWS query protocol sends).
std::string FormEncode(std::string_view text);

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_TEXT_UTIL_H_

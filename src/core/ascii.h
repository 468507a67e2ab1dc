#ifndef DBTROTATE_CORE_ASCII_H_
#define DBTROTATE_CORE_ASCII_H_

// ASCII case helpers for protocol text (header names, hosts, schemes, AWS codes): never
// locale-dependent, unlike std::tolower on a char that may be negative.

#include <string>
#include <string_view>

namespace dbtrotate {

std::string AsciiLower(std::string_view text);
bool AsciiEqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace dbtrotate

#endif  // DBTROTATE_CORE_ASCII_H_

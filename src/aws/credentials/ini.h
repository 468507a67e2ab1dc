#ifndef DBTROTATE_AWS_CREDENTIALS_INI_H_
#define DBTROTATE_AWS_CREDENTIALS_INI_H_

// The INI dialect of ~/.aws/config and ~/.aws/credentials (reference §5.3), parsed the way
// botocore's configparser does: whole-line comments (`#`, `;`), `name = value` (or `name: value`)
// with whitespace trimmed and names lowercased, no inline comments, and an indented block under
// an empty `name =` read as one level of sub-properties (`[services]` sections). Duplicate
// sections or names are errors, as in Python's strict configparser.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dbtrotate::aws {

using PropertyMap = std::map<std::string, std::string, std::less<>>;

struct IniSection {
  std::string name;  // the text between the brackets, trimmed
  int line = 0;      // where the header is, for messages
  PropertyMap values;
  std::map<std::string, PropertyMap, std::less<>> sub_properties;

  IniSection() = default;
  IniSection(const IniSection&) = default;
  IniSection(IniSection&&) noexcept = default;
  IniSection& operator=(const IniSection&) = default;
  IniSection& operator=(IniSection&&) noexcept = default;
  /// Wipes every value: a profile section holds secret keys.
  ~IniSection();

  const std::string* Value(std::string_view key) const;
};

struct IniFile {
  std::string path;
  std::vector<IniSection> sections;

  const IniSection* Find(std::string_view name) const;
};

/// `path` only labels messages ("path:line: what is wrong"); messages never quote values.
Result<IniFile, std::string> ParseIni(std::string_view text, std::string_view path);

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_INI_H_

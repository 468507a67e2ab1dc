#include "aws/credentials/ini.h"

#include "aws/credentials/text_util.h"
#include "core/ascii.h"
#include "core/secret_string.h"

namespace dbtrotate::aws {

namespace {

std::size_t IndentOf(std::string_view line) {
  std::size_t indent = 0;
  while (indent < line.size() && (line[indent] == ' ' || line[indent] == '\t')) ++indent;
  return indent;
}

bool IsComment(std::string_view trimmed) {
  return !trimmed.empty() && (trimmed.front() == '#' || trimmed.front() == ';');
}

// Splits "name = value" or "name: value" at the first delimiter.
bool SplitAssignment(std::string_view trimmed, std::string* key, std::string* value) {
  std::size_t at = trimmed.find_first_of("=:");
  if (at == std::string_view::npos) return false;
  *key = AsciiLower(Trim(trimmed.substr(0, at)));
  *value = std::string(Trim(trimmed.substr(at + 1)));
  return true;
}

class Parser {
 public:
  explicit Parser(std::string_view path) : path_(path) {}

  Result<IniFile, std::string> Parse(std::string_view text) {
    IniFile file;
    file.path = std::string(path_);
    int line_number = 0;
    while (!text.empty()) {
      std::size_t end = text.find('\n');
      std::string_view line = text.substr(0, end);
      text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
      ++line_number;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      std::string error;
      if (!ParseLine(file, line, line_number, &error)) return Fail(std::move(error));
    }
    return file;
  }

 private:
  std::string Where(int line) const { return std::string(path_) + ":" + std::to_string(line); }

  bool ParseLine(IniFile& file, std::string_view line, int number, std::string* error) {
    std::string_view trimmed = Trim(line);
    if (trimmed.empty() || IsComment(trimmed)) return true;
    std::size_t indent = IndentOf(line);

    // An indented line below a setting continues it (configparser's rule).
    if (current_key_ != nullptr && indent > key_indent_) {
      return Continue(file, trimmed, number, error);
    }
    current_key_ = nullptr;

    if (trimmed.front() == '[') return StartSection(file, trimmed, number, error);

    std::string key;
    std::string value;
    if (!SplitAssignment(trimmed, &key, &value)) {
      *error = Where(number) + ": expected \"name = value\" or \"[section]\"";
      return false;
    }
    if (file.sections.empty()) {
      *error = Where(number) + ": setting \"" + Printable(key, 64) +
               "\" appears before any [section] header";
      WipeString(value);
      return false;
    }
    if (key.empty()) {
      *error = Where(number) + ": setting with an empty name";
      WipeString(value);
      return false;
    }
    IniSection& section = file.sections.back();
    if (section.values.count(key) != 0) {
      *error = Where(number) + ": \"" + Printable(key, 64) + "\" is set twice in [" +
               Printable(section.name, 64) + "]";
      WipeString(value);
      return false;
    }
    auto [it, inserted] = section.values.emplace(key, std::move(value));
    current_key_ = &it->first;
    key_indent_ = indent;
    key_value_was_empty_ = it->second.empty();
    return true;
  }

  bool StartSection(IniFile& file, std::string_view trimmed, int number, std::string* error) {
    std::size_t close = trimmed.find(']');
    if (close == std::string_view::npos) {
      *error = Where(number) + ": section header without a closing ']'";
      return false;
    }
    std::string_view rest = Trim(trimmed.substr(close + 1));
    if (!rest.empty() && !IsComment(rest)) {
      *error = Where(number) + ": unexpected text after the section header";
      return false;
    }
    std::string_view name = Trim(trimmed.substr(1, close - 1));
    if (name.empty()) {
      *error = Where(number) + ": empty section name";
      return false;
    }
    if (const IniSection* existing = file.Find(name); existing != nullptr) {
      *error = Where(number) + ": section [" + Printable(name, 64) +
               "] appears twice (first at line " + std::to_string(existing->line) + ")";
      return false;
    }
    IniSection section;
    section.name = std::string(name);
    section.line = number;
    file.sections.push_back(std::move(section));
    return true;
  }

  bool Continue(IniFile& file, std::string_view trimmed, int number, std::string* error) {
    IniSection& section = file.sections.back();
    if (!key_value_was_empty_) {
      // A multi-line value; botocore keeps the lines joined with '\n'.
      std::string& value = section.values.find(*current_key_)->second;
      value.push_back('\n');
      value.append(trimmed);
      return true;
    }
    std::string key;
    std::string value;
    if (!SplitAssignment(trimmed, &key, &value) || key.empty()) {
      *error = Where(number) + ": expected \"name = value\" in the block under \"" +
               Printable(*current_key_, 64) + "\"";
      return false;
    }
    PropertyMap& block = section.sub_properties[*current_key_];
    if (block.count(key) != 0) {
      *error = Where(number) + ": \"" + Printable(key, 64) + "\" is set twice under \"" +
               Printable(*current_key_, 64) + "\"";
      WipeString(value);
      return false;
    }
    block.emplace(std::move(key), std::move(value));
    return true;
  }

  std::string_view path_;
  const std::string* current_key_ = nullptr;  // the setting an indented line would continue
  std::size_t key_indent_ = 0;
  bool key_value_was_empty_ = false;
};

}  // namespace

IniSection::~IniSection() {
  for (auto& [key, value] : values) WipeString(value);
  for (auto& [key, block] : sub_properties) {
    for (auto& [sub_key, value] : block) WipeString(value);
  }
}

const std::string* IniSection::Value(std::string_view key) const {
  auto it = values.find(key);
  return it == values.end() ? nullptr : &it->second;
}

const IniSection* IniFile::Find(std::string_view name) const {
  for (const auto& section : sections) {
    if (section.name == name) return &section;
  }
  return nullptr;
}

Result<IniFile, std::string> ParseIni(std::string_view text, std::string_view path) {
  return Parser(path).Parse(text);
}

}  // namespace dbtrotate::aws

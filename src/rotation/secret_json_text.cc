#include "rotation/secret_json_text.h"

#include <cmath>
#include <cstdlib>

namespace dbtrotate::rotation::secret_text {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsNumberChar(char c) {
  return IsDigit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// Index one past the string starting at text[at] == '"' (escapes skipped).
std::size_t SkipString(std::string_view text, std::size_t at) {
  for (std::size_t i = at + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return text.size();
}

std::size_t SkipSpace(std::string_view text, std::size_t at) {
  while (at < text.size() && IsSpace(text[at])) ++at;
  return at;
}

// RFC 8259: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
bool IsJsonNumber(std::string_view token) {
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t start = i;
    while (i < token.size() && IsDigit(token[i])) ++i;
    return i > start;
  };
  if (i < token.size() && token[i] == '-') ++i;
  if (i < token.size() && token[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < token.size() && token[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    if (i < token.size() && (token[i] == '+' || token[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == token.size();
}

bool OverflowsDouble(std::string_view token) {
  const std::string copy(token);  // strtod needs a terminated string
  return std::isinf(std::strtod(copy.c_str(), nullptr));
}

}  // namespace

std::vector<Span> NeutralizeOverflowingNumbers(std::string& text) {
  std::vector<Span> spans;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      i = SkipString(text, i);
    } else if (c == '-' || IsDigit(c)) {
      std::size_t end = i;
      while (end < text.size() && IsNumberChar(text[end])) ++end;
      const std::string_view token(text.data() + i, end - i);
      if (IsJsonNumber(token) && OverflowsDouble(token)) {
        text[i] = '0';
        for (std::size_t k = i + 1; k < end; ++k) text[k] = ' ';
        spans.push_back(Span{i, end});
      }
      i = end;
    } else {
      ++i;
    }
  }
  return spans;
}

std::vector<Member> TopLevelMembers(std::string_view text) {
  std::vector<Member> members;
  // nlohmann skips a UTF-8 byte order mark; so must we, or the members would not be found.
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  std::size_t i = SkipSpace(text, text.substr(0, kBom.size()) == kBom ? kBom.size() : 0);
  if (i >= text.size() || text[i] != '{') return members;
  ++i;
  while (true) {
    i = SkipSpace(text, i);
    if (i >= text.size() || text[i] != '"') return members;  // '}' or not an object
    Member member;
    member.key = Span{i, SkipString(text, i)};
    i = SkipSpace(text, member.key.end);
    if (i >= text.size() || text[i] != ':') return members;
    i = SkipSpace(text, i + 1);
    member.value.begin = i;
    int depth = 0;
    while (i < text.size()) {
      const char c = text[i];
      if (c == '"') {
        i = SkipString(text, i);
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        if (depth == 0) break;
        --depth;
      }
      if (c == ',' && depth == 0) break;
      ++i;
    }
    std::size_t end = i;
    while (end > member.value.begin && IsSpace(text[end - 1])) --end;
    member.value.end = end;
    members.push_back(member);
    if (i >= text.size() || text[i] != ',') return members;
    ++i;
  }
}

}  // namespace dbtrotate::rotation::secret_text

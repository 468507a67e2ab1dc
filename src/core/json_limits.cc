#include "core/json_limits.h"

#include <cctype>

namespace dbtrotate {

namespace json_limits_internal {

std::string ShortKey(std::string_view key) {
  constexpr std::size_t kMax = 60;
  std::string out;
  for (const char c : key.substr(0, kMax)) {
    out += std::iscntrl(static_cast<unsigned char>(c)) != 0 ? '?' : c;
  }
  if (key.size() > kMax) out += "…";
  return out;
}

}  // namespace json_limits_internal

std::string DescribeJsonError(const JsonError& error) {
  std::string text;
  switch (error.problem) {
    case JsonProblem::kSyntax:
      text = "is not JSON (syntax error at byte " + std::to_string(error.offset) + ")";
      break;
    case JsonProblem::kNumberOutOfRange:
      text = "has a number too large for a double at byte " + std::to_string(error.offset);
      break;
    case JsonProblem::kTooDeep:
      text = "is nested deeper than " + std::to_string(error.max_depth) + " levels";
      break;
    case JsonProblem::kDuplicateKey:
      text = "has the key '" + error.key + "' twice in one object (ambiguous)";
      break;
  }
  if (!error.top_key.empty()) text += " (in top-level key '" + error.top_key + "')";
  return text;
}

}  // namespace dbtrotate

#include "aws/credentials/text_util.h"

#include <algorithm>
#include <cctype>

#include "aws/sigv4/uri.h"

namespace dbtrotate::aws {

namespace {
bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
}  // namespace

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

std::string Printable(std::string_view text, std::size_t max_chars) {
  std::string out;
  for (char c : text.substr(0, max_chars)) {
    auto byte = static_cast<unsigned char>(c);
    out.push_back(byte >= 0x20 && byte < 0x7f ? c : '?');
  }
  if (text.size() > max_chars) out += "...";
  return out;
}

std::string FormEncode(std::string_view text) { return sigv4::UriEncode(text, false); }

}  // namespace dbtrotate::aws

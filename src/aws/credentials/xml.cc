#include "aws/credentials/xml.h"

#include <cstdint>

#include "core/secret_string.h"

namespace dbtrotate::aws {

namespace {

constexpr std::size_t kMaxDocumentBytes = 1 << 20;
constexpr int kMaxDepth = 32;

bool IsNameChar(char c) {
  auto byte = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == ':' || byte >= 0x80;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

void AppendUtf8(std::uint32_t code, std::string& out) {
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code >> 6)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

bool DecodeCharacterReference(std::string_view body, std::string& out) {
  // body is what sits between "&#" and ";".
  bool hex = !body.empty() && (body[0] == 'x' || body[0] == 'X');
  if (hex) body.remove_prefix(1);
  if (body.empty() || body.size() > 8) return false;
  std::uint32_t code = 0;
  for (char c : body) {
    std::uint32_t digit;
    if (c >= '0' && c <= '9') {
      digit = static_cast<std::uint32_t>(c - '0');
    } else if (hex && c >= 'a' && c <= 'f') {
      digit = static_cast<std::uint32_t>(c - 'a' + 10);
    } else if (hex && c >= 'A' && c <= 'F') {
      digit = static_cast<std::uint32_t>(c - 'A' + 10);
    } else {
      return false;
    }
    code = code * (hex ? 16 : 10) + digit;
  }
  // XML Char production: no NUL, no surrogates, nothing past U+10FFFF.
  if (code == 0 || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return false;
  AppendUtf8(code, out);
  return true;
}

class Parser {
 public:
  explicit Parser(std::string_view doc) : doc_(doc) {}

  Result<XmlElement, std::string> ParseDocument() {
    if (doc_.size() > kMaxDocumentBytes) return Fail(std::string("XML document is too large"));
    if (!SkipMisc()) return Fail(error_);
    if (pos_ >= doc_.size() || doc_[pos_] != '<') return Fail(Error("expected the root element"));
    XmlElement root;
    if (!ParseElement(root, 1)) return Fail(error_);
    if (!SkipMisc()) return Fail(error_);
    if (pos_ != doc_.size()) return Fail(Error("unexpected content after the root element"));
    return root;
  }

 private:
  std::string Error(std::string_view what) {
    return "malformed XML at byte " + std::to_string(pos_) + ": " + std::string(what);
  }
  bool SetError(std::string_view what) {
    error_ = Error(what);
    return false;
  }

  bool StartsWith(std::string_view prefix) const {
    return doc_.substr(pos_, prefix.size()) == prefix;
  }

  bool SkipPast(std::string_view terminator, std::string_view what) {
    std::size_t end = doc_.find(terminator, pos_);
    if (end == std::string_view::npos) return SetError(what);
    pos_ = end + terminator.size();
    return true;
  }

  // Whitespace, comments and processing instructions (the XML declaration) around the root.
  bool SkipMisc() {
    if (pos_ == 0 && StartsWith("\xEF\xBB\xBF")) pos_ += 3;  // UTF-8 byte order mark
    while (pos_ < doc_.size()) {
      if (IsSpace(doc_[pos_])) {
        ++pos_;
      } else if (StartsWith("<?")) {
        if (!SkipPast("?>", "unterminated processing instruction")) return false;
      } else if (StartsWith("<!--")) {
        if (!SkipPast("-->", "unterminated comment")) return false;
      } else if (StartsWith("<!")) {
        return SetError("DOCTYPE and other declarations are not accepted");
      } else {
        break;
      }
    }
    return true;
  }

  bool ParseName(std::string& name) {
    std::size_t start = pos_;
    while (pos_ < doc_.size() && IsNameChar(doc_[pos_])) ++pos_;
    if (pos_ == start) return SetError("expected a name");
    std::string_view full = doc_.substr(start, pos_ - start);
    std::size_t colon = full.rfind(':');
    name = std::string(colon == std::string_view::npos ? full : full.substr(colon + 1));
    if (name.empty()) return SetError("empty local name");
    return true;
  }

  // After the name: attributes up to '>' or '/>'. Values are skipped but must be well formed.
  bool ParseAttributes(bool& self_closing) {
    while (true) {
      while (pos_ < doc_.size() && IsSpace(doc_[pos_])) ++pos_;
      if (pos_ >= doc_.size()) return SetError("unterminated start tag");
      if (doc_[pos_] == '>') {
        ++pos_;
        self_closing = false;
        return true;
      }
      if (StartsWith("/>")) {
        pos_ += 2;
        self_closing = true;
        return true;
      }
      std::string ignored;
      if (!ParseName(ignored)) return false;
      while (pos_ < doc_.size() && IsSpace(doc_[pos_])) ++pos_;
      if (pos_ >= doc_.size() || doc_[pos_] != '=') return SetError("expected '=' in attribute");
      ++pos_;
      while (pos_ < doc_.size() && IsSpace(doc_[pos_])) ++pos_;
      if (pos_ >= doc_.size() || (doc_[pos_] != '"' && doc_[pos_] != '\'')) {
        return SetError("expected a quoted attribute value");
      }
      char quote = doc_[pos_++];
      std::size_t end = doc_.find(quote, pos_);
      if (end == std::string_view::npos) return SetError("unterminated attribute value");
      if (doc_.substr(pos_, end - pos_).find('<') != std::string_view::npos) {
        return SetError("'<' in attribute value");
      }
      pos_ = end + 1;
    }
  }

  bool AppendText(std::string_view raw, XmlElement& element) {
    auto decoded = DecodeXmlEntities(raw);
    if (!decoded) return SetError(decoded.error());
    element.text += *decoded;
    WipeString(*decoded);
    return true;
  }

  bool ParseElement(XmlElement& element, int depth) {
    if (depth > kMaxDepth) return SetError("elements nested too deeply");
    ++pos_;  // '<'
    if (!ParseName(element.name)) return false;
    bool self_closing = false;
    if (!ParseAttributes(self_closing)) return false;
    if (self_closing) return true;

    while (true) {
      std::size_t lt = doc_.find('<', pos_);
      if (lt == std::string_view::npos)
        return SetError("unterminated element <" + element.name + ">");
      if (lt > pos_ && !AppendText(doc_.substr(pos_, lt - pos_), element)) return false;
      pos_ = lt;
      if (StartsWith("</")) {
        pos_ += 2;
        std::string closing;
        if (!ParseName(closing)) return false;
        if (closing != element.name) {
          return SetError("</" + closing + "> does not close <" + element.name + ">");
        }
        while (pos_ < doc_.size() && IsSpace(doc_[pos_])) ++pos_;
        if (pos_ >= doc_.size() || doc_[pos_] != '>') return SetError("unterminated end tag");
        ++pos_;
        return true;
      }
      if (StartsWith("<!--")) {
        if (!SkipPast("-->", "unterminated comment")) return false;
      } else if (StartsWith("<![CDATA[")) {
        pos_ += 9;
        std::size_t end = doc_.find("]]>", pos_);
        if (end == std::string_view::npos) return SetError("unterminated CDATA section");
        element.text.append(doc_.substr(pos_, end - pos_));
        pos_ = end + 3;
      } else if (StartsWith("<?")) {
        if (!SkipPast("?>", "unterminated processing instruction")) return false;
      } else if (StartsWith("<!")) {
        return SetError("declarations are not accepted inside elements");
      } else {
        element.children.emplace_back();
        if (!ParseElement(element.children.back(), depth + 1)) return false;
      }
    }
  }

  std::string_view doc_;
  std::size_t pos_ = 0;
  std::string error_;
};

}  // namespace

XmlElement::~XmlElement() { WipeString(text); }

const XmlElement* XmlElement::Child(std::string_view child_name) const {
  for (const auto& child : children) {
    if (child.name == child_name) return &child;
  }
  return nullptr;
}

const XmlElement* XmlElement::Find(std::initializer_list<std::string_view> path) const {
  const XmlElement* current = this;
  for (std::string_view step : path) {
    current = current->Child(step);
    if (current == nullptr) return nullptr;
  }
  return current;
}

Result<std::string, std::string> DecodeXmlEntities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c != '&') {
      out.push_back(c);
      ++i;
      continue;
    }
    std::size_t semi = text.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 12) {
      WipeString(out);
      return Fail(std::string("'&' that does not start an entity"));
    }
    std::string_view entity = text.substr(i + 1, semi - i - 1);
    if (entity == "amp") {
      out.push_back('&');
    } else if (entity == "lt") {
      out.push_back('<');
    } else if (entity == "gt") {
      out.push_back('>');
    } else if (entity == "quot") {
      out.push_back('"');
    } else if (entity == "apos") {
      out.push_back('\'');
    } else if (entity.size() > 1 && entity[0] == '#' &&
               DecodeCharacterReference(entity.substr(1), out)) {
      // appended
    } else {
      WipeString(out);
      return Fail(std::string("unknown or invalid entity"));
    }
    i = semi + 1;
  }
  return out;
}

Result<XmlElement, std::string> ParseXml(std::string_view document) {
  return Parser(document).ParseDocument();
}

}  // namespace dbtrotate::aws

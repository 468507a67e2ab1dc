#ifndef DBTROTATE_AWS_CREDENTIALS_XML_H_
#define DBTROTATE_AWS_CREDENTIALS_XML_H_

// A deliberately small XML reader for STS query-protocol responses (reference §5.4): elements,
// attributes (skipped), character data, CDATA, comments and the XML declaration. Namespace
// prefixes are dropped from names. DOCTYPE is rejected, so there is no entity expansion beyond
// the five predefined entities and numeric character references. Depth and size are bounded.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dbtrotate::aws {

struct XmlElement {
  std::string name;  // local name, without a namespace prefix
  std::string text;  // decoded character data directly inside this element
  std::vector<XmlElement> children;

  XmlElement() = default;
  XmlElement(const XmlElement&) = default;
  XmlElement(XmlElement&&) noexcept = default;
  XmlElement& operator=(const XmlElement&) = default;
  XmlElement& operator=(XmlElement&&) noexcept = default;
  /// Wipes `text`: an STS response carries the secret key and session token.
  ~XmlElement();

  /// The first child with this local name, or nullptr.
  const XmlElement* Child(std::string_view child_name) const;
  /// Follows a path of child names; nullptr if any step is missing.
  const XmlElement* Find(std::initializer_list<std::string_view> path) const;
};

/// Parses a whole document into its root element. Messages describe the problem and its byte
/// offset, never the document's text.
Result<XmlElement, std::string> ParseXml(std::string_view document);

/// Decodes &amp; &lt; &gt; &quot; &apos; and &#N; / &#xN; (as UTF-8). Fails on anything else.
Result<std::string, std::string> DecodeXmlEntities(std::string_view text);

}  // namespace dbtrotate::aws

#endif  // DBTROTATE_AWS_CREDENTIALS_XML_H_

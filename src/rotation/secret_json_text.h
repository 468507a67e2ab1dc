#ifndef DBTROTATE_ROTATION_SECRET_JSON_TEXT_H_
#define DBTROTATE_ROTATION_SECRET_JSON_TEXT_H_

// Where things are in a secret's JSON text, for keeping a user's members byte for byte
// (secret_json.h). Not a parser: nlohmann validates the text; these only find spans.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dbtrotate::rotation::secret_text {

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;  // one past the last byte
};

/// Overwrites, in `text`, every number that is valid JSON but too large for a double (1E400,
/// -1e999) with "0" padded by spaces (offsets stay valid, the JSON stays valid), so nlohmann
/// (which refuses such numbers) can parse the rest. Returns the spans it overwrote. Strings
/// (escapes included) are skipped; anything that is not a valid number is left for the parser
/// to report.
std::vector<Span> NeutralizeOverflowingNumbers(std::string& text);

struct Member {
  Span key;    // the key's text, quotes included
  Span value;  // the value's text, without surrounding whitespace
};

/// The members of the top-level object in `text`, in order. Only meaningful for text that a
/// JSON parser accepted as an object.
std::vector<Member> TopLevelMembers(std::string_view text);

}  // namespace dbtrotate::rotation::secret_text

#endif  // DBTROTATE_ROTATION_SECRET_JSON_TEXT_H_

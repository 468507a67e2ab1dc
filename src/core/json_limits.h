#ifndef DBTROTATE_CORE_JSON_LIMITS_H_
#define DBTROTATE_CORE_JSON_LIMITS_H_

// Parsing JSON that comes from outside (dbt and AWS replies, credential helpers, secret values)
// with the limits the rest of the code relies on:
//  - nesting depth is bounded: nlohmann parses iteratively, but copying, comparing and wiping
//    a document recurse, so a value nested tens of thousands deep would overflow the stack;
//  - a key repeated in one object is refused: which of the two a reader sees is up to the
//    parser, so a reply like {"data": {"id": 1}, "data": {"id": 2}} is ambiguous, not valid;
//  - errors carry what went wrong and where (byte offset, top-level key), never the input
//    text: nlohmann's own message quotes it, and the input may be a secret.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace dbtrotate {

/// Deeper than anything dbt, AWS or a credential helper sends, far from any stack limit.
inline constexpr std::size_t kMaxJsonDepth = 64;

enum class JsonProblem {
  kSyntax,            // not JSON (or trailing garbage)
  kNumberOutOfRange,  // a number a double cannot hold (1E400)
  kTooDeep,           // nested deeper than the limit
  kDuplicateKey,      // an object with the same key twice
};

struct JsonError {
  JsonProblem problem = JsonProblem::kSyntax;
  std::size_t offset = 0;  // byte offset of the error (0 when not known: depth, duplicates)
  std::string top_key;     // the top-level object's member it happened in, if any
  std::string key;         // the repeated key (kDuplicateKey)
  std::size_t max_depth = kMaxJsonDepth;
};

/// One line without the input, e.g. "is nested deeper than 64 levels (in key 'extra')".
std::string DescribeJsonError(const JsonError& error);

namespace json_limits_internal {

// Keys are names, not values; still, a hostile key is bounded before it reaches a message.
std::string ShortKey(std::string_view key);

// Checks the limits, and hands every event on to `Sink` (a nlohmann SAX handler: by default
// the DOM builder).
template <class BasicJson, class Sink = nlohmann::detail::json_sax_dom_parser<BasicJson>>
class LimitedSax {
 public:
  using number_integer_t = typename BasicJson::number_integer_t;
  using number_unsigned_t = typename BasicJson::number_unsigned_t;
  using number_float_t = typename BasicJson::number_float_t;
  using string_t = typename BasicJson::string_t;
  using binary_t = typename BasicJson::binary_t;

  LimitedSax(Sink& sink, std::size_t max_depth) : sink_(sink), max_depth_(max_depth) {
    error_.max_depth = max_depth;
  }

  bool null() { return sink_.null(); }
  bool boolean(bool value) { return sink_.boolean(value); }
  bool number_integer(number_integer_t value) { return sink_.number_integer(value); }
  bool number_unsigned(number_unsigned_t value) { return sink_.number_unsigned(value); }
  bool number_float(number_float_t value, const string_t& raw) {
    return sink_.number_float(value, raw);
  }
  bool string(string_t& value) { return sink_.string(value); }
  bool binary(binary_t& value) { return sink_.binary(value); }

  bool start_object(std::size_t size) {
    if (!Enter()) return false;
    keys_.emplace_back();
    return sink_.start_object(size);
  }
  bool key(string_t& name) {
    if (keys_.size() == 1) top_key_ = name;
    if (!keys_.back().insert(name).second) {
      error_.problem = JsonProblem::kDuplicateKey;
      error_.key = ShortKey(name);
      return Failed();
    }
    return sink_.key(name);
  }
  bool end_object() {
    keys_.pop_back();
    --depth_;
    return sink_.end_object();
  }
  bool start_array(std::size_t size) {
    if (!Enter()) return false;
    keys_.emplace_back();  // keeps keys_.size() equal to the depth
    return sink_.start_array(size);
  }
  bool end_array() {
    keys_.pop_back();
    --depth_;
    return sink_.end_array();
  }
  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& ex) {
    error_.problem = ex.id == 406 ? JsonProblem::kNumberOutOfRange : JsonProblem::kSyntax;
    // nlohmann counts the character that failed: the offset of the error is one less.
    error_.offset = position > 0 ? position - 1 : 0;
    return Failed();
  }

  const JsonError& error() const { return error_; }

 private:
  bool Enter() {
    if (++depth_ > max_depth_) {
      error_.problem = JsonProblem::kTooDeep;
      return Failed();
    }
    return true;
  }
  bool Failed() {
    if (depth_ > 0) error_.top_key = ShortKey(top_key_);
    return false;
  }

  Sink& sink_;
  std::size_t max_depth_;
  std::size_t depth_ = 0;
  std::vector<std::set<string_t>> keys_;
  string_t top_key_;
  JsonError error_;
};

}  // namespace json_limits_internal

/// Parses `text` as one JSON value with the limits above, handing the events to `sink` (a
/// nlohmann SAX handler) instead of building a document. Never throws. A sink that refuses an
/// event (returns false) stops the parse; the error returned then says nothing of why, which
/// the sink keeps itself.
template <class BasicJson, class Sink>
Result<void, JsonError> SaxParseLimited(std::string_view text, Sink& sink,
                                        std::size_t max_depth = kMaxJsonDepth) {
  json_limits_internal::LimitedSax<BasicJson, Sink> sax(sink, max_depth);
  bool ok = false;
  try {
    ok = BasicJson::sax_parse(text, &sax);
  } catch (const nlohmann::json::exception&) {
    ok = false;  // not expected (exceptions are off); never let the message out
  }
  if (!ok) return Fail(sax.error());
  return {};
}

/// Parses `text` as one JSON value with the limits above. Never throws. On failure the partial
/// document is passed to `discard` (if given) before it is freed, so a caller parsing a secret
/// can wipe it.
template <class BasicJson = nlohmann::json>
Result<BasicJson, JsonError> ParseJsonLimited(std::string_view text,
                                              std::size_t max_depth = kMaxJsonDepth,
                                              void (*discard)(BasicJson&) = nullptr) {
  BasicJson root;
  nlohmann::detail::json_sax_dom_parser<BasicJson> dom(root, /*allow_exceptions=*/false);
  auto parsed = SaxParseLimited<BasicJson>(text, dom, max_depth);
  if (!parsed) {
    if (discard != nullptr) discard(root);
    return Fail(std::move(parsed).error());
  }
  return root;
}

}  // namespace dbtrotate

#endif  // DBTROTATE_CORE_JSON_LIMITS_H_

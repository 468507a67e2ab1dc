#include "dbtcloud/list_page.h"

#include <string>
#include <utility>

#include "core/json_limits.h"

namespace dbtrotate::dbtcloud::wire {
namespace {

using nlohmann::json;
using DomBuilder = nlohmann::detail::json_sax_dom_parser<json>;

// The SAX handler behind ParseListPage: events inside the top-level `data` list go to a
// builder of one row at a time, all others to the envelope's builder. Syntax errors never
// reach it: LimitedSax reports them itself.
class RowSplitter {
 public:
  RowSplitter(json& envelope, const ListRowFn& on_row)
      : envelope_(envelope, /*allow_exceptions=*/false),
        row_builder_(row_, /*allow_exceptions=*/false),
        on_row_(on_row) {}

  bool null() {
    return Scalar([](DomBuilder& builder) { return builder.null(); });
  }
  bool boolean(bool value) {
    return Scalar([&](DomBuilder& builder) { return builder.boolean(value); });
  }
  bool number_integer(json::number_integer_t value) {
    return Scalar([&](DomBuilder& builder) { return builder.number_integer(value); });
  }
  bool number_unsigned(json::number_unsigned_t value) {
    return Scalar([&](DomBuilder& builder) { return builder.number_unsigned(value); });
  }
  bool number_float(json::number_float_t value, const json::string_t& raw) {
    return Scalar([&](DomBuilder& builder) { return builder.number_float(value, raw); });
  }
  bool string(json::string_t& value) {
    return Scalar([&](DomBuilder& builder) { return builder.string(value); });
  }
  bool binary(json::binary_t& value) {
    return Scalar([&](DomBuilder& builder) { return builder.binary(value); });
  }

  bool start_object(std::size_t size) {
    return Open([&](DomBuilder& builder) { return builder.start_object(size); });
  }
  bool start_array(std::size_t size) {
    if (depth_ == 1 && data_value_next_) in_rows_ = true;  // the list the rows come in
    return Open([&](DomBuilder& builder) { return builder.start_array(size); });
  }
  bool key(json::string_t& name) {
    if (InRow()) return row_builder_.key(name);
    if (depth_ == 1) data_value_next_ = name == "data";
    return envelope_.key(name);
  }
  bool end_object() {
    return Close([](DomBuilder& builder) { return builder.end_object(); });
  }
  bool end_array() {
    return Close([](DomBuilder& builder) { return builder.end_array(); });
  }
  const std::optional<ParseError>& error() const { return error_; }
  std::size_t rows() const { return rows_; }

 private:
  // Depth of the `data` list's elements: top-level object (1) → list (2) → a row's insides.
  static constexpr std::size_t kRowDepth = 2;

  bool InRow() const { return in_rows_ && depth_ > kRowDepth; }
  bool AtRowStart() const { return in_rows_ && depth_ == kRowDepth; }

  template <class Event>
  bool Scalar(Event event) {
    if (AtRowStart()) return event(row_builder_) && Deliver();
    if (InRow()) return event(row_builder_);
    if (depth_ == 1) data_value_next_ = false;
    return event(envelope_);
  }
  template <class Event>
  bool Open(Event event) {
    const bool row = in_rows_ && depth_ >= kRowDepth;
    if (depth_ == 1) data_value_next_ = false;
    ++depth_;
    return event(row ? row_builder_ : envelope_);
  }
  template <class Event>
  bool Close(Event event) {
    --depth_;
    if (in_rows_ && depth_ >= kRowDepth) {
      return event(row_builder_) && (depth_ > kRowDepth || Deliver());
    }
    if (in_rows_ && depth_ == kRowDepth - 1) in_rows_ = false;  // the list itself ends
    return event(envelope_);
  }
  bool Deliver() {
    error_ = on_row_(row_, rows_++);
    row_ = nullptr;  // freed before the next row is read
    return !error_;
  }

  DomBuilder envelope_;
  json row_;
  DomBuilder row_builder_;
  const ListRowFn& on_row_;
  std::size_t depth_ = 0;         // containers open
  bool data_value_next_ = false;  // the top level's key just read is "data"
  bool in_rows_ = false;          // inside the top-level `data` list
  std::size_t rows_ = 0;
  std::optional<ParseError> error_;
};

}  // namespace

ParseResult<ListPage> ParseListPage(std::string_view body, const ListRowFn& row) {
  ListPage page;
  RowSplitter splitter(page.envelope, row);
  auto parsed = SaxParseLimited<json>(body, splitter);
  if (splitter.error()) return Fail(*splitter.error());
  if (!parsed) return Fail(ParseError{"the body " + DescribeJsonError(parsed.error())});
  page.rows = splitter.rows();
  return page;
}

}  // namespace dbtrotate::dbtcloud::wire

#ifndef DBTROTATE_DBTCLOUD_LIST_PAGE_H_
#define DBTROTATE_DBTCLOUD_LIST_PAGE_H_

// A list page parsed row by row. A page of 100 tokens as one document is some 10,000 small
// heap blocks, allocated and freed together; a fleet reads hundreds of thousands of rows, and
// half of its CPU went to malloc and free. Here each element of the envelope's top-level
// `data` list becomes a small document of its own, handed over as soon as it is complete and
// freed before the next one is read. Same limits as wire::ParseJson (depth, repeated keys).

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "dbtcloud/wire.h"

namespace dbtrotate::dbtcloud::wire {

/// Called with each element of `data` and its index; an error stops the parse and is returned.
using ListRowFn =
    std::function<std::optional<ParseError>(const nlohmann::json& row, std::size_t index)>;

struct ListPage {
  /// Everything but the rows: `data`, when it is a list, is left empty (the rows went to the
  /// callback); any other `data` (an object, null) is kept as it came.
  nlohmann::json envelope;
  std::size_t rows = 0;  // elements of `data` handed to the callback
};

ParseResult<ListPage> ParseListPage(std::string_view body, const ListRowFn& row);

}  // namespace dbtrotate::dbtcloud::wire

#endif  // DBTROTATE_DBTCLOUD_LIST_PAGE_H_

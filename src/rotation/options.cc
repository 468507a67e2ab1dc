#include "rotation/options.h"

#include <fmt/format.h>

#include "rotation/duration.h"

namespace dbtrotate::rotation {

RotationResult<OverlapPolicy> ParseOverlap(std::string_view text) {
  if (text == "none") return OverlapPolicy{OverlapKind::kNone, Duration{0}};
  if (text == "until-next") return OverlapPolicy{OverlapKind::kUntilNext, Duration{0}};
  auto duration = ParseDuration(text, "--overlap");
  if (!duration) {
    return Fail(Error{ErrorCode::kBadDuration,
                      fmt::format("--overlap: expected none, until-next or a duration; {}",
                                  duration.error().message)});
  }
  if (duration->count() == 0) return OverlapPolicy{OverlapKind::kNone, Duration{0}};
  return OverlapPolicy{OverlapKind::kDuration, *duration};
}

std::string DescribeOverlap(const OverlapPolicy& policy) {
  switch (policy.kind) {
    case OverlapKind::kNone:
      return "none";
    case OverlapKind::kUntilNext:
      return "until-next";
    case OverlapKind::kDuration:
      return FormatDuration(policy.duration);
  }
  return "none";
}

}  // namespace dbtrotate::rotation

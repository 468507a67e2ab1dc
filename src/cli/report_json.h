#ifndef DBTROTATE_CLI_REPORT_JSON_H_
#define DBTROTATE_CLI_REPORT_JSON_H_

// `--output json`: one report object on stdout, for schedulers and dashboards. Reports hold
// ids, names, versions and timings only, never a token.

#include <nlohmann/json.hpp>

#include "rotation/report.h"

namespace dbtrotate::cli {

nlohmann::json ReportToJson(const rotation::Report& report);
nlohmann::json StatusToJson(const rotation::StatusReport& status);

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_REPORT_JSON_H_

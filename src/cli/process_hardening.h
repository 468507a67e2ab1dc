#ifndef DBTROTATE_CLI_PROCESS_HARDENING_H_
#define DBTROTATE_CLI_PROCESS_HARDENING_H_

// A crash must not write the tokens this process holds to disk. main() calls
// ForbidCoreDumps() before anything else, for every command: rotate, status and init hold
// tokens, sandbox and emulate hold the emulators' tokens, and an exception per command would
// only be something to get wrong later.

#include <string>

namespace dbtrotate::cli {

/// prctl(PR_SET_DUMPABLE, 0) (no core dump; no ptrace or /proc/PID/mem by other processes of
/// the same user) and RLIMIT_CORE 0 (also for children: credential_process helpers).
void ForbidCoreDumps();

/// "dumpable 0, core file size limit 0": what the process is now, for the hidden
/// `hardening-check` command and its test. True when both are 0.
bool DescribeCoreDumpState(std::string& description);

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_PROCESS_HARDENING_H_

#ifndef DBTROTATE_CLI_MAIN_H_
#define DBTROTATE_CLI_MAIN_H_

namespace dbtrotate::cli {

/// The whole program: parses arguments, runs a command, maps every failure to an exit code.
int Main(int argc, char** argv);

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_MAIN_H_

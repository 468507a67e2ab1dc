#ifndef DBTROTATE_CLI_TOKEN_INPUT_H_
#define DBTROTATE_CLI_TOKEN_INPUT_H_

// Where `init` gets the token string: DBT_CLOUD_TOKEN, else standard input (a pipe, or typed
// without echo). Never argv, where any user on the machine could read it in /proc.

#include <cstdio>
#include <string>

#include "aws/credentials/environment.h"
#include "core/result.h"
#include "core/secret_string.h"

namespace dbtrotate::cli {

Result<SecretString, std::string> ReadTokenInput(const aws::Environment& env, std::FILE* in);

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_TOKEN_INPUT_H_

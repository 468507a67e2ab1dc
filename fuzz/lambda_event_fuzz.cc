// The rotation event Secrets Manager sends the function (lambda/event.h), and the Runtime API
// endpoint from the environment. Invariant: an accepted event has the bounds the parser
// promises; every refusal is a "malformed rotation event" message.

#include <string>

#include "fuzz/fuzz_check.h"
#include "lambda/event.h"
#include "lambda/runtime_api.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = dbtrotate::fuzz::AsText(data, size);
  auto request = dbtrotate::lambda::ParseEvent(text);
  if (request) {
    FUZZ_CHECK(!request->secret_id.empty() && request->secret_id.size() <= 2048);
    FUZZ_CHECK(request->client_request_token.size() >= 32);
    FUZZ_CHECK(request->client_request_token.size() <= 64);
    if (request->rotation_token) FUZZ_CHECK(!request->rotation_token->expose().empty());
  } else {
    FUZZ_CHECK(request.error().message.rfind("malformed rotation event: ", 0) == 0);
  }
  // AWS_LAMBDA_RUNTIME_API is "host:port"; an accepted host is never empty.
  auto host = dbtrotate::lambda::RuntimeApiHost(text.substr(0, 300));
  if (host) FUZZ_CHECK(!host->empty());
  return 0;
}

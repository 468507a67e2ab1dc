#include "emulators/secretsmanager/emulator.h"

#include <httplib.h>

#include <utility>
#include <vector>

#include "core/secret_string.h"
#include "emulators/secretsmanager/json_api.h"
#include "http/client.h"

namespace dbtrotate::emulators::secretsmanager {
namespace {

constexpr char kUnknownOperation[] = "UnknownOperation";

// Copies the body into the response and wipes our copy: it may hold a secret value.
void WriteJson(httplib::Response& response, JsonResponse json) {
  response.status = json.status;
  response.set_content(json.body, kJsonContentType);
  WipeString(json.body);
}

}  // namespace

std::string OperationNameOf(const httplib::Request& request) {
  std::optional<std::string> operation =
      OperationFromTarget(request.get_header_value("X-Amz-Target"));
  return operation ? *operation : kUnknownOperation;
}

Fault AwsErrorFault(ApiErrorCode code, std::string message) {
  Fault fault = Fault::Status(HttpStatusFor(code), ErrorBody(ApiError{code, std::move(message)}));
  fault.content_type = kJsonContentType;
  return fault;
}

SecretsManagerEmulator::SecretsManagerEmulator(SecretsManagerEmulatorOptions options)
    : options_(std::move(options)),
      clock_(options_.clock != nullptr ? *options_.clock : SystemClock::Instance()),
      random_(options_.random != nullptr ? *options_.random : SecureRandom::Instance()),
      store_(options_.store, clock_, random_),
      rotation_(store_, clock_, random_),
      auth_(options_.store.region, clock_) {
  rotation_.SetInvoker(options_.invoker);
  rotation_.SetPolicy(options_.rotation_policy);
  auth_.set_require_amz_headers_signed(options_.require_amz_headers_signed);
  server_.Route(Method::kPost, "/", &OperationNameOf,
                [this](const httplib::Request& request, httplib::Response& response) {
                  Handle(request, response);
                });
  // JSON 1.1 services have a single endpoint: anything else names no operation.
  server_.SetFallback([this](const httplib::Request& request, httplib::Response& response) {
    response.set_header("x-amzn-RequestId", random_.UuidV4());
    WriteJson(response, ErrorResponse(ApiError{ApiErrorCode::kUnknownOperation,
                                               "Secrets Manager is served only at POST /, not " +
                                                   request.method + " " + request.path + "."}));
  });
}

SecretsManagerEmulator::~SecretsManagerEmulator() { Stop(); }

void SecretsManagerEmulator::AddCredentials(const aws::Credentials& credentials) {
  auth_.AddCredentials(credentials);
}

void SecretsManagerEmulator::RemoveCredentials(std::string_view access_key_id) {
  auth_.RemoveCredentials(access_key_id);
}

Result<void, std::string> SecretsManagerEmulator::Start() {
  auto started = server_.Start(options_.server);
  if (!started) return Fail("Secrets Manager emulator: " + started.error());
  return {};
}

void SecretsManagerEmulator::Stop() {
  // The rotation thread first: a step in progress may still be calling this server.
  rotation_.Stop();
  server_.Stop();
}

std::string SecretsManagerEmulator::endpoint_url() const { return server_.base_url(); }

int SecretsManagerEmulator::port() const { return server_.port(); }

void SecretsManagerEmulator::Handle(const httplib::Request& request, httplib::Response& response) {
  response.set_header("x-amzn-RequestId", random_.UuidV4());
  if (options_.verify_signatures) {
    std::vector<http::Header> headers;
    headers.reserve(request.headers.size());
    for (const auto& [name, value] : request.headers) headers.push_back({name, value});
    // The target as sent: the signature covers the raw path and query, not httplib's decoding.
    const std::string_view target = request.target;
    const std::size_t question = target.find('?');
    const ReceivedRequest received{
        request.method, target.substr(0, question),
        question == std::string_view::npos ? std::string_view() : target.substr(question + 1),
        &headers, request.body};
    ApiResult<void> authenticated = auth_.Authenticate(received);
    if (!authenticated) {
      WriteJson(response, ErrorResponse(authenticated.error()));
      return;
    }
  }
  const std::string target = request.get_header_value("X-Amz-Target");
  const std::optional<std::string> operation = OperationFromTarget(target);
  if (!operation) {
    WriteJson(response,
              ErrorResponse(ApiError{ApiErrorCode::kUnknownOperation,
                                     target.empty() ? "The request has no X-Amz-Target header."
                                                    : "Unknown X-Amz-Target '" + target + "'."}));
    return;
  }
  WriteJson(response, HandleOperation(store_, *operation, request.body, &rotation_));
}

}  // namespace dbtrotate::emulators::secretsmanager

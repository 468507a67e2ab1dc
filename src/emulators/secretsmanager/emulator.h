#ifndef DBTROTATE_EMULATORS_SECRETSMANAGER_EMULATOR_H_
#define DBTROTATE_EMULATORS_SECRETSMANAGER_EMULATOR_H_

// A local AWS Secrets Manager on loopback: AWS JSON 1.1 (`POST /`, X-Amz-Target
// secretsmanager.<Op>), SigV4-verified against configured credentials, with fault injection,
// latency and a request log keyed by operation name (GetSecretValue, PutSecretValue, …).
//
//   SecretsManagerEmulator sm;
//   sm.AddCredentials(credentials);            // who may call
//   sm.store().SeedSecret("app/db", R"({"token":"…"})");
//   sm.Start();                                 // 127.0.0.1, free port
//   client.endpoint = sm.endpoint_url();        // "http://127.0.0.1:PORT"
//   sm.faults().AddRule(FaultRule::ForOperation("PutSecretValue", Fault::ApplyThenDrop()));

#include <chrono>
#include <memory>
#include <string>

#include "aws/credentials/credentials.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "emulators/common/emulator_server.h"
#include "emulators/common/fault.h"
#include "emulators/lambda/function_invoker.h"
#include "emulators/secretsmanager/api_error.h"
#include "emulators/secretsmanager/request_auth.h"
#include "emulators/secretsmanager/rotation_runner.h"
#include "emulators/secretsmanager/secret_store.h"

namespace dbtrotate::emulators::secretsmanager {

struct SecretsManagerEmulatorOptions {
  StoreOptions store;        // region, account, staging/pagination variants
  ServerOptions server;      // 127.0.0.1 and a free port by default
  Clock* clock = nullptr;    // nullptr: SystemClock; also the clock signatures are checked against
  Random* random = nullptr;  // nullptr: SecureRandom (ARN suffixes, request ids)
  /// Off only for tests that exercise something else and send unsigned requests.
  bool verify_signatures = true;
  /// See RequestAuthenticator::set_require_amz_headers_signed.
  bool require_amz_headers_signed = false;
  /// Who runs rotation functions for RotateSecret (nullptr: every step fails, as for a
  /// function that does not exist); can also be set later with rotation().SetInvoker().
  lambda::FunctionInvoker* invoker = nullptr;
  RotationRetryPolicy rotation_policy;
};

class SecretsManagerEmulator {
 public:
  explicit SecretsManagerEmulator(SecretsManagerEmulatorOptions options = {});
  ~SecretsManagerEmulator();  // stops
  SecretsManagerEmulator(const SecretsManagerEmulator&) = delete;
  SecretsManagerEmulator& operator=(const SecretsManagerEmulator&) = delete;

  /// Credentials requests may be signed with (any time, also while running).
  void AddCredentials(const aws::Credentials& credentials);
  void RemoveCredentials(std::string_view access_key_id);

  /// Binds and starts serving; the error says what failed (e.g. the port is taken).
  Result<void, std::string> Start();
  /// Idempotent; the destructor calls it.
  void Stop();

  /// "http://127.0.0.1:PORT" — what a client uses as its endpoint URL.
  std::string endpoint_url() const;
  int port() const;

  SecretStore& store() { return store_; }
  /// RotateSecret's asynchronous part: the steps, their outcomes, reattempts.
  RotationRunner& rotation() { return rotation_; }
  FaultInjector& faults() { return server_.faults(); }
  RequestLog& log() { return server_.log(); }
  void SetLatency(std::chrono::milliseconds latency) { server_.SetLatency(latency); }

 private:
  void Handle(const httplib::Request& request, httplib::Response& response);

  SecretsManagerEmulatorOptions options_;
  Clock& clock_;
  Random& random_;
  SecretStore store_;
  RotationRunner rotation_;  // after store_: its thread uses the store
  RequestAuthenticator auth_;
  EmulatorServer server_;
};

/// A fault that answers like SM does for `code` (status, `__type`, message, JSON 1.1 content
/// type), e.g. AwsErrorFault(ApiErrorCode::kInternalServiceError, "…") for a retryable 500.
Fault AwsErrorFault(ApiErrorCode code, std::string message);

/// The operation name of a request: the X-Amz-Target operation, or "UnknownOperation".
std::string OperationNameOf(const httplib::Request& request);

}  // namespace dbtrotate::emulators::secretsmanager

#endif  // DBTROTATE_EMULATORS_SECRETSMANAGER_EMULATOR_H_

#include "aws/secretsmanager/fakes.h"

#include <algorithm>
#include <cctype>

namespace dbtrotate::aws::testing {

FakeCredentialsProvider::FakeCredentialsProvider() { Set(kAccessKey, kSecretKey); }

void FakeCredentialsProvider::Set(std::string access_key_id, std::string secret,
                                  std::string token) {
  auto credentials = std::make_shared<Credentials>();
  credentials->access_key_id = std::move(access_key_id);
  credentials->secret_access_key = SecretString(std::move(secret));
  credentials->session_token = SecretString(std::move(token));
  credentials->source = "fake";
  current_ = std::move(credentials);
  failure_.clear();
}

CredentialsResult FakeCredentialsProvider::Resolve() {
  ++resolve_count_;
  if (!failure_.empty()) return Fail(CredentialsError{failure_});
  return current_;
}

void FixedRandom::Fill(unsigned char* out, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) out[i] = next_++;
}

std::string HeaderOf(const http::Request& request, std::string_view name) {
  for (const auto& header : request.headers) {
    if (std::equal(header.name.begin(), header.name.end(), name.begin(), name.end(),
                   [](char a, char b) {
                     return std::tolower(static_cast<unsigned char>(a)) ==
                            std::tolower(static_cast<unsigned char>(b));
                   })) {
      return header.value;
    }
  }
  return "<absent>";
}

}  // namespace dbtrotate::aws::testing

#include "emulators/dbtcloud/state.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <utility>

namespace dbtrotate::emulators {
namespace {

// The URL-safe base64 alphabet seen in real tokens; 64 symbols, so `byte & 63` is uniform.
constexpr std::string_view kTokenAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::size_t kTokenBodyLength = 50;
constexpr std::string_view kUidAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

std::string RandomUid(Random& random) {
  std::array<unsigned char, 16> bytes{};
  random.Fill(bytes.data(), bytes.size());
  std::string uid;
  for (unsigned char byte : bytes) uid.push_back(kUidAlphabet[byte % kUidAlphabet.size()]);
  return uid;
}

}  // namespace

bool DbtToken::HasAccountPermission(std::string_view permission_set) const {
  for (const auto& row : permissions) {
    if (row.state == kDbtStateActive && row.all_projects && row.permission_set == permission_set) {
      return true;
    }
  }
  return false;
}

SecretString GenerateDbtTokenString(Random& random, std::string_view uid) {
  SecretString random_part = GenerateDbtTokenString(random);
  std::string token(random_part.expose());
  token.replace(5, std::min(uid.size(), kTokenBodyLength), uid.substr(0, kTokenBodyLength));
  return SecretString(std::move(token));
}

SecretString GenerateDbtTokenString(Random& random) {
  std::array<unsigned char, kTokenBodyLength> bytes{};
  random.Fill(bytes.data(), bytes.size());
  std::string token = "dbtc_";
  for (unsigned char byte : bytes) token.push_back(kTokenAlphabet[byte & 63U]);
  bytes.fill(0);
  return SecretString(std::move(token));
}

std::string Sha256Hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 15]);
  }
  return hex;
}

std::int64_t DbtCloudState::AddAccount(std::string name, std::int64_t id) {
  if (id <= 0) id = next_account_id_;
  while (accounts_.count(id) != 0) ++id;
  if (id >= next_account_id_) next_account_id_ = id + 1;
  accounts_[id] = DbtAccount{id, std::move(name), clock_.Now()};
  return id;
}

const DbtAccount* DbtCloudState::FindAccount(std::int64_t id) const {
  const auto it = accounts_.find(id);
  return it == accounts_.end() ? nullptr : &it->second;
}

std::vector<DbtAccount> DbtCloudState::Accounts() const {
  std::vector<DbtAccount> accounts;
  for (const auto& [id, account] : accounts_) accounts.push_back(account);
  return accounts;
}

DbtPermission DbtCloudState::MakeRow(const DbtToken& token, const DbtGrant& grant,
                                     DbtDefaultCategories default_categories) {
  DbtPermission row;
  row.id = next_permission_id_++;
  row.account_id = token.account_id;
  row.service_token_id = token.id;
  row.project_id = grant.project_id;
  row.all_projects = !grant.project_id.has_value();
  row.permission_set = grant.permission_set;
  if (grant.writable_environment_categories) {
    row.writable_environment_categories = *grant.writable_environment_categories;
  } else if (default_categories == DbtDefaultCategories::kAll) {
    row.writable_environment_categories = {"all"};
  }
  row.created_at = token.created_at;
  row.updated_at = token.created_at;
  return row;
}

DbtCloudState::Created DbtCloudState::CreateToken(std::int64_t account_id, std::string name,
                                                  std::vector<DbtGrant> grants, bool metadata_only,
                                                  bool webhooks_only, int state,
                                                  DbtDefaultCategories default_categories) {
  DbtToken token;
  token.uid = RandomUid(random_);
  SecretString token_string = uid_in_token_string_ ? GenerateDbtTokenString(random_, token.uid)
                                                   : GenerateDbtTokenString(random_);
  token.id = next_token_id_++;
  token.account_id = account_id;
  token.user_id = next_user_id_++;
  token.name = std::move(name);
  token.state = state;
  token.created_at = clock_.Now();
  token.updated_at = token.created_at;
  token.metadata_only = metadata_only;
  token.webhooks_only = webhooks_only;
  token.grants = std::move(grants);
  for (const auto& grant : token.grants) {
    token.permissions.push_back(MakeRow(token, grant, default_categories));
  }
  token.token_hash = Sha256Hex(token_string.expose());
  by_hash_[token.token_hash] = token.id;
  const DbtToken& stored = tokens_[token.id] = token;
  by_account_[account_id].push_back(&stored);
  return Created{std::move(token), std::move(token_string)};
}

const DbtToken* DbtCloudState::Authenticate(std::string_view token_string, bool touch) {
  const auto it = by_hash_.find(Sha256Hex(token_string));
  if (it == by_hash_.end()) return nullptr;
  DbtToken& token = tokens_.at(it->second);
  if (!token.active()) return nullptr;
  if (touch) token.last_used = clock_.Now();
  return &token;
}

DbtToken* DbtCloudState::FindToken(std::int64_t account_id, std::int64_t id) {
  const auto it = tokens_.find(id);
  if (it == tokens_.end() || it->second.account_id != account_id) return nullptr;
  return &it->second;
}

const DbtToken* DbtCloudState::FindTokenById(std::int64_t id) const {
  const auto it = tokens_.find(id);
  return it == tokens_.end() ? nullptr : &it->second;
}

std::vector<const DbtToken*> DbtCloudState::Tokens(std::int64_t account_id) const {
  const auto it = by_account_.find(account_id);
  return it == by_account_.end() ? std::vector<const DbtToken*>{} : it->second;
}

void DbtCloudState::Rename(DbtToken& token, std::string name) {
  token.name = std::move(name);
  token.updated_at = clock_.Now();
}

void DbtCloudState::SoftDelete(DbtToken& token) {
  token.state = kDbtStateDeleted;
  token.updated_at = clock_.Now();
}

void DbtCloudState::AssignPermissions(DbtToken& token, std::vector<DbtPermission> rows) {
  const SystemTime now = clock_.Now();
  token.permissions.clear();
  token.grants.clear();
  for (auto& row : rows) {
    row.id = next_permission_id_++;
    row.account_id = token.account_id;
    row.service_token_id = token.id;
    row.created_at = now;
    row.updated_at = now;
    DbtGrant grant{row.permission_set, row.project_id, row.writable_environment_categories};
    token.grants.push_back(std::move(grant));
    token.permissions.push_back(std::move(row));
  }
  token.updated_at = now;
}

}  // namespace dbtrotate::emulators

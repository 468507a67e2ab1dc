#include "aws/credentials/chain_provider.h"

namespace dbtrotate::aws {

ChainProvider::ChainProvider(std::vector<ChainSource> sources, std::string hint)
    : sources_(std::move(sources)), hint_(std::move(hint)) {}

std::string ChainProvider::ActiveSource() {
  std::lock_guard lock(mutex_);
  return active_name_;
}

CredentialsResult ChainProvider::Resolve() {
  std::shared_ptr<CredentialsProvider> active;
  {
    // Held for the whole first search: concurrent first callers wait instead of each probing
    // (and maybe spawning credential_process) on their own.
    std::lock_guard lock(mutex_);
    if (!active_) {
      std::vector<std::string> tried;
      for (const ChainSource& source : sources_) {
        ProbeResult probe = source.probe();
        if (!probe) {
          return Fail(CredentialsError{source.name + ": " + probe.error().message});
        }
        if (!probe->provider) {
          tried.push_back(source.name + ": " + probe->skip_reason);
          continue;
        }
        std::shared_ptr<CredentialsProvider> provider = std::move(probe->provider);
        CredentialsResult first = provider->Resolve();
        if (!first) {
          if (source.soft) {
            tried.push_back(source.name + ": " + first.error().message);
            continue;
          }
          return Fail(CredentialsError{source.name + ": " + first.error().message});
        }
        active_ = std::move(provider);
        active_name_ = source.name;
        return first;
      }
      std::string message = "Unable to locate AWS credentials. Sources tried, in order:";
      for (std::size_t i = 0; i < tried.size(); ++i) {
        message += "\n  " + std::to_string(i + 1) + ". " + tried[i];
      }
      if (!hint_.empty()) message += "\n" + hint_;
      return Fail(CredentialsError{std::move(message)});
    }
    active = active_;
  }
  return active->Resolve();
}

void ChainProvider::Invalidate() {
  std::shared_ptr<CredentialsProvider> active;
  {
    std::lock_guard lock(mutex_);
    active = active_;
  }
  if (active) active->Invalidate();
}

}  // namespace dbtrotate::aws

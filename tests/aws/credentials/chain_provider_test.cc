#include "aws/credentials/chain_provider.h"

#include <gtest/gtest.h>

#include <memory>

namespace dbtrotate::aws {
namespace {

// Counts what the chain forwards to the source in use.
class CountingProvider final : public CredentialsProvider {
 public:
  explicit CountingProvider(int* invalidations) : invalidations_(invalidations) {}
  CredentialsResult Resolve() override {
    auto credentials = std::make_shared<Credentials>();
    credentials->access_key_id = "AKIDCHAIN";
    credentials->secret_access_key = SecretString::CopyOf("s");
    return std::shared_ptr<const Credentials>(std::move(credentials));
  }
  void Invalidate() override { ++*invalidations_; }

 private:
  int* invalidations_;
};

TEST(ChainProviderTest, InvalidateReachesTheSourceInUse) {
  int used_invalidations = 0;
  std::vector<ChainSource> sources;
  sources.push_back({"first", [] { return ProbeResult(SourceProbe::Skip("not configured")); }});
  sources.push_back({"second", [&used_invalidations] {
                       return ProbeResult(SourceProbe::Found(
                           std::make_unique<CountingProvider>(&used_invalidations)));
                     }});
  ChainProvider chain(std::move(sources), "set AWS_ACCESS_KEY_ID");
  chain.Invalidate();  // nothing resolved yet: nothing to forward to
  EXPECT_EQ(used_invalidations, 0);
  ASSERT_TRUE(chain.Resolve());
  chain.Invalidate();
  EXPECT_EQ(used_invalidations, 1);
}

}  // namespace
}  // namespace dbtrotate::aws

#include "rotation/permissions_file.h"

#include <filesystem>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace dbtrotate::rotation {
namespace {

using dbtcloud::PermissionGrant;

TEST(PermissionsFileTest, ReadsAYamlList) {
  auto grants = ParsePermissions(R"(
- permission_set: job_admin
  project_id: 123
- permission_set: developer
  project_id: 456
  writable_environment_categories: [development, staging]
- permission_set: account_viewer
)",
                                 "p.yaml");
  ASSERT_TRUE(grants.has_value()) << grants.error().message;
  ASSERT_EQ(grants->size(), 3u);
  EXPECT_EQ((*grants)[0], (PermissionGrant{"job_admin", 123, std::nullopt}));
  EXPECT_EQ((*grants)[1], (PermissionGrant{"developer", 456,
                                           std::vector<std::string>{"development", "staging"}}));
  EXPECT_EQ((*grants)[2], (PermissionGrant{"account_viewer", std::nullopt, std::nullopt}));
}

TEST(PermissionsFileTest, ReadsJsonAndThePermissionGrantsKey) {
  auto grants = ParsePermissions(
      R"({"permission_grants": [{"permission_set": "job_runner", "project_id": 7},
                                {"permission_set": "analyst", "project_id": null,
                                 "all_projects": true, "writable_environment_categories": []}]})",
      "p.json");
  ASSERT_TRUE(grants.has_value()) << grants.error().message;
  ASSERT_EQ(grants->size(), 2u);
  EXPECT_EQ((*grants)[0], (PermissionGrant{"job_runner", 7, std::nullopt}));
  EXPECT_EQ((*grants)[1], (PermissionGrant{"analyst", std::nullopt, std::vector<std::string>{}}));
}

TEST(PermissionsFileTest, PassesUnknownButWellFormedSetsThrough) {
  // dbt's list of permission sets grows; a new one must not need a new dbt-rotate.
  auto grants = ParsePermissions("- permission_set: brand_new_set\n", "p.yaml");
  ASSERT_TRUE(grants.has_value());
  EXPECT_EQ((*grants)[0].permission_set, "brand_new_set");
}

struct BadFile {
  const char* name;
  const char* text;
  const char* must_mention;
};

class BadPermissionsTest : public ::testing::TestWithParam<BadFile> {};

TEST_P(BadPermissionsTest, NamesTheEntry) {
  auto grants = ParsePermissions(GetParam().text, "perms.yaml");
  ASSERT_FALSE(grants.has_value());
  EXPECT_EQ(grants.error().code, ErrorCode::kBadPermissions);
  EXPECT_NE(grants.error().message.find("perms.yaml"), std::string::npos);
  EXPECT_NE(grants.error().message.find(GetParam().must_mention), std::string::npos)
      << grants.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadPermissionsTest,
    ::testing::Values(
        BadFile{"Empty", "", "expected a list"}, BadFile{"EmptyList", "[]", "no grants"},
        BadFile{"NotYaml", "- permission_set: [unclosed", "not valid YAML"},
        BadFile{"Scalar", "job_admin", "expected a list"},
        BadFile{"OtherTopKey", "grants: []", "unknown top-level key 'grants'"},
        BadFile{"EntryNotMap", "- job_admin", "grant #1 (line 1): expected a mapping"},
        BadFile{"MissingSet", "- project_id: 4", "grant #1 (line 1): 'permission_set' is missing"},
        BadFile{"Typo", "- permission_set: developer\n  projet_id: 4",
                "grant #1 (line 1): unknown key 'projet_id'"},
        BadFile{"BadSetName", "- permission_set: Job Admin", "not a dbt permission set"},
        BadFile{"FusionAdmin", "- permission_set: fusion_admin", "cannot be assigned"},
        BadFile{"ProjectNotNumber", "- permission_set: developer\n  project_id: abc",
                "project_id must be a positive integer"},
        BadFile{"ProjectZero", "- permission_set: developer\n  project_id: 0",
                "project_id must be a positive integer"},
        BadFile{"ProjectFloat", "- permission_set: developer\n  project_id: 1.5",
                "project_id must be a positive integer"},
        BadFile{"AllProjectsConflict",
                "- permission_set: developer\n  project_id: 4\n  all_projects: true",
                "all_projects is true but project_id is set"},
        BadFile{"AllProjectsFalseNoProject", "- permission_set: developer\n  all_projects: false",
                "all_projects is false"},
        BadFile{"AllProjectsNotBool", "- permission_set: developer\n  all_projects: maybe",
                "all_projects must be true or false"},
        BadFile{"AccountSetWithProject", "- permission_set: account_admin\n  project_id: 4",
                "account-level permission set"},
        BadFile{"CategoriesOnJobAdmin",
                "- permission_set: job_admin\n  writable_environment_categories: [production]",
                "only applies to"},
        BadFile{"UnknownCategory",
                "- permission_set: developer\n  writable_environment_categories: [prod]",
                "'prod' is not one of"},
        BadFile{"CategoriesNotList",
                "- permission_set: developer\n  writable_environment_categories: staging",
                "must be a list"},
        BadFile{
            "DuplicateCategory",
            "- permission_set: developer\n  writable_environment_categories: [staging, staging]",
            "listed twice"},
        BadFile{"DuplicateGrant",
                "- permission_set: job_admin\n  project_id: 3\n- permission_set: job_admin\n  "
                "project_id: 3",
                "grant #2 (line 3): 'job_admin' for project 3 is listed twice"}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(PermissionsFileTest, LoadsAFileAndReportsAMissingOne) {
  const std::string path = ::testing::TempDir() + "/dbt_rotate_perms_test.yaml";
  {
    std::ofstream out(path);
    out << "- permission_set: job_runner\n  project_id: 9\n";
  }
  auto grants = LoadPermissionsFile(path);
  std::remove(path.c_str());
  ASSERT_TRUE(grants.has_value()) << grants.error().message;
  EXPECT_EQ((*grants)[0], (PermissionGrant{"job_runner", 9, std::nullopt}));

  auto missing = LoadPermissionsFile(path);
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("does not exist"), std::string::npos);
}

// Finding 7: the file is opened once, must be a regular file, and is read with a bound.
class PermissionsFileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/permissions-file-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::error_code ec; std::filesystem::remove_all(dir_, ec); }
  void ExpectRefused(const std::string& path, const std::string& says) {
    const auto start = std::chrono::steady_clock::now();
    auto grants = LoadPermissionsFile(path);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200)) << path;
    ASSERT_FALSE(grants.has_value()) << path;
    EXPECT_EQ(grants.error().code, ErrorCode::kBadPermissions);
    EXPECT_NE(grants.error().message.find(path), std::string::npos) << grants.error().message;
    EXPECT_NE(grants.error().message.find(says), std::string::npos) << grants.error().message;
  }
  std::string dir_;
};

TEST_F(PermissionsFileInputTest, ADirectoryIsADirectory) { ExpectRefused(dir_, "is a directory"); }

TEST_F(PermissionsFileInputTest, AHugeFileIsRefusedSayingTheLimit) {
  const std::string path = dir_ + "/huge.yaml";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::ftruncate(fd, 100LL << 20), 0);  // sparse: 100 MB on paper
  ::close(fd);
  ExpectRefused(path, "larger than the limit of 1 MiB");
}

TEST_F(PermissionsFileInputTest, DevicesAndFifosAreNotRegularFiles) {
  ExpectRefused("/dev/zero", "not a regular file");
  const std::string fifo = dir_ + "/grants.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  ExpectRefused(fifo, "not a regular file");  // and does not wait for a writer
}

}  // namespace
}  // namespace dbtrotate::rotation

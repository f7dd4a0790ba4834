#include "config/daemon_config.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace combo::config {
namespace {

using ::testing::HasSubstr;

std::string Example(const std::string& name) {
  return std::string(COMBO_CONFIG_EXAMPLES_DIR) + "/" + name;
}

TEST(DaemonConfigExamples, DemoLoads) {
  auto config = LoadDaemonConfigFile(Example("demo.yaml"));
  ASSERT_TRUE(config.ok()) << config.status();
}

TEST(DaemonConfigExamples, MinimalLoads) {
  auto config = LoadDaemonConfigFile(Example("minimal.yaml"));
  ASSERT_TRUE(config.ok()) << config.status();
}

}  // namespace
}  // namespace combo::config

#include "daemon/command_line.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace combo::daemon {
namespace {

TEST(CommandLineTest, NoArgumentsRunTheDemoConfig) {
  auto command = ParseCommandLine({});
  ASSERT_TRUE(command.ok());
  EXPECT_EQ(command->action, CommandLine::Action::kRun);
  EXPECT_EQ(command->config_path, "config/examples/demo.yaml");
  EXPECT_TRUE(command->listen_file.empty());
}

TEST(CommandLineTest, ConfigAndListenFileAreRead) {
  auto command = ParseCommandLine({"--config", "a.yaml", "--listen-file", "/tmp/l"});
  ASSERT_TRUE(command.ok());
  EXPECT_EQ(command->config_path, "a.yaml");
  EXPECT_EQ(command->listen_file, "/tmp/l");
}

TEST(CommandLineTest, CheckConfigTakesItsFileDirectlyOrThroughConfig) {
  auto direct = ParseCommandLine({"--check-config", "b.yaml"});
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(direct->action, CommandLine::Action::kCheckConfig);
  EXPECT_EQ(direct->config_path, "b.yaml");
  auto through = ParseCommandLine({"--config", "c.yaml", "--check-config"});
  ASSERT_TRUE(through.ok());
  EXPECT_EQ(through->action, CommandLine::Action::kCheckConfig);
  EXPECT_EQ(through->config_path, "c.yaml");
}

TEST(CommandLineTest, UsageErrorsNameTheArgument) {
  auto unknown = ParseCommandLine({"--verbose"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(std::string(unknown.status().message()).find("'--verbose'"), std::string::npos);
  auto missing = ParseCommandLine({"--config"});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(std::string(missing.status().message()).find("--config needs a value"),
            std::string::npos);
  EXPECT_FALSE(ParseCommandLine({"--config", "--listen-file", "x"}).ok());
  EXPECT_FALSE(ParseCommandLine({"--config", "a.yaml", "--check-config", "b.yaml"}).ok());
  EXPECT_FALSE(ParseCommandLine({"stray"}).ok());
}

TEST(CommandLineTest, VersionAndHelp) {
  EXPECT_EQ(ParseCommandLine({"--version"})->action, CommandLine::Action::kVersion);
  EXPECT_EQ(ParseCommandLine({"--help"})->action, CommandLine::Action::kHelp);
  EXPECT_NE(Usage().find("SIGUSR1"), std::string::npos);
}

}  // namespace
}  // namespace combo::daemon

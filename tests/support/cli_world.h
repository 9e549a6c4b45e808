#pragma once
// A programme built through the real CLI: coordinator Ada, a pair in which Maria mentors Tom,
// and any further participants, each with their own --home under dir.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/support/cli.h"
#include "tests/support/server_process.h"

namespace mentorlink::test {

struct CliPairWorld {
  CliPairWorld(const TestServer& server, const std::filesystem::path& dir,
               const std::vector<std::string>& more_participants = {});

  Cli ada;
  Cli maria;
  Cli tom;
  std::map<std::string, Cli> others;  // by name
  std::string programme;              // id, as the CLI takes it
  std::string pair;
};

}  // namespace mentorlink::test

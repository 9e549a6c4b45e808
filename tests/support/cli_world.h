#pragma once
// A programme built through the real CLI: coordinator Ada, a pair in which Maria mentors Tom,
// and any further participants, each with their own --home under dir.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/support/cli.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

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

// What the attack tests start from: a fresh directory, the real server binary with its data
// folder (and SQLite file, for tests/support/tamper.h) in tmp / "data", and a CliPairWorld on it.
struct ServerPairWorld {
  explicit ServerPairWorld(const std::vector<std::string>& more_participants = {});
  ServerPairWorld(const ServerPairWorld&) = delete;
  ServerPairWorld& operator=(const ServerPairWorld&) = delete;

  TempDir tmp;
  ServerProcess server;
  CliPairWorld people;
  Cli& maria = people.maria;
  Cli& tom = people.tom;
  const std::string& pair = people.pair;
};

}  // namespace mentorlink::test

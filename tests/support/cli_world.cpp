#include "tests/support/cli_world.h"

#include <stdexcept>

namespace mentorlink::test {

CliPairWorld::CliPairWorld(const TestServer& server, const std::filesystem::path& dir,
                           const std::vector<std::string>& more_participants)
    : ada(dir / "ada"), maria(dir / "maria"), tom(dir / "tom") {
  const std::string ca = test_ca_file();
  auto enroll = [&](const Cli& cli, const std::string& code) {
    const auto r = cli.enroll(server.url(), code, ca);
    if (r.exit_code != 0) throw std::runtime_error("enroll failed: " + r.err);
  };
  enroll(ada, server.bootstrap("Ada"));
  programme = std::to_string(ada.json({"programme", "create", "--name", "Programme"}).at("programme").at("id").as_int64());
  auto invite = [&](const std::string& name) {
    return std::string(ada.json({"invite", "--programme", programme, "--name", name}).at("code").as_string());
  };
  enroll(maria, invite("Maria"));
  enroll(tom, invite("Tom"));
  for (const auto& name : more_participants) {
    auto [it, added] = others.emplace(name, Cli(dir / name));
    enroll(it->second, invite(name));
  }
  pair = std::to_string(
      ada.json({"pair", "create", "--programme", programme, "--mentor", "Maria", "--mentee", "Tom"}).at("pair").at("id").as_int64());
}

ServerPairWorld::ServerPairWorld(const std::vector<std::string>& more_participants)
    : server(tmp / "data"), people(server, tmp.path(), more_participants) {}

}  // namespace mentorlink::test

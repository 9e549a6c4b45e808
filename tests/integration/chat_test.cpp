// `mentorlink chat` driven through its stdin and stdout, against the real server, while the
// partner uses the one-shot commands.
#include <catch2/catch.hpp>

#include "tests/support/cli_world.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink::test;

namespace {

// Reads the chat's stdout until a line contains needle; returns that line.
std::string read_until(ChildProcess& chat, const std::string& needle) {
  while (auto line = chat.read_line()) {
    if (line->find(needle) != std::string::npos) return *line;
  }
  FAIL("chat ended before printing \"" << needle << "\"");
  return {};
}

}  // namespace

TEST_CASE("chat: live messages both ways, presence, and a clean exit", "[chat]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  CliPairWorld w(server, tmp.path());
  const Cli& maria = w.maria;
  const Cli& tom = w.tom;
  const std::string& pair = w.pair;
  REQUIRE(maria.json({"send", pair, "Sent before you opened the chat"}).at("seq").as_int64() == 1);

  ChildProcess chat(MENTORLINK_CLI_BIN, {"--home", tom.home().string(), "chat", pair}, tmp / "chat.err",
                    {{"MENTORLINK_PASSPHRASE", kTestPassphrase}}, true);
  CHECK(read_until(chat, "Maria: ").find("Sent before you opened the chat") != std::string::npos);
  CHECK(read_until(chat, "Chatting with Maria").find("(offline)") != std::string::npos);

  REQUIRE(maria.json({"send", pair, "Live hello"}).at("seq").as_int64() == 2);
  read_until(chat, "Maria is online");  // her one-shot command connected...
  CHECK(read_until(chat, "Maria: ").find("Live hello") != std::string::npos);

  chat.write_stdin("Reply typed in the chat\n");
  read_until(chat, "you: Reply typed in the chat");
  const auto got = maria.json({"sync"}).at("received").as_array();
  REQUIRE(got.size() == 1);
  CHECK(got[0].at("text").as_string() == "Reply typed in the chat");

  chat.write_stdin("/quit\n");
  read_until(chat, "Left the chat.");
  CHECK(chat.wait() == 0);
  const auto history = tom.json({"history", pair}).at("messages").as_array();
  CHECK(history.size() == 3);
}

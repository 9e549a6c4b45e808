// Document key shares waiting per pair (PROTOCOL.md §14.4, kMaxPendingKeySharesPerPair): a
// partner's device that sends keys for more documents than the receiver has opened reaches the
// limit; the rest of the pair's messages stay on the server and the CLI says why. Real server,
// real CLI on the receiving side over real TLS; the sender is Maria's own device, driven through
// the client library from her home.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include "client-cli/lib/device_state.h"
#include "client-cli/lib/home.h"
#include "client-cli/lib/messenger.h"
#include "protocol/device/key_store.h"
#include "protocol/device/random_source.h"
#include "tests/integration/session_helpers.h"
#include "tests/support/cli_world.h"
#include "tests/support/opened_device.h"
#include "tests/support/process.h"
#include "tests/support/tamper.h"

using namespace mentorlink;
using namespace mentorlink::test;
namespace json = boost::json;

namespace {

std::vector<std::string> texts(const json::array& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) out.emplace_back(m.at("text").as_string());
  return out;
}

// What a device holds of one pair that taking a message in would change.
struct Held {
  std::size_t unopened = 0;
  std::size_t documents = 0;
  std::int64_t contiguous = 0;
  std::size_t seen_above = 0;
  std::uint64_t highest_counter = 0;
  std::size_t sessions = 0;
  std::string session_bytes;
  friend bool operator==(const Held&, const Held&) = default;
};

Held what_is_held(const Cli& who, client::PairId pair) {
  const auto held = open_device(who);
  const auto& ps = held.state.pairs.at(pair);
  Held h{client::unopened_key_shares(held.state, pair), held.state.documents.size(), ps.contiguous,
         ps.seen_above.size(), ps.received.highest(), ps.sessions.size(), ""};
  for (const auto& s : ps.sessions) h.session_bytes += json::serialize(s.to_json());
  return h;
}

// Maria's own device, driven through the client library from her home, shares keys for `count`
// documents the server never held (so they never open anything on Tom's device), and saves her
// state, so her next command goes on from there.
void share_unopenable_keys(const ServerPairWorld& w, client::PairId pair, std::size_t count) {
  auto sender = open_device(w.maria);
  auto connection = login(w.server, sender.keys.identity);
  client::Messenger maria(*connection, sender.keys.identity, sender.state,
                          [&] { return client::save_state(sender.home, sender.keys.storage_key, sender.state); });
  for (std::uint64_t document = 1; document <= count; ++document) {
    const auto sent = maria.share_document_key(
        pair, {static_cast<std::uint64_t>(pair), 100'000 + document, device::new_document_key(device::system_random())});
    REQUIRE(sent.is_ok());
  }
}

}  // namespace

TEST_CASE("key shares: a partner who sends keys for more unopened documents than the limit holds up only the rest "
          "of that pair's messages, with a sentence",
          "[key-shares]") {
  ServerPairWorld w;
  const client::PairId pair = std::stoll(w.pair);
  REQUIRE(w.tom.run({"sync"}).exit_code == 0);  // Tom's keys are published
  REQUIRE(w.maria.run({"send", w.pair, "Hello Tom"}).exit_code == 0);
  REQUIRE(texts(w.tom.json({"sync"}).at("received").as_array()) == std::vector<std::string>{"Hello Tom"});
  // A key Maria shares waits on Tom's device until it opens her document.
  REQUIRE(w.maria.run({"goals", "set", w.pair, "--text", "Learn to review code"}).exit_code == 0);
  REQUIRE(w.tom.run({"sync"}).exit_code == 0);
  CHECK(what_is_held(w.tom, pair).unopened == 1);
  REQUIRE(w.tom.run({"goals", "show", w.pair}).out.find("Learn to review code") != std::string::npos);
  CHECK(what_is_held(w.tom, pair).unopened == 0);

  {  // Maria's device shares a key for one document more than Tom's device keeps unopened, then writes.
    auto sender = open_device(w.maria);
    auto connection = login(w.server, sender.keys.identity);
    client::Messenger maria(*connection, sender.keys.identity, sender.state, [] { return wire::Status::ok(); });
    for (std::uint64_t document = 1; document <= client::kMaxPendingKeySharesPerPair + 1; ++document) {
      const auto sent = maria.share_document_key(
          pair, {static_cast<std::uint64_t>(pair), 100'000 + document, device::new_document_key(device::system_random())});
      REQUIRE(sent.is_ok());
    }
    REQUIRE(maria.send_text(pair, "after the limit").is_ok());
  }

  const auto stalled = w.tom.run({"--json", "sync"});
  CHECK(stalled.exit_code == 1);
  const auto out = json::parse(stalled.out).as_object();
  CHECK(out.at("received").as_array().empty());
  REQUIRE(out.at("problems").as_array().size() == 1);
  const auto& problem = out.at("problems").at(0).as_object();
  CHECK(problem.at("pair").as_int64() == pair);
  CHECK(problem.at("problem").as_string() ==
        "your partner in pair " + w.pair + " has sent keys for " + std::to_string(client::kMaxPendingKeySharesPerPair) +
            " documents that have not been opened on this device, the most it keeps waiting; their later messages stay "
            "on the server, unread, until you open the pair's documents (say, mentorlink goals show " + w.pair + ")");
  CHECK(texts(w.tom.json({"history", w.pair}).at("messages").as_array()) == std::vector<std::string>{"Hello Tom"});

  // Asking again takes nothing more in and changes nothing on Tom's device; the people's text
  // output says the same sentence.
  const auto before = what_is_held(w.tom, pair);
  CHECK(before.unopened == client::kMaxPendingKeySharesPerPair);
  const auto again = w.tom.run({"sync"});
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("has sent keys for " + std::to_string(client::kMaxPendingKeySharesPerPair) + " documents") !=
        std::string::npos);
  CHECK(what_is_held(w.tom, pair) == before);
  CHECK(texts(w.tom.json({"history", w.pair}).at("messages").as_array()) == std::vector<std::string>{"Hello Tom"});
}

TEST_CASE("key shares: a share held back at the limit is not deleted from the server by the chat acknowledging the "
          "partner's next live message",
          "[key-shares][chat][sqlite]") {
  ServerPairWorld w;
  const client::PairId pair = std::stoll(w.pair);
  REQUIRE(w.tom.run({"sync"}).exit_code == 0);  // Tom's keys are published
  share_unopenable_keys(w, pair, client::kMaxPendingKeySharesPerPair + 1);

  // The chat's first sync takes in the shares up to the limit and leaves the last one on the server.
  ChildProcess chat(MENTORLINK_CLI_BIN, {"--home", w.tom.home().string(), "chat", w.pair}, w.tmp / "chat.err",
                    {{"MENTORLINK_PASSPHRASE", kTestPassphrase}}, true);
  std::optional<std::string> line;
  while ((line = chat.read_line()) && line->find("Chatting with Maria") == std::string::npos) {
  }
  REQUIRE(line);

  REQUIRE(w.maria.run({"send", w.pair, "after the limit"}).exit_code == 0);
  while ((line = chat.read_line()) && line->find("after the limit") == std::string::npos &&
         line->find("waits on the server") == std::string::npos) {
  }
  REQUIRE(line);
  CHECK(*line == "-- a message in pair " + w.pair +
                     " waits on the server behind an earlier one; run mentorlink sync after the chat");
  chat.write_stdin("/quit\n");
  CHECK(chat.wait() == 0);

  // Both the held-back share and the message behind it are still there for a later sync.
  Tamper server_db(w.tmp / "data");
  CHECK(server_db.integer("SELECT count(*) FROM envelope_bodies b JOIN envelope_log l ON l.id = b.id WHERE l.pair_id = " +
                          w.pair) == 2);
  CHECK(w.tom.json({"history", w.pair}).at("messages").as_array().empty());
}

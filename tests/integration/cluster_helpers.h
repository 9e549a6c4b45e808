#pragma once
// Helpers for tests of nodes that share a bus: pushed events awaited by name, a CLI device moved
// to another node, and `mentorlink watch` as a running process.

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <deque>
#include <fstream>
#include <map>
#include <sstream>

#include "protocol/wire/messages/events.h"
#include "tests/integration/session_helpers.h"
#include "tests/support/cli.h"

namespace mentorlink::test {

// Events a connection received that no next_event() has taken yet, oldest first.
inline std::map<const client::Connection*, std::deque<wire::Incoming>>& unclaimed_events() {
  static std::map<const client::Connection*, std::deque<wire::Incoming>> unclaimed;
  return unclaimed;
}
// Call before a connection goes: a later one at the same address must not inherit its events.
inline void forget_events(const client::Connection& c) { unclaimed_events().erase(&c); }

// The next pushed event named name for which accept holds; other events stay for later calls, in
// order. Each wait is bounded by the connection's receive deadline.
template <typename Accept>
wire::Incoming next_event(client::Connection& c, std::string_view name, Accept accept) {
  auto& waiting = unclaimed_events()[&c];
  for (;;) {
    for (auto& e : c.take_events()) waiting.push_back(std::move(e));
    for (auto it = waiting.begin(); it != waiting.end(); ++it) {
      if (it->event == name && accept(*it)) {
        auto found = std::move(*it);
        waiting.erase(it);
        return found;
      }
    }
    auto frame = c.receive_text();
    INFO("waiting for " << name);
    REQUIRE(frame.is_ok());
    auto in = wire::parse_incoming(frame.value());
    REQUIRE(in.is_ok());
    if (in.value().kind == wire::Incoming::Kind::event) waiting.push_back(std::move(in.value()));
  }
}

inline wire::messages::Envelope next_message(client::Connection& c) {
  auto e = next_event(c, "message", [](const wire::Incoming&) { return true; });
  auto decoded = wire::messages::MessageEvent::decode(e.body);
  REQUIRE(decoded.is_ok());
  return decoded.value().envelope;
}

inline bool presence_is(const wire::Incoming& e, std::int64_t member, bool online) {
  auto p = wire::messages::PresenceEvent::decode(e.body);
  return p.is_ok() && p.value().member == member && p.value().online == online;
}

// The device at home talks to node from now on (what a load balancer does on a reconnect).
inline void use_node(const Cli& cli, const ServerProcess& node) {
  const auto path = cli.home() / "config.json";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto config = boost::json::parse(text.str()).as_object();
  config["server"] = node.url();
  std::ofstream(path, std::ios::trunc) << boost::json::serialize(config) << "\n";
}

// `mentorlink watch` as a running process: the coordinator's live view of programme activity.
struct Watch {
  Watch(const Cli& cli, const std::filesystem::path& log, int count)
      : child(MENTORLINK_CLI_BIN,
              {"--home", cli.home().string(), "--json", "watch", "--count", std::to_string(count)}, log,
              Environment{{"MENTORLINK_PASSPHRASE", kTestPassphrase}, {"MENTORLINK_KDF_COST", "minimum"}}) {
    auto first = child.read_line();
    REQUIRE(first.has_value());
    REQUIRE(first->find("watching") != std::string::npos);
  }
  boost::json::object next() {
    auto line = child.read_line();
    REQUIRE(line.has_value());
    return boost::json::parse(*line).as_object();
  }
  ChildProcess child;
};

}  // namespace mentorlink::test

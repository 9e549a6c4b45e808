#pragma once
// Helpers for tests of nodes that share a bus: pushed events awaited by name, a CLI device moved
// to another node, and `mentorlink watch` as a running process.

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "protocol/wire/messages/events.h"
#include "tests/integration/session_helpers.h"
#include "tests/support/cli.h"

namespace mentorlink::test {

// The next pushed event named name for which accept holds (others are skipped); each wait is
// bounded by the connection's receive deadline.
template <typename Accept>
wire::Incoming next_event(client::Connection& c, std::string_view name, Accept accept) {
  for (;;) {
    for (auto& e : c.take_events()) {
      if (e.event == name && accept(e)) return e;
    }
    auto frame = c.receive_text();
    INFO("waiting for " << name);
    REQUIRE(frame.is_ok());
    auto in = wire::parse_incoming(frame.value());
    REQUIRE(in.is_ok());
    if (in.value().kind == wire::Incoming::Kind::event && in.value().event == name && accept(in.value())) {
      return in.value();
    }
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

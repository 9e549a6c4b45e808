// chat PAIR: a live session. Two connections as the same member: this thread reads the terminal
// and sends; a listener thread waits for pushed messages and presence and hands lines to print
// through a pipe, so the terminal is only ever written from this thread. Device state is shared
// under one mutex, and each operation on it (a send, a received message) takes the home's lock
// and re-reads the state, so other mentorlink commands keep working while the chat is open.
// Every line is escaped (output.h): the partner's text and names never reach the terminal raw.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include "client-cli/commands/commands.h"
#include "client-cli/commands/messaging.h"
#include "client-cli/lib/line_editor.h"
#include "protocol/wire/messages/envelopes.h"
#include "protocol/wire/messages/events.h"

namespace mentorlink::client::commands {
namespace msg = wire::messages;
using wire::ErrorCode;

namespace {

// Lines for the terminal, produced on any thread, printed by the terminal thread.
class PrintQueue {
 public:
  PrintQueue() {
    if (::pipe2(fds_, O_NONBLOCK | O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  }
  ~PrintQueue() {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  void push(std::string line) {
    {
      std::lock_guard lock(mutex_);
      lines_.push_back(std::move(line));
    }
    const char wake = 1;
    (void)::write(fds_[1], &wake, 1);
  }
  std::deque<std::string> take() {
    char buf[64];
    while (::read(fds_[0], buf, sizeof buf) > 0) {
    }
    std::lock_guard lock(mutex_);
    return std::exchange(lines_, {});
  }
  int fd() const { return fds_[0]; }

 private:
  int fds_[2]{-1, -1};
  std::mutex mutex_;
  std::deque<std::string> lines_;  // guarded by mutex_
};

std::string said(const std::string& who, std::int64_t at, const std::string& text) {
  return "[" + format_time(at) + "] " + one_line(who) + ": " + one_line(text) + "\n";
}

std::string notice(const std::string& text) { return "-- " + one_line(text) + "\n"; }

// A partner's message with what its authenticated counter says about the ones before it.
std::string received_lines(const std::string& partner, const IncomingMessage& msg) {
  std::string out;
  if (msg.missing_before > 0) {
    out += notice(std::to_string(msg.missing_before) +
                  (msg.missing_before == 1 ? " message from " + partner + " is" : " messages from " + partner + " are") +
                  " missing here");
  }
  out += said(partner, msg.sent_at, msg.text);
  if (msg.out_of_order) out += notice("the message above arrived out of order: " + partner + " sent it earlier");
  return out;
}

}  // namespace

int chat(Context& ctx, PairId pair) {
  auto m = open_messaging(ctx);
  if (!m.is_ok()) return ctx.output.failure(m.status());
  auto& messaging = *m.value();
  const auto names = partner_names(*messaging.session.connection);
  if (!names.is_ok()) return ctx.output.failure(names.status());
  auto name_it = names.value().find(pair);
  if (name_it == names.value().end()) {
    return ctx.output.failure(Status::error(ErrorCode::not_found, "you are not a member of pair " + std::to_string(pair)));
  }
  const std::string partner = name_it->second;
  messaging.state.pairs[pair].partner_name = partner;  // for history's "1 message from Maria is missing here"
  if (auto s = save_state(ctx.home, messaging.session.keys.storage_key, messaging.state); !s.is_ok()) {
    return ctx.output.failure(s);
  }

  auto address = parse_server_url(messaging.session.config.server_url);
  auto listen = Connection::open(address.value(), messaging.session.config.ca_file, Connection::kListenTimeout);
  if (!listen.is_ok()) return ctx.output.failure(listen.status());
  auto& rx = *listen.value();
  if (auto r = log_in(rx, messaging.session.keys.identity); !r.is_ok()) return ctx.output.failure(r.status());

  std::mutex state_mutex;  // guards messaging.state and both messengers
  // Pairs with a message this chat left on the server unread: a later message of the pair stays
  // there too, as acknowledging it would delete the earlier one (message.ack covers every seq up to it).
  std::set<PairId> left_on_server;  // guarded by state_mutex
  const Home home = ctx.home;
  Messenger rx_messenger(rx, messaging.session.keys.identity, messaging.state,
                         [&] { return save_state(home, messaging.session.keys.storage_key, messaging.state); });
  PrintQueue printer;
  auto& out = ctx.output.out;

  // What arrived while we were away, then who is here.
  {
    auto backlog = messaging.messenger->sync();
    if (!backlog.is_ok()) return ctx.output.failure(backlog.status());
    for (const auto& msg : backlog.value().received) {
      if (msg.pair == pair) out << received_lines(partner, msg);
    }
    for (const auto& c : backlog.value().calls) {
      if (c.pair == pair) out << call_started_line(partner);
    }
    for (const auto& p : backlog.value().problems) ctx.output.err << "mentorlink: " << one_line(p.what) << "\n";
    left_on_server = backlog.value().left_on_server;
  }
  auto here = messaging.session.connection->call(msg::PresenceRequest{pair});
  if (!here.is_ok() && here.status().code() == ErrorCode::malformed) return ctx.output.failure(here.status());
  const bool online = here.is_ok() && here.value().online;
  const auto& ps = messaging.state.pairs[pair];
  out << "Chatting with " << one_line(partner) << " in pair " << pair << " (" << (online ? "online" : "offline") << ")."
      << (ps.verified ? "" : " Safety number not verified yet: mentorlink safety-number " + std::to_string(pair) + ".")
      << " /quit or Ctrl-D to leave.\n"
      << std::flush;
  messaging.lock.release();

  std::atomic<bool> stopping{false};
  std::thread listener([&] {
    while (!stopping) {
      std::deque<wire::Incoming> events;
      {
        std::lock_guard lock(state_mutex);
        events = rx.take_events();
      }
      if (events.empty()) {
        auto frame = rx.receive_text();
        if (!frame.is_ok()) {
          if (!stopping) printer.push(notice("connection lost: " + frame.status().message()));
          return;
        }
        auto in = wire::parse_incoming(frame.value());
        if (in.is_ok() && in.value().kind == wire::Incoming::Kind::event) events.push_back(std::move(in.value()));
      }
      for (auto& e : events) {
        if (e.event == msg::MessageEvent::kEvent) {
          auto event = decode_event<msg::MessageEvent>(e);
          if (!event.is_ok()) {
            printer.push(notice(event.status().message()));
            continue;
          }
          SyncResult problems;
          std::lock_guard lock(state_mutex);
          const PairId from_pair = event.value().envelope.pair;
          if (left_on_server.count(from_pair) > 0) {
            printer.push(notice("a message in pair " + std::to_string(from_pair) +
                                " waits on the server behind an earlier one; run mentorlink sync after the chat"));
            continue;
          }
          auto held = messaging.lock_fresh();
          if (!held.is_ok()) {  // left unacknowledged: the next sync or chat takes it in
            left_on_server.insert(from_pair);
            printer.push(notice("a message waits on the server: " + held.status().message()));
            continue;
          }
          auto got = rx_messenger.receive(event.value().envelope, problems);
          if (!got.is_ok()) {
            left_on_server.insert(from_pair);
            printer.push(notice(got.status().message()));
          } else if (got.value() && got.value()->pair == pair) {
            printer.push(received_lines(partner, *got.value()));
          }
          for (const auto& c : problems.calls) {
            if (c.pair == pair) printer.push(call_started_line(partner));
          }
          for (const auto& p : problems.problems) printer.push(notice(p.what));
        } else if (e.event == msg::PresenceEvent::kEvent) {
          auto event = decode_event<msg::PresenceEvent>(e);
          if (!event.is_ok()) {
            printer.push(notice(event.status().message()));
          } else if (event.value().pair == pair) {
            printer.push(notice(partner + " is " + (event.value().online ? "online" : "offline")));
          }
        } else if (e.event == msg::PairEndedEvent::kEvent) {
          auto event = decode_event<msg::PairEndedEvent>(e);
          if (!event.is_ok()) {
            printer.push(notice(event.status().message()));
          } else if (event.value().pair.id == pair) {
            printer.push(notice("this pair has ended; the history stays on this device"));
          }
        }
      }
    }
  });

  bool done = false;
  int exit_code = kExitOk;
  LineEditor editor("you> ", [&](std::optional<std::string> line) {
    if (!line || *line == "/quit") {
      done = true;
      return;
    }
    if (line->empty()) return;
    std::lock_guard lock(state_mutex);
    auto held = messaging.lock_fresh();
    if (!held.is_ok()) {
      printer.push(notice("not sent: " + held.status().message()));
      return;
    }
    auto sent = messaging.messenger->send_text(pair, *line);
    if (!sent.is_ok()) {
      printer.push(notice("not sent: " + sent.status().message()));
    } else {
      printer.push(said("you", sent.value().sent_at, *line));
    }
  });
  while (!done) {
    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {printer.fd(), POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      exit_code = kExitFailed;
      break;
    }
    if ((fds[1].revents & POLLIN) != 0) {
      for (const auto& line : printer.take()) editor.print_above(line);
    }
    if ((fds[0].revents & (POLLIN | POLLHUP)) != 0) editor.on_readable();
  }
  for (const auto& line : printer.take()) editor.print_above(line);

  stopping = true;
  rx.interrupt();
  listener.join();
  messaging.session.connection->close();
  out << "Left the chat.\n";
  return exit_code;
}

}  // namespace mentorlink::client::commands

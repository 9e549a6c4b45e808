// send, sync, history, safety-number, trust
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <iostream>
#include <iterator>
#include <ostream>

#include "client-cli/commands/commands.h"
#include "client-cli/commands/member_session.h"
#include "client-cli/commands/messaging.h"
#include "protocol/device/safety_number.h"
#include "protocol/wire/messages/meetings.h"

namespace mentorlink::client::commands {
namespace json = boost::json;
using wire::ErrorCode;

namespace {

json::object message_json(PairId pair, std::int64_t seq, bool mine, const std::string& text, std::int64_t sent_at) {
  json::object o;
  o["pair"] = pair;
  o["seq"] = seq;
  o["from"] = mine ? "me" : "partner";
  o["text"] = text;
  o["sent_at"] = sent_at;
  return o;
}

std::string line_for(const std::string& who, std::int64_t sent_at, const std::string& text) {
  return "[" + format_time(sent_at) + "] " + one_line(who) + ": " + one_line(text) + "\n";
}

// The digits of a safety number as a person typed or pasted it: spaces and line breaks dropped.
std::string safety_digits(const std::string& typed) {
  std::string out;
  for (char c : typed) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out.push_back(c);
  }
  return out;
}

// Messaging set up, with the partner's identity key known to this device (asked of the server on
// first use). The connection is closed again: what follows is local.
Result<std::unique_ptr<Messaging>> open_with_partner_key(Context& ctx, PairId pair) {
  auto m = open_messaging(ctx);
  if (!m.is_ok()) return m.status();
  if (!m.value()->state.pairs[pair].partner_key) {
    auto key = m.value()->messenger->partner_identity(pair);
    if (!key.is_ok()) return key.status();
  }
  m.value()->session.connection->close();
  return m;
}

}  // namespace

int send(Context& ctx, PairId pair, std::optional<std::string> text) {
  std::string message;
  if (text) {
    message = *text;
  } else {
    message.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    if (!message.empty() && message.back() == '\n') message.pop_back();
  }
  auto m = open_messaging(ctx);
  if (!m.is_ok()) return ctx.output.failure(m.status());
  auto sent = m.value()->messenger->send_text(pair, message);
  m.value()->session.connection->close();
  if (!sent.is_ok()) return ctx.output.failure(sent.status());
  if (ctx.output.json) {
    return ctx.output.json_result(json::object{
        {"pair", sent.value().pair}, {"seq", sent.value().seq}, {"sent_at", sent.value().sent_at}});
  }
  ctx.output.out << "Sent to pair " << pair << " (message " << sent.value().seq << ").\n";
  return kExitOk;
}

int sync(Context& ctx) {
  auto m = open_messaging(ctx);
  if (!m.is_ok()) return ctx.output.failure(m.status());
  // Names first: a pair list that cannot be read stops the command before anything is taken in.
  const auto names = partner_names(*m.value()->session.connection);
  if (!names.is_ok()) return ctx.output.failure(names.status());
  auto result = m.value()->messenger->sync();
  m.value()->session.connection->close();
  if (!result.is_ok()) return ctx.output.failure(result.status());
  const auto& r = result.value();
  if (ctx.output.json) {
    json::array received, resent, problems;
    for (const auto& msg : r.received) received.push_back(message_json(msg.pair, msg.seq, false, msg.text, msg.sent_at));
    for (const auto& s : r.resent) resent.push_back(json::object{{"pair", s.pair}, {"seq", s.seq}});
    for (const auto& p : r.problems) problems.push_back(json::object{{"pair", p.pair}, {"seq", p.seq}, {"problem", p.what}});
    ctx.output.json_result(json::object{{"received", received}, {"resent", resent}, {"problems", problems}});
    return r.problems.empty() ? kExitOk : kExitFailed;
  }
  auto& out = ctx.output.out;
  for (const auto& s : r.resent) out << "Sent a saved message to pair " << s.pair << " (message " << s.seq << ").\n";
  for (const auto& msg : r.received) {
    auto it = names.value().find(msg.pair);
    out << "pair " << msg.pair << " " << line_for(it != names.value().end() ? it->second : "partner", msg.sent_at, msg.text);
  }
  for (const auto& p : r.problems) ctx.output.err << "mentorlink: pair " << p.pair << ": " << one_line(p.what) << "\n";
  if (r.received.empty() && r.resent.empty()) out << "No new messages.\n";
  return r.problems.empty() ? kExitOk : kExitFailed;
}

namespace {

// The time window of a started meeting of the pair, as the server recorded it.
Result<std::pair<std::int64_t, std::int64_t>> meeting_window(Context& ctx, PairId pair, std::int64_t meeting) {
  auto session = open_member_session(ctx);
  if (!session.is_ok()) return session.status();
  auto list = session.value().connection->call(wire::messages::MeetingListRequest{pair});
  session.value().connection->close();
  if (!list.is_ok()) return list.status();
  for (const auto& m : list.value().meetings) {
    if (m.id != meeting) continue;
    if (m.pair != pair || !m.started_at) {
      return Status::error(ErrorCode::conflict, "meeting " + std::to_string(meeting) + " has not started", "meeting");
    }
    return std::pair{*m.started_at, m.ended_at.value_or(INT64_MAX)};
  }
  return Status::error(ErrorCode::not_found, "pair " + std::to_string(pair) + " has no meeting " + std::to_string(meeting),
                       "meeting");
}

}  // namespace

int history(Context& ctx, PairId pair, std::optional<std::int64_t> meeting) {
  std::optional<std::pair<std::int64_t, std::int64_t>> window;
  if (meeting) {
    auto w = meeting_window(ctx, pair, *meeting);
    if (!w.is_ok()) return ctx.output.failure(w.status());
    window = w.value();
  }
  auto keys = unlock_home(ctx);
  if (!keys.is_ok()) return ctx.output.failure(keys.status());
  auto state = load_state(ctx.home, keys.value().storage_key);
  if (!state.is_ok()) return ctx.output.failure(state.status());
  auto it = state.value().pairs.find(pair);
  if (it == state.value().pairs.end() || (it->second.history.empty() && it->second.pending.empty())) {
    if (ctx.output.json) return ctx.output.json_result(json::object{{"pair", pair}, {"messages", json::array{}}});
    ctx.output.out << "No messages in pair " << pair << " on this device yet (try mentorlink sync).\n";
    return kExitOk;
  }
  auto entries = it->second.history;
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
  if (window) {  // the live chat of one meeting: what was sent while it was under way
    std::erase_if(entries, [&](const HistoryEntry& h) { return h.sent_at < window->first || h.sent_at > window->second; });
  }
  const auto gaps = it->second.gaps();
  if (ctx.output.json) {
    json::array messages, missing, unsent;
    for (const auto& h : entries) messages.push_back(message_json(pair, h.seq, h.mine, h.text, h.sent_at));
    for (auto g : gaps) missing.push_back(g);
    for (const auto& p : it->second.pending) unsent.push_back(json::string(p.text));
    return ctx.output.json_result(json::object{{"pair", pair},
                                               {"messages", messages},
                                               {"missing", missing},
                                               {"missing_count", it->second.missing_count()},
                                               {"unsent", unsent}});
  }
  for (const auto& h : entries) ctx.output.out << line_for(h.mine ? "you" : "partner", h.sent_at, h.text);
  for (const auto& p : it->second.pending) ctx.output.out << "[not sent yet] you: " << one_line(p.text) << "\n";
  if (!gaps.empty()) {
    ctx.output.err << "mentorlink: " << it->second.missing_count()
                   << " message(s) of this pair never arrived (first missing: " << gaps.front()
                   << "); the server may have withheld them\n";
  }
  return kExitOk;
}

int safety_number(Context& ctx, PairId pair) {
  auto m = open_with_partner_key(ctx, pair);
  if (!m.is_ok()) return ctx.output.failure(m.status());
  auto& ps = m.value()->state.pairs[pair];
  const auto& mine = m.value()->session.keys.identity.public_key();
  const auto shown = ps.changed_key ? *ps.changed_key : *ps.partner_key;
  const auto number = device::safety_number(mine, shown);
  const std::string status = ps.changed_key ? "changed" : (ps.verified ? "verified" : "unverified");
  if (ctx.output.json) {
    return ctx.output.json_result(json::object{{"pair", pair}, {"safety_number", number}, {"status", status}});
  }
  auto& out = ctx.output.out;
  out << "Safety number for pair " << pair << " (" << status << "):\n\n" << device::format_safety_number(number) << "\n\n";
  if (ps.changed_key) {
    out << "Your partner's identity key has CHANGED. Sending is stopped. If they confirm this number over a\n"
           "channel you trust, accept the key this number belongs to:\n  mentorlink trust " << pair
        << " --accept-new-key followed by the 60 digits above\n";
  } else if (!ps.verified) {
    out << "Compare it with your partner's screen, in person or on a call. If it matches, run: mentorlink trust "
        << pair << "\n";
  }
  return kExitOk;
}

int trust(Context& ctx, PairId pair, std::optional<std::string> accepted_number) {
  auto m = open_with_partner_key(ctx, pair);
  if (!m.is_ok()) return ctx.output.failure(m.status());
  auto& ps = m.value()->state.pairs[pair];
  const auto& mine = m.value()->session.keys.identity.public_key();
  const std::string p = std::to_string(pair);
  std::string said;
  if (accepted_number) {
    if (!ps.changed_key) {
      return ctx.output.failure(Status::error(ErrorCode::conflict, "your partner's identity key in pair " + p +
                                                                       " has not changed; there is no new key to accept"));
    }
    const std::string digits = safety_digits(*accepted_number);
    if (digits.empty()) {
      return ctx.output.failure(Status::error(
          ErrorCode::missing_field,
          "say which safety number you compared with your partner: mentorlink trust " + p +
              " --accept-new-key followed by its 60 digits (mentorlink safety-number " + p + " shows it)",
          "accept-new-key"));
    }
    if (digits.size() != device::kSafetyNumberDigits ||
        !std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
      return ctx.output.failure(Status::error(ErrorCode::invalid_field,
                                              "a safety number is 60 digits (12 groups of 5, as mentorlink safety-number " +
                                                  p + " shows it); that was not one",
                                              "accept-new-key"));
    }
    if (digits != device::safety_number(mine, *ps.changed_key)) {
      return ctx.output.failure(Status::error(
          ErrorCode::conflict,
          "that is not the safety number of the key your partner's side now offers in pair " + p +
              " (it may have changed again since you compared), so nothing was accepted; run mentorlink "
              "safety-number " + p + ", compare the number it shows with your partner again, and accept that one",
          "accept-new-key"));
    }
    ps.partner_key = ps.changed_key;
    ps.changed_key.reset();
    ps.verified = true;  // the person compared this very key's number
    ps.sessions.clear();  // the next message starts a fresh session with the new key
    said = "Accepted your partner's new identity key in pair " + p + " (the safety number you compared).";
  } else {
    if (ps.changed_key) {
      return ctx.output.failure(Status::error(
          ErrorCode::conflict, "your partner's identity key changed; compare the new safety number (mentorlink "
                               "safety-number " + p + ") and accept it with --accept-new-key followed by that number"));
    }
    ps.verified = true;
    said = "Marked your partner's identity key in pair " + p + " as verified.";
  }
  if (auto s = save_state(ctx.home, m.value()->session.keys.storage_key, m.value()->state); !s.is_ok()) {
    return ctx.output.failure(s);
  }
  if (ctx.output.json) {
    return ctx.output.json_result(json::object{{"pair", pair}, {"verified", ps.verified}});
  }
  ctx.output.out << said << "\n";
  return kExitOk;
}

}  // namespace mentorlink::client::commands


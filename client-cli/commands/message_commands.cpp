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

json::object message_json(PairId pair, std::int64_t seq, bool mine, const std::string& text, std::int64_t sent_at,
                          std::uint64_t counter) {
  json::object o;
  o["pair"] = pair;
  o["seq"] = seq;
  o["from"] = mine ? "me" : "partner";
  o["counter"] = counter;
  o["text"] = text;
  o["sent_at"] = sent_at;
  return o;
}

// The partner's messages that never arrived, and late arrivals, for the partner's messages only.
void add_order_note(json::object& o, const device::OrderNote& note) {
  o["missing_before"] = note.missing_before;
  o["out_of_order"] = note.out_of_order;
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

// "-- 1 message from Maria is missing here" above a message, "-- ... arrived out of order" below it.
std::string missing_line(std::uint64_t missing, const std::string& partner) {
  return "-- " + std::to_string(missing) + (missing == 1 ? " message from " : " messages from ") + one_line(partner) +
         (missing == 1 ? " is" : " are") + " missing here\n";
}
std::string out_of_order_line(const std::string& partner) {
  return "-- the message above arrived out of order: " + one_line(partner) + " sent it before one shown earlier\n";
}

std::string partner_called(const PairState& ps) { return ps.partner_name.empty() ? "your partner" : ps.partner_name; }

// Remembers the partners' names this device has just heard from the server, for history and chat.
void remember_names(DeviceState& state, const std::map<PairId, std::string>& names) {
  for (auto& [pair, ps] : state.pairs) {
    if (auto it = names.find(pair); it != names.end()) ps.partner_name = it->second;
  }
}

// Messaging set up, with the partner's identity key as the server states it now checked against
// the one this device trusts (a different one is recorded as changed). The connection is closed
// again: what follows is local.
Result<std::unique_ptr<Messaging>> open_with_partner_key(Context& ctx, PairId pair) {
  auto m = open_messaging(ctx);
  if (!m.is_ok()) return m.status();
  auto key = m.value()->messenger->partner_identity(pair);
  if (!key.is_ok()) return key.status();
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
  if (!m.value()->state.pairs[pair].verified) {  // trust on first use until the two compare numbers
    ctx.output.out << "Your partner's key is trusted from first use, not yet verified: compare safety numbers "
                      "(mentorlink safety-number " << pair << ").\n";
  }
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
  remember_names(m.value()->state, names.value());
  if (auto s = save_state(ctx.home, m.value()->session.keys.storage_key, m.value()->state); !s.is_ok()) {
    return ctx.output.failure(s);
  }
  const auto& r = result.value();
  if (ctx.output.json) {
    json::array received, resent, problems;
    for (const auto& msg : r.received) {
      auto o = message_json(msg.pair, msg.seq, false, msg.text, msg.sent_at, msg.counter);
      add_order_note(o, device::OrderNote{msg.missing_before, msg.out_of_order});
      received.push_back(std::move(o));
    }
    for (const auto& s : r.resent) resent.push_back(json::object{{"pair", s.pair}, {"seq", s.seq}});
    for (const auto& p : r.problems) problems.push_back(json::object{{"pair", p.pair}, {"seq", p.seq}, {"problem", p.what}});
    json::array calls;
    for (const auto& c : r.calls) calls.push_back(json::object{{"pair", c.pair}, {"seq", c.seq}, {"from", c.sender}});
    ctx.output.json_result(json::object{{"received", received}, {"resent", resent}, {"problems", problems}, {"calls", calls}});
    return r.problems.empty() ? kExitOk : kExitFailed;
  }
  auto& out = ctx.output.out;
  for (const auto& s : r.resent) out << "Sent a saved message to pair " << s.pair << " (message " << s.seq << ").\n";
  for (const auto& msg : r.received) {
    auto it = names.value().find(msg.pair);
    const std::string partner = it != names.value().end() ? it->second : "your partner";
    if (msg.missing_before > 0) out << "pair " << msg.pair << " " << missing_line(msg.missing_before, partner);
    out << "pair " << msg.pair << " " << line_for(it != names.value().end() ? it->second : "partner", msg.sent_at, msg.text);
    if (msg.out_of_order) out << "pair " << msg.pair << " " << out_of_order_line(partner);
  }
  for (const auto& c : r.calls) {
    auto it = names.value().find(c.pair);
    out << "pair " << c.pair << " " << call_started_line(it != names.value().end() ? it->second : "your partner");
  }
  for (const auto& p : r.problems) ctx.output.err << "mentorlink: pair " << p.pair << ": " << one_line(p.what) << "\n";
  if (r.received.empty() && r.resent.empty() && r.calls.empty()) out << "No new messages.\n";
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
    if (ctx.output.json) {
      return ctx.output.json_result(json::object{{"pair", pair}, {"messages", json::array{}}, {"missing", 0}});
    }
    ctx.output.out << "No messages in pair " << pair << " on this device yet (try mentorlink sync).\n";
    return kExitOk;
  }
  const PairState& ps = it->second;
  auto entries = ps.history;
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
  // Notes come from the authenticated counters over the whole history, before any meeting filter.
  // Counter 0: a message kept from before protocol 2, which carried none; it gets no note.
  auto noted = [](const HistoryEntry& h) { return !h.mine && h.counter != 0; };
  std::vector<std::uint64_t> shown;
  for (const auto& h : entries) {
    if (noted(h)) shown.push_back(h.counter);
  }
  const auto notes = device::order_notes(shown, ps.received);
  std::uint64_t missing_total = 0;
  for (const auto& n : notes) missing_total += n.missing_before;
  struct Row {
    const HistoryEntry* entry;
    std::optional<device::OrderNote> note;  // the partner's messages only
  };
  std::vector<Row> rows;
  std::size_t next_note = 0;
  for (const auto& h : entries) {
    std::optional<device::OrderNote> note;
    if (noted(h)) note = notes[next_note++];
    // the live chat of one meeting: what was sent while it was under way
    if (window && (h.sent_at < window->first || h.sent_at > window->second)) continue;
    rows.push_back(Row{&h, note});
  }
  const std::string partner = partner_called(ps);
  if (ctx.output.json) {
    json::array messages, unsent;
    for (const auto& row : rows) {
      const auto& h = *row.entry;
      auto o = message_json(pair, h.seq, h.mine, h.text, h.sent_at, h.counter);
      if (row.note) add_order_note(o, *row.note);
      messages.push_back(std::move(o));
    }
    for (const auto& p : ps.pending) unsent.push_back(json::string(p.text));
    return ctx.output.json_result(
        json::object{{"pair", pair}, {"messages", messages}, {"missing", missing_total}, {"unsent", unsent}});
  }
  for (const auto& row : rows) {
    const auto& h = *row.entry;
    if (row.note && row.note->missing_before > 0) ctx.output.out << missing_line(row.note->missing_before, partner);
    ctx.output.out << line_for(h.mine ? "you" : "partner", h.sent_at, h.text);
    if (row.note && row.note->out_of_order) ctx.output.out << out_of_order_line(partner);
  }
  for (const auto& p : ps.pending) ctx.output.out << "[not sent yet] you: " << one_line(p.text) << "\n";
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
    if (ps.partner_key) ps.former_partner_keys.push_back(*ps.partner_key);  // its documents stay readable
    ps.partner_key = ps.changed_key;
    ps.changed_key.reset();
    ps.verified = true;  // the person compared this very key's number
    ps.sessions.clear();  // the next message starts a fresh session with the new key
    // A new key is a new device with its own counters (PROTOCOL.md §12.7): both sides count from 1 again.
    ps.received = device::ReceivedCounters{};
    ps.next_counter = device::kFirstCounter;
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


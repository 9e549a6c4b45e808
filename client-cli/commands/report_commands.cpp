// report, watch, programme cadence (coordinators) and access-log (pair members).
#include <ostream>
#include <sstream>

#include "client-cli/commands/commands.h"
#include "client-cli/commands/member_session.h"
#include "client-cli/commands/messaging.h"
#include "client-cli/lib/limits.h"
#include "client-cli/lib/time_text.h"
#include "protocol/wire/access_log.h"
#include "protocol/wire/messages/events.h"
#include "protocol/wire/messages/programmes.h"
#include "protocol/wire/messages/reports.h"

namespace mentorlink::client::commands {
namespace json = boost::json;
namespace msg = wire::messages;
using wire::ErrorCode;

namespace {

std::string number(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : "-"; }

std::string number(const std::optional<double>& v, int decimals) {
  if (!v) return "-";
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(decimals);
  s << *v;
  return s.str();
}

std::string percent(const std::optional<double>& v) {
  if (!v) return "-";
  return std::to_string(static_cast<int>(*v * 100.0 + 0.5)) + "%";
}

std::string when(const std::optional<std::int64_t>& v) { return v ? format_time(*v).substr(0, 10) : "-"; }

std::string months(const msg::ReportRow& row) {
  std::string out;
  for (const auto& m : row.held_per_month) out += (out.empty() ? "" : " ") + m.month + ":" + std::to_string(m.held);
  return out;
}

std::string reasons(const msg::ReportRow& row, std::string_view separator) {
  std::string out;
  for (const auto& r : row.risk_reasons) out += (out.empty() ? "" : std::string(separator)) + r.why;
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The columns of the table and the CSV, in one place.
struct Column {
  const char* header;
  std::string (*cell)(const msg::ReportRow& row);
};

using Row = msg::ReportRow;

const std::vector<Column>& columns() {
  static const std::vector<Column> kColumns{
      {"pair", [](const Row& r) { return std::to_string(r.pair); }},
      {"mentor", [](const Row& r) { return r.mentor.name; }},
      {"mentee", [](const Row& r) { return r.mentee.name; }},
      {"formed", [](const Row& r) { return when(r.formed_at); }},
      {"status", [](const Row& r) { return r.status; }},
      {"held", [](const Row& r) { return std::to_string(r.meetings_held); }},
      {"held_30d", [](const Row& r) { return std::to_string(r.held_last_30_days); }},
      {"held_90d", [](const Row& r) { return std::to_string(r.held_last_90_days); }},
      {"per_month", [](const Row& r) { return months(r); }},
      {"last_meeting", [](const Row& r) { return when(r.last_meeting_at); }},
      {"days_since", [](const Row& r) { return number(r.days_since_last_meeting); }},
      {"mean_interval_days", [](const Row& r) { return number(r.mean_interval_days, 1); }},
      {"mean_minutes", [](const Row& r) { return number(r.mean_duration_minutes, 1); }},
      {"contract", [](const Row& r) { return r.contract_status; }},
      {"signed", [](const Row& r) { return when(r.contract_signed_at); }},
      {"agenda_ahead", [](const Row& r) { return percent(r.agenda_ahead_rate); }},
      {"feedback", [](const Row& r) { return percent(r.feedback_rate); }},
      {"messages_30d", [](const Row& r) { return r.messages_last_30_days; }},
      {"at_risk", [](const Row& r) { return std::string(r.at_risk ? "yes" : "no"); }},
      {"risk_reasons", [](const Row& r) { return reasons(r, "; "); }},
  };
  return kColumns;
}

void print_table(std::ostream& out, const msg::ReportProgrammeResult& report) {
  const auto& totals = report.totals;
  out << "Programme " << report.programme.id << " \"" << report.programme.name << "\", target: a meeting every "
      << report.programme.cadence_days << " days; a meeting counts as held after " << report.programme.min_held_minutes
      << " minutes together. " << totals.participants << " participants (" << totals.matched
      << " matched, " << totals.unmatched << " unmatched), " << totals.active_pairs << " active pairs, "
      << number(totals.meetings_per_week, 1) << " meetings a week (last 4 weeks).\n\n";
  std::vector<std::vector<std::string>> rows{{}};
  for (const auto& c : columns()) {
    if (std::string_view(c.header) != "risk_reasons" && std::string_view(c.header) != "per_month") rows[0].push_back(c.header);
  }
  std::vector<std::string> risky;
  for (const auto& row : report.pairs) {
    std::vector<std::string> cells;
    for (const auto& c : columns()) {
      if (std::string_view(c.header) != "risk_reasons" && std::string_view(c.header) != "per_month") cells.push_back(c.cell(row));
    }
    rows.push_back(std::move(cells));
    if (row.at_risk) {
      risky.push_back("pair " + std::to_string(row.pair) + " (" + row.mentor.name + " and " + row.mentee.name +
                      "): " + reasons(row, "; "));
    }
  }
  out << format_table(rows);
  std::string open_to_coordinator;
  for (const auto& row : report.pairs) {
    if (row.coordinator_is_member) open_to_coordinator += (open_to_coordinator.empty() ? "" : ", ") + std::to_string(row.pair);
  }
  if (!open_to_coordinator.empty()) {
    out << "\nA coordinator of this programme is the mentor or mentee, and so reads the content, in pair(s) "
        << open_to_coordinator << ".\n";
  }
  if (!risky.empty()) {
    out << "\nAt risk of stalling:\n";
    for (const auto& r : risky) out << "  " << r << "\n";
  }
}

void print_csv(std::ostream& out, const msg::ReportProgrammeResult& report) {
  std::string line;
  for (const auto& c : columns()) line += (line.empty() ? "" : ",") + std::string(c.header);
  out << line << "\n";
  for (const auto& row : report.pairs) {
    line.clear();
    bool first = true;
    for (const auto& c : columns()) {
      line += (first ? "" : ",") + csv_field(c.cell(row));
      first = false;
    }
    out << line << "\n";
  }
}

}  // namespace

int report(Context& ctx, const ReportOptions& o) {
  std::optional<std::int64_t> since;
  if (o.since) {
    since = parse_time(*o.since);
    if (!since) since = parse_time(*o.since + "T00:00Z");
    if (!since) {
      return ctx.output.failure(Status::error(ErrorCode::invalid_field,
                                              "\"" + *o.since + "\" is not a date; write it like 2027-01-01", "since"));
    }
  }
  auto session = open_member_session(ctx);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto& connection = *session.value().connection;
  auto programme = resolve_programme(connection, o.programme);
  if (!programme.is_ok()) return ctx.output.failure(programme.status());
  auto r = connection.call(msg::ReportProgrammeRequest{programme.value(), since});
  connection.close();
  if (!r.is_ok()) return ctx.output.failure(r.status());
  const std::string format = ctx.output.json ? "json" : o.format;
  if (format == "json") return ctx.output.json_result(r.value().encode());
  if (format == "csv") {
    print_csv(ctx.output.out, r.value());
  } else {
    print_table(ctx.output.out, r.value());
  }
  return kExitOk;
}

int programme_update(Context& ctx, const ProgrammeUpdateOptions& o) {
  if (!o.cadence_days && !o.min_held_minutes) {
    ctx.output.err << "Name a setting to change: --cadence-days N or --min-held-minutes M.\n";
    return kExitFailed;
  }
  auto session = open_member_session(ctx);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto& connection = *session.value().connection;
  auto programme = resolve_programme(connection, o.programme);
  if (!programme.is_ok()) return ctx.output.failure(programme.status());
  auto r = connection.call(msg::ProgrammeUpdateRequest{programme.value(), o.cadence_days, o.min_held_minutes});
  connection.close();
  if (!r.is_ok()) return ctx.output.failure(r.status());
  if (ctx.output.json) return ctx.output.json_result(r.value().encode());
  const auto& p = r.value().programme;
  if (p.id != programme.value()) {
    return ctx.output.failure(wire::Status::error(wire::ErrorCode::invalid_field,
                                                  "the server answered about another programme", "programme"));
  }
  auto& out = ctx.output.out;
  out << "Programme " << p.id << " aims for a meeting every " << p.cadence_days << " days (pairs quiet for more than "
      << (p.cadence_days * 3 + 1) / 2 << " days show as at risk); a meeting counts as held once both were present "
      << "together for " << p.min_held_minutes << " minutes.\n";
  return kExitOk;
}

int watch(Context& ctx, std::optional<std::int64_t> programme_option, std::optional<std::int64_t> count) {
  auto session = open_member_session(ctx, Connection::kListenTimeout);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto& connection = *session.value().connection;
  auto programme = resolve_programme(connection, programme_option);
  if (!programme.is_ok()) return ctx.output.failure(programme.status());
  auto r = connection.call(msg::ReportWatchRequest{programme.value()});
  if (!r.is_ok()) return ctx.output.failure(r.status());
  if (!ctx.output.json) {
    ctx.output.out << "Watching programme " << programme.value()
                   << ": pairs formed and ended, meetings started and ended, contracts signed. Ctrl-C to stop.\n";
  } else {
    ctx.output.json_result(json::object{{"watching", programme.value()}});
  }
  ctx.output.out.flush();
  for (std::int64_t seen = 0; !count || seen < *count;) {
    std::deque<wire::Incoming> events = connection.take_events();
    if (events.empty()) {
      auto frame = connection.receive_text();
      if (!frame.is_ok()) return ctx.output.failure(frame.status());
      auto in = wire::parse_incoming(frame.value());
      if (!in.is_ok()) {
        return ctx.output.failure(Status::error(ErrorCode::malformed, "the server sent something this client cannot "
                                                                      "read: " + in.status().message()));
      }
      if (in.value().kind == wire::Incoming::Kind::event) events.push_back(std::move(in.value()));
    }
    for (const auto& e : events) {
      if (e.event != msg::ProgrammeActivityEvent::kEvent) continue;
      auto activity = decode_event<msg::ProgrammeActivityEvent>(e);
      if (!activity.is_ok()) return ctx.output.failure(activity.status());
      const auto& a = activity.value();
      ++seen;
      if (ctx.output.json) {
        ctx.output.json_result(a.encode());
      } else {
        auto& out = ctx.output.out;
        out << "[" << format_time(a.at) << "] pair " << a.pair << ": " << a.activity;
        if (a.held) {
          out << (*a.held ? ", held for " + std::to_string((a.both_present_ms.value_or(0) + 30'000) / 60'000) + " min"
                          : ", not held");
        }
        out << "\n";
      }
      ctx.output.out.flush();
    }
  }
  return kExitOk;
}

int access_log(Context& ctx, std::int64_t pair) {
  auto m = open_messaging(ctx);
  if (!m.is_ok()) return ctx.output.failure(m.status());
  auto& state = m.value()->state.pairs[pair];
  auto& connection = *m.value()->session.connection;
  // The whole log, verified from its first entry; it must pass through the entry this device
  // verified last, with the same hash.
  std::vector<msg::AccessEntryView> entries;
  for (bool more = true; more;) {
    auto r = connection.call(msg::AccessLogListRequest{pair, static_cast<std::int64_t>(entries.size()) + 1});
    if (!r.is_ok()) return ctx.output.failure(r.status());
    if (r.value().pair != pair) {
      return ctx.output.failure(unreadable_reply(
          msg::AccessLogListRequest::kType, Status::error(ErrorCode::invalid_field, "it is about another pair", "pair")));
    }
    auto& got = r.value().entries;
    if (got.size() > kMaxAccessLogEntries - entries.size()) {
      return ctx.output.failure(Status::error(
          ErrorCode::quota_exceeded, "the access log of pair " + std::to_string(pair) + " has more than " +
                                         std::to_string(kMaxAccessLogEntries) +
                                         " entries, the most this client reads; the server may be sending entries "
                                         "without end. Nothing was kept"));
    }
    entries.insert(entries.end(), std::make_move_iterator(got.begin()), std::make_move_iterator(got.end()));
    more = r.value().more && !got.empty();
  }
  auto broken = [&](const std::string& why) {
    return ctx.output.failure(Status::error(ErrorCode::bad_signature,
                                            "the access log of pair " + std::to_string(pair) + " does not verify: " + why +
                                                "; the server may have edited or cut it. This device keeps entry " +
                                                std::to_string(state.access_seq) + " as the last one it trusts"));
  };
  wire::Hash previous{};
  bool passed_known_head = state.access_seq == 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    const auto seq = static_cast<std::uint64_t>(i + 1);
    wire::AccessEntry entry{static_cast<std::uint64_t>(pair), seq, static_cast<std::uint64_t>(e.coordinator.id), e.at,
                            e.what, e.fields_text, previous};
    if (e.seq != static_cast<std::int64_t>(seq)) return broken("entry " + std::to_string(seq) + " is missing");
    if (e.pair != pair) return broken("entry " + std::to_string(seq) + " belongs to another pair");
    if (e.previous_hash != previous) return broken("entry " + std::to_string(seq) + " does not follow the one before it");
    const auto hash = wire::access_entry_hash(entry);
    if (e.hash != hash) {
      return broken("entry " + std::to_string(seq) + " was changed after it was written");
    }
    if (static_cast<std::int64_t>(seq) == state.access_seq) {
      if (hash != state.access_hash) return broken("entry " + std::to_string(seq) + " is not the one this device saw");
      passed_known_head = true;
    }
    previous = hash;
  }
  if (!passed_known_head) {
    return broken("it ends at entry " + std::to_string(entries.size()) + ", before entry " +
                  std::to_string(state.access_seq) + " that this device saw");
  }
  if (!entries.empty()) {
    state.access_seq = static_cast<std::int64_t>(entries.size());
    state.access_hash = previous;
    if (auto s = save_state(ctx.home, m.value()->session.keys.storage_key, m.value()->state); !s.is_ok()) {
      return ctx.output.failure(s);
    }
  }
  connection.close();
  if (ctx.output.json) {
    return ctx.output.json_result(json::object{{"pair", pair}, {"entries", msg::encode_all(entries)}, {"verified", true}});
  }
  if (entries.empty()) {
    ctx.output.out << "No coordinator has looked at pair " << pair << "'s metadata.\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows{{"#", "WHEN", "COORDINATOR", "WHAT", "FIELDS"}};
  for (const auto& e : entries) {
    rows.push_back({std::to_string(e.seq), format_time(e.at), e.coordinator.name, e.what, e.fields_text});
  }
  ctx.output.out << format_table(rows) << "(hash chain verified on this device, up to entry " << state.access_seq << ")\n";
  return kExitOk;
}

}  // namespace mentorlink::client::commands

// report, watch, programme cadence (coordinators) and access-log (pair members).
#include <ostream>
#include <sstream>

#include "client-cli/commands/commands.h"
#include "client-cli/commands/member_session.h"
#include "client-cli/commands/messaging.h"
#include "client-cli/lib/time_text.h"
#include "protocol/wire/access_log.h"
#include "protocol/wire/base64url.h"

namespace mentorlink::client::commands {
namespace json = boost::json;
using wire::ErrorCode;

namespace {

std::string number(const json::value& v, int decimals = 0) {
  if (v.is_null()) return "-";
  if (v.is_int64()) return std::to_string(v.as_int64());
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(decimals);
  s << v.to_number<double>();
  return s.str();
}

std::string percent(const json::value& v) {
  if (v.is_null()) return "-";
  return std::to_string(static_cast<int>(v.to_number<double>() * 100.0 + 0.5)) + "%";
}

std::string when(const json::value& v) { return v.is_null() ? "-" : format_time(v.as_int64()).substr(0, 10); }

std::string months(const json::object& row) {
  std::string out;
  for (const auto& m : row.at("held_per_month").as_array()) {
    out += (out.empty() ? "" : " ") + std::string(m.at("month").as_string()) + ":" + std::to_string(m.at("held").as_int64());
  }
  return out;
}

std::string reasons(const json::object& row, std::string_view separator) {
  std::string out;
  for (const auto& r : row.at("risk_reasons").as_array()) {
    out += (out.empty() ? "" : std::string(separator)) + std::string(r.at("why").as_string());
  }
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
  std::string (*cell)(const json::object& row);
};

const std::vector<Column>& columns() {
  static const std::vector<Column> kColumns{
      {"pair", [](const json::object& r) { return std::to_string(r.at("pair").as_int64()); }},
      {"mentor", [](const json::object& r) { return std::string(r.at("mentor").at("name").as_string()); }},
      {"mentee", [](const json::object& r) { return std::string(r.at("mentee").at("name").as_string()); }},
      {"formed", [](const json::object& r) { return when(r.at("formed_at")); }},
      {"status", [](const json::object& r) { return std::string(r.at("status").as_string()); }},
      {"held", [](const json::object& r) { return number(r.at("meetings_held")); }},
      {"held_30d", [](const json::object& r) { return number(r.at("held_last_30_days")); }},
      {"held_90d", [](const json::object& r) { return number(r.at("held_last_90_days")); }},
      {"per_month", [](const json::object& r) { return months(r); }},
      {"last_meeting", [](const json::object& r) { return when(r.at("last_meeting_at")); }},
      {"days_since", [](const json::object& r) { return number(r.at("days_since_last_meeting")); }},
      {"mean_interval_days", [](const json::object& r) { return number(r.at("mean_interval_days"), 1); }},
      {"mean_minutes", [](const json::object& r) { return number(r.at("mean_duration_minutes"), 1); }},
      {"contract", [](const json::object& r) { return std::string(r.at("contract_status").as_string()); }},
      {"signed", [](const json::object& r) { return when(r.at("contract_signed_at")); }},
      {"agenda_ahead", [](const json::object& r) { return percent(r.at("agenda_ahead_rate")); }},
      {"feedback", [](const json::object& r) { return percent(r.at("feedback_rate")); }},
      {"messages_30d", [](const json::object& r) { return std::string(r.at("messages_last_30_days").as_string()); }},
      {"at_risk", [](const json::object& r) { return std::string(r.at("at_risk").as_bool() ? "yes" : "no"); }},
      {"risk_reasons", [](const json::object& r) { return reasons(r, "; "); }},
  };
  return kColumns;
}

void print_table(std::ostream& out, const json::object& report) {
  const auto& totals = report.at("totals").as_object();
  out << "Programme " << report.at("programme").at("id").as_int64() << " \"" << std::string(report.at("programme").at("name").as_string())
      << "\", target: a meeting every " << report.at("programme").at("cadence_days").as_int64() << " days. "
      << totals.at("participants").as_int64() << " participants (" << totals.at("matched").as_int64() << " matched, "
      << totals.at("unmatched").as_int64() << " unmatched), " << totals.at("active_pairs").as_int64()
      << " active pairs, " << number(totals.at("meetings_per_week"), 1) << " meetings a week (last 4 weeks).\n\n";
  std::vector<std::vector<std::string>> rows{{}};
  for (const auto& c : columns()) {
    if (std::string_view(c.header) != "risk_reasons" && std::string_view(c.header) != "per_month") rows[0].push_back(c.header);
  }
  std::vector<std::string> risky;
  for (const auto& v : report.at("pairs").as_array()) {
    const auto& row = v.as_object();
    std::vector<std::string> cells;
    for (const auto& c : columns()) {
      if (std::string_view(c.header) != "risk_reasons" && std::string_view(c.header) != "per_month") cells.push_back(c.cell(row));
    }
    rows.push_back(std::move(cells));
    if (row.at("at_risk").as_bool()) {
      risky.push_back("pair " + std::to_string(row.at("pair").as_int64()) + " (" +
                      std::string(row.at("mentor").at("name").as_string()) + " and " +
                      std::string(row.at("mentee").at("name").as_string()) + "): " + reasons(row, "; "));
    }
  }
  out << format_table(rows);
  if (!risky.empty()) {
    out << "\nAt risk of stalling:\n";
    for (const auto& r : risky) out << "  " << r << "\n";
  }
}

void print_csv(std::ostream& out, const json::object& report) {
  std::string line;
  for (const auto& c : columns()) line += (line.empty() ? "" : ",") + std::string(c.header);
  out << line << "\n";
  for (const auto& v : report.at("pairs").as_array()) {
    line.clear();
    bool first = true;
    for (const auto& c : columns()) {
      line += (first ? "" : ",") + csv_field(c.cell(v.as_object()));
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
  json::object body{{"programme", programme.value()}};
  if (since) body["since"] = *since;
  auto r = connection.request("report.programme", std::move(body));
  connection.close();
  if (!r.is_ok()) return ctx.output.failure(r.status());
  const std::string format = ctx.output.json ? "json" : o.format;
  if (format == "json") return ctx.output.json_result(r.value());
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
  json::object body{{"programme", programme.value()}};
  if (o.cadence_days) body["cadence_days"] = *o.cadence_days;
  if (o.min_held_minutes) body["min_held_minutes"] = *o.min_held_minutes;
  auto r = connection.request("programme.update", std::move(body));
  connection.close();
  if (!r.is_ok()) return ctx.output.failure(r.status());
  if (ctx.output.json) return ctx.output.json_result(r.value());
  auto& out = ctx.output.out;
  out << "Programme " << programme.value() << " updated.";
  if (o.cadence_days) {
    out << " It aims for a meeting every " << *o.cadence_days << " days; pairs quiet for more than "
        << (*o.cadence_days * 3 + 1) / 2 << " days show as at risk.";
  }
  if (o.min_held_minutes) {
    out << " A meeting counts as held once both were present together for " << *o.min_held_minutes << " minutes.";
  }
  out << "\n";
  return kExitOk;
}

int watch(Context& ctx, std::optional<std::int64_t> programme_option, std::optional<std::int64_t> count) {
  auto session = open_member_session(ctx, Connection::kListenTimeout);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto& connection = *session.value().connection;
  auto programme = resolve_programme(connection, programme_option);
  if (!programme.is_ok()) return ctx.output.failure(programme.status());
  auto r = connection.request("report.watch", json::object{{"programme", programme.value()}});
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
      if (in.is_ok() && in.value().kind == wire::Incoming::Kind::event) events.push_back(std::move(in.value()));
    }
    for (const auto& e : events) {
      if (e.event != "programme.activity") continue;
      ++seen;
      if (ctx.output.json) {
        ctx.output.json_result(e.body);
      } else {
        auto& out = ctx.output.out;
        out << "[" << format_time(e.body.at("at").as_int64()) << "] pair " << e.body.at("pair").as_int64() << ": "
            << std::string(e.body.at("activity").as_string());
        if (const auto* held = e.body.if_contains("held")) {
          out << (held->as_bool() ? ", held for " + std::to_string((e.body.at("both_present_ms").as_int64() + 30'000) / 60'000) + " min"
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
  json::array entries;
  for (bool more = true; more;) {
    auto r = connection.request("access_log.list",
                                json::object{{"pair", pair}, {"from", static_cast<std::int64_t>(entries.size()) + 1}});
    if (!r.is_ok()) return ctx.output.failure(r.status());
    for (auto& e : r.value().at("entries").as_array()) entries.push_back(e);
    more = r.value().at("more").as_bool() && !r.value().at("entries").as_array().empty();
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
    const auto& e = entries[i].as_object();
    const auto seq = static_cast<std::uint64_t>(i + 1);
    wire::AccessEntry entry{static_cast<std::uint64_t>(pair), seq,
                            static_cast<std::uint64_t>(e.at("coordinator").at("id").as_int64()), e.at("at").as_int64(),
                            std::string(e.at("what").as_string()), std::string(e.at("fields_text").as_string()), previous};
    const auto stated_hash = wire::base64url_decode(e.at("hash").as_string());
    if (e.at("seq").as_int64() != static_cast<std::int64_t>(seq)) return broken("entry " + std::to_string(seq) + " is missing");
    if (wire::base64url_decode(e.at("previous_hash").as_string()) != wire::Bytes(previous.begin(), previous.end())) {
      return broken("entry " + std::to_string(seq) + " does not follow the one before it");
    }
    const auto hash = wire::access_entry_hash(entry);
    if (!stated_hash || *stated_hash != wire::Bytes(hash.begin(), hash.end())) {
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
  if (ctx.output.json) return ctx.output.json_result(json::object{{"pair", pair}, {"entries", entries}, {"verified", true}});
  if (entries.empty()) {
    ctx.output.out << "No coordinator has looked at pair " << pair << "'s metadata.\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows{{"#", "WHEN", "COORDINATOR", "WHAT", "FIELDS"}};
  for (const auto& v : entries) {
    const auto& e = v.as_object();
    rows.push_back({std::to_string(e.at("seq").as_int64()), format_time(e.at("at").as_int64()),
                    std::string(e.at("coordinator").at("name").as_string()), std::string(e.at("what").as_string()),
                    std::string(e.at("fields_text").as_string())});
  }
  ctx.output.out << format_table(rows) << "(hash chain verified on this device, up to entry " << state.access_seq << ")\n";
  return kExitOk;
}

}  // namespace mentorlink::client::commands

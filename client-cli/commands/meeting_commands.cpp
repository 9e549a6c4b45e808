// meeting schedule, reschedule, cancel, start, join, leave, end, list.
#include <ostream>

#include "client-cli/commands/commands.h"
#include "client-cli/commands/member_session.h"
#include "client-cli/lib/time_text.h"

namespace mentorlink::client::commands {
namespace json = boost::json;
using wire::ErrorCode;

namespace {

std::string minutes(std::int64_t ms) {
  const auto total = (ms + 30'000) / 60'000;
  return std::to_string(total) + " min";
}

// One line about a meeting: when, what state, and the metadata the server keeps.
std::string describe(const json::object& m) {
  const auto status = std::string(m.at("status").as_string());
  std::string out = "meeting " + std::to_string(m.at("id").as_int64()) + ": " + status;
  if (const auto& at = m.at("scheduled_at"); at.is_int64()) out += ", scheduled for " + format_time(at.as_int64());
  if (const auto& at = m.at("started_at"); at.is_int64()) out += ", started " + format_time(at.as_int64());
  if (status == "ended") {
    out += m.at("held").as_bool() ? ", held: both present for " + minutes(m.at("both_present_ms").as_int64())
                                  : ", not held (you were never both present)";
  } else if (status == "started") {
    out += ", " + std::to_string(m.at("present").as_array().size()) + " of 2 present";
  }
  const auto& agenda = m.at("agenda").as_object();
  if (agenda.at("shared_ahead").as_bool()) {
    const auto ahead = agenda.at("ahead_ms").as_int64();
    const auto hours = ahead / 3'600'000;
    const std::string how_long = hours >= 48 ? std::to_string(hours / 24) + " days"
                                 : hours >= 1 ? std::to_string(hours) + " h"
                                              : minutes(ahead);
    out += ", agenda shared " + how_long + " ahead";
  } else if (status != "cancelled") {
    out += ", no agenda shared ahead";
  }
  const auto feedback = m.at("feedback_from").as_array().size();
  if (status == "ended") out += ", feedback from " + std::to_string(feedback) + " of 2";
  return out;
}

int run(Context& ctx, std::string_view type, json::object body) {
  auto session = open_member_session(ctx);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto r = session.value().connection->request(type, std::move(body));
  session.value().connection->close();
  if (!r.is_ok()) return ctx.output.failure(r.status());
  if (ctx.output.json) return ctx.output.json_result(r.value());
  if (const auto* list = r.value().if_contains("meetings")) {
    if (list->as_array().empty()) ctx.output.out << "No meetings yet.\n";
    for (const auto& m : list->as_array()) ctx.output.out << describe(m.as_object()) << "\n";
  } else {
    auto line = describe(r.value().at("meeting").as_object());
    line[0] = 'M';
    ctx.output.out << line << ".\n";
  }
  return kExitOk;
}

Result<std::int64_t> time_option(const std::string& at) {
  auto t = parse_time(at);
  if (!t) {
    return Status::error(ErrorCode::invalid_field,
                         "\"" + at + "\" is not a time; write it like 2026-12-01T10:00Z, 2026-12-01 10:00+01:00, "
                         "or 2026-12-01 10:00 for local time",
                         "at");
  }
  return *t;
}

}  // namespace

int meeting_schedule(Context& ctx, std::int64_t pair, const std::string& at) {
  auto t = time_option(at);
  if (!t.is_ok()) return ctx.output.failure(t.status());
  return run(ctx, "meeting.schedule", json::object{{"pair", pair}, {"at", t.value()}});
}

int meeting_reschedule(Context& ctx, std::int64_t meeting, const std::string& at) {
  auto t = time_option(at);
  if (!t.is_ok()) return ctx.output.failure(t.status());
  return run(ctx, "meeting.reschedule", json::object{{"meeting", meeting}, {"at", t.value()}});
}

int meeting_start(Context& ctx, std::int64_t pair, std::optional<std::int64_t> meeting) {
  json::object body{{"pair", pair}};
  if (meeting) body["meeting"] = *meeting;
  return run(ctx, "meeting.start", std::move(body));
}

int meeting_step(Context& ctx, std::string_view step, std::int64_t meeting) {
  return run(ctx, "meeting." + std::string(step), json::object{{"meeting", meeting}});
}

int meeting_list(Context& ctx, std::int64_t pair) { return run(ctx, "meeting.list", json::object{{"pair", pair}}); }

}  // namespace mentorlink::client::commands

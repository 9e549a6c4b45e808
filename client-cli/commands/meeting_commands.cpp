// meeting schedule, reschedule, cancel, start, join, leave, end, list.
#include <ostream>

#include "client-cli/commands/commands.h"
#include "client-cli/commands/member_session.h"
#include "client-cli/lib/time_text.h"
#include "protocol/wire/messages/meetings.h"

namespace mentorlink::client::commands {
namespace msg = wire::messages;
using wire::ErrorCode;

namespace {

std::string minutes(std::int64_t ms) {
  const auto total = (ms + 30'000) / 60'000;
  return std::to_string(total) + " min";
}

// One line about a meeting: when, what state, and the metadata the server keeps.
std::string describe(const msg::MeetingView& m) {
  const auto& status = m.status;
  std::string out = "meeting " + std::to_string(m.id) + ": " + status;
  if (m.scheduled_at) out += ", scheduled for " + format_time(*m.scheduled_at);
  if (m.started_at) out += ", started " + format_time(*m.started_at);
  if (status == "ended") {
    out += m.held ? ", held: both present for " + minutes(m.both_present_ms) : ", not held (you were never both present)";
  } else if (status == "started") {
    out += ", " + std::to_string(m.present.size()) + " of 2 present";
  }
  if (m.agenda.shared_ahead) {
    const auto ahead = m.agenda.ahead_ms.value_or(0);
    const auto hours = ahead / 3'600'000;
    const std::string how_long = hours >= 48 ? std::to_string(hours / 24) + " days"
                                 : hours >= 1 ? std::to_string(hours) + " h"
                                              : minutes(ahead);
    out += ", agenda shared " + how_long + " ahead";
  } else if (status != "cancelled") {
    out += ", no agenda shared ahead";
  }
  const auto feedback = m.feedback_from.size();
  if (status == "ended") out += ", feedback from " + std::to_string(feedback) + " of 2";
  return out;
}

void print(Output& output, const msg::MeetingListResult& result) {
  if (result.meetings.empty()) output.out << "No meetings yet.\n";
  for (const auto& m : result.meetings) output.out << describe(m) << "\n";
}

void print(Output& output, const msg::MeetingResult& result) {
  auto line = describe(result.meeting);
  line[0] = 'M';
  output.out << line << ".\n";
}

template <class Request>
int run(Context& ctx, const Request& request) {
  auto session = open_member_session(ctx);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto r = session.value().connection->call(request);
  session.value().connection->close();
  if (!r.is_ok()) return ctx.output.failure(r.status());
  if (ctx.output.json) return ctx.output.json_result(r.value().encode());
  print(ctx.output, r.value());
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
  return run(ctx, msg::MeetingScheduleRequest{pair, t.value()});
}

int meeting_reschedule(Context& ctx, std::int64_t meeting, const std::string& at) {
  auto t = time_option(at);
  if (!t.is_ok()) return ctx.output.failure(t.status());
  return run(ctx, msg::MeetingRescheduleRequest{meeting, t.value()});
}

int meeting_start(Context& ctx, std::int64_t pair, std::optional<std::int64_t> meeting) {
  return run(ctx, msg::MeetingStartRequest{pair, meeting});
}

int meeting_step(Context& ctx, std::string_view step, std::int64_t meeting) {
  if (step == "cancel") return run(ctx, msg::MeetingCancelRequest{{meeting}});
  if (step == "join") return run(ctx, msg::MeetingJoinRequest{{meeting}});
  if (step == "leave") return run(ctx, msg::MeetingLeaveRequest{{meeting}});
  return run(ctx, msg::MeetingEndRequest{{meeting}});
}

int meeting_list(Context& ctx, std::int64_t pair) { return run(ctx, msg::MeetingListRequest{pair}); }

}  // namespace mentorlink::client::commands

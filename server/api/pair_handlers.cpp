// pair.create, pair.list, pair.end and the pair.formed / pair.ended events (PROTOCOL.md, "Pairs").
// A pair view a coordinator receives for a pair they are not in is a read of its metadata: it is
// written to the pair's access log (what: the request type) before the answer leaves.
#include <array>
#include <functional>

#include "protocol/wire/messages/events.h"
#include "protocol/wire/messages/pairs.h"
#include "server/api/handler.h"
#include "server/api/lookups.h"
#include "server/api/programme_activity.h"
#include "server/api/views.h"
#include "server/core/access_chain.h"
#include "server/core/pairs.h"
#include "server/policy/access.h"

namespace mentorlink::server::api {
namespace msg = wire::messages;
using wire::ErrorCode;

namespace {

// Tells both members of the pair; each sees the pair from their own side.
template <class Event>
void notify_pair_members(Call& call, const PairRecord& pair, const Names& names) {
  for (MemberId m : {pair.mentor, pair.mentee}) {
    Event event;
    event.pair = pair_view(pair, names, m);
    call.server.hub.publish(m, event_frame(event));
  }
}

Result<Names> programme_names(Call& call, ProgrammeId programme) {
  auto enrolments = call.server.store.enrolments_in(programme);
  if (!enrolments.is_ok()) return enrolments.status();
  return names_of(enrolments.value());
}

// The access-log entry for a coordinator's read of pair through request `what`, or none when the
// caller is not a coordinator of its programme or is the pair's mentor or mentee.
std::optional<AccessRecord> coordinator_read(Call& call, const std::optional<EnrolmentRecord>& actor,
                                             const PairRecord& pair, std::string_view what) {
  if (!actor || actor->role != ProgrammeRole::coordinator || pair.has_member(call.member())) return std::nullopt;
  return AccessRecord{pair.id, 0, call.member(), call.server.clock.now_ms(), std::string(what),
                      std::string(kPairViewFields), {}, {}};
}

// Runs change (which makes or ends a pair) and logs the caller's read of the result in the same
// transaction: the pair changes only if its access log can be written.
Result<PairRecord> change_and_log(Call& call, const std::optional<EnrolmentRecord>& actor, std::string_view what,
                                  const std::function<Result<PairRecord>()>& change) {
  Result<PairRecord> pair = Status::error(ErrorCode::internal, "the pair was not changed");
  auto& store = call.server.store;
  const auto done = store.all_or_nothing([&]() -> Status {
    pair = change();
    if (!pair.is_ok()) return pair.status();
    std::vector<AccessRecord> reads;
    if (auto read = coordinator_read(call, actor, pair.value(), what)) reads.push_back(std::move(*read));
    return reads.empty() ? Status::ok() : append_access(store, reads);
  });
  if (!done.is_ok()) return done;
  return pair;
}

Result<msg::PairResult> create_pair(Call& call, const msg::PairCreateRequest& request) {
  const ProgrammeId programme = request.programme;
  const MemberId mentor = request.mentor;
  const MemberId mentee = request.mentee;
  if (mentor == mentee) {
    return Status::error(ErrorCode::invalid_field, "a mentor cannot mentor themselves", "mentee");
  }

  auto actor = caller_enrolment(call, programme);
  if (!actor.is_ok()) return actor.status();
  if (auto s = policy::may_form_pair(actor.value()); !s.is_ok()) return s;
  for (auto [id, field] : {std::pair{mentor, "mentor"}, std::pair{mentee, "mentee"}}) {
    auto e = call.server.store.enrolment(programme, id);
    if (!e.is_ok()) {
      return Status::error(e.status().code(),
                           "member " + std::to_string(id) + " is not enrolled in this programme", field);
    }
  }

  auto pair = change_and_log(call, actor.value(), "pair.create", [&] {
    return server::create_pair(call.server.store, programme, mentor, mentee, call.member(), call.server.clock.now_ms());
  });
  if (!pair.is_ok()) return pair.status();
  auto names = programme_names(call, programme);
  if (!names.is_ok()) return names.status();
  notify_pair_members<msg::PairFormedEvent>(call, pair.value(), names.value());
  announce_activity(call.server, pair.value(), "pair.formed");
  return msg::PairResult{pair_view(pair.value(), names.value(), call.member())};
}

Result<msg::PairListResult> list_pairs(Call& call, const msg::PairListRequest& request) {
  const auto& only = request.programme;

  std::vector<ProgrammeId> programmes;
  if (only) {
    if (auto s = caller_may_view(call, *only); !s.is_ok()) return s;
    programmes.push_back(*only);
  } else {
    auto mine = call.server.store.programmes_of_member(call.member());
    if (!mine.is_ok()) return mine.status();
    for (const auto& p : mine.value()) programmes.push_back(p.id);
  }

  msg::PairListResult out;
  std::vector<AccessRecord> reads;
  for (ProgrammeId programme : programmes) {
    auto actor = caller_enrolment(call, programme);
    if (!actor.is_ok()) return actor.status();
    auto names = programme_names(call, programme);
    if (!names.is_ok()) return names.status();
    auto pairs = call.server.store.pairs_in(programme);
    if (!pairs.is_ok()) return pairs.status();
    for (const auto& p : pairs.value()) {
      out.pairs.push_back(pair_view(p, names.value(), call.member()));
      if (auto read = coordinator_read(call, actor.value(), p, "pair.list")) reads.push_back(std::move(*read));
    }
  }
  // The pairs' access logs are written before any of their metadata leaves.
  if (!reads.empty()) {
    if (auto s = append_access(call.server.store, reads); !s.is_ok()) return s;
  }
  return out;
}

Result<msg::PairResult> end_pair(Call& call, const msg::PairEndRequest& request) {
  const PairId id = request.pair;

  auto pair = call.server.store.pair_by_id(id);
  if (!pair.is_ok()) return pair.status();
  auto actor = caller_enrolment(call, pair.value().programme);
  if (!actor.is_ok()) return actor.status();
  // Someone outside the programme learns nothing about the pair, not even that it exists.
  if (!actor.value() && !pair.value().has_member(call.member())) {
    return Status::error(ErrorCode::not_found, "no such pair", "pair");
  }
  if (auto s = policy::may_end_pair(pair.value(), call.member(), actor.value()); !s.is_ok()) return s;

  auto ended = change_and_log(call, actor.value(), "pair.end",
                              [&] { return server::end_pair(call.server.store, id, call.member(), call.server.clock.now_ms()); });
  if (!ended.is_ok()) return ended.status();
  auto names = programme_names(call, ended.value().programme);
  if (!names.is_ok()) return names.status();
  notify_pair_members<msg::PairEndedEvent>(call, ended.value(), names.value());
  announce_activity(call.server, ended.value(), "pair.ended");
  return msg::PairResult{pair_view(ended.value(), names.value(), call.member())};
}

constexpr std::array kRoutes{
    typed_route<msg::PairCreateRequest, &create_pair>(Access::member),
    typed_route<msg::PairListRequest, &list_pairs>(Access::member),
    typed_route<msg::PairEndRequest, &end_pair>(Access::member),
};

}  // namespace

std::span<const Route> pair_routes() { return kRoutes; }

}  // namespace mentorlink::server::api

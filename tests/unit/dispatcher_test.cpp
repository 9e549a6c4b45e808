// The request handlers behind the Dispatcher, driven in-process with the real SQLite store and a
// fake clock. The network front is covered by tests/integration.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include "protocol/device/identity.h"
#include "protocol/wire/base64url.h"
#include "protocol/wire/messages/documents.h"
#include "protocol/wire/messages/envelopes.h"
#include "protocol/wire/messages/events.h"
#include "protocol/wire/messages/keys.h"
#include "protocol/wire/messages/meetings.h"
#include "protocol/wire/messages/pairs.h"
#include "protocol/wire/messages/programmes.h"
#include "protocol/wire/messages/reports.h"
#include "protocol/wire/messages/session.h"
#include "protocol/wire/signatures.h"
#include "protocol/device/document_cipher.h"
#include "server/api/commit_batcher.h"
#include "server/api/dispatcher.h"
#include "server/api/report_views.h"
#include "server/api/views.h"
#include "server/core/hub.h"
#include "protocol/wire/limits.h"
#include "server/services/invites.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/support/fake_clock.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::server;
using wire::ErrorCode;
namespace json = boost::json;

namespace {

template <class StoreType = SqliteStore>
struct HarnessOf {
  test::TempDir dir;
  test::FakeClock clock;
  Metrics metrics;
  Hub hub;
  Limits limits;
  StoreType store{dir.path().string(), &metrics};
  AddressLimiter address_limiter{limits.max_connections_per_address, limits.auth_attempts_per_address_per_minute};
  ServerContext context{store, clock, hub, metrics, limits, address_limiter};
  api::Dispatcher dispatcher{context};
  std::int64_t next_id = 1;

  SessionState connection(std::uint8_t exporter_fill = 7) {
    SessionState s;
    s.exporter.fill(exporter_fill);
    return s;
  }

  api::Reply raw(SessionState& s, const std::string& text) { return dispatcher.handle(s, text); }

  wire::Incoming call(SessionState& s, const std::string& type, json::object body = {}) {
    const auto reply = raw(s, wire::serialize_request(wire::Request{next_id++, type, std::move(body)}));
    auto in = wire::parse_incoming(reply.frame);
    REQUIRE(in.is_ok());
    return std::move(in.value());
  }

  json::object ok(SessionState& s, const std::string& type, json::object body = {}) {
    auto in = call(s, type, std::move(body));
    INFO(type << ": " << in.error.message());
    REQUIRE(in.kind == wire::Incoming::Kind::result);
    return std::move(in.body);
  }

  ErrorCode error(SessionState& s, const std::string& type, json::object body = {}) {
    auto in = call(s, type, std::move(body));
    REQUIRE(in.kind == wire::Incoming::Kind::error);
    return in.error.code();
  }

  wire::Nonce hello(SessionState& s) {
    json::object body;
    body["version"] = wire::kProtocolVersion;
    auto r = ok(s, "hello", body);
    return *reinterpret_cast<const wire::Nonce*>(wire::base64url_decode(r.at("challenge").as_string())->data());
  }

  json::object enroll_body(SessionState& s, const device::IdentityKeyPair& id, const std::string& code) {
    const auto nonce = hello(s);
    return wire::messages::EnrollRequest{
        code, id.public_key(),
        id.sign(wire::enroll_message(nonce, s.exporter, id.public_key(), wire::invite_code_hash(code))), std::nullopt}
        .encode();
  }

  // A logged-in connection for a new member made from an invite code.
  SessionState enrolled(const device::IdentityKeyPair& id, const std::string& code) {
    auto s = connection();
    ok(s, "enroll", enroll_body(s, id, code));
    return s;
  }

  // request as the client encodes it; the result as the client decodes it.
  template <class Request>
  typename Request::Reply typed(SessionState& s, const Request& request) {
    auto reply = Request::Reply::decode(ok(s, std::string(Request::kType), request.encode()));
    INFO(Request::kType << ": " << (reply.is_ok() ? std::string() : reply.status().message()));
    REQUIRE(reply.is_ok());
    return std::move(reply).value();
  }

  std::string invite(SessionState& coordinator, std::int64_t programme, const std::string& name,
                     const std::string& role = "participant") {
    json::object body;
    body["programme"] = programme;
    body["role"] = role;
    body["name"] = name;
    return std::string(ok(coordinator, "invite.create", body).at("code").as_string());
  }
};

using Harness = HarnessOf<>;

json::object obj(std::initializer_list<std::pair<std::string_view, json::value>> fields) {
  json::object o;
  for (const auto& [k, v] : fields) o[k] = v;
  return o;
}

}  // namespace

TEST_CASE("requests before hello are refused, hello names the version", "[dispatcher]") {
  Harness h;
  auto s = h.connection();
  CHECK(h.error(s, "whoami") == ErrorCode::hello_required);
  CHECK(h.error(s, "hello", obj({{"version", 1}})) == ErrorCode::unsupported_version);
  CHECK(h.error(s, "hello", obj({{"version", 3}})) == ErrorCode::unsupported_version);
  CHECK(h.error(s, "hello", obj({{"version", "2"}})) == ErrorCode::invalid_field);
  CHECK(h.error(s, "whoami") == ErrorCode::hello_required);  // a refused hello changes nothing
  h.hello(s);
  CHECK(h.error(s, "whoami") == ErrorCode::not_authenticated);
  CHECK(h.error(s, "no.such.type") == ErrorCode::unknown_type);
}

TEST_CASE("a second hello replaces the unused challenge; after login hello is refused", "[dispatcher]") {
  Harness h;
  const auto code = issue_bootstrap_invite(h.store, h.clock, "Ada", 7).value().code;
  const auto ada = device::IdentityKeyPair::generate();
  auto s = h.connection();
  const auto stale = h.enroll_body(s, ada, code);  // signed over the first challenge
  h.hello(s);                                       // replaces it
  CHECK(h.error(s, "enroll", stale) == ErrorCode::bad_signature);
  CHECK(s.failed_auth_attempts == 1);
  h.ok(s, "enroll", h.enroll_body(s, ada, code));
  CHECK(h.error(s, "hello", obj({{"version", wire::kProtocolVersion}})) == ErrorCode::already_authenticated);
  CHECK(h.ok(s, "whoami").at("member").at("name").as_string() == "Ada");  // still logged in
}

TEST_CASE("invite codes travel only in canonical form; a wrong form uses up nothing", "[dispatcher]") {
  Harness h;
  const auto code = issue_bootstrap_invite(h.store, h.clock, "Ada", 7).value().code;
  const auto ada = device::IdentityKeyPair::generate();
  auto s = h.connection();
  std::string shouted = code;
  for (auto& c : shouted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string spaced = code.substr(0, 16) + " - " + code.substr(16);
  for (const auto& typed : {shouted, spaced, code.substr(0, 31), code + "a", code.substr(0, 31) + "1"}) {
    INFO(typed);
    CHECK(h.error(s, "enroll", h.enroll_body(s, ada, typed)) == ErrorCode::invalid_field);
  }
  // What a client does with what a person typed.
  CHECK(wire::canonical_invite_code(shouted) == code);
  CHECK(wire::canonical_invite_code(spaced) == code);
  CHECK_FALSE(wire::canonical_invite_code(code.substr(0, 31) + "1").has_value());
  CHECK_FALSE(wire::canonical_invite_code(code + "a").has_value());
  CHECK(s.failed_auth_attempts == 0);
  CHECK(s.challenge.has_value());  // not used up either
  h.ok(s, "enroll", h.enroll_body(s, ada, code));
}

TEST_CASE("the route table says which requests are group-committed", "[dispatcher]") {
  Harness h;
  for (const auto* type : {"message.send", "message.ack", "document.write"}) CHECK(h.dispatcher.group_committed(type));
  for (const auto* type : {"message.sync", "hello", "login", "keys.fetch", "contract.sign", "no.such.type"}) {
    INFO(type);
    CHECK_FALSE(h.dispatcher.group_committed(type));
  }
}

TEST_CASE("malformed frames get an error with the id when it could be read", "[dispatcher]") {
  Harness h;
  auto s = h.connection();
  auto reply = json::parse(h.raw(s, "{oops").frame).as_object();
  CHECK(reply.at("error").at("code").as_string() == "malformed");
  CHECK(reply.at("id").is_null());
  reply = json::parse(h.raw(s, R"({"id": 5, "type": "hello", "body": {}})").frame).as_object();
  CHECK(reply.at("id").as_int64() == 5);
  CHECK(reply.at("error").at("code").as_string() == "missing_field");
  CHECK(reply.at("error").at("field").as_string() == "version");
}

TEST_CASE("the coordinator journey in-process: enroll, programme, invite, pair, end", "[dispatcher]") {
  Harness h;
  const auto ada_key = device::IdentityKeyPair::generate();
  auto ada = h.enrolled(ada_key, issue_bootstrap_invite(h.store, h.clock, "Ada", 7).value().code);
  const auto programme = h.ok(ada, "programme.create", obj({{"name", "Grads"}, {"purpose", "growth"}}));
  const auto pid = programme.at("programme").at("id").as_int64();
  CHECK(programme.at("programme").at("your_role").as_string() == "coordinator");

  const auto maria_key = device::IdentityKeyPair::generate();
  const auto tom_key = device::IdentityKeyPair::generate();
  auto maria = h.enrolled(maria_key, h.invite(ada, pid, "Maria"));
  auto tom = h.enrolled(tom_key, h.invite(ada, pid, "Tom"));

  const auto members = h.ok(tom, "member.list", obj({{"programme", pid}})).at("members").as_array();
  REQUIRE(members.size() == 3);
  const auto maria_id = members[1].at("id").as_int64();
  const auto tom_id = members[2].at("id").as_int64();

  CHECK(h.error(tom, "pair.create", obj({{"programme", pid}, {"mentor", maria_id}, {"mentee", tom_id}})) ==
        ErrorCode::forbidden);
  CHECK(h.error(ada, "pair.create", obj({{"programme", pid}, {"mentor", tom_id}, {"mentee", tom_id}})) ==
        ErrorCode::invalid_field);
  const auto pair = h.ok(ada, "pair.create", obj({{"programme", pid}, {"mentor", maria_id}, {"mentee", tom_id}}));
  const auto pair_id = pair.at("pair").at("id").as_int64();

  const auto tom_pairs = h.ok(tom, "pair.list").at("pairs").as_array();
  REQUIRE(tom_pairs.size() == 1);
  CHECK(tom_pairs[0].at("your_role").as_string() == "mentee");
  CHECK(tom_pairs[0].at("mentor").at("name").as_string() == "Maria");

  h.clock.advance_days(3);
  const auto ended = h.ok(maria, "pair.end", obj({{"pair", pair_id}}));
  CHECK(ended.at("pair").at("status").as_string() == "ended");
  CHECK(ended.at("pair").at("ended_at").as_int64() == h.clock.now_ms());
  CHECK(h.error(ada, "pair.end", obj({{"pair", pair_id}})) == ErrorCode::conflict);
}

TEST_CASE("participants cannot create programmes or invite, outsiders cannot see a programme", "[dispatcher]") {
  Harness h;
  auto ada = h.enrolled(device::IdentityKeyPair::generate(),
                        issue_bootstrap_invite(h.store, h.clock, "Ada", 7).value().code);
  const auto p1 = h.ok(ada, "programme.create", obj({{"name", "One"}})).at("programme").at("id").as_int64();
  const auto p2 = h.ok(ada, "programme.create", obj({{"name", "Two"}})).at("programme").at("id").as_int64();
  auto maria = h.enrolled(device::IdentityKeyPair::generate(), h.invite(ada, p1, "Maria"));

  CHECK(h.error(maria, "programme.create", obj({{"name", "Mine"}})) == ErrorCode::forbidden);
  CHECK(h.error(maria, "invite.create", obj({{"programme", p1}, {"role", "participant"}, {"name", "X"}})) ==
        ErrorCode::forbidden);
  CHECK(h.error(maria, "member.list", obj({{"programme", p2}})) == ErrorCode::forbidden);
  CHECK(h.error(maria, "pair.list", obj({{"programme", p2}})) == ErrorCode::forbidden);
  CHECK(h.error(maria, "member.list", obj({{"programme", 999}})) == ErrorCode::not_found);
  CHECK(h.ok(maria, "programme.list").at("programmes").as_array().size() == 1);
}

TEST_CASE("programme settings: set at creation or by programme.update, coordinators only, in range", "[dispatcher]") {
  Harness h;
  auto ada = h.enrolled(device::IdentityKeyPair::generate(),
                        issue_bootstrap_invite(h.store, h.clock, "Ada", 7).value().code);
  const auto created = h.ok(ada, "programme.create", obj({{"name", "One"}, {"min_held_minutes", 15}})).at("programme");
  CHECK(created.at("min_held_minutes").as_int64() == 15);
  CHECK(created.at("cadence_days").as_int64() == 21);
  const auto pid = created.at("id").as_int64();
  CHECK(h.error(ada, "programme.create", obj({{"name", "Two"}, {"min_held_minutes", 0}})) == ErrorCode::invalid_field);
  CHECK(h.ok(ada, "programme.list").at("programmes").as_array().size() == 1);  // the refused one was not made

  auto update = [&](SessionState& s, json::object body) {
    body["programme"] = pid;
    return h.call(s, "programme.update", std::move(body));
  };
  auto updated = update(ada, obj({{"cadence_days", 14}}));
  REQUIRE(updated.kind == wire::Incoming::Kind::result);
  CHECK(updated.body.at("programme").at("cadence_days").as_int64() == 14);
  CHECK(updated.body.at("programme").at("min_held_minutes").as_int64() == 15);  // left out: unchanged
  CHECK(update(ada, obj({{"min_held_minutes", 241}})).error.code() == ErrorCode::invalid_field);
  CHECK(update(ada, obj({{"min_held_minutes", "10"}})).error.code() == ErrorCode::invalid_field);
  CHECK(update(ada, obj({{"cadence_days", 366}})).error.code() == ErrorCode::invalid_field);
  CHECK(update(ada, obj({})).error.code() == ErrorCode::missing_field);
  auto maria = h.enrolled(device::IdentityKeyPair::generate(), h.invite(ada, pid, "Maria"));
  CHECK(update(maria, obj({{"min_held_minutes", 5}})).error.code() == ErrorCode::forbidden);
  const auto after = h.ok(ada, "programme.list").at("programmes").at(0);
  CHECK(after.at("cadence_days").as_int64() == 14);
  CHECK(after.at("min_held_minutes").as_int64() == 15);
}

TEST_CASE("enroll: expired, reused, wrong name, wrong signature, each changes nothing", "[dispatcher]") {
  Harness h;
  auto ada = h.enrolled(device::IdentityKeyPair::generate(),
                        issue_bootstrap_invite(h.store, h.clock, "Ada", 7).value().code);
  const auto pid = h.ok(ada, "programme.create", obj({{"name", "One"}})).at("programme").at("id").as_int64();
  auto member_count = [&] { return h.ok(ada, "member.list", obj({{"programme", pid}})).at("members").as_array().size(); };

  SECTION("expired") {
    const auto code = h.invite(ada, pid, "Late");
    h.clock.advance_days(8);
    auto s = h.connection();
    CHECK(h.error(s, "enroll", h.enroll_body(s, device::IdentityKeyPair::generate(), code)) ==
          ErrorCode::invite_expired);
    CHECK(member_count() == 1);
  }
  SECTION("reused") {
    const auto code = h.invite(ada, pid, "Once");
    h.enrolled(device::IdentityKeyPair::generate(), code);
    auto s = h.connection();
    CHECK(h.error(s, "enroll", h.enroll_body(s, device::IdentityKeyPair::generate(), code)) ==
          ErrorCode::invite_used);
    CHECK(member_count() == 2);
  }
  SECTION("name that does not match the invite") {
    const auto code = h.invite(ada, pid, "Maria");
    auto s = h.connection();
    auto body = h.enroll_body(s, device::IdentityKeyPair::generate(), code);
    body["name"] = "Mallory";
    CHECK(h.error(s, "enroll", body) == ErrorCode::invite_name_mismatch);
    CHECK(member_count() == 1);
  }
  SECTION("signature made for another connection") {
    const auto code = h.invite(ada, pid, "Maria");
    auto other = h.connection(99);
    auto body = h.enroll_body(other, device::IdentityKeyPair::generate(), code);
    auto s = h.connection(7);
    h.hello(s);
    CHECK(h.error(s, "enroll", body) == ErrorCode::bad_signature);
    CHECK(member_count() == 1);
    // The invite is still good for its rightful owner.
    h.enrolled(device::IdentityKeyPair::generate(), code);
    CHECK(member_count() == 2);
  }
}

TEST_CASE("login: a challenge is good for one attempt, repeated failures close the connection", "[dispatcher]") {
  Harness h;
  const auto key = device::IdentityKeyPair::generate();
  h.enrolled(key, issue_bootstrap_invite(h.store, h.clock, "Ada", 7).value().code);

  auto s = h.connection();
  const auto nonce = h.hello(s);
  const auto body =
      wire::messages::LoginRequest{key.public_key(), key.sign(wire::login_message(nonce, s.exporter, key.public_key()))}
          .encode();
  CHECK(h.ok(s, "login", body).at("member").at("name").as_string() == "Ada");
  CHECK(h.error(s, "login", body) == ErrorCode::already_authenticated);

  auto replay = h.connection();
  CHECK(h.error(replay, "login", body) == ErrorCode::hello_required);
  h.hello(replay);
  CHECK(h.error(replay, "login", body) == ErrorCode::bad_signature);
  CHECK(h.error(replay, "login", body) == ErrorCode::hello_required);  // the challenge was used up

  auto stranger = h.connection();
  const auto stranger_key = device::IdentityKeyPair::generate();
  bool closed = false;
  for (int i = 0; i < h.limits.max_auth_failures_per_connection; ++i) {
    const auto n = h.hello(stranger);
    const auto b = wire::messages::LoginRequest{stranger_key.public_key(),
                                                stranger_key.sign(wire::login_message(n, stranger.exporter,
                                                                                      stranger_key.public_key()))}
                       .encode();
    auto reply = h.raw(stranger, wire::serialize_request(wire::Request{h.next_id++, "login", b}));
    CHECK(json::parse(reply.frame).at("error").at("code").as_string() == "unknown_identity");
    closed = reply.close_connection;
  }
  CHECK(closed);
}

TEST_CASE("every reply the server writes decodes with the struct the client reads it with", "[dispatcher][wire]") {
  namespace msg = wire::messages;
  Harness h;
  const auto ada_key = device::IdentityKeyPair::generate();
  auto ada = h.enrolled(ada_key, issue_bootstrap_invite(h.store, h.clock, "Ada", 7).value().code);
  const auto me = h.typed(ada, msg::WhoamiRequest{});
  CHECK(me.member.name == "Ada");
  CHECK(me.member.identity_key == ada_key.public_key());
  CHECK(me.programmes.empty());

  const auto programme = h.typed(ada, msg::ProgrammeCreateRequest{"Grads", "growth", std::nullopt, 15}).programme;
  CHECK(programme.your_role == "coordinator");
  CHECK(programme.min_held_minutes == 15);
  const auto pid = programme.id;
  CHECK(h.typed(ada, msg::ProgrammeUpdateRequest{pid, 14, std::nullopt}).programme.cadence_days == 14);
  const auto invite = h.typed(ada, msg::InviteCreateRequest{pid, "participant", "Maria", 3});
  CHECK(invite.name == "Maria");
  CHECK(invite.expires_at == h.clock.now_ms() + 3 * 24 * 60 * 60 * 1000);
  auto maria = h.enrolled(device::IdentityKeyPair::generate(), invite.code);
  auto tom = h.enrolled(device::IdentityKeyPair::generate(), h.invite(ada, pid, "Tom"));
  const auto members = h.typed(tom, msg::MemberListRequest{pid});
  REQUIRE(members.members.size() == 3);
  const auto maria_id = members.members[1].id;
  const auto tom_id = members.members[2].id;
  CHECK(members.members[0].role == "coordinator");

  const auto pair = h.typed(ada, msg::PairCreateRequest{pid, maria_id, tom_id}).pair;
  CHECK_FALSE(pair.your_role.has_value());
  const auto tom_pairs = h.typed(tom, msg::PairListRequest{}).pairs;
  REQUIRE(tom_pairs.size() == 1);
  CHECK(tom_pairs[0].partner()->name == "Maria");
  CHECK(h.typed(maria, msg::ProgrammeListRequest{}).programmes.at(0).your_role == "participant");

  const auto templates = h.typed(maria, msg::TemplateListRequest{pid}).templates;
  REQUIRE(templates.size() == 1);
  CHECK_FALSE(templates[0].text.has_value());
  CHECK(h.typed(maria, msg::TemplateGetRequest{templates[0].id}).template_.text.has_value());

  const auto keys = h.typed(maria, msg::KeysStatusRequest{});
  CHECK(keys.device == 1);
  CHECK(keys.one_time_prekeys == 0);
  CHECK(keys.low);
  CHECK(h.typed(maria, msg::KeysIdentityRequest{pair.id}).member == tom_id);
  CHECK(h.typed(maria, msg::PresenceRequest{pair.id}).online == false);
  CHECK(h.typed(maria, msg::MessageAckRequest{pair.id, 5}).acknowledged == 0);

  const auto started = h.typed(maria, msg::MeetingStartRequest{pair.id, std::nullopt}).meeting;
  CHECK(started.status == "started");
  CHECK(started.present == std::vector<std::int64_t>{maria_id});
  h.typed(tom, msg::MeetingJoinRequest{{started.id}});
  h.clock.advance_ms(20 * 60 * 1000);
  const auto ended = h.typed(tom, msg::MeetingEndRequest{{started.id}}).meeting;
  CHECK(ended.held);
  CHECK(ended.both_present_ms == 20 * 60 * 1000);
  CHECK(h.typed(maria, msg::MeetingListRequest{pair.id}).meetings.size() == 1);
  const auto scheduled = h.typed(maria, msg::MeetingScheduleRequest{pair.id, h.clock.now_ms() + 1000}).meeting;
  CHECK(h.typed(tom, msg::MeetingCancelRequest{{scheduled.id}}).meeting.status == "cancelled");

  const auto agenda = h.typed(maria, msg::DocumentOpenRequest{pair.id, wire::DocumentKind::agenda, ended.id}).document;
  CHECK(agenda.meeting == ended.id);
  CHECK(agenda.latest_version == 0);
  CHECK(h.typed(tom, msg::DocumentListRequest{pair.id}).documents.size() == 1);
  CHECK(h.typed(tom, msg::DocumentGetRequest{agenda.id, std::nullopt, std::nullopt}).versions.empty());
  const auto contract = h.typed(tom, msg::ContractStatusRequest{pair.id}).contract;
  CHECK(contract.state == "none");
  CHECK_FALSE(contract.version_hash.has_value());

  const auto report = h.typed(ada, msg::ReportProgrammeRequest{pid, std::nullopt});
  REQUIRE(report.pairs.size() == 1);
  CHECK(report.pairs[0].meetings_held == 1);
  CHECK(report.totals.participants == 2);
  CHECK(h.typed(ada, msg::ReportWatchRequest{pid}).watching);
  CHECK(h.typed(ada, msg::DashboardLinkRequest{pid}).programme == pid);
  const auto log = h.typed(tom, msg::AccessLogListRequest{pair.id, std::nullopt});
  REQUIRE(log.entries.size() == 2);  // pair.create, then the report
  CHECK(log.entries[1].what == "report");
  CHECK(log.entries[1].fields_text == api::report_row_field_list());

  CHECK(h.typed(maria, msg::PairEndRequest{pair.id}).pair.status == "ended");
}

TEST_CASE("the access log names exactly the fields a pair view and a report row carry", "[dispatcher][access-log]") {
  namespace msg = wire::messages;
  auto keys_of = [](const json::object& o) {
    std::string out;
    for (const auto& [key, value] : o) out += (out.empty() ? "" : ",") + std::string(key);
    return out;
  };
  CHECK(keys_of(msg::PairView{}.encode()) == api::kPairViewFields);
  CHECK(keys_of(msg::ReportRow{}.encode()) == api::report_row_field_list());
}

namespace {
namespace msg = wire::messages;

struct RecordingOutbox final : Outbox {
  std::vector<std::string> frames;
  void deliver(std::shared_ptr<const std::string> frame) override { frames.push_back(*frame); }
  void end(std::uint16_t /*close_code*/, std::string /*reason*/) override {}
};

// The real store, except that a batch's transaction never commits (a full disk at COMMIT):
// everything the batch did is rolled back and the batch fails.
class CommitFailingStore final : public SqliteStore {
 public:
  using SqliteStore::SqliteStore;
  Status in_one_transaction(const std::function<void()>& body) override {
    return all_or_nothing([&]() -> Status {
      body();
      return Status::error(ErrorCode::internal, "storage failure in batch");
    });
  }
};

// Maria and Tom paired, each on a logged-in connection, Tom's connection attached to the hub,
// and two documents: goals, whose version 1 is already stored (written alone), and an agenda.
template <class StoreType>
struct DocumentBatch {
  HarnessOf<StoreType> h;
  device::IdentityKeyPair maria_key = device::IdentityKeyPair::generate();
  SessionState maria, tom;
  msg::PairView pair;
  device::DocumentKey key = device::new_document_key(device::system_random());
  msg::DocumentView goals, agenda;
  wire::Hash goals_v1{};
  std::shared_ptr<RecordingOutbox> tom_outbox = std::make_shared<RecordingOutbox>();

  DocumentBatch() {
    auto ada = h.enrolled(device::IdentityKeyPair::generate(), issue_bootstrap_invite(h.store, h.clock, "Ada", 7).value().code);
    const auto pid = h.typed(ada, msg::ProgrammeCreateRequest{"Grads", "growth", std::nullopt, 15}).programme.id;
    maria = h.enrolled(maria_key, h.invite(ada, pid, "Maria"));
    tom = h.enrolled(device::IdentityKeyPair::generate(), h.invite(ada, pid, "Tom"));
    const auto members = h.typed(tom, msg::MemberListRequest{pid}).members;
    REQUIRE(members.size() == 3);
    pair = h.typed(ada, msg::PairCreateRequest{pid, members[1].id, members[2].id}).pair;
    h.hub.attach(members[2].id, tom_outbox);
    goals = h.typed(maria, msg::DocumentOpenRequest{pair.id, wire::DocumentKind::goals, std::nullopt}).document;
    const auto started = h.typed(maria, msg::MeetingStartRequest{pair.id, std::nullopt}).meeting;
    agenda = h.typed(maria, msg::DocumentOpenRequest{pair.id, wire::DocumentKind::agenda, started.id}).document;
    const auto first = write(goals, 1, wire::Hash{});
    h.typed(maria, first);
    goals_v1 = wire::document_version_hash(first.body);
  }

  msg::DocumentWriteRequest write(const msg::DocumentView& doc, std::uint32_t version, const wire::Hash& previous) {
    const wire::DocumentIdentity identity{static_cast<std::uint64_t>(pair.id), static_cast<std::uint64_t>(doc.id), doc.kind,
                                          static_cast<std::uint64_t>(doc.meeting.value_or(0)), 0};
    auto sealed = device::seal_version(maria_key, key, {identity, version, previous},
                                       wire::to_bytes("goals, version " + std::to_string(version)), device::system_random());
    REQUIRE(sealed);
    return msg::DocumentWriteRequest{doc.id, version, sealed->body, sealed->signature};
  }

  // One batch of Maria's: a message, a version of goals on a stale previous, a good agenda version.
  std::vector<api::BatchedRequest> run_batch() {
    const msg::MessageSendRequest send{pair.id, std::nullopt, wire::Bytes(msg::kClientIdBytes, 9), wire::Bytes(64, 1)};
    std::vector<api::BatchedRequest> batch;
    batch.push_back({&maria, wire::Request{101, std::string(send.kType), send.encode()}, {}});
    batch.push_back({&maria, wire::Request{102, "document.write", write(goals, 2, wire::Hash{}).encode()}, {}});
    batch.push_back({&maria, wire::Request{103, "document.write", write(agenda, 1, wire::Hash{}).encode()}, {}});
    api::commit_batch(h.context, h.dispatcher, batch);
    return batch;
  }

  std::int64_t latest(const msg::DocumentView& doc) {
    return h.typed(tom, msg::DocumentGetRequest{doc.id, std::nullopt, std::nullopt}).document.latest_version;
  }
  std::size_t pending_for_tom() {
    return h.typed(tom, msg::MessageSyncRequest{std::nullopt, {}}).envelopes.size();
  }
};

wire::Incoming parsed(const api::Reply& reply) {
  auto in = wire::parse_incoming(reply.frame);
  REQUIRE(in.is_ok());
  return std::move(in.value());
}

}  // namespace

TEST_CASE("a refused document version in a batch changes nothing; the rest of the batch commits", "[dispatcher][batch]") {
  DocumentBatch<SqliteStore> b;
  const auto before = b.tom_outbox->frames.size();
  const auto batch = b.run_batch();
  REQUIRE(batch.size() == 3);

  const auto message = parsed(batch[0].reply);
  REQUIRE(message.kind == wire::Incoming::Kind::result);
  CHECK(message.id == 101);
  const auto stale = parsed(batch[1].reply);
  REQUIRE(stale.kind == wire::Incoming::Kind::error);
  CHECK(stale.error.code() == ErrorCode::conflict);
  const auto written = parsed(batch[2].reply);
  REQUIRE(written.kind == wire::Incoming::Kind::result);
  CHECK(written.id == 103);

  CHECK(b.pending_for_tom() == 1);
  CHECK(b.latest(b.goals) == 1);   // the refused version left nothing
  CHECK(b.latest(b.agenda) == 1);
  // Events of the batch, after its commit: the message and one document.updated, none for the refusal.
  REQUIRE(b.tom_outbox->frames.size() == before + 2);
  const std::vector<std::string> events(b.tom_outbox->frames.begin() + static_cast<std::ptrdiff_t>(before),
                                        b.tom_outbox->frames.end());
  CHECK(parsed(api::Reply{events[0]}).event == "message");
  const auto updated = parsed(api::Reply{events[1]});
  CHECK(updated.event == "document.updated");
  const auto event = msg::DocumentUpdatedEvent::decode(updated.body);
  REQUIRE(event.is_ok());
  CHECK(event.value().document.id == b.agenda.id);

  // The goals chain goes on from its stored version 1.
  CHECK(b.h.typed(b.maria, b.write(b.goals, 2, b.goals_v1)).version == 2);
}

TEST_CASE("a batch that cannot commit answers every request with the failure and keeps nothing", "[dispatcher][batch]") {
  DocumentBatch<CommitFailingStore> b;
  const auto before = b.tom_outbox->frames.size();
  const auto batch = b.run_batch();
  REQUIRE(batch.size() == 3);
  for (const auto& r : batch) {
    const auto in = parsed(r.reply);
    REQUIRE(in.kind == wire::Incoming::Kind::error);
    CHECK(in.error.code() == ErrorCode::internal);
  }
  CHECK(b.pending_for_tom() == 0);
  CHECK(b.latest(b.goals) == 1);
  CHECK(b.latest(b.agenda) == 0);
  CHECK(b.tom_outbox->frames.size() == before);  // no event of the batch went out
}

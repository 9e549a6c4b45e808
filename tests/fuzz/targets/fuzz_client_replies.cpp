// Decoder: every server frame a client reads. Each frame goes through parse_incoming and every
// typed result and event decoder (protocol/wire/messages); the envelopes of a frame that decodes
// as a sync batch or a message event then go through the messenger's receive path (take_in) on a
// device state that holds a live session with the sender.
// Property: nothing crashes, aborts or throws, whatever the frame.
// MENTORLINK_FUZZ_SEEDS=DIR writes seed frames made from the fixture into DIR.
#include <boost/json/serialize.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string_view>

#include "client-cli/lib/messenger.h"
#include "protocol/device/session.h"
#include "protocol/wire/frame.h"
#include "protocol/wire/messages/documents.h"
#include "protocol/wire/messages/events.h"
#include "protocol/wire/messages/keys.h"
#include "protocol/wire/messages/meetings.h"
#include "protocol/wire/messages/pairs.h"
#include "protocol/wire/messages/programmes.h"
#include "protocol/wire/messages/reports.h"
#include "protocol/wire/messages/session.h"

namespace {
using namespace mentorlink;
using namespace mentorlink::device;
namespace msg = wire::messages;

constexpr std::int64_t kPair = 1;
constexpr std::int64_t kMaria = 2;

std::array<std::uint8_t, 32> seed(std::uint8_t v) {
  std::array<std::uint8_t, 32> s{};
  s.fill(v);
  return s;
}

// Tom's device after Maria's first message: it holds the session she started.
struct Fixture {
  DeterministicRandom random{0x32};
  IdentityKeyPair maria = IdentityKeyPair::from_seed(seed(0xA1));
  IdentityKeyPair tom = IdentityKeyPair::from_seed(seed(0xB0));
  DeviceKeys maria_keys = DeviceKeys::generate(maria, 0, random);
  client::DeviceState tom_state;
  wire::Bytes next_message;  // Maria's second message, for the seeds

  Fixture() {
    tom_state.keys = DeviceKeys::generate(tom, 0, random);
    const auto otk = tom_state.keys->add_one_time_prekeys(1, random).front();
    wire::PrekeyBundle bundle;
    bundle.identity_key = tom.public_key();
    bundle.identity_dh_key = tom_state.keys->identity_dh().public_key();
    bundle.identity_dh_signature = tom_state.keys->identity_dh_signature();
    bundle.signed_prekey = tom_state.keys->current_signed_prekey();
    bundle.one_time_prekey = otk;
    auto session = Session::initiate(maria, maria_keys, bundle, static_cast<std::uint64_t>(kPair), random).value();
    const std::uint8_t hi[] = {'h', 'i'};
    const std::uint8_t again[] = {'a', 'g', 'a', 'i', 'n'};
    const auto first = session.encrypt(PayloadKind::chat, 1, hi).value();
    next_message = session.encrypt(PayloadKind::chat, 2, again).value();
    client::Messenger tom_messenger(tom, tom_state, [] { return wire::Status::ok(); });
    client::SyncResult ignored;
    if (!tom_messenger.take_in(envelope(1, first), ignored).is_ok()) std::abort();
    if (const char* dir = std::getenv("MENTORLINK_FUZZ_SEEDS")) write_seeds(dir);
  }

  static msg::Envelope envelope(std::int64_t seq, const wire::Bytes& body) {
    return msg::Envelope{kPair, seq, kMaria, 1, wire::Bytes(msg::kClientIdBytes, 7), body, 1'700'000'000'000};
  }

  void write_seeds(const std::string& dir) const {
    auto write = [&](const std::string& name, const std::string& text) { std::ofstream(dir + "/" + name) << text; };
    write("sync_batch", wire::serialize_result(3, msg::MessageSyncResult{{envelope(2, next_message)}, false}.encode()));
    write("message_event", wire::serialize_event(msg::MessageEvent::kEvent, msg::MessageEvent{envelope(2, next_message)}.encode()));
    write("replayed_first", wire::serialize_result(4, msg::MessageSyncResult{{envelope(1, next_message)}, true}.encode()));
    msg::HelloResult hello;
    hello.version = wire::kProtocolVersion;
    hello.server = "mentorlink-server/0.1.0";
    hello.server_time = 1;
    hello.limits = {262144, 60000};
    write("hello", wire::serialize_result(1, hello.encode()));
    msg::PairView pair{kPair, 1, {kMaria, "Maria"}, {3, "Tom"}, 5, "active", std::nullopt, "mentee"};
    write("pair_list", wire::serialize_result(5, msg::PairListResult{{pair}}.encode()));
    write("pair_ended", wire::serialize_event(msg::PairEndedEvent::kEvent, msg::PairEndedEvent{{pair}}.encode()));
    msg::KeysFetchResult fetched;
    fetched.member = kMaria;
    fetched.bundle.identity_key = maria.public_key();
    fetched.bundle.identity_dh_key = maria_keys.identity_dh().public_key();
    fetched.bundle.identity_dh_signature = maria_keys.identity_dh_signature();
    fetched.bundle.signed_prekey = maria_keys.current_signed_prekey();
    write("bundle", wire::serialize_result(6, fetched.encode()));
    write("send_result", wire::serialize_result(7, msg::MessageSendResult{kPair, 9, 10, false}.encode()));
    msg::ProgrammeActivityEvent activity{1, kPair, "meeting.ended", 11, 4, true, 600000, std::nullopt};
    write("activity", wire::serialize_event(msg::ProgrammeActivityEvent::kEvent, activity.encode()));
  }
};

template <class T>
void decode(const boost::json::object& body) {
  auto r = T::decode(body);
  if (r.is_ok()) (void)r.value().encode();
}

void take_in(const Fixture& f, const std::vector<msg::Envelope>& envelopes) {
  client::DeviceState state = f.tom_state;
  client::Messenger messenger(f.tom, state, [] { return wire::Status::ok(); });
  client::SyncResult result;
  for (const auto& e : envelopes) (void)messenger.take_in(e, result);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Fixture f;
  auto in = wire::parse_incoming(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!in.is_ok()) return 0;
  const auto& body = in.value().body;
  decode<msg::HelloResult>(body);
  decode<msg::SignedInResult>(body);
  decode<msg::WhoamiResult>(body);
  decode<msg::ProgrammeResult>(body);
  decode<msg::ProgrammeListResult>(body);
  decode<msg::InviteCreateResult>(body);
  decode<msg::MemberListResult>(body);
  decode<msg::PairResult>(body);
  decode<msg::PairListResult>(body);
  decode<msg::KeysStatusResult>(body);
  decode<msg::KeysFetchResult>(body);
  decode<msg::KeysIdentityResult>(body);
  decode<msg::MessageSendResult>(body);
  decode<msg::MessageAckResult>(body);
  decode<msg::PresenceResult>(body);
  decode<msg::TemplateResult>(body);
  decode<msg::TemplateListResult>(body);
  decode<msg::DocumentResult>(body);
  decode<msg::DocumentListResult>(body);
  decode<msg::DocumentGetResult>(body);
  decode<msg::DocumentWriteResult>(body);
  decode<msg::ContractResult>(body);
  decode<msg::MeetingResult>(body);
  decode<msg::MeetingListResult>(body);
  decode<msg::ReportProgrammeResult>(body);
  decode<msg::ReportWatchResult>(body);
  decode<msg::AccessLogListResult>(body);
  decode<msg::DashboardLinkResult>(body);
  decode<msg::PresenceEvent>(body);
  decode<msg::PairFormedEvent>(body);
  decode<msg::PairEndedEvent>(body);
  decode<msg::KeysLowEvent>(body);
  decode<msg::DocumentUpdatedEvent>(body);
  decode<msg::ContractUpdatedEvent>(body);
  decode<msg::MeetingUpdatedEvent>(body);
  decode<msg::ProgrammeActivityEvent>(body);
  if (auto batch = msg::MessageSyncResult::decode(body); batch.is_ok()) take_in(f, batch.value().envelopes);
  if (auto event = msg::MessageEvent::decode(body); event.is_ok()) take_in(f, {event.value().envelope});
  return 0;
}

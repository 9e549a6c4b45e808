// Conformance: quotas (SECURITY.md, attack 29) are refused as typed values inside the write's own
// transaction, and a refusal changes nothing.
#include "tests/conformance/world.h"

using namespace mentorlink;
using namespace mentorlink::server;
using mentorlink::conformance::refused;
using mentorlink::conformance::World;
using mentorlink::conformance::written;

namespace {

Quotas small_quotas() {
  Quotas q;
  q.max_devices_per_member = 1;
  q.max_one_time_prekeys_per_device = 3;
  q.max_meetings_per_pair = 2;
  q.max_pending_envelopes_per_pair = 2;
  return q;
}

DeviceKeysRecord device(MemberId member, std::int64_t id) {
  DeviceKeysRecord k;
  k.member = member;
  k.device = id;
  k.identity_dh_key.fill(1);
  k.signed_prekey_id = 1;
  k.signed_prekey.fill(2);
  return k;
}

std::vector<OneTimePrekeyRecord> prekeys(std::uint32_t from, std::uint32_t count) {
  std::vector<OneTimePrekeyRecord> out;
  for (std::uint32_t i = from; i < from + count; ++i) out.push_back({i, {}});
  return out;
}

}  // namespace

TEST_CASE("store conformance: 29: device and one-time prekey quotas", "[conformance][quota]") {
  World w(small_quotas());
  (void)written(w.store().publish_keys(device(w.maria.id, 1), prekeys(1, 2)));
  const auto devices = refused(w.store().publish_keys(device(w.maria.id, 2), {}));
  CHECK(devices.rule == Refusal::Rule::too_many_devices);
  CHECK(devices.limit == 1);
  const auto too_many = refused(w.store().publish_keys(device(w.maria.id, 1), prekeys(3, 2)));
  CHECK(too_many.rule == Refusal::Rule::too_many_one_time_prekeys);
  CHECK(too_many.limit == 3);
  CHECK(too_many.number == 4);
  CHECK(w.store().one_time_prekey_count(w.maria.id, 1).value() == 2);  // the refused publish added none
  (void)written(w.store().publish_keys(device(w.maria.id, 1), prekeys(3, 1)));
  CHECK(w.store().one_time_prekey_count(w.maria.id, 1).value() == 3);
}

TEST_CASE("store conformance: 29: unacknowledged envelopes per recipient and pair", "[conformance][quota]") {
  World w(small_quotas());
  auto envelope = [&](std::uint8_t id) {
    EnvelopeRecord e;
    e.pair = w.pair.id;
    e.sender = w.maria.id;
    e.recipient = w.tom.id;
    e.client_id = wire::Bytes(16, id);
    e.body = wire::Bytes{id};
    e.sent_at = w.now;
    return e;
  };
  (void)written(w.store().store_envelope(envelope(1)));
  (void)written(w.store().store_envelope(envelope(2)));
  const auto full = refused(w.store().store_envelope(envelope(3)));
  CHECK(full.rule == Refusal::Rule::recipient_backlog_full);
  CHECK(full.limit == 2);
  CHECK(written(w.store().store_envelope(envelope(2))).duplicate);  // a retry is no new envelope
  CHECK(w.store().message_count(w.pair.id, 0).value() == 2);       // the refused one left no trace
  REQUIRE(w.store().ack_envelopes(w.tom.id, w.pair.id, 1, w.now).is_ok());
  CHECK(written(w.store().store_envelope(envelope(3))).envelope.seq == 3);
}

TEST_CASE("store conformance: 29: meetings per pair and documents per pair", "[conformance][quota]") {
  World w(small_quotas());
  MeetingRecord m;
  m.pair = w.pair.id;
  m.status = MeetingStatus::scheduled;
  m.scheduled_at = w.now;
  m.created_by = w.tom.id;
  m.created_at = w.now;
  m.updated_at = w.now;
  (void)written(w.store().insert_meeting(m));
  m.status = MeetingStatus::cancelled;  // whatever their status, they count
  (void)written(w.store().insert_meeting(m));
  const auto meetings = refused(w.store().insert_meeting(m));
  CHECK(meetings.rule == Refusal::Rule::too_many_meetings);
  CHECK(meetings.limit == 2);
  CHECK(w.store().meetings_of_pair(w.pair.id).value().size() == 2);

  DocumentRecord d;
  d.pair = w.pair.id;
  d.kind = wire::DocumentKind::goals;
  d.created_by = w.tom.id;
  (void)written(w.store().open_document(d, w.now, 2));
  d.kind = wire::DocumentKind::contract;
  (void)written(w.store().open_document(d, w.now, 2));
  d.kind = wire::DocumentKind::reflection;
  d.owner = w.tom.id;
  const auto documents = refused(w.store().open_document(d, w.now, 2));
  CHECK(documents.rule == Refusal::Rule::too_many_documents);
  CHECK(documents.limit == 2);
  d.kind = wire::DocumentKind::goals;
  d.owner.reset();
  CHECK(written(w.store().open_document(d, w.now, 2)).id > 0);  // an existing one still opens
  CHECK(w.store().documents_of_pair(w.pair.id).value().size() == 2);
}

// Conformance: transactions and durability.
#include "tests/conformance/world.h"

using namespace mentorlink;
using namespace mentorlink::server;
using mentorlink::conformance::World;
using mentorlink::conformance::written;

namespace {

EnvelopeRecord envelope(const World& w, std::uint8_t id, PairId pair) {
  EnvelopeRecord e;
  e.pair = pair;
  e.sender = w.maria.id;
  e.recipient = w.tom.id;
  e.client_id = wire::Bytes(16, id);
  e.body = wire::Bytes{id};
  e.sent_at = w.now;
  return e;
}

}  // namespace

TEST_CASE("store conformance: all or nothing keeps nothing of a failed body", "[conformance][transactions]") {
  World w;
  const auto failed = w.store().all_or_nothing([&]() -> Status {
    (void)written(w.store().store_envelope(envelope(w, 1, w.pair.id)));
    REQUIRE(w.store().mark_pair_ended(w.pair.id, w.tom.id, w.now).value());
    return Status::error(wire::ErrorCode::conflict, "changed my mind");
  });
  CHECK(failed.code() == wire::ErrorCode::conflict);
  CHECK(w.store().pending_envelopes(w.tom.id, 10).value().empty());
  CHECK(w.store().pair_by_id(w.pair.id).value().active());

  const auto kept = all_or_nothing<std::int64_t>(w.store(), [&]() -> Result<std::int64_t> {
    return written(w.store().store_envelope(envelope(w, 1, w.pair.id))).envelope.seq;
  });
  REQUIRE(kept.is_ok());
  CHECK(kept.value() == 1);  // the rolled-back envelope took no sequence number
  CHECK(w.store().pending_envelopes(w.tom.id, 10).value().size() == 1);
}

TEST_CASE("store conformance: one transaction for a batch; a failing call in it rolls back alone",
          "[conformance][transactions]") {
  World w;
  std::vector<Result<Written<StoredEnvelope>>> stored;
  const auto batch = w.store().in_one_transaction([&] {
    stored.push_back(w.store().store_envelope(envelope(w, 1, w.pair.id)));
    stored.push_back(w.store().store_envelope(envelope(w, 2, w.pair.id + 1000)));  // no such pair
    stored.push_back(w.store().store_envelope(envelope(w, 3, w.pair.id)));
  });
  REQUIRE(batch.is_ok());
  REQUIRE(stored.size() == 3);
  CHECK(stored[1].status().code() == wire::ErrorCode::not_found);
  CHECK(written(std::move(stored[2])).envelope.seq == 2);
  CHECK(w.store().pending_envelopes(w.tom.id, 10).value().size() == 2);
}

TEST_CASE("store conformance: what the store acknowledged is there after reopening", "[conformance][transactions]") {
  World w;
  const auto sent = written(w.store().store_envelope(envelope(w, 1, w.pair.id)));
  DocumentRecord d;
  d.pair = w.pair.id;
  d.kind = wire::DocumentKind::goals;
  d.created_by = w.tom.id;
  const auto doc = written(w.store().open_document(d, w.now, 10));
  AccessRecord read{w.pair.id, 1, w.ada.id, w.now, "report", "pair", {}, {}};
  read.hash.fill(9);
  REQUIRE(w.store().insert_access(read).is_ok());

  w.harness->reopen();
  CHECK(w.store().member_by_id(w.tom.id).value().display_name == "Tom");
  CHECK(w.store().pair_by_id(w.pair.id).value().mentor == w.maria.id);
  const auto pending = w.store().pending_envelopes(w.tom.id, 10).value();
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].seq == sent.envelope.seq);
  CHECK(w.store().document_by_id(doc.id).value().kind == wire::DocumentKind::goals);
  CHECK(w.store().access_log(w.pair.id, 1, 10).value().at(0).hash == read.hash);
  CHECK(written(w.store().store_envelope(envelope(w, 2, w.pair.id))).envelope.seq == 2);  // the sequence goes on
}

// Conformance: envelopes: sequence numbers, idempotent client ids, pending per recipient with
// cursors, acknowledgements deleting bodies.
#include <map>

#include "tests/conformance/world.h"

using namespace mentorlink;
using namespace mentorlink::server;
using mentorlink::conformance::refused;
using mentorlink::conformance::World;
using mentorlink::conformance::written;

namespace {

EnvelopeRecord envelope(const PairRecord& pair, MemberId sender, std::uint8_t client_id, std::uint8_t body,
                        TimeMs at) {
  EnvelopeRecord e;
  e.pair = pair.id;
  e.sender = sender;
  e.recipient = sender == pair.mentor ? pair.mentee : pair.mentor;
  e.client_id = wire::Bytes(16, client_id);
  e.body = wire::Bytes(32, body);
  e.sent_at = at;
  return e;
}

}  // namespace

TEST_CASE("store conformance: one sequence per pair, from 1, for both senders", "[conformance][messages]") {
  World w;
  const auto lena = w.enrol(4, "Lena");
  const auto other = w.pair_of(lena, w.tom);
  CHECK(written(w.store().store_envelope(envelope(w.pair, w.maria.id, 1, 1, w.now))).envelope.seq == 1);
  CHECK(written(w.store().store_envelope(envelope(w.pair, w.tom.id, 1, 2, w.now))).envelope.seq == 2);
  CHECK(written(w.store().store_envelope(envelope(other, lena.id, 1, 3, w.now))).envelope.seq == 1);
  const auto third = written(w.store().store_envelope(envelope(w.pair, w.maria.id, 2, 4, w.now + 7)));
  CHECK(third.envelope.seq == 3);
  CHECK_FALSE(third.duplicate);
  CHECK(third.envelope.sent_at == w.now + 7);
  CHECK(w.store().store_envelope(envelope(w.pair, w.maria.id, 9, 9, w.now)).is_ok());
  auto nowhere = envelope(w.pair, w.maria.id, 10, 10, w.now);
  nowhere.pair = other.id + 1000;
  CHECK(w.store().store_envelope(nowhere).status().code() == wire::ErrorCode::not_found);
}

TEST_CASE("store conformance: a client id sent again returns the same envelope", "[conformance][messages]") {
  World w;
  const auto first = written(w.store().store_envelope(envelope(w.pair, w.maria.id, 1, 1, w.now)));
  (void)written(w.store().store_envelope(envelope(w.pair, w.maria.id, 2, 2, w.now)));
  const auto retry = written(w.store().store_envelope(envelope(w.pair, w.maria.id, 1, 1, w.now + 500)));
  CHECK(retry.duplicate);
  CHECK(retry.envelope.seq == first.envelope.seq);
  CHECK(retry.envelope.sent_at == first.envelope.sent_at);
  const auto reused = refused(w.store().store_envelope(envelope(w.pair, w.maria.id, 1, 7, w.now)));
  CHECK(reused.rule == Refusal::Rule::client_id_reused);
  CHECK(reused.number == first.envelope.seq);
  CHECK(w.store().pending_envelopes(w.tom.id, 100).value().size() == 2);  // stored once each
  CHECK(written(w.store().store_envelope(envelope(w.pair, w.maria.id, 3, 3, w.now))).envelope.seq == 3);
}

TEST_CASE("store conformance: pending envelopes per recipient, by pair then sequence, after cursors",
          "[conformance][messages]") {
  World w;
  const auto lena = w.enrol(4, "Lena");
  const auto other = w.pair_of(lena, w.tom);
  for (std::uint8_t i = 1; i <= 3; ++i) (void)written(w.store().store_envelope(envelope(w.pair, w.maria.id, i, i, w.now)));
  for (std::uint8_t i = 1; i <= 2; ++i) (void)written(w.store().store_envelope(envelope(other, lena.id, i, 10 + i, w.now)));
  (void)written(w.store().store_envelope(envelope(w.pair, w.tom.id, 9, 9, w.now)));  // to Maria, seq 4

  const auto all = w.store().pending_envelopes(w.tom.id, 100).value();
  REQUIRE(all.size() == 5);
  CHECK(all[0].pair == w.pair.id);
  CHECK(all[0].seq == 1);
  CHECK(all[2].seq == 3);
  CHECK(all[3].pair == other.id);
  CHECK(all[3].seq == 1);
  CHECK(all[0].sender == w.maria.id);
  CHECK(all[0].recipient == w.tom.id);
  CHECK(all[0].client_id == wire::Bytes(16, 1));
  CHECK(all[0].body == wire::Bytes(32, 1));

  CHECK(w.store().pending_envelopes(w.tom.id, 2).value().size() == 2);
  const auto after = w.store().pending_envelopes(w.tom.id, 100, {{w.pair.id, 2}}).value();
  REQUIRE(after.size() == 3);
  CHECK(after[0].seq == 3);
  CHECK(after[1].pair == other.id);
  const auto both = w.store().pending_envelopes(w.tom.id, 100, {{w.pair.id, 3}, {other.id, 1}}).value();
  REQUIRE(both.size() == 1);
  CHECK(both[0].pair == other.id);
  CHECK(both[0].seq == 2);

  const auto for_maria = w.store().pending_envelopes(w.maria.id, 100).value();
  REQUIRE(for_maria.size() == 1);
  CHECK(for_maria[0].seq == 4);
}

TEST_CASE("store conformance: an acknowledgement deletes the bodies up to it, the recipient's only",
          "[conformance][messages]") {
  World w;
  for (std::uint8_t i = 1; i <= 3; ++i) (void)written(w.store().store_envelope(envelope(w.pair, w.maria.id, i, i, w.now)));
  (void)written(w.store().store_envelope(envelope(w.pair, w.tom.id, 9, 9, w.now)));  // to Maria, seq 4

  CHECK(w.store().ack_envelopes(w.tom.id, w.pair.id, 2, w.now).value() == 2);
  const auto left = w.store().pending_envelopes(w.tom.id, 100).value();
  REQUIRE(left.size() == 1);
  CHECK(left[0].seq == 3);
  CHECK(w.store().ack_envelopes(w.tom.id, w.pair.id, 2, w.now).value() == 0);  // again: nothing left to delete
  CHECK(w.store().ack_envelopes(w.tom.id, w.pair.id, 10, w.now).value() == 1);
  CHECK(w.store().pending_envelopes(w.tom.id, 100).value().empty());
  CHECK(w.store().pending_envelopes(w.maria.id, 100).value().size() == 1);  // Tom's acks touch Maria's nothing

  // Bodies are gone, the envelopes' existence stays: counted, and their client ids still deduplicate.
  CHECK(w.store().message_count(w.pair.id, w.now).value() == 4);
  CHECK(w.store().message_count(w.pair.id, w.now + 1).value() == 0);
  const auto retry = written(w.store().store_envelope(envelope(w.pair, w.maria.id, 1, 1, w.now)));
  CHECK(retry.duplicate);
  CHECK(retry.envelope.seq == 1);
  CHECK(w.store().pending_envelopes(w.tom.id, 100).value().empty());
}

TEST_CASE("store conformance: after reopening, acknowledged envelopes stay acknowledged and every rule goes on",
          "[conformance][messages]") {
  World w;
  for (std::uint8_t i = 1; i <= 3; ++i) (void)written(w.store().store_envelope(envelope(w.pair, w.maria.id, i, i, w.now + i)));
  (void)written(w.store().store_envelope(envelope(w.pair, w.tom.id, 9, 9, w.now + 4)));  // to Maria, seq 4
  REQUIRE(w.store().ack_envelopes(w.tom.id, w.pair.id, 2, w.now).value() == 2);
  REQUIRE(w.store().ack_envelopes(w.maria.id, w.pair.id, 4, w.now).value() == 1);

  w.harness->reopen();
  const auto left = w.store().pending_envelopes(w.tom.id, 100).value();
  REQUIRE(left.size() == 1);
  CHECK(left[0].seq == 3);
  CHECK(left[0].body == wire::Bytes(32, 3));
  CHECK(w.store().pending_envelopes(w.maria.id, 100).value().empty());
  CHECK(w.store().message_count(w.pair.id, w.now + 2).value() == 3);
  CHECK(written(w.store().store_envelope(envelope(w.pair, w.maria.id, 1, 1, w.now))).duplicate);  // acknowledged, still known
  CHECK(refused(w.store().store_envelope(envelope(w.pair, w.maria.id, 2, 7, w.now))).rule == Refusal::Rule::client_id_reused);
  CHECK(written(w.store().store_envelope(envelope(w.pair, w.tom.id, 10, 10, w.now))).envelope.seq == 5);

  // The sequence goes on after every envelope of the pair was acknowledged.
  REQUIRE(w.store().ack_envelopes(w.tom.id, w.pair.id, 3, w.now).value() == 1);
  REQUIRE(w.store().ack_envelopes(w.maria.id, w.pair.id, 5, w.now).value() == 1);
  w.harness->reopen();
  CHECK(written(w.store().store_envelope(envelope(w.pair, w.maria.id, 11, 11, w.now))).envelope.seq == 6);
}

TEST_CASE("store conformance: an acknowledgement or an envelope in a rolled-back request leaves no trace",
          "[conformance][messages][transactions]") {
  World w;
  for (std::uint8_t i = 1; i <= 2; ++i) (void)written(w.store().store_envelope(envelope(w.pair, w.maria.id, i, i, w.now)));
  const auto batch = w.store().in_one_transaction([&] {
    const auto undone = w.store().all_or_nothing([&]() -> Status {
      REQUIRE(w.store().ack_envelopes(w.tom.id, w.pair.id, 2, w.now).value() == 2);
      (void)written(w.store().store_envelope(envelope(w.pair, w.maria.id, 3, 3, w.now)));
      return Status::error(wire::ErrorCode::conflict, "refused");
    });
    CHECK(undone.code() == wire::ErrorCode::conflict);
    CHECK(written(w.store().store_envelope(envelope(w.pair, w.maria.id, 4, 4, w.now))).envelope.seq == 3);
  });
  REQUIRE(batch.is_ok());
  const auto pending = w.store().pending_envelopes(w.tom.id, 100).value();
  REQUIRE(pending.size() == 3);
  CHECK(pending[2].body == wire::Bytes(32, 4));
  CHECK(w.store().message_count(w.pair.id, 0).value() == 3);
  // The rolled-back client id was never stored: sent now, it is new.
  CHECK_FALSE(written(w.store().store_envelope(envelope(w.pair, w.maria.id, 3, 3, w.now))).duplicate);

  w.harness->reopen();  // and the file agrees with what was answered
  CHECK(w.store().pending_envelopes(w.tom.id, 100).value().size() == 4);
  CHECK(written(w.store().store_envelope(envelope(w.pair, w.maria.id, 5, 5, w.now))).envelope.seq == 5);
}

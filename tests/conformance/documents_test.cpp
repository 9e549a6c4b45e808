// Conformance: documents, their version chains (conflicts as typed refusals), contract signatures.
#include "tests/conformance/world.h"

using namespace mentorlink;
using namespace mentorlink::server;
using mentorlink::conformance::refused;
using mentorlink::conformance::World;
using mentorlink::conformance::written;

namespace {

DocumentRecord identity_of(const World& w, wire::DocumentKind kind, std::optional<MemberId> owner = std::nullopt) {
  DocumentRecord d;
  d.pair = w.pair.id;
  d.kind = kind;
  d.owner = owner;
  d.created_by = w.maria.id;
  return d;
}

VersionRecord version(DocumentId document, std::int64_t n, MemberId author, std::uint8_t fill, TimeMs at) {
  VersionRecord v;
  v.document = document;
  v.version = n;
  v.author = author;
  v.body = wire::Bytes(100, fill);
  v.signature.fill(fill);
  v.hash.fill(fill);
  v.created_at = at;
  return v;
}

}  // namespace

TEST_CASE("store conformance: one document per identity", "[conformance][documents]") {
  World w;
  const auto goals = written(w.store().open_document(identity_of(w, wire::DocumentKind::goals), w.now, 100));
  CHECK(goals.id > 0);
  CHECK(goals.latest_version == 0);
  CHECK(goals.created_at == w.now);
  CHECK(goals.format == 2);
  CHECK(written(w.store().open_document(identity_of(w, wire::DocumentKind::goals), w.now + 1, 100)).id == goals.id);
  const auto maria = written(w.store().open_document(identity_of(w, wire::DocumentKind::reflection, w.maria.id), w.now, 100));
  const auto tom = written(w.store().open_document(identity_of(w, wire::DocumentKind::reflection, w.tom.id), w.now, 100));
  CHECK(maria.id != tom.id);
  CHECK(tom.owner == w.tom.id);
  CHECK(w.store().documents_of_pair(w.pair.id).value().size() == 3);
  CHECK(w.store().document_by_id(goals.id).value().kind == wire::DocumentKind::goals);
  CHECK(w.store().document_by_id(goals.id + 1000).status().code() == wire::ErrorCode::not_found);
}

TEST_CASE("store conformance: versions append only as the next on the latest, as typed refusals otherwise",
          "[conformance][documents]") {
  World w;
  const auto doc = written(w.store().open_document(identity_of(w, wire::DocumentKind::goals), w.now, 100));
  const auto v1 = version(doc.id, 1, w.maria.id, 1, w.now + 10);
  const auto first = written(w.store().append_version(v1, wire::Hash{}));
  CHECK_FALSE(first.duplicate);
  CHECK(first.version.version == 1);

  const auto same = written(w.store().append_version(v1, wire::Hash{}));
  CHECK(same.duplicate);
  CHECK(same.version.created_at == w.now + 10);

  auto other_bytes = version(doc.id, 1, w.maria.id, 9, w.now);
  auto stale = refused(w.store().append_version(other_bytes, wire::Hash{}));
  CHECK(stale.rule == Refusal::Rule::version_stale);
  CHECK(stale.number == 1);
  auto other_author = v1;
  other_author.author = w.tom.id;
  CHECK(refused(w.store().append_version(other_author, wire::Hash{})).rule == Refusal::Rule::version_stale);

  auto gap = refused(w.store().append_version(version(doc.id, 3, w.maria.id, 3, w.now), v1.hash));
  CHECK(gap.rule == Refusal::Rule::version_gap);
  CHECK(gap.number == 1);
  auto forked = refused(w.store().append_version(version(doc.id, 2, w.maria.id, 2, w.now), wire::Hash{}));
  CHECK(forked.rule == Refusal::Rule::version_not_on_latest);
  CHECK(forked.number == 1);

  const auto v2 = version(doc.id, 2, w.tom.id, 2, w.now + 20);
  (void)written(w.store().append_version(v2, v1.hash));
  const auto updated = w.store().document_by_id(doc.id).value();
  CHECK(updated.latest_version == 2);
  CHECK(updated.first_version_at == w.now + 10);
  CHECK(updated.updated_at == w.now + 20);
  CHECK(updated.latest_size == 100);

  const auto all = w.store().versions(doc.id, 1, 10).value();
  REQUIRE(all.size() == 2);
  CHECK(all[0].hash == v1.hash);
  CHECK(all[1].author == w.tom.id);
  CHECK(all[1].body == v2.body);
  CHECK(all[1].signature == v2.signature);
  CHECK(w.store().versions(doc.id, 2, 10).value().size() == 1);
  CHECK(w.store().versions(doc.id, 1, 1).value().size() == 1);
  CHECK(w.store().append_version(version(doc.id + 1000, 1, w.maria.id, 1, w.now), wire::Hash{}).status().code() ==
        wire::ErrorCode::not_found);
}

TEST_CASE("store conformance: contract signatures count on the latest version only", "[conformance][documents]") {
  World w;
  CHECK_FALSE(w.store().contract_of_pair(w.pair.id).value().document);
  const auto doc = written(w.store().open_document(identity_of(w, wire::DocumentKind::contract), w.now, 100));
  CHECK(w.store().contract_of_pair(w.pair.id).value().document == doc.id);
  CHECK(w.store().contract_of_pair(w.pair.id).value().version == 0);
  const auto v1 = version(doc.id, 1, w.maria.id, 1, w.now);
  const auto v2 = version(doc.id, 2, w.maria.id, 2, w.now);
  (void)written(w.store().append_version(v1, wire::Hash{}));
  (void)written(w.store().append_version(v2, v1.hash));

  wire::Signature sig{};
  sig.fill(5);
  const auto stale = refused(w.store().add_contract_signature(doc.id, 1, w.tom.id, sig, w.now));
  CHECK(stale.rule == Refusal::Rule::contract_version_stale);
  CHECK(stale.number == 2);
  CHECK(written(w.store().add_contract_signature(doc.id, 2, w.tom.id, sig, w.now + 1)));
  CHECK_FALSE(written(w.store().add_contract_signature(doc.id, 2, w.tom.id, sig, w.now + 2)));  // already signed
  CHECK(written(w.store().add_contract_signature(doc.id, 2, w.maria.id, sig, w.now + 3)));

  const auto signed_twice = w.store().contract(doc.id).value();
  CHECK(signed_twice.version == 2);
  CHECK(signed_twice.version_hash == v2.hash);
  REQUIRE(signed_twice.signatures.size() == 2);
  CHECK(signed_twice.signatures[0].member == w.tom.id);  // in signing order
  CHECK(signed_twice.signatures[0].signed_at == w.now + 1);
  CHECK(signed_twice.signatures[1].member == w.maria.id);
  CHECK(signed_twice.signatures[1].signature == sig);

  (void)written(w.store().append_version(version(doc.id, 3, w.maria.id, 3, w.now), v2.hash));
  const auto after_change = w.store().contract_of_pair(w.pair.id).value();
  CHECK(after_change.version == 3);
  CHECK(after_change.signatures.empty());
  CHECK(w.store().contract(doc.id + 1000).status().code() == wire::ErrorCode::not_found);
}

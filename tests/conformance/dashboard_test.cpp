// Conformance: dashboard sign-in links (used once, before they expire) and sessions.
#include "tests/conformance/world.h"

using namespace mentorlink;
using namespace mentorlink::server;
using mentorlink::conformance::World;

namespace {

wire::Hash hash_of(std::uint8_t fill) {
  wire::Hash h{};
  h.fill(fill);
  return h;
}

}  // namespace

TEST_CASE("store conformance: a dashboard link opens one session, before it expires", "[conformance][dashboard]") {
  World w;
  REQUIRE(w.store().insert_dashboard_link(hash_of(1), w.ada.id, w.programme.id, w.now, w.now + 100).is_ok());
  REQUIRE(w.store().insert_dashboard_link(hash_of(2), w.ada.id, w.programme.id, w.now, w.now + 100).is_ok());

  const auto link = w.store().dashboard_link(hash_of(1), w.now + 99);
  REQUIRE(link.is_ok());
  CHECK(link.value().member == w.ada.id);
  CHECK(link.value().programme == w.programme.id);
  CHECK(w.store().dashboard_link(hash_of(1), w.now + 100).status().code() == wire::ErrorCode::not_found);  // expired
  CHECK(w.store().dashboard_link(hash_of(9), w.now).status().code() == wire::ErrorCode::not_found);

  const auto session = w.store().redeem_dashboard_link(hash_of(1), hash_of(11), "csrf", w.now + 1, w.now + 1000);
  REQUIRE(session.is_ok());
  CHECK(session.value().member == w.ada.id);
  CHECK(session.value().csrf == "csrf");
  CHECK(w.store().redeem_dashboard_link(hash_of(1), hash_of(12), "x", w.now + 2, w.now + 1000).status().code() ==
        wire::ErrorCode::not_found);  // used
  CHECK(w.store().dashboard_link(hash_of(1), w.now + 2).status().code() == wire::ErrorCode::not_found);
  CHECK(w.store().redeem_dashboard_link(hash_of(2), hash_of(13), "x", w.now + 100, w.now + 1000).status().code() ==
        wire::ErrorCode::not_found);  // expired
  CHECK(w.store().dashboard_session(hash_of(13), w.now + 100).status().code() == wire::ErrorCode::not_found);

  const auto open = w.store().dashboard_session(hash_of(11), w.now + 999);
  REQUIRE(open.is_ok());
  CHECK(open.value().programme == w.programme.id);
  CHECK(open.value().expires_at == w.now + 1000);
  CHECK(w.store().dashboard_session(hash_of(11), w.now + 1000).status().code() == wire::ErrorCode::not_found);
  REQUIRE(w.store().end_dashboard_session(hash_of(11)).is_ok());
  CHECK(w.store().dashboard_session(hash_of(11), w.now + 5).status().code() == wire::ErrorCode::not_found);
}

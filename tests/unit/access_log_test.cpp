// The access log's entry hash (PROTOCOL.md §15): the vector, computed independently with Python's
// hashlib, and that every field is covered.
#include <catch2/catch.hpp>

#include "protocol/wire/access_log.h"
#include "protocol/wire/base64url.h"

using namespace mentorlink::wire;

TEST_CASE("access log entry hash matches the PROTOCOL.md vector and covers every field", "[access-log][kat]") {
  const AccessEntry entry{1, 1, 1, 1'800'000'000'000, "report", "pair,status", {}};
  const auto hash = access_entry_hash(entry);
  CHECK(hex_encode(hash) == "e92ec7e2fef7e11916e1d96eb1feb7fd277b0ae6e260fad56a4e1d8dd1ac5a9e");
  auto changed = [&](auto edit) {
    auto e = entry;
    edit(e);
    return access_entry_hash(e) != hash;
  };
  CHECK(changed([](AccessEntry& e) { e.pair = 2; }));
  CHECK(changed([](AccessEntry& e) { e.seq = 2; }));
  CHECK(changed([](AccessEntry& e) { e.coordinator = 2; }));
  CHECK(changed([](AccessEntry& e) { e.at += 1; }));
  CHECK(changed([](AccessEntry& e) { e.what = "reporT"; }));
  CHECK(changed([](AccessEntry& e) { e.fields = "pair"; }));
  CHECK(changed([](AccessEntry& e) { e.previous[31] = 1; }));
  // Lengths are part of the input, so text cannot move between what and fields.
  CHECK(changed([](AccessEntry& e) {
    e.what = "reportp";
    e.fields = "air,status";
  }));
}

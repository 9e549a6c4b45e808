// Reading meeting times as people type them, and normalising document text.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "client-cli/lib/text_input.h"
#include "client-cli/lib/time_text.h"

using mentorlink::client::normalise_text;
using mentorlink::client::parse_time;

TEST_CASE("times with a zone are exact", "[time]") {
  CHECK(parse_time("1970-01-01T00:00Z") == 0);
  CHECK(parse_time("2027-01-15T08:00:00Z") == 1'800'000'000'000);
  CHECK(parse_time("2027-01-15 09:00+01:00") == 1'800'000'000'000);
  CHECK(parse_time("2027-01-15T03:30-04:30") == 1'800'000'000'000);
  CHECK(parse_time("2028-02-29T00:00Z").has_value());
}

TEST_CASE("times that are not are refused", "[time]") {
  for (const char* bad : {"", "tomorrow", "2027-01-15", "2027-13-01T00:00Z", "2027-02-29T00:00Z", "2027-01-15T24:00Z",
                          "2027-01-15T10:00Q", "2027-01-15T10:00Z trailing", "2027-1-15T10:00Z", "2027-01-15T10:00+1"}) {
    INFO(bad);
    CHECK_FALSE(parse_time(bad));
  }
}

TEST_CASE("local times follow the device's zone", "[time]") {
  setenv("TZ", "Europe/Copenhagen", 1);
  CHECK(parse_time("2027-01-15 09:00") == 1'800'000'000'000);
  setenv("TZ", "UTC", 1);
  CHECK(parse_time("2027-01-15 08:00") == 1'800'000'000'000);
  unsetenv("TZ");
}

TEST_CASE("document text: CRLF becomes LF, trailing blank lines go, one final newline", "[text]") {
  CHECK(normalise_text("a\r\nb\r\n\r\n") == "a\nb\n");
  CHECK(normalise_text("a\rb") == "a\nb\n");
  CHECK(normalise_text("  \n\n") == "");
  CHECK(normalise_text("x") == "x\n");
}

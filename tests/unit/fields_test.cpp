#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "protocol/wire/fields.h"

using namespace mentorlink::wire;
namespace json = boost::json;

namespace {
Status first_error(std::string_view body_json, auto&& read) {
  auto body = json::parse(body_json).as_object();
  FieldReader in(body);
  read(in);
  return in.status();
}
}  // namespace

TEST_CASE("text fields: missing, mistyped, empty, too long, control characters", "[fields]") {
  auto text = [](FieldReader& in) { (void)in.text("name", 5); };
  auto missing = first_error("{}", text);
  CHECK(missing.code() == ErrorCode::missing_field);
  CHECK(missing.field() == "name");
  CHECK(first_error(R"({"name": null})", text).code() == ErrorCode::missing_field);
  CHECK(first_error(R"({"name": 3})", text).code() == ErrorCode::invalid_field);
  CHECK(first_error(R"({"name": ""})", text).code() == ErrorCode::invalid_field);
  CHECK(first_error(R"({"name": "abcdef"})", text).code() == ErrorCode::invalid_field);
  CHECK(first_error(R"({"name": "a\u0001b"})", text).code() == ErrorCode::invalid_field);
  CHECK(first_error(R"({"name": "Åse"})", text).is_ok());
}

TEST_CASE("text fields refuse C1 controls and bidirectional formatting characters", "[fields]") {
  auto short_text = [](FieldReader& in) { (void)in.text("name", 100); };
  auto long_text = [](FieldReader& in) { (void)in.text("purpose", 2000); };
  for (const char* refused : {"\\u0080", "\\u0085", "\\u009f", "\\u061c", "\\u200e", "\\u200f", "\\u202a", "\\u202e",
                              "\\u2066", "\\u2069", "\\u007f", "\\u0000", "\\r"}) {
    INFO(refused);
    const std::string body = std::string(R"({"name": "Maria)") + refused + R"(x", "purpose": "a)" + refused + R"(b"})";
    const auto s = first_error(body, short_text);
    CHECK(s.code() == ErrorCode::invalid_field);
    CHECK(s.message().find("control characters") != std::string::npos);
    CHECK(first_error(body, long_text).code() == ErrorCode::invalid_field);
  }
  // The neighbours of each refused range, and ordinary right-to-left text, stay allowed.
  for (const char* allowed : {"\\u00a0", "\\u061b", "\\u200d", "\\u2029", "\\u202f", "\\u2065", "\\u206a",
                              "\\u05e9\\u05dc\\u05d5\\u05dd", "\\t"}) {
    INFO(allowed);
    CHECK(first_error(std::string(R"({"name": "a)") + allowed + R"("})", short_text).is_ok());
  }
  // A newline only in long fields.
  CHECK(first_error(R"({"name": "a\nb"})", short_text).code() == ErrorCode::invalid_field);
  CHECK(first_error(R"({"purpose": "a\nb"})", long_text).is_ok());
}

TEST_CASE("the first problem wins and later reads return defaults", "[fields]") {
  auto body = json::parse(R"({"a": "x", "b": 1})").as_object();
  FieldReader in(body);
  CHECK(in.integer("a", 0, 10) == 0);
  CHECK(in.text("b", 10).empty());
  CHECK(in.status().field() == "a");
}

TEST_CASE("integers are range-checked", "[fields]") {
  auto read = [](FieldReader& in) { (void)in.integer("n", 1, 10); };
  CHECK(first_error(R"({"n": 0})", read).code() == ErrorCode::invalid_field);
  CHECK(first_error(R"({"n": 11})", read).code() == ErrorCode::invalid_field);
  CHECK(first_error(R"({"n": 2.5})", read).code() == ErrorCode::invalid_field);
  CHECK(first_error(R"({"n": "2"})", read).code() == ErrorCode::invalid_field);
  CHECK(first_error(R"({"n": 10})", read).is_ok());
}

TEST_CASE("byte fields must decode to the exact length", "[fields]") {
  auto read = [](FieldReader& in) { (void)in.bytes("k", 3); };
  CHECK(first_error(R"({"k": "AAAA"})", read).is_ok());
  CHECK(first_error(R"({"k": "AAAAAA"})", read).code() == ErrorCode::invalid_field);
  CHECK(first_error(R"({"k": "AA=="})", read).code() == ErrorCode::invalid_field);
  CHECK(first_error(R"({"k": 5})", read).code() == ErrorCode::invalid_field);
}

TEST_CASE("choices list the allowed words", "[fields]") {
  auto read = [](FieldReader& in) { (void)in.choice("role", {"participant", "coordinator"}); };
  auto s = first_error(R"({"role": "admin"})", read);
  CHECK(s.code() == ErrorCode::invalid_field);
  CHECK(s.message().find("participant, coordinator") != std::string::npos);
}

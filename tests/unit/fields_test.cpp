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

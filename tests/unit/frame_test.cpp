#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "protocol/wire/frame.h"

using namespace mentorlink::wire;
namespace json = boost::json;

namespace {
RequestError parse_error(std::string_view text) {
  auto r = parse_request(text);
  REQUIRE(std::holds_alternative<RequestError>(r));
  return std::get<RequestError>(r);
}
}  // namespace

TEST_CASE("a well-formed request parses", "[frame]") {
  auto r = parse_request(R"({"id": 7, "type": "pair.list", "body": {"programme": 3}})");
  REQUIRE(std::holds_alternative<Request>(r));
  const auto& req = std::get<Request>(r);
  CHECK(req.id == 7);
  CHECK(req.type == "pair.list");
  CHECK(req.body.at("programme").as_int64() == 3);
}

TEST_CASE("body may be omitted", "[frame]") {
  auto r = parse_request(R"({"id": 1, "type": "whoami"})");
  REQUIRE(std::holds_alternative<Request>(r));
  CHECK(std::get<Request>(r).body.empty());
}

TEST_CASE("a key named twice in one object makes the frame malformed, at any depth", "[frame]") {
  CHECK(parse_error(R"({"id": 1, "id": 2, "type": "whoami"})").status.code() == ErrorCode::malformed);
  const auto nested = parse_error(R"({"id": 1, "type": "pair.list", "body": {"programme": 1, "programme": 2}})");
  CHECK(nested.status.code() == ErrorCode::malformed);
  CHECK(nested.status.message().find("twice") != std::string::npos);
  CHECK(parse_error(R"({"id": 1, "type": "x", "body": {"a": [{"k": 1, "k": {"z": 1}}]}})").status.code() ==
        ErrorCode::malformed);
  CHECK(parse_error(R"({"id": 1, "type": "x", "body": {"k": {"a": {}}, "k": {"b": {}}}})").status.code() ==
        ErrorCode::malformed);
  // The same key in different objects is fine, and so are keys that differ only after an escape.
  CHECK(std::holds_alternative<Request>(parse_request(R"({"id": 1, "type": "x", "body": {"id": {"id": 1}, "i\u0064x": 2}})")));
}

TEST_CASE("broken frames get specific errors", "[frame]") {
  CHECK(parse_error("{not json").status.code() == ErrorCode::malformed);
  CHECK(parse_error("[1,2]").status.code() == ErrorCode::malformed);
  CHECK(parse_error("{\"id\": 1, \"type\": \"\xC3\x28\"}").status.code() == ErrorCode::malformed);  // bad UTF-8
  auto no_id = parse_error(R"({"type": "hello"})");
  CHECK(no_id.status.code() == ErrorCode::missing_field);
  CHECK(no_id.status.field() == "id");
  CHECK(parse_error(R"({"id": -1, "type": "hello"})").status.code() == ErrorCode::invalid_field);
  CHECK(parse_error(R"({"id": "1", "type": "hello"})").status.code() == ErrorCode::invalid_field);
  CHECK(parse_error(R"({"id": 1.5, "type": "hello"})").status.code() == ErrorCode::invalid_field);
  CHECK(parse_error(R"({"id": 9007199254740992, "type": "hello"})").status.code() == ErrorCode::invalid_field);
  auto no_type = parse_error(R"({"id": 4})");
  CHECK(no_type.status.code() == ErrorCode::missing_field);
  CHECK(no_type.id == 4);  // the id is kept so the error can name the request
  CHECK(parse_error(R"({"id": 4, "type": 5})").status.code() == ErrorCode::invalid_field);
  CHECK(parse_error(R"({"id": 4, "type": "x", "body": []})").status.field() == "body");
}

TEST_CASE("an error frame carries code, message and field", "[frame]") {
  const auto text = serialize_error(9, Status::error(ErrorCode::invalid_field, "bad name", "name"));
  const auto v = json::parse(text).as_object();
  CHECK(v.at("id").as_int64() == 9);
  CHECK(v.at("type").as_string() == "error");
  CHECK(v.at("error").at("code").as_string() == "invalid_field");
  CHECK(v.at("error").at("message").as_string() == "bad name");
  CHECK(v.at("error").at("field").as_string() == "name");
  CHECK(json::parse(serialize_error(std::nullopt, Status::error(ErrorCode::malformed, "x"))).at("id").is_null());
}

TEST_CASE("results, errors and events round-trip through parse_incoming", "[frame]") {
  json::object body;
  body["ok"] = true;
  auto result = parse_incoming(serialize_result(3, body));
  REQUIRE(result.is_ok());
  CHECK(result.value().kind == Incoming::Kind::result);
  CHECK(result.value().id == 3);
  CHECK(result.value().body.at("ok").as_bool());

  auto error = parse_incoming(serialize_error(4, Status::error(ErrorCode::forbidden, "no")));
  REQUIRE(error.is_ok());
  CHECK(error.value().error.code() == ErrorCode::forbidden);

  auto event = parse_incoming(serialize_event("pair.formed", body));
  REQUIRE(event.is_ok());
  CHECK(event.value().kind == Incoming::Kind::event);
  CHECK(event.value().event == "pair.formed");

  CHECK_FALSE(parse_incoming(R"({"type":"result"})").is_ok());
  CHECK_FALSE(parse_incoming("nope").is_ok());
}

TEST_CASE("every error code has a distinct stable name", "[frame]") {
  for (int i = 0; i <= static_cast<int>(ErrorCode::unavailable); ++i) {
    const auto code = static_cast<ErrorCode>(i);
    CHECK(error_code_from_string(to_string(code)) == code);
  }
}

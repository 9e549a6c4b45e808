#include "protocol/wire/frame.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "protocol/wire/json_text.h"
#include "protocol/wire/limits.h"

namespace mentorlink::wire {
namespace json = boost::json;

namespace {

std::optional<std::int64_t> read_id(const json::value& v) {
  if (v.is_int64() && v.as_int64() >= 0 && v.as_int64() <= kMaxRequestId) return v.as_int64();
  if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(kMaxRequestId)) {
    return static_cast<std::int64_t>(v.as_uint64());
  }
  return std::nullopt;
}

}  // namespace

std::variant<Request, RequestError> parse_request(std::string_view text) {
  auto parsed = parse_json_text(text);
  if (!parsed.is_ok()) return RequestError{std::nullopt, parsed.status()};
  json::value& root = parsed.value();
  if (!root.is_object()) {
    return RequestError{std::nullopt, Status::error(ErrorCode::malformed, "frame must be a JSON object")};
  }
  auto& obj = root.as_object();
  Request req;

  const json::value* id = obj.if_contains("id");
  if (id == nullptr) {
    return RequestError{std::nullopt, Status::error(ErrorCode::missing_field, "request has no \"id\"", "id")};
  }
  auto parsed_id = read_id(*id);
  if (!parsed_id) {
    return RequestError{std::nullopt,
                        Status::error(ErrorCode::invalid_field, "\"id\" must be an integer from 0 to 2^53-1", "id")};
  }
  req.id = *parsed_id;

  const json::value* type = obj.if_contains("type");
  if (type == nullptr) {
    return RequestError{req.id, Status::error(ErrorCode::missing_field, "request has no \"type\"", "type")};
  }
  if (!type->is_string() || type->as_string().size() > kMaxTypeBytes) {
    return RequestError{req.id, Status::error(ErrorCode::invalid_field, "\"type\" must be a short string", "type")};
  }
  req.type = std::string(type->as_string());

  if (const json::value* body = obj.if_contains("body")) {
    if (!body->is_object()) {
      return RequestError{req.id, Status::error(ErrorCode::invalid_field, "\"body\" must be a JSON object", "body")};
    }
    req.body = std::move(body->as_object());
  }
  return req;
}

std::string serialize_request(const Request& request) {
  json::object o;
  o["id"] = request.id;
  o["type"] = request.type;
  o["body"] = request.body;
  return json::serialize(o);
}

std::string serialize_result(std::int64_t id, const json::object& body) {
  json::object o;
  o["id"] = id;
  o["type"] = "result";
  o["body"] = body;
  return json::serialize(o);
}

std::string serialize_error(std::optional<std::int64_t> id, const Status& status) {
  json::object err;
  err["code"] = to_string(status.code());
  err["message"] = status.message();
  if (!status.field().empty()) err["field"] = status.field();
  json::object o;
  if (id) {
    o["id"] = *id;
  } else {
    o["id"] = nullptr;
  }
  o["type"] = "error";
  o["error"] = std::move(err);
  return json::serialize(o);
}

std::string serialize_event(std::string_view event, const json::object& body) {
  json::object o;
  o["type"] = "event";
  o["event"] = event;
  o["body"] = body;
  return json::serialize(o);
}

Result<Incoming> parse_incoming(std::string_view text) {
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec || !root.is_object()) return Status::error(ErrorCode::malformed, "server frame is not a JSON object");
  auto& obj = root.as_object();
  const json::value* type = obj.if_contains("type");
  if (type == nullptr || !type->is_string()) return Status::error(ErrorCode::malformed, "server frame has no type");
  Incoming in;
  if (const json::value* id = obj.if_contains("id")) in.id = read_id(*id);
  const auto& t = type->as_string();
  if (t == "result" || t == "event") {
    in.kind = t == "result" ? Incoming::Kind::result : Incoming::Kind::event;
    if (const json::value* body = obj.if_contains("body"); body != nullptr && body->is_object()) {
      in.body = std::move(body->as_object());
    }
    if (in.kind == Incoming::Kind::event) {
      const json::value* ev = obj.if_contains("event");
      if (ev == nullptr || !ev->is_string()) return Status::error(ErrorCode::malformed, "event frame has no name");
      in.event = std::string(ev->as_string());
    } else if (!in.id) {
      return Status::error(ErrorCode::malformed, "result frame has no id");
    }
    return in;
  }
  if (t == "error") {
    in.kind = Incoming::Kind::error;
    const json::value* err = obj.if_contains("error");
    if (err == nullptr || !err->is_object()) return Status::error(ErrorCode::malformed, "error frame has no error");
    const auto& e = err->as_object();
    const json::value* code = e.if_contains("code");
    const json::value* message = e.if_contains("message");
    auto parsed = (code != nullptr && code->is_string()) ? error_code_from_string(code->as_string()) : std::nullopt;
    std::string field;
    if (const json::value* f = e.if_contains("field"); f != nullptr && f->is_string()) field = std::string(f->as_string());
    in.error = Status::error(parsed.value_or(ErrorCode::internal),
                             (message != nullptr && message->is_string()) ? std::string(message->as_string())
                                                                           : std::string("(no message)"),
                             std::move(field));
    return in;
  }
  return Status::error(ErrorCode::malformed, "server frame has an unknown type");
}

}  // namespace mentorlink::wire

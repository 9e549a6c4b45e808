#include "protocol/wire/call_signal.h"

#include "protocol/wire/base64url.h"
#include "protocol/wire/json_text.h"

namespace mentorlink::wire {

std::optional<CallSignalSummary> read_call_signal_summary(std::span<const std::uint8_t> payload) {
  auto parsed = parse_json_text(std::string_view(reinterpret_cast<const char*>(payload.data()), payload.size()));
  if (!parsed.is_ok() || !parsed.value().is_object()) return std::nullopt;
  const auto& o = parsed.value().get_object();
  const auto* v = o.if_contains("v");
  const auto* call = o.if_contains("call");
  const auto* type = o.if_contains("type");
  const auto* restart = o.if_contains("restart");
  if (v == nullptr || !v->is_int64() || v->get_int64() != kCallSignalVersion) return std::nullopt;
  if (call == nullptr || !call->is_string() || type == nullptr || !type->is_string() || restart == nullptr ||
      !restart->is_bool()) {
    return std::nullopt;
  }
  const std::string_view call_text = call->get_string();
  const auto id = base64url_decode(call_text);
  if (!id || id->size() != kCallIdBytes) return std::nullopt;
  const std::string_view t = type->get_string();
  if (t != "offer" && t != "answer" && t != "candidate" && t != "hangup") return std::nullopt;
  return CallSignalSummary{std::string(call_text), std::string(t), restart->get_bool()};
}

}  // namespace mentorlink::wire

// Decoder: a client's request frame, and the typed reading of its body.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/wire/fields.h"
#include "protocol/wire/frame.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mentorlink::wire;
  auto parsed = parse_request(std::string_view(reinterpret_cast<const char*>(data), size));
  if (auto* req = std::get_if<Request>(&parsed)) {
    FieldReader in(req->body);
    (void)in.text("name", 100);
    (void)in.optional_integer("programme", 1, (std::int64_t{1} << 53) - 1);
    (void)in.bytes("identity_key", 32);
    (void)in.choice("role", {"participant", "coordinator"});
    (void)serialize_request(*req);
  }
  return 0;
}

#pragma once
// What a store refusal (server/store/refusal.h) means to the person whose request it refused: the
// protocol error code, the sentence, and the field to blame (PROTOCOL.md lists each).

#include <utility>
#include <variant>

#include "protocol/wire/status.h"
#include "server/store/refusal.h"

namespace mentorlink::server {

[[nodiscard]] wire::Status refusal_status(const Refusal& refusal);

// The written value, or the refusal (or the storage fault) as a Status.
template <class T>
[[nodiscard]] wire::Result<T> accepted(wire::Result<Written<T>> written) {
  if (!written.is_ok()) return written.status();
  if (const auto* refused = std::get_if<Refusal>(&written.value())) return refusal_status(*refused);
  return std::get<T>(std::move(written.value()));
}

}  // namespace mentorlink::server

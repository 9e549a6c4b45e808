#pragma once
// The device's own files (sessions, history) encrypted at rest under the key store's storage key
// (PROTOCOL.md, "Device key store").
//   file = 0x01 ‖ nonce(24) ‖ XChaCha20-Poly1305-IETF(storage_key, nonce, plaintext,
//                                  AD = "mentorlink/v1/sealed-file" ‖ 0x00 ‖ purpose)

#include <span>
#include <string_view>

#include "protocol/device/secure_buffer.h"
#include "protocol/wire/bytes.h"
#include "protocol/wire/status.h"

namespace mentorlink::device {

[[nodiscard]] wire::Bytes seal_file(const SecureBuffer& storage_key, std::string_view purpose,
                                    std::span<const std::uint8_t> plaintext);
// bad_signature if the file was altered, sealed under another key, or for another purpose.
[[nodiscard]] wire::Result<wire::Bytes> open_file(const SecureBuffer& storage_key, std::string_view purpose,
                                                  std::span<const std::uint8_t> sealed);

}  // namespace mentorlink::device

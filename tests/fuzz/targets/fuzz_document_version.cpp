// Decoders: document version header, version opening, key share, and the chain check.
// Properties: a header that parses re-encodes to exactly its bytes; nothing opens under a key it
// was not sealed with; a key share that parses re-encodes to its bytes; verify_chain never
// accepts a version it cannot place, whatever the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "protocol/device/document_chain.h"
#include "protocol/device/document_cipher.h"

using namespace mentorlink;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  if (auto header = wire::parse_document_header(input)) {
    const auto again = wire::encode_document_header(*header);
    if (!std::equal(again.begin(), again.end(), input.begin())) std::abort();
    device::DocumentKey key{};
    if (device::open_version(key, input)) std::abort();  // a zero key never sealed fuzz input
  }
  if (auto share = device::parse_key_share(input)) {
    if (device::encode_key_share(*share) != wire::Bytes(input.begin(), input.end())) std::abort();
  }
  device::FetchedVersion v{1, wire::Bytes(input.begin(), input.end()), {}};
  device::ChainExpectation expect;
  expect.identity = {1, 1, wire::DocumentKind::agenda, 1, 0};
  expect.partner_keys = {wire::IdentityKey{}};
  const auto check = device::verify_chain(expect, std::nullopt, 1, std::span(&v, 1));
  if (!check.error) std::abort();  // no valid signature can come from fuzz input
  return 0;
}

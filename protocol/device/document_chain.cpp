#include "protocol/device/document_chain.h"

#include <algorithm>

#include "protocol/wire/signatures.h"

namespace mentorlink::device {
namespace {

// Version numbers that are a permutation of from, from+1, ... but not in order: reordered.
// Anything else out of place: something is missing.
ChainError order_error(std::uint32_t from, std::span<const FetchedVersion> versions) {
  std::vector<std::uint32_t> numbers;
  for (const auto& v : versions) numbers.push_back(v.version);
  std::sort(numbers.begin(), numbers.end());
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    if (numbers[i] != from + i) return ChainError::dropped;
  }
  return ChainError::reordered;
}

}  // namespace

std::string_view describe(ChainError e) {
  switch (e) {
    case ChainError::rolled_back: return "the server rolled the document back to an older version";
    case ChainError::forked: return "the server forked the document: a version does not follow from the one before";
    case ChainError::dropped: return "the server left out a version of the document";
    case ChainError::reordered: return "the server reordered the document's versions";
    case ChainError::misplaced: return "the server moved a version from another document or place";
    case ChainError::bad_signature: return "a version's signature does not verify";
    case ChainError::foreign_author: return "a version is signed by someone outside the pair";
    case ChainError::malformed: return "a version is malformed";
  }
  return "the document's history does not verify";
}

ChainCheck verify_chain(const ChainExpectation& expect, const std::optional<ChainHead>& known, std::uint32_t from,
                        std::span<const FetchedVersion> versions) {
  ChainCheck out;
  out.head = known;
  auto fail = [&](ChainError e, std::uint32_t at) {
    out.error = e;
    out.error_version = at;
    return out;
  };
  if (known && from != known->version) return fail(ChainError::forked, from);
  if (known && versions.empty()) return fail(ChainError::rolled_back, known->version);

  for (std::size_t i = 0; i < versions.size(); ++i) {
    const auto& v = versions[i];
    const auto expected_number = static_cast<std::uint32_t>(from + i);
    if (v.version != expected_number) return fail(order_error(from, versions), expected_number);
    const auto header = wire::parse_document_header(v.body);
    if (!header) return fail(ChainError::malformed, v.version);
    if (header->pair != expect.pair || header->document != expect.document || header->kind != expect.kind ||
        header->version != v.version) {
      return fail(ChainError::misplaced, v.version);
    }
    if (std::find(expect.authors.begin(), expect.authors.end(), header->author) == expect.authors.end()) {
      return fail(ChainError::foreign_author, v.version);
    }
    const wire::Hash hash = wire::document_version_hash(v.body);
    if (!wire::verify_signature(header->author, wire::document_signature_message(hash), v.signature)) {
      return fail(ChainError::bad_signature, v.version);
    }
    if (i == 0) {
      if (known) {
        if (!wire::equal_constant_time(hash, known->hash)) return fail(ChainError::forked, v.version);
      } else if (from == 1 && header->previous != wire::Hash{}) {
        return fail(ChainError::forked, v.version);
      }
    } else if (!wire::equal_constant_time(header->previous, out.versions.back().hash)) {
      return fail(ChainError::forked, v.version);
    }
    out.versions.push_back(VerifiedVersion{*header, hash});
  }
  if (!out.versions.empty()) out.head = ChainHead{out.versions.back().header.version, out.versions.back().hash};
  return out;
}

}  // namespace mentorlink::device

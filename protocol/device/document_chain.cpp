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

// Whether author may sign this version; on success, floor moves to the partner key it used.
std::optional<ChainError> check_author(const ChainExpectation& expect, const wire::IdentityKey& author,
                                       std::uint32_t& floor) {
  if (author == expect.me) {
    if (expect.writer == Writer::partner) return ChainError::not_owner;
    return std::nullopt;
  }
  const auto found = std::find(expect.partner_keys.begin(), expect.partner_keys.end(), author);
  if (found == expect.partner_keys.end()) {
    if (expect.unaccepted_partner_key && author == *expect.unaccepted_partner_key) return ChainError::unaccepted_author;
    return ChainError::foreign_author;
  }
  if (expect.writer == Writer::me) return ChainError::not_owner;
  const auto index = static_cast<std::uint32_t>(found - expect.partner_keys.begin());
  if (index < floor) return ChainError::replaced_author;
  floor = index;
  return std::nullopt;
}

}  // namespace

std::string_view describe(ChainError e) {
  switch (e) {
    case ChainError::rolled_back: return "the server rolled the document back to an older version";
    case ChainError::forked: return "the server forked the document: a version does not follow from the one before";
    case ChainError::dropped: return "the server left out a version of the document";
    case ChainError::reordered: return "the server reordered the document's versions";
    case ChainError::truncated:
      return "the server left out the newest versions: it says the document goes further than what it sent";
    case ChainError::misplaced:
      return "the server answered with another document, or moved a version from another document or place";
    case ChainError::bad_signature: return "a version's signature does not verify";
    case ChainError::foreign_author: return "a version is signed by someone outside the pair";
    case ChainError::unaccepted_author:
      return "a version is signed by your partner's new identity key, which you have not accepted yet (compare "
             "safety numbers: mentorlink safety-number PAIR)";
    case ChainError::replaced_author:
      return "a version is signed by an identity key your partner had already replaced in this document";
    case ChainError::not_owner: return "a version of a member's own document is signed by the other member";
    case ChainError::written_by_v1:
      return "it was written by an older mentorlink (protocol version 1), whose documents this version cannot "
             "check; it stays unread";
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

  std::uint32_t floor = known ? known->partner_key : 0;
  for (std::size_t i = 0; i < versions.size(); ++i) {
    const auto& v = versions[i];
    const auto expected_number = static_cast<std::uint32_t>(from + i);
    if (v.version != expected_number) return fail(order_error(from, versions), expected_number);
    if (wire::is_v1_document_version(v.body)) return fail(ChainError::written_by_v1, v.version);
    const auto header = wire::parse_document_header(v.body);
    if (!header) return fail(ChainError::malformed, v.version);
    if (header->identity != expect.identity || header->version != v.version) {
      return fail(ChainError::misplaced, v.version);
    }
    if (auto bad = check_author(expect, header->author, floor)) return fail(*bad, v.version);
    const wire::Hash hash = wire::document_version_hash(v.body);
    const auto message = wire::document_signature_message(header->identity, header->version, hash);
    if (!wire::verify_signature(header->author, message, v.signature)) return fail(ChainError::bad_signature, v.version);
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
  if (!out.versions.empty()) {
    out.head = ChainHead{out.versions.back().header.version, out.versions.back().hash, floor};
  }
  const std::uint32_t reached = out.head ? out.head->version : 0;
  if (reached < expect.claimed_latest) return fail(ChainError::truncated, reached + 1);
  return out;
}

}  // namespace mentorlink::device

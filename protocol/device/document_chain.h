#pragma once
// Checking what the server returns for a document against what the member asked for and what
// this device already saw (PROTOCOL.md §14.3). Every version must name the very document asked
// for (pair, document, kind, meeting, owner) and its own place, be signed by a member of the
// pair allowed to write it, and name the hash of the version before it; the chain must reach at
// least as far as the head this device verified before, through that very version, and as far
// as the server itself says the document goes. So a server that rolls a document back, forks it,
// drops, reorders or truncates versions, or answers with another document is caught here.

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "protocol/wire/document_version.h"

namespace mentorlink::device {

enum class ChainError {
  rolled_back,        // the server no longer shows a version this device saw
  forked,             // a version does not follow from the one before it (or from the known head)
  dropped,            // a version number is missing
  reordered,          // versions arrive out of order
  truncated,          // the server says the document goes further than the versions it sent
  misplaced,          // a version's header names another pair, document, kind, meeting, owner or number
  bad_signature,      // the author's signature does not verify
  foreign_author,     // signed by someone who is not (and never was) a member of the pair
  unaccepted_author,  // signed by the partner's changed key, which the member has not accepted yet
  replaced_author,    // signed by a partner key older than one already seen in this document
  not_owner,          // a member's own document (feedback, reflection) signed by the other member
  written_by_v1,      // written by a protocol version 1 client: nothing in it can be checked here
  malformed,          // not a document version at all
};

std::string_view describe(ChainError e);

struct ChainHead {
  std::uint32_t version = 0;
  wire::Hash hash{};
  // Index into ChainExpectation::partner_keys of the newest partner key seen in this document's
  // chain up to here: later versions may not be signed by an older one.
  std::uint32_t partner_key = 0;
};

struct FetchedVersion {
  std::uint32_t version = 0;
  wire::Bytes body;
  wire::Signature signature{};
};

// Who may sign versions: either member (agenda, contract, goals), or only the owner.
enum class Writer { either, me, partner };

struct ChainExpectation {
  wire::DocumentIdentity identity;  // exactly what the member asked for
  wire::IdentityKey me{};
  // Every identity key this device accepted for the partner, oldest first; the last is trusted now.
  std::vector<wire::IdentityKey> partner_keys;
  std::optional<wire::IdentityKey> unaccepted_partner_key;  // a changed key awaiting the member
  Writer writer = Writer::either;
  // The newest version the server says exists (document.get's latest_version); 0 if it says none.
  std::uint32_t claimed_latest = 0;
};

struct VerifiedVersion {
  wire::DocumentVersionHeader header;
  wire::Hash hash{};
};

struct ChainCheck {
  std::vector<VerifiedVersion> versions;  // what was checked, in order
  std::optional<ChainHead> head;          // the newest verified version, or the known head if none came
  std::optional<ChainError> error;
  std::uint32_t error_version = 0;        // where the error was found
};

// versions are what the server sent for a request starting at `from`, which is the known head's
// version when there is one (so the chain is anchored in it) and 1 otherwise.
[[nodiscard]] ChainCheck verify_chain(const ChainExpectation& expect, const std::optional<ChainHead>& known,
                                      std::uint32_t from, std::span<const FetchedVersion> versions);

}  // namespace mentorlink::device

#pragma once
// Checking what the server returns for a document against what this device already saw
// (PROTOCOL.md §14.3). Every version must be signed by a member of the pair, sit at its place
// (pair, document, kind, number) and name the hash of the version before it; the chain must
// reach at least as far as the head this device verified before, through that very version.
// So a server that rolls a document back, forks it, drops or reorders versions, or moves a
// version from elsewhere is caught here.

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "protocol/wire/document_version.h"

namespace mentorlink::device {

enum class ChainError {
  rolled_back,     // the server no longer shows a version this device saw
  forked,          // a version does not follow from the one before it (or from the known head)
  dropped,         // a version number is missing
  reordered,       // versions arrive out of order
  misplaced,       // a version's header names another pair, document, kind or number
  bad_signature,   // the author's signature does not verify
  foreign_author,  // signed by someone who is not a member of the pair
  malformed,       // not a document version at all
};

std::string_view describe(ChainError e);

struct ChainHead {
  std::uint32_t version = 0;
  wire::Hash hash{};
};

struct FetchedVersion {
  std::uint32_t version = 0;
  wire::Bytes body;
  wire::Signature signature{};
};

struct ChainExpectation {
  std::uint64_t pair = 0;
  std::uint64_t document = 0;
  wire::DocumentKind kind = wire::DocumentKind::agenda;
  std::vector<wire::IdentityKey> authors;  // who may sign versions (the pair's trusted keys)
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

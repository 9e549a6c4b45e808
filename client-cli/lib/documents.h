#pragma once
// A pair's end-to-end encrypted documents on this device (PROTOCOL.md §14): opening them on the
// server, reading with every version's identity, signature and the hash chain checked against
// what the member asked for and what this device saw before, and writing new versions under the
// document's key, which goes to the partner over the pair's session the first time it is used
// (never for a reflection, whatever the server says).

#include <cstdint>
#include <optional>
#include <string>

#include "client-cli/lib/messenger.h"
#include "protocol/wire/messages/documents.h"

namespace mentorlink::client {

// What the member asked for: the pair's document of this kind (and meeting, for agenda and feedback).
struct DocumentRequest {
  PairId pair = 0;
  wire::DocumentKind kind = wire::DocumentKind::agenda;
  std::optional<std::int64_t> meeting;
};

// A document as the server describes it, already checked against the DocumentRequest it answers:
// pair, kind and meeting are the ones asked for, and owner is this member for a reflection.
struct DocumentInfo {
  DocumentId id = 0;
  PairId pair = 0;
  wire::DocumentKind kind = wire::DocumentKind::agenda;
  std::optional<std::int64_t> meeting;
  std::optional<std::int64_t> owner;  // feedback and reflection only
  std::int64_t latest_version = 0;
  std::int64_t updated_at = 0;
  int format = 2;  // 1: kept on the server from protocol version 1, unreadable here (PROTOCOL.md §14.6)
};

struct DocumentText {
  DocumentInfo info;
  std::uint32_t version = 0;  // 0: nothing written yet
  std::string text;
  bool mine = false;          // written by this member (by the signing key, not the server's say)
  std::int64_t written_at = 0;
  wire::Hash hash{};
  wire::DocumentKeyId key_id{};  // the key the newest version is encrypted under
};

class DocumentBook {
 public:
  // The messenger must belong to the same connection and state; me is this member's id.
  DocumentBook(Connection& connection, const device::IdentityKeyPair& identity, std::int64_t me, DeviceState& state,
               Messenger& messenger, std::function<Status()> persist);

  // The pair's document of this kind (and meeting), created on the server if it has none yet.
  Result<DocumentInfo> open(const DocumentRequest& request);
  // The pair's existing documents of this kind (and meeting) that the caller may see: one, or
  // one per author for feedback. Documents kept from protocol version 1 are left out, and named
  // by older_documents().
  Result<std::vector<DocumentInfo>> list(const DocumentRequest& request);
  // Sentences about the version 1 documents the last list() left out, for the member.
  const std::vector<std::string>& older_documents() const { return older_; }
  // The first of list(), if any.
  Result<std::optional<DocumentInfo>> find(const DocumentRequest& request);

  // Fetches what is new, verifies it (a server that answers with another document, rolls back,
  // forks, drops, truncates or reorders versions is reported as bad_signature with what it did)
  // and decrypts the newest version.
  Result<DocumentText> read(const DocumentInfo& document);

  // Writes text as the version after base_version (the one the member edited). If the document
  // moved on since, nothing is written and the error is conflict.
  Result<DocumentText> write(const DocumentInfo& document, std::uint32_t base_version, const std::string& text);

  // Sends the partner every document key this device wrote with but could not send yet (the
  // partner had no keys published, the network failed); only `only` when given. A reflection's
  // key, or the key of a document whose identity this device never verified, is never sent.
  Status share_pending(std::optional<DocumentId> only = std::nullopt);

  // Signs the contract version just read (which must be `version`); returns contract.sign's
  // result, checked to be about that contract.
  Result<wire::messages::ContractView> sign_contract(const DocumentText& current, std::uint32_t version);

  // Which of the two members' signatures in a contract view verify, under the identity keys this
  // device trusts, on the very version it read.
  struct Signers {
    bool me = false;
    bool partner = false;
  };
  Result<Signers> verified_signers(const wire::messages::ContractView& contract, const DocumentText& read);

 private:
  Result<wire::IdentityKey> partner_key(PairId pair);
  // The document view as an answer to request, or why it is none.
  Result<DocumentInfo> checked_info(std::string_view type, const wire::messages::DocumentView& view,
                                    const DocumentRequest& request, bool must_be_mine);
  wire::DocumentIdentity identity_of(const DocumentInfo& info) const;
  // The documents of request's pair, kind and meeting (and owner, when given) this device has read
  // a version of: the server may not leave them out or open another in their place (attack 11).
  std::vector<DocumentId> known_in(const DocumentRequest& request, std::optional<std::int64_t> owner) const;

  Connection& connection_;
  const device::IdentityKeyPair& identity_;
  std::int64_t me_;
  DeviceState& state_;
  Messenger& messenger_;
  std::function<Status()> persist_;
  std::vector<std::string> older_;
};

DocumentInfo document_info(const wire::messages::DocumentView& view);

}  // namespace mentorlink::client

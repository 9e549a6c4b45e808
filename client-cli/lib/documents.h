#pragma once
// A pair's end-to-end encrypted documents on this device (PROTOCOL.md §14): opening them on the
// server, reading with every version's signature and the hash chain checked against what this
// device saw before, and writing new versions under the document's key, which goes to the
// partner over the pair's session the first time it is used (never for a reflection).

#include <cstdint>
#include <optional>
#include <string>

#include "client-cli/lib/messenger.h"
#include "protocol/wire/messages/documents.h"

namespace mentorlink::client {

struct DocumentInfo {
  DocumentId id = 0;
  PairId pair = 0;
  wire::DocumentKind kind = wire::DocumentKind::agenda;
  std::optional<std::int64_t> meeting;
  std::optional<std::int64_t> owner;
  std::int64_t latest_version = 0;
  std::int64_t updated_at = 0;
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
  // The messenger must belong to the same connection and state.
  DocumentBook(Connection& connection, const device::IdentityKeyPair& identity, DeviceState& state,
               Messenger& messenger, std::function<Status()> persist);

  // The pair's document of this kind (and meeting), created on the server if it has none yet.
  Result<DocumentInfo> open(PairId pair, wire::DocumentKind kind, std::optional<std::int64_t> meeting);
  // The pair's existing documents of this kind (and meeting) that the caller may see: one, or
  // one per author for feedback.
  Result<std::vector<DocumentInfo>> list(PairId pair, wire::DocumentKind kind, std::optional<std::int64_t> meeting);
  // The first of list(), if any.
  Result<std::optional<DocumentInfo>> find(PairId pair, wire::DocumentKind kind, std::optional<std::int64_t> meeting);

  // Fetches what is new, verifies it (a server that rolled back, forked, dropped or reordered
  // versions is reported as bad_signature with what it did) and decrypts the newest version.
  Result<DocumentText> read(const DocumentInfo& document);

  // Writes text as the version after base_version (the one the member edited). If the document
  // moved on since, nothing is written and the error is conflict.
  Result<DocumentText> write(const DocumentInfo& document, std::uint32_t base_version, const std::string& text);

  // Sends the partner every document key this device wrote with but could not send yet (the
  // partner had no keys published, the network failed); only `only` when given.
  Status share_pending(std::optional<DocumentId> only = std::nullopt);

  // Signs the contract version just read (which must be `version`); returns contract.sign's result.
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

  Connection& connection_;
  const device::IdentityKeyPair& identity_;
  DeviceState& state_;
  Messenger& messenger_;
  std::function<Status()> persist_;
};

DocumentInfo document_info(const wire::messages::DocumentView& view);

}  // namespace mentorlink::client

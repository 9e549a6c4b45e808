#include "protocol/wire/prekeys.h"

#include "protocol/wire/signatures.h"

namespace mentorlink::wire {

Bytes identity_dh_message(const DhPublicKey& identity_dh_key) {
  Bytes out(kIdentityDhContext.begin(), kIdentityDhContext.end());
  out.push_back(0x00);
  out.insert(out.end(), identity_dh_key.begin(), identity_dh_key.end());
  return out;
}

Bytes signed_prekey_message(PrekeyId id, const DhPublicKey& key) {
  Bytes out(kSignedPrekeyContext.begin(), kSignedPrekeyContext.end());
  out.push_back(0x00);
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(id >> shift));
  out.insert(out.end(), key.begin(), key.end());
  return out;
}

bool verify_bundle(const PrekeyBundle& bundle) {
  return verify_signature(bundle.identity_key, identity_dh_message(bundle.identity_dh_key),
                          bundle.identity_dh_signature) &&
         verify_signature(bundle.identity_key, signed_prekey_message(bundle.signed_prekey.id, bundle.signed_prekey.key),
                          bundle.signed_prekey.signature);
}

}  // namespace mentorlink::wire

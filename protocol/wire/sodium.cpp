#include "protocol/wire/sodium.h"

#include <sodium.h>

#include <stdexcept>

namespace mentorlink::wire {

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium could not be initialised");
}

}  // namespace mentorlink::wire

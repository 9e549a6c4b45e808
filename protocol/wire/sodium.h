#pragma once
// libsodium initialisation. Every entry point into protocol/ that uses libsodium calls it;
// it is cheap after the first call and safe from any thread.

namespace mentorlink::wire {

// Throws std::runtime_error if libsodium cannot be initialised (no entropy source).
void ensure_sodium();

}  // namespace mentorlink::wire

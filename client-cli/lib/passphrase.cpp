#include "client-cli/lib/passphrase.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace mentorlink::client {
using wire::ErrorCode;
using wire::Status;

namespace {

// Reads one line from the terminal without echo. Returns false if there is no terminal.
bool prompt(const char* question, std::string& out) {
  const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) return false;
  (void)::write(fd, question, std::char_traits<char>::length(question));
  termios old{};
  const bool have_tty = ::tcgetattr(fd, &old) == 0;
  if (have_tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  out.clear();
  char c = 0;
  while (::read(fd, &c, 1) == 1 && c != '\n') out += c;
  if (have_tty) ::tcsetattr(fd, TCSAFLUSH, &old);
  (void)::write(fd, "\n", 1);
  ::close(fd);
  return true;
}

}  // namespace

wire::Result<std::string> read_passphrase(bool confirm) {
  std::string pass;
  if (const char* env = std::getenv("MENTORLINK_PASSPHRASE"); env != nullptr) {
    pass = env;
  } else {
    if (!prompt("Key store passphrase: ", pass)) {
      return Status::error(ErrorCode::invalid_field,
                           "no terminal to ask for the key store passphrase; set MENTORLINK_PASSPHRASE");
    }
    if (confirm) {
      std::string again;
      prompt("Repeat the passphrase: ", again);
      if (again != pass) return Status::error(ErrorCode::invalid_field, "the two passphrases differ");
    }
  }
  if (confirm && pass.size() < kMinPassphraseBytes) {
    return Status::error(ErrorCode::invalid_field, "the key store passphrase must be at least 8 characters");
  }
  return pass;
}

}  // namespace mentorlink::client

#include "client-cli/lib/text_input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace mentorlink::client {
using wire::ErrorCode;
using wire::Status;

namespace {

wire::Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::error(ErrorCode::not_found, "cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Overwrites every regular file under dir with zeros (an editor may have left swap or backup
// copies beside the file), then removes dir.
void wipe_and_remove(const std::filesystem::path& dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (!entry.is_regular_file(ec) || entry.is_symlink(ec)) continue;
    const int fd = ::open(entry.path().c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat st {};
    if (fstat(fd, &st) == 0) {
      const std::string zeros(4096, '\0');
      for (off_t done = 0; done < st.st_size;) {
        const auto n = ::write(fd, zeros.data(), static_cast<std::size_t>(std::min<off_t>(st.st_size - done, 4096)));
        if (n <= 0) break;
        done += n;
      }
      fsync(fd);
    }
    ::close(fd);
  }
  std::filesystem::remove_all(dir, ec);
}

std::filesystem::path scratch_parent(const std::filesystem::path& home) {
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  std::error_code ec;
  if (runtime != nullptr && *runtime != '\0' && std::filesystem::is_directory(runtime, ec)) return runtime;
  return home;
}

}  // namespace

wire::Result<std::string> edit_privately(const std::string& editor, const std::filesystem::path& parent,
                                         const std::string& initial) {
  std::string pattern = (parent / "mentorlink-edit-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return Status::error(ErrorCode::internal, "cannot make a private directory for the editor in " + parent.string());
  }
  const std::filesystem::path dir = pattern;
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() { wipe_and_remove(dir); }
  } cleanup{dir};
  if (chmod(dir.c_str(), 0700) != 0) return Status::error(ErrorCode::internal, "cannot protect " + dir.string());
  const auto path = dir / "document.md";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return Status::error(ErrorCode::internal, "cannot make a temporary file for the editor");
  bool written = fchmod(fd, 0600) == 0;
  for (std::size_t done = 0; written && done < initial.size();) {
    const auto n = ::write(fd, initial.data() + done, initial.size() - done);
    written = n > 0;
    if (written) done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (!written) return Status::error(ErrorCode::internal, "cannot write the temporary file for the editor");
  const std::string command = editor + " '" + path.string() + "'";
  if (std::system(command.c_str()) != 0) {  // NOLINT(cert-env33-c): the member's own editor
    return Status::error(ErrorCode::internal, "the editor (" + editor + ") did not exit cleanly; nothing was saved");
  }
  return read_file(path.string());
}

namespace {

// The member's editor: $VISUAL, else $EDITOR, else vi.
std::string editor_command() {
  const char* editor = std::getenv("VISUAL");
  if (editor == nullptr || *editor == '\0') editor = std::getenv("EDITOR");
  if (editor == nullptr || *editor == '\0') editor = "vi";
  return editor;
}

}  // namespace

std::string normalise_text(std::string text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ' || out.back() == '\t')) out.pop_back();
  if (!out.empty()) out += '\n';
  return out;
}

wire::Result<std::string> read_new_text(const TextSource& source, const std::string& initial) {
  std::string text;
  bool from_editor = false;
  if (source.text) {
    text = *source.text;
  } else if (source.file) {
    auto r = read_file(*source.file);
    if (!r.is_ok()) return r.status();
    text = std::move(r.value());
  } else if (isatty(STDIN_FILENO) != 0) {
    auto r = edit_privately(editor_command(), scratch_parent(source.home), initial);
    if (!r.is_ok()) return r.status();
    text = std::move(r.value());
    from_editor = true;
  } else {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  text = normalise_text(std::move(text));
  if (text.empty()) return Status::error(ErrorCode::invalid_field, "the text is empty; nothing was saved");
  if (from_editor && text == normalise_text(initial)) {
    return Status::error(ErrorCode::invalid_field, "nothing changed in the editor; nothing was saved");
  }
  return text;
}

}  // namespace mentorlink::client

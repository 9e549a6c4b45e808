#pragma once
// Where a document's new text comes from: --text, --file, the member's $EDITOR (when stdin is a
// terminal), or stdin. Line endings are normalised to \n; trailing blank lines are dropped.

#include <filesystem>
#include <optional>
#include <string>

#include "protocol/wire/status.h"

namespace mentorlink::client {

struct TextSource {
  std::optional<std::string> text;
  std::optional<std::string> file;
  // The device home: the editor's private directory is made in $XDG_RUNTIME_DIR, or here.
  std::filesystem::path home;
};

// initial is what the editor opens with (the current version, or a starting template).
// An empty result, or an editor session that changed nothing, is an error: nothing to save.
wire::Result<std::string> read_new_text(const TextSource& source, const std::string& initial);

// Runs editor (a shell command, the file's path appended) on initial and returns what was saved.
// The file lives in a new directory of mode 0700 inside parent, is created with mode 0600, and
// both are overwritten with zeros and removed afterwards, whatever the editor did.
wire::Result<std::string> edit_privately(const std::string& editor, const std::filesystem::path& parent,
                                         const std::string& initial);

// For tests and tools: the text as it will be stored.
std::string normalise_text(std::string text);

}  // namespace mentorlink::client

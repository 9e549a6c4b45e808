#pragma once
// Reading what the server and the devices left on disk (for tests that look for leaks), and
// writing input files for the CLI.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace mentorlink::test {

inline std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// Every regular file below dir, concatenated.
inline std::string read_tree(const std::filesystem::path& dir) {
  std::string all;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) all += read_all(entry.path());
  }
  return all;
}

}  // namespace mentorlink::test

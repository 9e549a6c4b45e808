# All dependencies come from Debian 12 packages (see scripts/install-deps.sh).
find_package(Boost 1.81.0 EXACT REQUIRED CONFIG COMPONENTS json)
find_package(OpenSSL 3.0 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(Threads REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium>=1.0.18)
# The PostgreSQL store (server/store/postgresql/) speaks libpq's C API.
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq>=15)

# Every third-party dependency, all from Debian 12 packages (scripts/install_deps.sh installs
# them). Nothing is downloaded at build time.

find_package(absl CONFIG REQUIRED)
find_package(GTest CONFIG REQUIRED)
find_package(benchmark CONFIG REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(prometheus-cpp CONFIG REQUIRED)
find_package(yaml-cpp CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(QUICKFIX REQUIRED IMPORTED_TARGET quickfix)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)

include(GoogleTest)

#include "store/backup.hpp"

#include "core/unavailable.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <memory>

namespace coalition::store {
namespace {

struct CloseSqlite {
    void operator()(sqlite3* handle) const { sqlite3_close_v2(handle); }
};
using SqliteHandle = std::unique_ptr<sqlite3, CloseSqlite>;

SqliteHandle open(const std::string& path, int flags) {
    sqlite3* raw = nullptr;
    const int status = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    SqliteHandle handle(raw);
    if (status != SQLITE_OK) {
        throw core::Unavailable("backup: cannot open " + path + ": " + sqlite3_errstr(status));
    }
    sqlite3_busy_timeout(handle.get(), 5000);
    return handle;
}

// Removes the password from "postgresql://user:password@host/db".
std::string without_password(const std::string& url) {
    const auto scheme_end = url.find("://");
    const auto at = url.find('@');
    if (scheme_end == std::string::npos || at == std::string::npos) {
        return url;
    }
    const auto colon = url.find(':', scheme_end + 3);
    if (colon == std::string::npos || colon > at) {
        return url;
    }
    return url.substr(0, colon) + url.substr(at);
}

std::string shell_quote(const std::string& text) {
    std::string quoted = "'";
    for (char c : text) {
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return quoted + "'";
}

}  // namespace

core::Result<void> backup_sqlite(const std::string& url, const std::string& destination) {
    constexpr std::string_view kScheme = "sqlite:";
    if (url.rfind(kScheme, 0) != 0) {
        return core::Error::invalid("backup --to works on SQLite databases only");
    }
    if (std::filesystem::exists(destination)) {
        return core::Error::invalid(destination + " exists already; choose a new file");
    }
    const std::string source_path = url.substr(kScheme.size());
    if (!std::filesystem::exists(source_path)) {
        return core::Error::invalid("there is no database at " + source_path);
    }
    auto source = open(source_path, SQLITE_OPEN_READONLY);
    auto target = open(destination, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    sqlite3_backup* backup = sqlite3_backup_init(target.get(), "main", source.get(), "main");
    if (backup == nullptr) {
        throw core::Unavailable(std::string("backup: ") + sqlite3_errmsg(target.get()));
    }
    // Copy in steps so writers are not blocked for the whole copy; a write in between restarts
    // the copy of the changed pages, as the backup API documents.
    int status = SQLITE_OK;
    do {
        status = sqlite3_backup_step(backup, 256);
        if (status == SQLITE_BUSY || status == SQLITE_LOCKED) {
            sqlite3_sleep(10);
        }
    } while (status == SQLITE_OK || status == SQLITE_BUSY || status == SQLITE_LOCKED);
    sqlite3_backup_finish(backup);
    if (status != SQLITE_DONE) {
        std::filesystem::remove(destination);
        throw core::Unavailable(std::string("backup failed: ") + sqlite3_errstr(status));
    }
    return {};
}

std::string pg_dump_command(const std::string& url, const std::string& destination) {
    return "pg_dump --format=custom --file=" + shell_quote(destination) + " " +
           shell_quote(without_password(url));
}

}  // namespace coalition::store

#include "store/settings.hpp"

namespace coalition::store {

std::string setting_or_create(Database& database, std::string_view key,
                              const std::function<std::string()>& make) {
    const std::string name(key);
    if (auto row = database.query_one("SELECT value FROM settings WHERE key = $1", {name})) {
        return row->text(0);
    }
    const std::string candidate = make();
    database.transact([&](Connection& connection) {
        connection.execute(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
            {name, candidate});
    });
    return database.query_one("SELECT value FROM settings WHERE key = $1", {name})->text(0);
}

}  // namespace coalition::store

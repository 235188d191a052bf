#include "core/unavailable.hpp"
#include "web/layout.hpp"
#include "web/metrics.hpp"
#include "web/pages/pages.hpp"

#include <nlohmann/json.hpp>

namespace coalition::web {

Response SystemPages::health(Request&) const {
    bool database_ok = false;
    try {
        database_ok = site_.database.is_healthy();
    } catch (const core::Unavailable&) {
        database_ok = false;
    }
    const nlohmann::json body = {{"status", database_ok ? "ok" : "unavailable"},
                                 {"database", database_ok ? "ok" : "unreachable"}};
    auto response = Response::json(body.dump(), database_ok ? 200 : 503);
    response.headers.set("Cache-Control", "no-store");
    return response;
}

Response SystemPages::metrics(Request&) const {
    auto response = Response::text(site_.metrics.render());
    response.headers.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    response.headers.set("Cache-Control", "no-store");
    return response;
}

Response SystemPages::static_file(Request& request) const {
    const StaticFile* file = web::static_file(request.path);
    if (file == nullptr) {
        Response missing = Response::text("Not found\n", 404);
        return missing;
    }
    Response response;
    // A URL carrying the content hash never changes, so it may be cached for good.
    const bool is_versioned = request.query_value("v").has_value();
    response.headers.set("Cache-Control", is_versioned ? "public, max-age=31536000, immutable"
                                                       : "public, max-age=300");
    response.headers.set("ETag", file->etag);
    if (request.headers.value("If-None-Match") == file->etag) {
        response.status = 304;
        return response;
    }
    response.headers.set("Content-Type", std::string(file->content_type));
    response.body = std::string(file->bytes);
    return response;
}

}  // namespace coalition::web

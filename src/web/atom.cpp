// Atom 1.0 documents (see the header).

#include "web/atom.hpp"

#include "core/clock.hpp"
#include "web/svg_chart.hpp"

namespace coalition::web::atom {
namespace {

void element(std::string& xml, std::string_view name, std::string_view text) {
    xml.append("<").append(name).append(">").append(svg::escape_xml(text)).append("</");
    xml.append(name).append(">\n");
}

}  // namespace

std::string render(const Feed& feed) {
    std::string xml =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
    element(xml, "id", feed.id);
    element(xml, "title", feed.title);
    element(xml, "updated", core::format_rfc3339(feed.updated));
    xml += "<author><name>" + svg::escape_xml(feed.author) + "</name></author>\n";
    if (!feed.self.empty()) {
        xml += "<link rel=\"self\" href=\"" + svg::escape_xml(feed.self) + "\"/>\n";
    }
    if (!feed.link.empty()) {
        xml += "<link href=\"" + svg::escape_xml(feed.link) + "\"/>\n";
    }
    for (const auto& entry : feed.entries) {
        xml += "<entry>\n";
        element(xml, "id", entry.id);
        element(xml, "title", entry.title);
        element(xml, "updated", core::format_rfc3339(entry.updated));
        if (!entry.author.empty()) {
            xml += "<author><name>" + svg::escape_xml(entry.author) + "</name></author>\n";
        }
        if (!entry.link.empty()) {
            xml += "<link href=\"" + svg::escape_xml(entry.link) + "\"/>\n";
        }
        if (!entry.summary.empty()) {
            xml += "<summary type=\"text\">" + svg::escape_xml(entry.summary) + "</summary>\n";
        }
        if (!entry.content.empty()) {
            xml += "<content type=\"text\">" + svg::escape_xml(entry.content) + "</content>\n";
        }
        xml += "</entry>\n";
    }
    xml += "</feed>\n";
    return xml;
}

Response response(const Feed& feed) {
    auto answer = Response::text(render(feed));
    answer.headers.set("Content-Type", "application/atom+xml; charset=utf-8");
    return answer;
}

}  // namespace coalition::web::atom

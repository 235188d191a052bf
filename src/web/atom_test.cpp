#include "web/atom.hpp"

#include <expat.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace coalition::web::atom {
namespace {

// What an XML parser saw: well-formedness, the element names in order, all character data.
struct Parsed {
    bool well_formed = false;
    std::vector<std::string> elements;
    std::string text;
};

Parsed parse_xml(const std::string& document) {
    Parsed parsed;
    XML_Parser parser = XML_ParserCreate("UTF-8");
    XML_SetUserData(parser, &parsed);
    XML_SetElementHandler(
        parser,
        [](void* data, const XML_Char* name, const XML_Char**) {
            static_cast<Parsed*>(data)->elements.emplace_back(name);
        },
        [](void*, const XML_Char*) {});
    XML_SetCharacterDataHandler(parser, [](void* data, const XML_Char* text, int length) {
        static_cast<Parsed*>(data)->text.append(text, static_cast<std::size_t>(length));
    });
    parsed.well_formed = XML_Parse(parser, document.data(), static_cast<int>(document.size()), 1) !=
                         XML_STATUS_ERROR;
    XML_ParserFree(parser);
    return parsed;
}

Feed sample() {
    return Feed{.id = "https://example.org/lists/l/feeds/messages.atom",
                .title = "Discussion: new messages",
                .updated = 1767261600,
                .author = "Discussion",
                .self = "https://example.org/lists/l/feeds/messages.atom",
                .link = "https://example.org/lists/l/archive",
                .entries = {}};
}

TEST(Atom, CarriesWhatRfc4287Requires) {
    auto feed = sample();
    feed.entries.push_back(Entry{.id = "https://example.org/lists/l/m/1",
                                 .title = "Agenda",
                                 .updated = 1767261600,
                                 .link = "https://example.org/lists/l/m/1",
                                 .author = "Ana",
                                 .summary = "",
                                 .content = "Hello"});
    const std::string xml = render(feed);
    const auto parsed = parse_xml(xml);
    ASSERT_TRUE(parsed.well_formed) << xml;
    EXPECT_EQ(parsed.elements.front(), "feed");
    EXPECT_NE(xml.find("<feed xmlns=\"http://www.w3.org/2005/Atom\">"), std::string::npos);
    EXPECT_NE(xml.find("<updated>2026-01-01T10:00:00Z</updated>"), std::string::npos) << xml;
    EXPECT_NE(xml.find("<link rel=\"self\""), std::string::npos);
    const std::vector<std::string> entry_order{"entry",  "id",   "title", "updated",
                                               "author", "name", "link",  "content"};
    const auto at = std::find(parsed.elements.begin(), parsed.elements.end(), "entry");
    ASSERT_NE(at, parsed.elements.end());
    EXPECT_EQ(std::vector<std::string>(at, parsed.elements.end()), entry_order);
    EXPECT_EQ(response(feed).headers.value("Content-Type"), "application/atom+xml; charset=utf-8");
}

TEST(Atom, HostileTextStaysWellFormedText) {
    auto feed = sample();
    feed.title = "<script>alert('x')</script> & \"q\"";
    feed.entries.push_back(
        Entry{.id = "tag:example.org,2026:1",
              .title = std::string("NUL\0 and \x01 control", 17),
              .updated = 0,
              .link = "https://example.org/?a=1&b=\"2\"",
              .author = "\xff\xfe invalid UTF-8",
              .summary = "]]> <!-- -->",
              .content = "\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85 \xe4\xbd\xa0\xe5\xa5\xbd"});
    const std::string xml = render(feed);
    const auto parsed = parse_xml(xml);
    ASSERT_TRUE(parsed.well_formed) << xml;
    EXPECT_EQ(xml.find("<script>"), std::string::npos);
    EXPECT_NE(parsed.text.find("<script>alert('x')</script> & \"q\""), std::string::npos);
    EXPECT_NE(parsed.text.find("]]> <!-- -->"), std::string::npos);
    EXPECT_NE(parsed.text.find("\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85 \xe4\xbd\xa0\xe5\xa5\xbd"),
              std::string::npos);
    EXPECT_NE(parsed.text.find("\xef\xbf\xbd"), std::string::npos);  // U+FFFD replacements.
}

}  // namespace
}  // namespace coalition::web::atom

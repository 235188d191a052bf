#include "web/layout.hpp"

#include "core/unavailable.hpp"
#include "i18n/messages.hpp"

#include <gtest/gtest.h>
#include <time.h>

#include <cstdio>

namespace coalition::web {

// Generated from templates/*.mustache (templates.cmake).
std::vector<std::pair<std::string_view, std::string_view>> embedded_template_files();

namespace {

const Pages& pages() {
    static const Pages instance(i18n::Catalog::embedded());
    return instance;
}

PageContext context(std::string language = "en") {
    PageContext page;
    page.language = std::move(language);
    page.title = "Members";
    page.site_name = "Coalition";
    page.contact_email = "secretariat@coalition.example";
    page.csrf_token = "csrf-token-value";
    page.path = "/members";
    return page;
}

bool contains(const std::string& html, std::string_view needle) {
    return html.find(needle) != std::string::npos;
}

TEST(Layout, EnglishIsLeftToRight) {
    std::string html = pages().render_page(context("en"), pages().require("home"), {});
    EXPECT_EQ(html.rfind("<!doctype html>", 0), 0u) << html.substr(0, 80);
    EXPECT_TRUE(contains(html, R"(<html lang="en" dir="ltr">)"));
    EXPECT_TRUE(contains(html, R"(<meta charset="utf-8">)"));
    EXPECT_TRUE(contains(html, R"(name="viewport")"));
    EXPECT_TRUE(contains(html, "<title>Members — Coalition</title>"));
}

TEST(Layout, ArabicIsRightToLeftAndTranslated) {
    std::string html = pages().render_page(context("ar"), pages().require("home"), {});
    EXPECT_TRUE(contains(html, R"(<html lang="ar" dir="rtl">)"));
    EXPECT_TRUE(contains(html, "الأعضاء"));       // Members, in the navigation.
    EXPECT_TRUE(contains(html, "تسجيل الدخول"));  // Sign in.
    EXPECT_FALSE(contains(html, ">Members<"));
}

TEST(Layout, UnknownLanguageRendersEnglish) {
    std::string html = pages().render_page(context("xx\"><script>"), pages().require("home"), {});
    EXPECT_TRUE(contains(html, R"(<html lang="en" dir="ltr">)"));
    EXPECT_FALSE(contains(html, "<script>"));
}

TEST(Layout, HasLandmarksSkipLinkAndNavigation) {
    std::string html = pages().render_page(context(), pages().require("home"), {});
    EXPECT_TRUE(contains(html, R"(<a class="skip-link" href="#main">Skip to main content</a>)"));
    EXPECT_TRUE(contains(html, "<header"));
    EXPECT_TRUE(contains(html, R"(<nav aria-label="Main navigation">)"));
    EXPECT_TRUE(contains(html, R"(<main id="main")"));
    EXPECT_TRUE(contains(html, "<footer"));
    EXPECT_TRUE(contains(html, R"(role="status")"));
    for (std::string_view link : {R"(href="/statement")", R"(href="/members")", R"(href="/lists")",
                                  R"(href="/processes")", R"(href="/signin")"}) {
        EXPECT_TRUE(contains(html, link)) << link;
    }
    EXPECT_TRUE(contains(html, R"(<a href="/members" aria-current="page">Members</a>)"));
    EXPECT_FALSE(contains(html, R"(href="/statement" aria-current)"));
    EXPECT_FALSE(contains(html, "/admin"));
    EXPECT_FALSE(contains(html, "/signout"));
    EXPECT_TRUE(contains(html, "mailto:secretariat@coalition.example"));
    const StaticFile* css = static_file("/static/site.css");
    ASSERT_NE(css, nullptr);
    EXPECT_TRUE(contains(html, R"(<link rel="stylesheet" href=")" + css->url + "\">"));
}

TEST(Layout, LanguageSwitcherWorksWithoutJavaScript) {
    std::string html = pages().render_page(context("fr"), pages().require("home"), {});
    EXPECT_TRUE(contains(html, R"(<nav class="language-switcher" aria-label="Langue">)"));
    EXPECT_TRUE(contains(
        html, R"(<a href="/members?lang=ar" lang="ar" hreflang="ar" dir="rtl">العربية</a>)"));
    EXPECT_TRUE(contains(
        html,
        R"(<a href="/members?lang=fr" lang="fr" hreflang="fr" dir="ltr" aria-current="true">Français</a>)"));
    for (std::string_view name : {"中文", "English", "Русский", "Español"}) {
        EXPECT_TRUE(contains(html, name)) << name;
    }
}

TEST(Layout, SwitcherNeverLinksOffSite) {
    for (std::string path : {"//evil.example/x", "/\\evil.example", "https://evil.example/", ""}) {
        PageContext page = context();
        page.path = path;
        std::string html = pages().render_page(page, pages().require("home"), {});
        EXPECT_TRUE(contains(html, R"(href="/?lang=fr")")) << path;
        EXPECT_FALSE(contains(html, "evil.example")) << path;
    }
}

TEST(Layout, SignedInVisitorSeesNameSignOutAndAdmin) {
    PageContext page = context();
    page.visitor = PageVisitor{"Ana <admin>", true};
    page.path = "/admin/users";
    std::string html = pages().render_page(page, pages().require("home"), {});
    EXPECT_TRUE(contains(html, "Signed in as Ana &lt;admin&gt;"));
    EXPECT_TRUE(contains(html, R"(<form class="inline-form" method="post" action="/signout">)"));
    EXPECT_TRUE(contains(html, R"(<input type="hidden" name="_csrf" value="csrf-token-value">)"));
    EXPECT_TRUE(contains(html, R"(<a href="/admin" aria-current="page">Admin</a>)"));
    EXPECT_FALSE(contains(html, R"(href="/signin")"));

    page.visitor = PageVisitor{"Bo", false};
    html = pages().render_page(page, pages().require("home"), {});
    EXPECT_TRUE(contains(html, "/signout"));
    EXPECT_FALSE(contains(html, R"(href="/admin")"));
}

TEST(Layout, HostileValuesAreEscapedEverywhere) {
    PageContext page = context();
    page.title = "</title><script>alert(1)</script>";
    page.site_name = "\"><img src=x onerror=alert(1)>";
    page.flash = "{{csrf_token}} <b>flash</b>";
    page.csrf_token = "\" autofocus onfocus=\"alert(1)";
    page.visitor = PageVisitor{"'><svg onload=alert(1)>", false};
    page.path = "/members\"><script>";
    page.contact_email = "a@b.example\"><script>";
    std::string html =
        pages().render_page(page, pages().require("signin_sent"),
                            mstch::map{{"email", std::string("<script>x</script>@example.org")}});
    EXPECT_FALSE(contains(html, "<script>"));
    EXPECT_FALSE(contains(html, "<img"));
    EXPECT_FALSE(contains(html, "<svg"));
    EXPECT_FALSE(contains(html, "<b>flash"));
    EXPECT_FALSE(contains(html, R"(" autofocus)"));
    EXPECT_TRUE(contains(html, "{{csrf_token}} &lt;b&gt;flash&lt;/b&gt;"));
    EXPECT_TRUE(contains(html, R"x(value="&quot; autofocus onfocus=&quot;alert(1)")x"));
    EXPECT_TRUE(contains(html, "&lt;script&gt;x&lt;/script&gt;@example.org"));
}

TEST(Layout, FlashMessageShowsInTheStatusRegion) {
    PageContext page = context("fr");
    page.flash = "Vous êtes connecté.";
    std::string html = pages().render_page(page, pages().require("home"), {});
    EXPECT_TRUE(contains(html, R"(<p class="flash">Vous êtes connecté.</p>)"));
}

// The embedded templates plus "probe", a body that shows one value.
const Pages& probe_pages() {
    static const Pages instance = [] {
        std::vector<std::pair<std::string, std::string>> sources;
        for (const auto& [name, bytes] : embedded_template_files()) {
            sources.emplace_back(std::string(name.substr(0, name.find('.'))), std::string(bytes));
        }
        sources.emplace_back("probe", "<p id=\"probe\">{{text}}</p>");
        return Pages(i18n::Catalog::embedded(),
                     Templates::compile(sources, i18n::Catalog::embedded()).value());
    }();
    return instance;
}

std::string probe(const PageContext& page, const std::string& text) {
    return probe_pages().render_page(page, probe_pages().require("probe"),
                                     mstch::map{{"text", text}});
}

std::size_t occurrences(const std::string& html, std::string_view needle) {
    std::size_t count = 0;
    for (auto at = html.find(needle); at != std::string::npos; at = html.find(needle, at + 1)) {
        ++count;
    }
    return count;
}

// Anonymous pages reuse the layout rendered for their language, title and path: each request
// still gets its own body, and a signed-in visitor or a flash message gets a layout of its own.
TEST(Layout, KeptAnonymousLayoutsBelongToOneLanguageTitleAndPath) {
    PageContext members = context();
    const std::string first = probe(members, "first body");
    const std::string second = probe(members, "second <body>");
    EXPECT_EQ(occurrences(first, "first body"), 1u);
    EXPECT_EQ(occurrences(second, "second &lt;body&gt;"), 1u);
    EXPECT_FALSE(contains(second, "first body"));
    EXPECT_EQ(first.substr(0, first.find("<p id=\"probe\">")),
              second.substr(0, second.find("<p id=\"probe\">")));

    PageContext statement = context("ar");
    statement.path = "/statement";
    statement.title = "Statement";
    const std::string arabic = probe(statement, "x");
    EXPECT_TRUE(contains(arabic, R"(<html lang="ar" dir="rtl">)"));
    EXPECT_TRUE(contains(arabic, R"(href="/statement?lang=en")"));
    EXPECT_TRUE(contains(arabic, R"(<a href="/statement" aria-current="page">)"));
    EXPECT_TRUE(contains(arabic, "<title>Statement — Coalition</title>"));
    EXPECT_FALSE(contains(arabic, R"(href="/members?lang=en")"));
    EXPECT_TRUE(contains(probe(members, "x"), R"(href="/members?lang=fr")"));

    PageContext signed_in = context();
    signed_in.visitor = PageVisitor{"Ana", false};
    EXPECT_TRUE(contains(probe(signed_in, "x"), "Signed in as Ana"));
    EXPECT_FALSE(contains(probe(members, "x"), "Signed in as"));
    PageContext flashed = context();
    flashed.flash = "Saved.";
    EXPECT_TRUE(contains(probe(flashed, "x"), R"(<p class="flash">Saved.</p>)"));
    EXPECT_FALSE(contains(probe(members, "x"), "Saved."));
}

// The layout is split around a marker made of control characters; a site name that holds it
// must not make the page show its body twice or lose it.
TEST(Layout, ASiteNameHoldingTheBodyMarkerStillGetsOneBody) {
    PageContext page = context();
    page.site_name = "Odd \x1f\x1e{{body}}\x1e\x1f name";
    const std::string html = probe(page, "the body");
    EXPECT_EQ(occurrences(html, "the body"), 1u);
    EXPECT_EQ(occurrences(html, "<p id=\"probe\">"), 1u);
    EXPECT_TRUE(contains(html, "Odd \x1f\x1e{{body}}\x1e\x1f name"));
}

TEST(Forms, FieldTiesLabelHintAndErrorToTheInput) {
    Field email{.name = "email",
                .label = "E-mail address",
                .value = "ana@\"example",
                .hint = "We will send a link.",
                .error = "Enter an e-mail address in the right format",
                .type = "email",
                .autocomplete = "email",
                .required = true};
    std::string html =
        pages().render_page(context(), pages().require("signin"), form_data({email}));
    EXPECT_TRUE(contains(html, R"(<label for="field-email">E-mail address)"));
    EXPECT_TRUE(contains(html, R"(<p class="hint" id="field-email-hint">)"));
    EXPECT_TRUE(contains(html, R"(<p class="error-message" id="field-email-error">)"));
    EXPECT_TRUE(contains(
        html, R"(<input id="field-email" name="email" type="email" value="ana@&quot;example")"
              R"( autocomplete="email" aria-required="true" aria-invalid="true")"
              R"( aria-describedby="field-email-hint field-email-error">)"));
    EXPECT_TRUE(contains(html, R"(<div class="error-summary" role="alert")"));
    EXPECT_TRUE(contains(
        html,
        R"(<li><a href="#field-email">Enter an e-mail address in the right format</a></li>)"));
    EXPECT_TRUE(contains(html, R"(<span class="required">(required)</span>)"));
    EXPECT_TRUE(contains(html, R"(<input type="hidden" name="_csrf" value="csrf-token-value">)"));
}

TEST(Forms, ValidFieldHasNoErrorMarkup) {
    Field name{.name = "name", .label = "Name"};
    std::string html =
        pages().render_page(context(), pages().require("signin"),
                            mstch::map{{"field", mstch::map{{"email", field_data(name)}}}});
    EXPECT_FALSE(contains(html, "aria-invalid"));
    EXPECT_FALSE(contains(html, "aria-describedby"));
    EXPECT_FALSE(contains(html, "error-summary"));
    EXPECT_TRUE(contains(html, R"(<input id="field-name" name="name" type="text" value="">)"));
}

TEST(Forms, TextareaKeepsItsValue) {
    mstch::map data = field_data(
        {.name = "bio", .label = "About", .value = "</textarea><b>", .type = "textarea"});
    Templates templates = Templates::embedded(i18n::Catalog::embedded());
    std::string html = templates.render(templates.require("field"), data, "en");
    EXPECT_TRUE(contains(
        html,
        R"(<textarea id="field-bio" name="bio" rows="6">&lt;/textarea&gt;&lt;b&gt;</textarea>)"));
}

TEST(ErrorPages, EachStatusHasATranslatedPage) {
    for (int status : {403, 404, 413, 500, 503}) {
        std::string html = pages().render_error_page(context("es"), status);
        EXPECT_TRUE(contains(html, R"(<html lang="es" dir="ltr">)")) << status;
        EXPECT_TRUE(contains(html, "Ir a la página de inicio")) << status;
    }
    EXPECT_TRUE(contains(pages().render_error_page(context("en"), 404), "<h1>Page not found</h1>"));
    EXPECT_TRUE(contains(pages().render_error_page(context("en"), 404),
                         "<title>Page not found — Coalition</title>"));
    EXPECT_TRUE(contains(pages().render_error_page(context("ru"), 503), "Сервис недоступен"));
    EXPECT_TRUE(contains(pages().render_error_page(context("en"), 418), "Something went wrong"));
}

TEST(HomePage, NamesTheFoundersAndLinksTheFourAreas) {
    std::string html = pages().render_page(context("en"), pages().require("home"), {});
    for (std::string_view text : {"Nominet", "auDA", "CIRA", "InternetNZ", "multistakeholder"}) {
        EXPECT_TRUE(contains(html, text)) << text;
    }
    std::string zh = pages().render_page(context("zh"), pages().require("home"), {});
    EXPECT_TRUE(contains(zh, "宗旨声明"));
}

TEST(Pages, MissingBodyTemplateFailsAtStartup) {
    EXPECT_THROW((void)pages().require("no_such_page"), core::StartupError);
    auto partial = Templates::compile({{"layout", "{{{body_html}}}"}}, i18n::Catalog::embedded());
    ASSERT_TRUE(partial.has_value());
    EXPECT_THROW(Pages(i18n::Catalog::embedded(), std::move(*partial)), core::StartupError);
}

TEST(StaticFiles, SiteCssIsEmbeddedWithAVersion) {
    const StaticFile* css = static_file("/static/site.css?v=whatever");
    ASSERT_NE(css, nullptr);
    EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
    EXPECT_TRUE(contains(std::string(css->bytes), ":focus-visible"));
    EXPECT_EQ(css->url.rfind("/static/site.css?v=", 0), 0u);
    EXPECT_EQ(css->etag.front(), '"');
    EXPECT_EQ(static_file("/static/../site.css"), nullptr);
    EXPECT_EQ(static_file("/static/nope.css"), nullptr);
}

// Timing is printed, not asserted (STYLE.md §8): the layout around a 50-row table.
TEST(Performance, LayoutWithFiftyRowTable) {
    std::vector<std::pair<std::string, std::string>> sources;
    for (const auto& [name, bytes] : embedded_template_files()) {
        sources.emplace_back(std::string(name.substr(0, name.find('.'))), std::string(bytes));
    }
    sources.emplace_back(
        "table",
        "<h1>{{#_}}Members{{/_}}</h1><table><thead><tr><th>{{#_}}Name{{/_}}</th><th>Country</th>"
        "<th>Domain</th></tr></thead><tbody>{{#rows}}<tr><td><a href=\"/members/{{slug}}\">"
        "{{name}}</a></td><td>{{country}}</td><td>{{domain}}</td></tr>{{/rows}}</tbody></table>");
    Pages table_pages(i18n::Catalog::embedded(),
                      Templates::compile(sources, i18n::Catalog::embedded()).value());
    TemplateRef table = table_pages.require("table");

    constexpr int kRounds = 300;
    std::vector<mstch::map> data(kRounds);
    for (auto& page_data : data) {
        mstch::array rows;
        for (int row_idx = 0; row_idx < 50; ++row_idx) {
            rows.push_back(mstch::map{{"slug", "org-" + std::to_string(row_idx)},
                                      {"name", "Organisation <" + std::to_string(row_idx) + ">"},
                                      {"country", std::string("NZ")},
                                      {"domain", std::string("example.nz")}});
        }
        page_data.emplace("rows", std::move(rows));
    }
    PageContext page = context("fr");
    page.visitor = PageVisitor{"Ana", true};
    std::size_t bytes = 0;
    // Thread CPU time, so that other processes on a busy machine do not count.
    auto cpu_now = [] {
        timespec now{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
        return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
    };
    double start = cpu_now();
    for (auto& page_data : data) {
        bytes += table_pages.render_page(page, table, std::move(page_data)).size();
    }
    double per_page = (cpu_now() - start) / kRounds;
    std::printf(
        "[ perf ] layout + 50-row table: %.1f µs CPU/page, %zu bytes (data built "
        "beforehand and freed inside; Debug builds are several times slower)\n",
        per_page, bytes / kRounds);
    EXPECT_GT(bytes, 0u);

    // The same body alone, data kept: the template engine's own share.
    mstch::array rows;
    for (int row_idx = 0; row_idx < 50; ++row_idx) {
        rows.push_back(mstch::map{{"slug", "org-" + std::to_string(row_idx)},
                                  {"name", "Organisation <" + std::to_string(row_idx) + ">"},
                                  {"country", std::string("NZ")},
                                  {"domain", std::string("example.nz")}});
    }
    mstch::node table_data = mstch::map{{"rows", std::move(rows)}};
    std::string out;
    start = cpu_now();
    for (int round = 0; round < kRounds; ++round) {
        out.clear();
        table_pages.templates().render(table, {&table_data}, "fr", out);
    }
    std::printf("[ perf ] 50-row table alone: %.1f µs CPU\n", (cpu_now() - start) / kRounds);
}

}  // namespace
}  // namespace coalition::web

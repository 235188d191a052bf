#include "publications/pdf.hpp"

#include "core/unavailable.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace coalition::publications {
namespace {

namespace fs = std::filesystem;

class PdfTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "pdf-test-XXXXXX").string();
        ASSERT_NE(mkdtemp(pattern.data()), nullptr);
        root_ = pattern;
        fs::create_directory(root_ / "work");
    }
    void TearDown() override { fs::remove_all(root_); }

    // A fake renderer: a shell script (run by its #! line, never through a shell command line).
    std::string script(const std::string& name, const std::string& body) {
        const fs::path path = root_ / name;
        std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
        fs::permissions(path, fs::perms::owner_all);
        return path.string();
    }

    PdfOptions options(const std::string& renderer) {
        PdfOptions out;
        out.renderer = renderer;
        out.temp_directory = (root_ / "work").string();
        return out;
    }

    bool work_is_empty() const { return fs::is_empty(root_ / "work"); }

    fs::path root_;
};

// The output path Chromium is given, as a fake renderer finds it.
constexpr const char* kFindOutput =
    "for argument in \"$@\"; do case \"$argument\" in --print-to-pdf=*) "
    "out=\"${argument#--print-to-pdf=}\";; esac; done";

TEST_F(PdfTest, ReadsWhatTheRendererWritesAndRemovesItsFiles) {
    const auto renderer =
        script("fake", std::string(kFindOutput) + "\nprintf '%%PDF-1.7 fake' > \"$out\"");
    auto pdf = render_pdf("<p>x</p>", options(renderer));
    ASSERT_TRUE(pdf);
    EXPECT_EQ(*pdf, "%PDF-1.7 fake");
    EXPECT_TRUE(work_is_empty());
}

TEST_F(PdfTest, TheTimeLimitStopsARendererThatHangs) {
    // A child of the renderer hangs too: the whole process group is killed.
    const auto renderer = script("hang", "sleep 600 &\nsleep 600");
    auto limited = options(renderer);
    limited.time_limit = std::chrono::milliseconds(300);
    const auto started = std::chrono::steady_clock::now();
    EXPECT_THROW((void)render_pdf("<p>x</p>", limited), core::Unavailable);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
    EXPECT_TRUE(work_is_empty());
}

TEST_F(PdfTest, AFailingOrMissingRendererIsUnavailable) {
    EXPECT_THROW((void)render_pdf("<p>x</p>", options(script("fail", "exit 3"))),
                 core::Unavailable);
    EXPECT_THROW((void)render_pdf("<p>x</p>", options(script("nothing", "exit 0"))),
                 core::Unavailable);
    EXPECT_THROW((void)render_pdf("<p>x</p>", options((root_ / "absent").string())),
                 core::Unavailable);
    const auto not_pdf = script("html", std::string(kFindOutput) + "\necho '<html>' > \"$out\"");
    EXPECT_THROW((void)render_pdf("<p>x</p>", options(not_pdf)), core::Unavailable);
    EXPECT_TRUE(work_is_empty());
}

TEST_F(PdfTest, AnOversizedPdfIsTooLarge) {
    const auto renderer =
        script("big", std::string(kFindOutput) + "\nhead -c 100000 /dev/zero > \"$out\"");
    auto limited = options(renderer);
    limited.max_bytes = 1000;
    auto pdf = render_pdf("<p>x</p>", limited);
    ASSERT_FALSE(pdf);
    EXPECT_EQ(pdf.error().code, core::ErrorCode::TooLarge);
    EXPECT_TRUE(work_is_empty());
}

TEST_F(PdfTest, ChromiumRendersArabicAndChinese) {
    const PdfOptions defaults;
    if (access(defaults.renderer.c_str(), X_OK) != 0) {
        GTEST_SKIP() << defaults.renderer << " is not installed";
    }
    auto real = options(defaults.renderer);
    const std::string html =
        "<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\"><style>"
        "body{font-family:'Noto Sans','Noto Sans Arabic','Noto Sans CJK SC',sans-serif}"
        "</style></head><body><h1>بيان الغرض</h1><p>نحن ندعم نموذج أصحاب المصلحة المتعددين.</p>"
        "<p lang=\"zh\" dir=\"ltr\">我们支持多利益相关方互联网治理模式。</p>"
        "<script>document.body.innerHTML='scripts ran'</script></body></html>";
    // The CSP keeps the script from replacing the text (which would drop both fonts).
    auto pdf = render_pdf(html, real);
    ASSERT_TRUE(pdf);
    EXPECT_EQ(pdf->rfind("%PDF-", 0), 0U);
    // The font dictionaries are not compressed: the Arabic and CJK faces are embedded.
    EXPECT_NE(pdf->find("NotoSansArabic"), std::string::npos);
    EXPECT_NE(pdf->find("NotoSansCJK"), std::string::npos);
    EXPECT_TRUE(work_is_empty());
}

}  // namespace
}  // namespace coalition::publications

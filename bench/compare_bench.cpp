// Paragraph-aligned comparison figures (a benchmark that prints, not a test): builds two
// revisions of a 150-paragraph draft from a fixed seed (about 60 words a paragraph; in Rev.1 a
// tenth of the paragraphs are edited, some removed, added, moved and split, the rest renumbered)
// and times texts::compare over them. Prints the median and p99 in milliseconds beside the target
// of issue #6 (< 50 ms). Usage: compare_bench [--paragraphs N] [--runs R]

#include "texts/texts.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace {

using Steady = std::chrono::steady_clock;

// A vocabulary of 3,000 made-up words with a Zipf-like use: common words recur in every
// paragraph, most words are rare, as in a real draft.
std::vector<std::string> make_vocabulary(std::mt19937& random) {
    const std::vector<std::string> syllables = {"ta", "ri", "mon", "el",  "sa", "gov", "net", "de",
                                                "ca", "lo", "ve",  "pro", "in", "ter", "na",  "ko"};
    std::uniform_int_distribution<std::size_t> pick(0, syllables.size() - 1);
    std::uniform_int_distribution<int> length(1, 4);
    std::vector<std::string> words;
    for (int word_idx = 0; word_idx < 3000; ++word_idx) {
        std::string word;
        for (int syllable = length(random); syllable > 0; --syllable) {
            word += syllables[pick(random)];
        }
        words.push_back(word);
    }
    return words;
}

std::vector<std::string> kWords;

std::string sentence(std::mt19937& random, int words) {
    // Rank r is drawn with weight 1/(r+1).
    std::vector<double> weights;
    for (std::size_t rank = 0; rank < kWords.size(); ++rank) {
        weights.push_back(1.0 / static_cast<double>(rank + 1));
    }
    std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());
    std::string out;
    for (int word_idx = 0; word_idx < words; ++word_idx) {
        out += (word_idx == 0 ? "" : (word_idx % 13 == 12 ? ", " : " ")) + kWords[pick(random)];
    }
    return out + ".";
}

std::string render(const std::vector<std::string>& bodies) {
    std::string out = "Draft outcome document\n\n";
    for (std::size_t idx = 0; idx < bodies.size(); ++idx) {
        out += std::to_string(idx + 1) + ". " + bodies[idx] + "\n\n";
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    int paragraphs = 150;
    int runs = 50;
    for (int arg_idx = 1; arg_idx + 1 < argc; arg_idx += 2) {
        const std::string name = argv[arg_idx];
        if (name == "--paragraphs") {
            paragraphs = std::stoi(argv[arg_idx + 1]);
        } else if (name == "--runs") {
            runs = std::stoi(argv[arg_idx + 1]);
        }
    }
    std::mt19937 random(20250601);
    kWords = make_vocabulary(random);
    std::vector<std::string> zero;
    for (int idx = 0; idx < paragraphs; ++idx) {
        zero.push_back(sentence(random, 30) + " " + sentence(random, 30));
    }
    std::vector<std::string> rev = zero;
    for (std::size_t idx = 5; idx < rev.size(); idx += 10) {
        rev[idx] = rev[idx].substr(0, rev[idx].size() / 2) + " notably " +
                   rev[idx].substr(rev[idx].size() / 2);
    }
    rev.erase(rev.begin() + 20);
    rev.erase(rev.begin() + 70);
    std::rotate(rev.begin() + 30, rev.begin() + 31, rev.begin() + 60);  // 30 moves to 59.
    rev.insert(rev.begin() + 90, sentence(random, 40));
    rev.insert(rev.begin() + 120, sentence(random, 40));
    const std::string split = rev[100];
    rev[100] = split.substr(0, split.size() / 2) + ".";
    rev.insert(rev.begin() + 101, split.substr(split.size() / 2));

    const std::string before = render(zero);
    const std::string after = render(rev);
    std::vector<double> times;
    coalition::texts::Comparison last;
    for (int run = 0; run < runs; ++run) {
        const auto start = Steady::now();
        last = coalition::texts::compare(before, after);
        times.push_back(std::chrono::duration<double, std::milli>(Steady::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    const double median = times[times.size() / 2];
    const double p99 = times[std::min(times.size() - 1, times.size() * 99 / 100)];
    std::printf("compare %zu → %zu paragraphs (%zu + %zu bytes), %d runs\n", last.before.size(),
                last.after.size(), before.size(), after.size(), runs);
    std::printf(
        "rows: %zu unchanged, %zu changed, %zu added, %zu removed, %zu moved, %zu split, "
        "%zu merged\n",
        last.counts.unchanged, last.counts.changed, last.counts.added, last.counts.removed,
        last.counts.moved, last.counts.split, last.counts.merged);
    std::printf("median %.2f ms, p99 %.2f ms (target of issue #6: < 50 ms)\n", median, p99);
    return median < 50.0 ? 0 : 1;
}

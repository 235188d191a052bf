#include "archive/threading.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace coalition::archive::threading {
namespace {

Input message(std::int64_t key, std::string id, std::vector<std::string> references,
              std::string subject = "topic", std::string in_reply_to = "") {
    return Input{
        key,       std::move(id), std::move(in_reply_to), std::move(references), std::move(subject),
        1000 + key};
}

// The forest as text: "key(child child)" with "_" for a container without a message.
std::string shape(const Node& node) {
    std::string out = node.key ? std::to_string(*node.key) : "_";
    if (!node.children.empty()) {
        out += "(";
        for (std::size_t child_idx = 0; child_idx < node.children.size(); ++child_idx) {
            out += (child_idx == 0 ? "" : " ") + shape(node.children[child_idx]);
        }
        out += ")";
    }
    return out;
}

std::string shape(const std::vector<Node>& forest) {
    std::string out;
    for (const auto& root : forest) {
        out += (out.empty() ? "" : " | ") + shape(root);
    }
    return out;
}

TEST(Threading, ReferencesBuildTheTree) {
    const auto forest = thread({
        message(1, "a", {}),
        message(2, "b", {"a"}),
        message(3, "c", {"a", "b"}),
        message(4, "d", {"a"}),
    });
    EXPECT_EQ(shape(forest), "1(2(3) 4)");
    EXPECT_EQ(groups(forest), (std::vector<std::vector<std::int64_t>>{{1, 2, 3, 4}}));
}

TEST(Threading, InReplyToWhenThereAreNoReferences) {
    const auto forest = thread({message(1, "a", {}), message(2, "b", {}, "x", "a")});
    EXPECT_EQ(shape(forest), "1(2)");
}

TEST(Threading, MissingParentsGetAnEmptyContainer) {
    // Two replies to a message we never received stay together under its container.
    const auto forest =
        thread({message(1, "b", {"missing"}), message(2, "c", {"missing"}, "other subject")});
    EXPECT_EQ(shape(forest), "_(1 2)");
    EXPECT_EQ(forest[0].message_id, "missing");
}

TEST(Threading, GapInTheMiddleOfAChain) {
    const auto forest = thread({message(1, "a", {}), message(3, "c", {"a", "b"})});
    EXPECT_EQ(shape(forest), "1(_(3))");
}

TEST(Threading, ReplyArrivingBeforeItsParent) {
    const auto forest = thread(
        {message(2, "b", {"a"}), message(1, "a", {}, "first"), message(3, "c", {}, "second")});
    EXPECT_EQ(shape(forest), "1(2) | 3");
}

TEST(Threading, CyclesAreBroken) {
    // A names B as parent and B names A: one link is refused.
    const auto forest = thread({message(1, "a", {"b"}), message(2, "b", {"a"})});
    EXPECT_EQ(forest.size(), 1U);
    EXPECT_EQ(groups(forest), (std::vector<std::vector<std::int64_t>>{{2, 1}}));
    // A longer loop through References.
    const auto loop = thread(
        {message(1, "a", {"c", "b"}), message(2, "b", {"a", "c"}), message(3, "c", {"b", "a"})});
    ASSERT_EQ(groups(loop).size(), 1U);
    EXPECT_EQ(groups(loop)[0].size(), 3U);
}

TEST(Threading, SelfReferenceIsIgnored) {
    const auto forest = thread({message(1, "a", {"a"}, "x", "a"), message(2, "b", {"a", "b"})});
    EXPECT_EQ(shape(forest), "1(2)");
}

TEST(Threading, DuplicateMessageIdsKeepBothMessages) {
    const auto forest =
        thread({message(1, "a", {}), message(2, "a", {}, "another"), message(3, "c", {"a"})});
    // The first holder of the id keeps it; the second is a message of its own.
    EXPECT_EQ(shape(forest), "1(3) | 2");
}

TEST(Threading, SubjectJoinsOrphansOnly) {
    const auto forest = thread({
        message(1, "a", {}, "Budget"),
        message(2, "b", {}, "Re: Budget"),         // An orphan reply: joins by subject.
        message(3, "c", {"a"}, "Re: Budget"),      // Threaded by References.
        message(4, "d", {"zzz"}, "Re: budget"),    // Names a missing parent.
        message(5, "e", {}, "[list] AW: budget"),  // An orphan with prefixes: joins.
        message(6, "f", {}, "Something else"),
    });
    // Without the empty container, orphans join the thread starter; a message whose References
    // name a parent is never moved by subject.
    const auto present = thread({
        message(1, "a", {}, "Budget"),
        message(2, "b", {}, "Re: Budget"),
        message(3, "c", {"a"}, "Re: Budget"),
        message(4, "d", {"x"}, "Budget"),
        message(5, "x", {}, "Unrelated"),
        message(6, "e", {}, "[list] AW: budget"),
    });
    EXPECT_EQ(shape(present), "1(2 3 6) | 5(4)");
    // JWZ 5: the container of the missing parent is the preferred root for the subject, so the
    // orphans (1, 2, 5) join it; 3 stays under 1 by its References, 6 alone.
    EXPECT_EQ(shape(forest), "_(1(3) 2 4 5) | 6");
    const auto without =
        thread({message(1, "a", {}, "Budget"), message(2, "b", {}, "Re: Budget")}, Options{false});
    EXPECT_EQ(shape(without), "1 | 2");
}

TEST(Threading, OrphanJoinsTheContainerOfAMissingRootWithItsSubject) {
    // JWZ 5: an empty container is the preferred root for its subject.
    const auto forest =
        thread({message(1, "b", {"missing"}, "Re: Plan"), message(2, "c", {}, "Re: Plan")});
    EXPECT_EQ(shape(forest), "_(1 2)");
}

TEST(Threading, TwoOrphansWithoutReplyPrefixBecomeSiblings) {
    const auto forest = thread({message(1, "a", {}, "Agenda"), message(2, "b", {}, "Agenda")});
    EXPECT_EQ(shape(forest), "_(1 2)");
}

TEST(Threading, SiblingsSortedByDate) {
    std::vector<Input> messages{message(1, "root", {}), message(2, "late", {"root"}),
                                message(3, "early", {"root"})};
    messages[1].date = 5000;
    messages[2].date = 2000;
    EXPECT_EQ(shape(thread(messages)), "1(3 2)");
}

TEST(Threading, VeryLongChainDoesNotOverflowTheStack) {
    constexpr int kDepth = 5000;
    std::vector<Input> messages;
    for (int message_idx = 0; message_idx < kDepth; ++message_idx) {
        std::vector<std::string> references;
        if (message_idx > 0) {
            references.push_back("m" + std::to_string(message_idx - 1));
        }
        messages.push_back(
            message(message_idx, "m" + std::to_string(message_idx), references, "Re: chain"));
    }
    // Arriving newest first, the hardest order for re-parenting.
    std::reverse(messages.begin(), messages.end());
    const auto forest = thread(messages);
    ASSERT_EQ(forest.size(), 1U);
    const auto keys = groups(forest);
    ASSERT_EQ(keys[0].size(), static_cast<std::size_t>(kDepth));
    EXPECT_EQ(keys[0].front(), 0);
    EXPECT_EQ(keys[0].back(), kDepth - 1);
    std::size_t depth = 0;
    for (const Node* node = &forest[0]; !node->children.empty(); node = &node->children[0]) {
        ++depth;
    }
    EXPECT_EQ(depth, static_cast<std::size_t>(kDepth - 1));
}

TEST(Threading, MessagesWithoutIdsAreSeparate) {
    const auto forest = thread({message(1, "", {}, "x"), message(2, "", {}, "y")});
    EXPECT_EQ(shape(forest), "1 | 2");
}

}  // namespace
}  // namespace coalition::archive::threading

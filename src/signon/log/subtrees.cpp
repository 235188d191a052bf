#include "signon/log/subtrees.hpp"

#include "core/assert.hpp"

#include <bit>

namespace coalition::signon::subtrees {
namespace {

std::uint64_t split_point(std::uint64_t size) {
    return std::bit_floor(size - 1);  // RFC 9162 §2.1.1: largest power of two below size.
}

void add_path(std::uint64_t index, std::uint64_t start, std::uint64_t end,
              std::vector<Fold>& path) {
    const std::uint64_t size = end - start;
    if (size <= 1) {
        return;
    }
    const std::uint64_t k = split_point(size);
    if (index < k) {
        add_path(index, start, start + k, path);
        path.push_back(range(start + k, end));
    } else {
        add_path(index - k, start + k, end, path);
        path.push_back(range(start, start + k));
    }
}

void add_subproof(std::uint64_t first, std::uint64_t start, std::uint64_t end, bool is_first_tree,
                  std::vector<Fold>& proof) {
    const std::uint64_t size = end - start;
    if (first == size) {
        if (!is_first_tree) {
            proof.push_back(range(start, end));
        }
        return;
    }
    const std::uint64_t k = split_point(size);
    if (first <= k) {
        add_subproof(first, start, start + k, is_first_tree, proof);
        proof.push_back(range(start + k, end));
    } else {
        add_subproof(first - k, start + k, end, false, proof);
        proof.push_back(range(start, start + k));
    }
}

}  // namespace

Fold range(std::uint64_t start, std::uint64_t end) {
    COALITION_ASSERT(start < end, "an empty Merkle range");
    Fold parts;
    while (start < end) {
        const std::uint64_t size = std::bit_floor(end - start);
        const int level = std::countr_zero(size);
        COALITION_ASSERT(start % size == 0, "a Merkle range that is not a node of the split");
        parts.push_back(Subtree{level, start >> level});
        start += size;
    }
    return parts;
}

Fold root(std::uint64_t tree_size) {
    return range(0, tree_size);
}

std::vector<Fold> inclusion(std::uint64_t index, std::uint64_t tree_size) {
    COALITION_ASSERT(index < tree_size, "an inclusion proof past the tree");
    std::vector<Fold> path;
    add_path(index, 0, tree_size, path);
    return path;
}

std::vector<Fold> consistency(std::uint64_t first, std::uint64_t second) {
    COALITION_ASSERT(first > 0 && first <= second, "a consistency proof needs 0 < first <= second");
    std::vector<Fold> proof;
    if (first < second) {
        add_subproof(first, 0, second, true, proof);
    }
    return proof;
}

std::vector<Completion> completed_by(std::uint64_t index) {
    std::vector<Completion> completions;
    // The leaf at `index` completes the subtree of level L when index + 1 is a multiple of 2^L.
    for (int level = 1; level < 64 && ((index + 1) & ((std::uint64_t{1} << level) - 1)) == 0;
         ++level) {
        const std::uint64_t position = index >> level;
        completions.push_back(
            Completion{Subtree{level, position}, Subtree{level - 1, position * 2}});
    }
    return completions;
}

void collect(const Fold& fold, std::vector<Subtree>& out) {
    out.insert(out.end(), fold.begin(), fold.end());
}

Hash evaluate(const Fold& fold, const HashMap& hashes) {
    COALITION_ASSERT(!fold.empty(), "an empty fold");
    auto lookup = [&hashes](const Subtree& subtree) -> const Hash& {
        const auto found = hashes.find(subtree);
        COALITION_ASSERT(found != hashes.end(), "a subtree hash was not fetched");
        return found->second;
    };
    Hash hash = lookup(fold.back());
    for (auto part = fold.rbegin() + 1; part != fold.rend(); ++part) {
        hash = node_hash(lookup(*part), hash);
    }
    return hash;
}

}  // namespace coalition::signon::subtrees

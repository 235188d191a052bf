#pragma once
// Internal to signon/log: RFC 9162 proofs and roots expressed as stored complete subtrees, so the
// log reads O(log n) hashes per proof instead of rehashing leaves. Every hash a proof needs is
// the hash of a node of the RFC's recursive split of D[0:n]; such a node [start, end) hashes as
// the right-to-left fold of the complete (perfect, aligned) subtrees of its binary
// decomposition: MTH = NODE(C1, NODE(C2, … Cj)) with |C1| > |C2| > … powers of two.

#include "signon/log/merkle.hpp"

#include <cstdint>
#include <map>
#include <vector>

namespace coalition::signon::subtrees {

// The complete subtree over leaves [position << level, (position + 1) << level). Level 0 is a
// leaf; level >= 1 is a stored interior node.
struct Subtree {
    int level = 0;
    std::uint64_t position = 0;
    bool operator==(const Subtree&) const = default;
    bool operator<(const Subtree& other) const {
        return level != other.level ? level < other.level : position < other.position;
    }
};

// A hash to compute: the right-to-left fold of `parts` (one part: that subtree's hash).
using Fold = std::vector<Subtree>;

// The node [start, end) of the RFC split (start aligned, as every such node is).
Fold range(std::uint64_t start, std::uint64_t end);
// MTH(D[0:tree_size]) for tree_size >= 1.
Fold root(std::uint64_t tree_size);
// PATH(index, D[0:tree_size]), element by element (index < tree_size).
std::vector<Fold> inclusion(std::uint64_t index, std::uint64_t tree_size);
// PROOF(first, D[0:second]) for 0 < first <= second (empty when equal).
std::vector<Fold> consistency(std::uint64_t first, std::uint64_t second);
// The interior subtrees that become complete when the leaf at `index` is appended, lowest
// first, each with its left child (its right child is the previous entry, or the leaf).
struct Completion {
    Subtree subtree;
    Subtree left_child;
};
std::vector<Completion> completed_by(std::uint64_t index);

using HashMap = std::map<Subtree, Hash>;
// Every subtree the folds need.
void collect(const Fold& fold, std::vector<Subtree>& out);
// The fold's hash from `hashes`, which must hold every part.
Hash evaluate(const Fold& fold, const HashMap& hashes);

}  // namespace coalition::signon::subtrees

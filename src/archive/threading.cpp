#include "archive/threading.hpp"

#include "archive/message.hpp"

#include <algorithm>
#include <limits>
#include <unordered_map>
#include <utility>

namespace coalition::archive::threading {
namespace {

constexpr int kNone = -1;

// JWZ's Container: a message we have (message >= 0) or only know of by its id.
struct Container {
    int message = kNone;  // Index into the input.
    std::string id;
    int parent = kNone;
    std::vector<int> children;
    bool removed = false;
};

class Builder {
public:
    explicit Builder(const std::vector<Input>& messages) : messages_(messages) {}

    std::vector<Node> run(const Options& options) {
        for (std::size_t message_idx = 0; message_idx < messages_.size(); ++message_idx) {
            add(static_cast<int>(message_idx));
        }
        id_table_.clear();  // JWZ step 3.
        prune();
        std::vector<int> roots = root_set();
        if (options.join_by_subject) {
            roots = join_by_subject(roots);
        }
        return build(roots);
    }

private:
    int make(std::string id) {
        containers_.push_back(Container{kNone, std::move(id), kNone, {}, false});
        return static_cast<int>(containers_.size()) - 1;
    }

    // JWZ 1A: the container for `id`, created empty when new.
    int container_for(const std::string& id) {
        auto found = id_table_.find(id);
        if (found != id_table_.end()) {
            return found->second;
        }
        const int created = make(id);
        id_table_.emplace(id, created);
        return created;
    }

    // True when `ancestor` is `node` or above it. Iterative: a 5,000-message chain is fine.
    bool is_ancestor(int ancestor, int node) const {
        for (int at = node; at != kNone; at = containers_[at].parent) {
            if (at == ancestor) {
                return true;
            }
        }
        return false;
    }

    void unlink(int child) {
        const int parent = containers_[child].parent;
        if (parent == kNone) {
            return;
        }
        auto& siblings = containers_[parent].children;
        siblings.erase(std::remove(siblings.begin(), siblings.end(), child), siblings.end());
        containers_[child].parent = kNone;
    }

    // Makes `child` a child of `parent` unless that would make a cycle.
    bool link(int parent, int child) {
        if (parent == child || is_ancestor(child, parent)) {
            return false;
        }
        unlink(child);
        containers_[child].parent = parent;
        containers_[parent].children.push_back(child);
        return true;
    }

    void add(int message_idx) {
        const Input& message = messages_[message_idx];
        // 1A. A message without an id, or a second message with an id already taken, gets a
        // container of its own that nothing can refer to.
        int own = kNone;
        if (!message.message_id.empty()) {
            own = container_for(message.message_id);
            if (containers_[own].message != kNone) {
                own = kNone;
            }
        }
        if (own == kNone) {
            own = make(message.message_id);
        }
        containers_[own].message = message_idx;

        // The references, oldest first; In-Reply-To after them when References does not name it.
        std::vector<std::string> references;
        for (const auto& id : message.references) {
            if (!id.empty() && id != message.message_id) {
                references.push_back(id);
            }
        }
        if (!message.in_reply_to.empty() && message.in_reply_to != message.message_id &&
            std::find(references.begin(), references.end(), message.in_reply_to) ==
                references.end()) {
            references.push_back(message.in_reply_to);
        }

        // 1B. Link each reference to the next, without changing links already made.
        int previous = kNone;
        for (const auto& id : references) {
            const int current = container_for(id);
            if (current == own) {
                previous = kNone;
                continue;
            }
            if (previous != kNone && containers_[current].parent == kNone) {
                link(previous, current);
            }
            previous = current;
        }
        // 1C. The last reference is this message's parent: it overrides a parent guessed from
        // another message's References, unless it would make a cycle.
        if (previous != kNone) {
            if (containers_[own].parent != previous && !is_ancestor(own, previous)) {
                link(previous, own);
            }
        } else {
            unlink(own);
        }
    }

    // Step 4: empty containers without children go, repeatedly (removing one may empty its
    // parent). Empty containers with children stay: they stand for a missing message.
    void prune() {
        std::vector<int> work;
        for (std::size_t container_idx = 0; container_idx < containers_.size(); ++container_idx) {
            work.push_back(static_cast<int>(container_idx));
        }
        while (!work.empty()) {
            const int at = work.back();
            work.pop_back();
            Container& container = containers_[at];
            if (container.removed || container.message != kNone || !container.children.empty()) {
                continue;
            }
            container.removed = true;
            const int parent = container.parent;
            unlink(at);
            if (parent != kNone) {
                work.push_back(parent);
            }
        }
    }

    std::vector<int> root_set() const {
        std::vector<int> roots;
        for (std::size_t container_idx = 0; container_idx < containers_.size(); ++container_idx) {
            const Container& container = containers_[container_idx];
            if (!container.removed && container.parent == kNone) {
                roots.push_back(static_cast<int>(container_idx));
            }
        }
        return roots;
    }

    const Input* message_at(int container) const {
        const int message = containers_[container].message;
        return message == kNone ? nullptr : &messages_[message];
    }

    // The subject of a root: its message's, or its first child's when it is empty.
    const Input* subject_source(int root) const {
        if (const auto* message = message_at(root)) {
            return message;
        }
        for (const int child : containers_[root].children) {
            if (const auto* message = message_at(child)) {
                return message;
            }
        }
        return nullptr;
    }

    // JWZ: a subject that starts with "Re:" (after any "[list]" tags) is a reply; so are the
    // other prefixes base_subject strips ("AW:", "Fwd:", …).
    static bool is_reply(const Input& message) {
        std::string_view subject = message.subject;
        while (true) {
            while (!subject.empty() && (subject.front() == ' ' || subject.front() == '\t')) {
                subject.remove_prefix(1);
            }
            if (subject.empty() || subject.front() != '[') {
                break;
            }
            const auto close = subject.find(']');
            if (close == std::string_view::npos) {
                break;
            }
            subject.remove_prefix(close + 1);
        }
        std::string head;
        for (const char c : subject.substr(0, 12)) {
            head += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        }
        for (const std::string_view prefix : {"re", "aw", "fwd", "fw", "sv", "antw"}) {
            if (head.rfind(prefix, 0) != 0) {
                continue;
            }
            std::size_t at = prefix.size();
            if (at < head.size() && (head[at] == '[' || head[at] == '^')) {
                while (at < head.size() && head[at] != ':' && head[at] != ' ') {
                    ++at;
                }
            }
            if (at < head.size() && head[at] == ':') {
                return true;
            }
        }
        return false;
    }

    // An orphan: a root message that named no parent at all.
    bool is_orphan(int root) const {
        const auto* message = message_at(root);
        return message != nullptr && message->references.empty() && message->in_reply_to.empty();
    }

    // Step 5, limited to orphans: an orphan root joins the root whose base subject matches.
    std::vector<int> join_by_subject(const std::vector<int>& roots) {
        std::unordered_map<std::string, int> table;
        for (const int root : roots) {
            const auto* source = subject_source(root);
            if (source == nullptr) {
                continue;
            }
            const std::string subject = base_subject(source->subject);
            if (subject.empty()) {
                continue;
            }
            auto [found, inserted] = table.emplace(subject, root);
            if (inserted) {
                continue;
            }
            // Prefer an empty container, then a message that is not a reply ("Re:").
            const int old = found->second;
            const bool old_empty = message_at(old) == nullptr;
            const bool new_empty = message_at(root) == nullptr;
            if ((new_empty && !old_empty) ||
                (!old_empty && !new_empty && is_reply(*message_at(old)) &&
                 !is_reply(*message_at(root)))) {
                found->second = root;
            }
        }
        std::vector<int> candidates = roots;
        for (const int root : roots) {
            const auto* source = subject_source(root);
            const auto target = source != nullptr && is_orphan(root)
                                    ? table.find(base_subject(source->subject))
                                    : table.end();
            if (target == table.end() || target->second == root) {
                continue;
            }
            const int into = target->second;
            if (message_at(into) == nullptr ||
                (is_reply(*message_at(root)) && !is_reply(*message_at(into)))) {
                link(into, root);
            } else {
                // Both replies or both not: siblings under a new empty container.
                const int holder = make("");
                link(holder, into);
                link(holder, root);
                target->second = holder;
                candidates.push_back(holder);
            }
        }
        std::vector<int> out;
        for (const int root : candidates) {
            if (containers_[root].parent == kNone) {
                out.push_back(root);
            }
        }
        return out;
    }

    // Builds the Node trees bottom-up without recursion, siblings and roots ordered by the
    // earliest date under each.
    std::vector<Node> build(const std::vector<int>& roots) {
        std::vector<std::int64_t> earliest(containers_.size(),
                                           std::numeric_limits<std::int64_t>::max());
        std::vector<std::size_t> order(containers_.size(), 0);
        std::vector<int> post_order;
        std::vector<std::pair<int, std::size_t>> stack;
        for (const int root : roots) {
            stack.emplace_back(root, 0);
            while (!stack.empty()) {
                auto& [at, next_child] = stack.back();
                if (next_child < containers_[at].children.size()) {
                    const int child = containers_[at].children[next_child++];
                    stack.emplace_back(child, 0);
                    continue;
                }
                post_order.push_back(at);
                stack.pop_back();
            }
        }
        std::vector<Node> nodes(containers_.size());
        for (const int at : post_order) {
            Container& container = containers_[at];
            if (const auto* message = message_at(at)) {
                earliest[at] = message->date;
                order[at] = static_cast<std::size_t>(container.message);
            } else {
                order[at] = std::numeric_limits<std::size_t>::max();
            }
            for (const int child : container.children) {
                if (earliest[child] < earliest[at] ||
                    (earliest[child] == earliest[at] && order[child] < order[at])) {
                    earliest[at] = earliest[child];
                }
                order[at] = std::min(order[at], order[child]);
            }
            sort_by_date(container.children, earliest, order);
            Node& node = nodes[at];
            node.message_id = container.id;
            if (const auto* message = message_at(at)) {
                node.key = message->key;
                node.message_id = message->message_id;
            }
            node.children.reserve(container.children.size());
            for (const int child : container.children) {
                node.children.push_back(std::move(nodes[child]));
            }
        }
        std::vector<int> sorted_roots = roots;
        sort_by_date(sorted_roots, earliest, order);
        std::vector<Node> forest;
        forest.reserve(sorted_roots.size());
        for (const int root : sorted_roots) {
            forest.push_back(std::move(nodes[root]));
        }
        return forest;
    }

    static void sort_by_date(std::vector<int>& items, const std::vector<std::int64_t>& earliest,
                             const std::vector<std::size_t>& order) {
        std::stable_sort(items.begin(), items.end(), [&](int left, int right) {
            return std::pair(earliest[left], order[left]) <
                   std::pair(earliest[right], order[right]);
        });
    }

    const std::vector<Input>& messages_;
    std::vector<Container> containers_;
    std::unordered_map<std::string, int> id_table_;
};

}  // namespace

std::vector<Node> thread(const std::vector<Input>& messages, const Options& options) {
    return Builder(messages).run(options);
}

std::vector<std::vector<std::int64_t>> groups(const std::vector<Node>& forest) {
    std::vector<std::vector<std::int64_t>> out;
    for (const Node& root : forest) {
        std::vector<std::int64_t> keys;
        std::vector<const Node*> stack{&root};
        while (!stack.empty()) {
            const Node* node = stack.back();
            stack.pop_back();
            if (node->key) {
                keys.push_back(*node->key);
            }
            for (auto child = node->children.rbegin(); child != node->children.rend(); ++child) {
                stack.push_back(&*child);
            }
        }
        out.push_back(std::move(keys));
    }
    return out;
}

}  // namespace coalition::archive::threading

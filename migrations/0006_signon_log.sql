-- signon/log: the transparency log, an RFC 9162 Merkle tree of public signature events
-- (src/signon/log/transparency_log.hpp, docs/TRANSPARENCY_LOG.md). Hashes are stored as padded
-- standard base64 of the 32-byte SHA-256 value (44 characters), as the API serves them.

-- One row per leaf, indices dense from 0.
CREATE TABLE signon_log_leaves (
    leaf_index BIGINT PRIMARY KEY,
    leaf_hash TEXT NOT NULL,     -- SHA-256(0x00 || leaf).
    leaf TEXT,                   -- The leaf's bytes (UTF-8 JSON); NULL once withheld (erasure).
    created_at BIGINT NOT NULL
);

-- The hash of every complete subtree of two or more leaves, written when its last leaf is
-- appended: subtree (level, position) covers leaves [position * 2^level, (position + 1) * 2^level).
-- Any root or proof is a fold of O(log n) of these (src/signon/log/subtrees.hpp).
CREATE TABLE signon_log_subtrees (
    subtree_level INTEGER NOT NULL CHECK (subtree_level >= 1),
    subtree_position BIGINT NOT NULL,
    subtree_hash TEXT NOT NULL,
    PRIMARY KEY (subtree_level, subtree_position)
);

-- Signed tree heads, one per tree size at most (two servers signing the same size keep one).
CREATE TABLE signon_log_heads (
    tree_size BIGINT PRIMARY KEY,
    timestamp_ms BIGINT NOT NULL,  -- Milliseconds since the Unix epoch.
    root_hash TEXT NOT NULL,
    signature TEXT NOT NULL,       -- Base64 Ed25519 signature of the 49 bytes in the docs.
    created_at BIGINT NOT NULL
);

-- The log's size. append() raises it with UPDATE … RETURNING first, so the row lock serialises
-- appenders from every server until their transactions end and the indices stay dense.
CREATE TABLE signon_log_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),  -- Exactly one row.
    tree_size BIGINT NOT NULL
);
INSERT INTO signon_log_state (id, tree_size) VALUES (1, 0);

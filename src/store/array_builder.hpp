#pragma once
// store: a PostgreSQL array as one parameter in the binary format (store::Binary), so that a
// batch of rows is written by one statement of a fixed text — `INSERT … SELECT … FROM
// unnest(CAST($1 AS bigint[]), CAST($2 AS text[]))` — planned once, whatever the number of rows,
// and read by the server without parsing: each element's bytes are copied as they are (an
// import's texts as array text were parsed character by character, and a tsvector's text a
// quarter of the time to index a message). PostgreSQL only: SQLite has no arrays (its
// statements cost no round trip; write rows one by one there).

#include "store/database.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace coalition::store {

class ArrayBuilder {
public:
    // The element type (PostgreSQL's type oid): the statement casts the parameter to an array of
    // it, and the server refuses elements of another.
    enum class Element : std::uint32_t { Bigint = 20, Text = 25, Tsvector = 3614 };
    explicit ArrayBuilder(Element element) : element_(element) {}

    // An element's bytes: a text's UTF-8 (the server checks it: invalid UTF-8 or a NUL fails the
    // statement with InvalidText), or the binary form of the element type (Tsvector).
    ArrayBuilder& add(std::string_view bytes);
    ArrayBuilder& add(std::int64_t number);  // Element::Bigint.
    ArrayBuilder& add_null();
    bool empty() const { return count_ == 0; }
    // The array; the builder is empty again afterwards.
    Binary take();

private:
    Element element_;
    std::string elements_;  // Each as its length (4 bytes, -1 for NULL) and its bytes.
    std::int32_t count_ = 0;
    bool has_null_ = false;
};

// Appends `value` to `out` in network byte order (PostgreSQL's binary formats).
void append_big_endian(std::string& out, std::uint32_t value);
void append_big_endian(std::string& out, std::uint16_t value);

}  // namespace coalition::store

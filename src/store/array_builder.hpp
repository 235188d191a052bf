#pragma once
// store: a PostgreSQL array as one parameter in the binary format (store::Binary), so that a
// batch of rows is written by one statement of a fixed text — `INSERT … SELECT … FROM
// unnest(CAST($1 AS bigint[]), CAST($2 AS text[]))` — planned once, whatever the number of rows,
// and read by the server without parsing: each element's bytes are copied as they are (an
// import's texts as array text were parsed character by character, and a tsvector's text a
// quarter of the time to index a message). PostgreSQL only: SQLite has no arrays (its
// statements cost no round trip; write rows one by one there).

#include "core/assert.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coalition::store {

class ArrayBuilder {
public:
    // The element type (PostgreSQL's type oid): the statement casts the parameter to an array of
    // it, and the server refuses elements of another.
    enum class Element : std::uint32_t { Bigint = 20, Text = 25, Tsvector = 3614 };
    explicit ArrayBuilder(Element element) : element_(element) {}
    Element element() const { return element_; }

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

// A statement's rows as arrays, one a column: row() adds a value to each column in order, and
// unnest() is the SQL that reads them back as rows — `unnest(CAST($2 AS bigint[]), …)` — made
// from the same element types, so that a cast cannot disagree with its array.
class ArrayColumns {
public:
    using Element = ArrayBuilder::Element;
    ArrayColumns(std::initializer_list<Element> elements);

    template <typename... Values>
    void row(const Values&... values) {
        COALITION_ASSERT(sizeof...(values) == columns_.size(), "a row of the wrong width");
        std::size_t column = 0;
        (add(column++, values), ...);
        ++rows_;
    }
    bool empty() const { return rows_ == 0; }
    // "unnest(CAST($first AS type[]), …)" for the columns, parameters numbered from `first`.
    std::string unnest(std::size_t first) const;
    // `params` with the arrays appended, in column order; the columns are empty afterwards.
    Params take(Params params = {});

private:
    void add(std::size_t column, std::int64_t number) { columns_[column].add(number); }
    void add(std::size_t column, std::string_view text) { columns_[column].add(text); }
    void add(std::size_t column, const std::optional<std::int64_t>& number);
    std::vector<ArrayBuilder> columns_;
    std::size_t rows_ = 0;
};

// Appends `value` to `out` in network byte order (PostgreSQL's binary formats).
void append_big_endian(std::string& out, std::uint32_t value);
void append_big_endian(std::string& out, std::uint16_t value);

}  // namespace coalition::store

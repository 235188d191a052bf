#pragma once
// store: a PostgreSQL array as the text of one parameter ("{1,2}", "{\"a\",\"b\\\"c\"}"), so
// that a batch of rows is written by one statement of a fixed text — `INSERT … SELECT … FROM
// unnest($1::bigint[], $2::text[])` — planned once, whatever the number of rows. PostgreSQL only:
// SQLite has no arrays (its statements cost no round trip; write rows one by one there).

#include <cstdint>
#include <string>
#include <string_view>

namespace coalition::store {

class ArrayLiteral {
public:
    ArrayLiteral& add(std::string_view text);  // Quoted: any text, "NULL" and "" included.
    ArrayLiteral& add(std::int64_t number);
    ArrayLiteral& add_null();
    // The literal; the builder is empty again afterwards.
    std::string take();
    bool empty() const { return elements_ == 0; }

private:
    void separate();
    std::string text_ = "{";
    std::size_t elements_ = 0;
};

}  // namespace coalition::store

#include "store/array_builder.hpp"

#include "core/assert.hpp"

#include <climits>
#include <utility>

namespace coalition::store {

ArrayColumns::ArrayColumns(std::initializer_list<Element> elements) {
    columns_.reserve(elements.size());
    for (const Element element : elements) {
        columns_.emplace_back(element);
    }
}

void ArrayColumns::add(std::size_t column, const std::optional<std::int64_t>& number) {
    if (number) {
        columns_[column].add(*number);
    } else {
        columns_[column].add_null();
    }
}

std::string ArrayColumns::unnest(std::size_t first) const {
    std::string sql = "unnest(";
    for (std::size_t column = 0; column < columns_.size(); ++column) {
        const char* type = "text";
        switch (columns_[column].element()) {
            case Element::Bigint:
                type = "bigint";
                break;
            case Element::Text:
                type = "text";
                break;
            case Element::Tsvector:
                type = "tsvector";
                break;
        }
        sql += (column == 0 ? "CAST($" : ", CAST($") + std::to_string(first + column) + " AS " +
               type + "[])";
    }
    return sql + ")";
}

Params ArrayColumns::take(Params params) {
    for (ArrayBuilder& column : columns_) {
        params.emplace_back(column.take());
    }
    rows_ = 0;
    return params;
}

void append_big_endian(std::string& out, std::uint32_t value) {
    out += static_cast<char>((value >> 24) & 0xFF);
    out += static_cast<char>((value >> 16) & 0xFF);
    out += static_cast<char>((value >> 8) & 0xFF);
    out += static_cast<char>(value & 0xFF);
}

void append_big_endian(std::string& out, std::uint16_t value) {
    out += static_cast<char>((value >> 8) & 0xFF);
    out += static_cast<char>(value & 0xFF);
}

ArrayBuilder& ArrayBuilder::add(std::string_view bytes) {
    COALITION_ASSERT(bytes.size() <= static_cast<std::size_t>(INT32_MAX),
                     "an array element of 2 GB or more");
    append_big_endian(elements_, static_cast<std::uint32_t>(bytes.size()));
    elements_.append(bytes);
    ++count_;
    return *this;
}

ArrayBuilder& ArrayBuilder::add(std::int64_t number) {
    COALITION_ASSERT(element_ == Element::Bigint, "a number added to an array of another type");
    const auto bits = static_cast<std::uint64_t>(number);
    append_big_endian(elements_, std::uint32_t{8});
    append_big_endian(elements_, static_cast<std::uint32_t>(bits >> 32));
    append_big_endian(elements_, static_cast<std::uint32_t>(bits & 0xFFFFFFFFU));
    ++count_;
    return *this;
}

ArrayBuilder& ArrayBuilder::add_null() {
    append_big_endian(elements_, static_cast<std::uint32_t>(-1));
    has_null_ = true;
    ++count_;
    return *this;
}

Binary ArrayBuilder::take() {
    // array_recv's header: dimensions, whether there are NULLs, the element type, then each
    // dimension's length and lower bound. An empty array has no dimension.
    std::string out;
    out.reserve(20 + elements_.size());
    append_big_endian(out, std::uint32_t{count_ > 0 ? 1U : 0U});
    append_big_endian(out, std::uint32_t{has_null_ ? 1U : 0U});
    append_big_endian(out, static_cast<std::uint32_t>(element_));
    if (count_ > 0) {
        append_big_endian(out, static_cast<std::uint32_t>(count_));
        append_big_endian(out, std::uint32_t{1});
    }
    out += elements_;
    elements_.clear();
    count_ = 0;
    has_null_ = false;
    return Binary{std::move(out)};
}

}  // namespace coalition::store

// LIKE patterns that match a text literally, on both engines (ESCAPE '\').
#include "store/database.hpp"

namespace linnet::store {

std::string like_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

}  // namespace linnet::store

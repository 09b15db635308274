// Statements on the images table.
#include "images/image_repository.hpp"

namespace linnet::images {

namespace statements {
constexpr std::string_view reassign_owner =
    "UPDATE images SET owner_user_id = ? WHERE owner_user_id = ?";
}  // namespace statements

void ImageRepository::reassign_owner(std::int64_t from_user, std::int64_t to_user) {
    tx_.execute(statements::reassign_owner, {to_user, from_user});
}

}  // namespace linnet::images

// Images built on this host: `linnetd image build debian12` runs the image's build script and
// registers the result in the store as linode/debian12, status "creating" while it builds and
// "available" once it is done; a failed build leaves the image as it was.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "store/database.hpp"

namespace linnet::compute {

struct BuildProgress {
    int step = 0;
    int steps = 0;
    std::string what;
};

// Builds the image `name` (e.g. "debian12") into data/images/linode/NAME. Throws
// std::runtime_error with the build's last output when a step fails.
void build_image(store::Database& db, const std::filesystem::path& data, const std::string& name,
                 const std::function<void(const BuildProgress&)>& progress);

// Whether data/images/linode/NAME holds a complete build.
bool image_built(const std::filesystem::path& data, const std::string& name);

}  // namespace linnet::compute

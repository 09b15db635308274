// `linnetd image build NAME` and `linnetd console ID`.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "compute/images/images.hpp"
#include "main/options.hpp"

namespace linnet::cli {

namespace {

struct ImageOptions {
    StoreOptions store;
    std::string name;
};

void draw(const compute::BuildProgress& p) {
    const int width = 30;
    const int filled = p.steps ? width * p.step / p.steps : 0;
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, '.');
    if (isatty(STDERR_FILENO))
        std::fprintf(stderr, "\r\033[K[%s] %d/%d %s", bar.c_str(), p.step, p.steps, p.what.c_str());
    else
        std::fprintf(stderr, "[%s] %d/%d %s\n", bar.c_str(), p.step, p.steps, p.what.c_str());
    std::fflush(stderr);
}

void build(const ImageOptions& o) {
    if (geteuid() != 0) throw CLI::ValidationError("image build", "must run as root (debootstrap)");
    auto db = open_store(o.store);
    compute::build_image(*db, o.store.data, o.name, draw);
    if (isatty(STDERR_FILENO)) std::fprintf(stderr, "\n");
    std::cout << "linode/" << o.name << " is available" << std::endl;
}

}  // namespace

void add_image(CLI::App& app) {
    auto* image = app.add_subcommand("image", "Images built on this host");
    image->require_subcommand(1);
    auto options = std::make_shared<ImageOptions>();
    auto* build_cmd = image->add_subcommand("build", "Build and register an image (debian12)");
    add_store_options(*build_cmd, options->store);
    build_cmd->add_option("name", options->name, "Image to build")
        ->required()
        ->check(CLI::IsMember({"debian12"}));
    build_cmd->callback([options] { build(*options); });

    auto console_options = std::make_shared<std::pair<StoreOptions, long>>();
    auto* console = app.add_subcommand("console", "Print a Linode's serial console output");
    add_store_options(*console, console_options->first);
    console->add_option("id", console_options->second, "Linode id")->required();
    console->callback([console_options] {
        const auto path = std::filesystem::path(console_options->first.data) / "linodes" /
                          std::to_string(console_options->second) / "console.log";
        std::ifstream in(path, std::ios::binary);
        if (!in) throw CLI::ValidationError("console", "no console output at " + path.string());
        std::cout << in.rdbuf();
    });
}

}  // namespace linnet::cli

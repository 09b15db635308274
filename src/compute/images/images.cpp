// Running an image's build script and registering what it made.
#include "compute/images/images.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/json.hpp"
#include "core/time.hpp"
#include "images/image_repository.hpp"

namespace linnet::compute {

namespace scripts {
extern const std::string_view debian12;
}

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

std::string_view script_of(const std::string& name) {
    if (name == "debian12") return scripts::debian12;
    throw std::runtime_error("no build recipe for image " + name + " (known: debian12)");
}

// The image's row before the build began, to put back when the build fails.
struct Saved {
    std::optional<images::Image> image;
};

Saved mark_creating(store::Database& db, const std::string& id, const std::string& name) {
    auto tx = db.begin_in(store::Access::write, store::Scope::system());
    images::ImageRepository repo(*tx);
    Saved saved{repo.find(id)};
    json::object doc;
    if (saved.image) {
        doc = json::parse(saved.image->doc).as_object();
    } else {
        doc = json::object{{"id", id},
                           {"label", "Debian 12"},
                           {"description", ""},
                           {"created_by", "linode"},
                           {"deprecated", false},
                           {"is_public", true},
                           {"type", "manual"},
                           {"vendor", "Debian"},
                           {"capabilities", json::array{}},
                           {"tags", json::array{}},
                           {"regions", nullptr},
                           {"eol", nullptr},
                           {"expiry", nullptr}};
    }
    doc["status"] = "creating";
    doc["updated"] = now_utc();
    if (saved.image)
        repo.mark_creating(id, now_utc(), to_json(doc));
    else
        repo.add_creating(id, "Debian 12 (" + name + ")", now_utc(), to_json(doc));
    tx->commit();
    return saved;
}

void restore(store::Database& db, const std::string& id, const Saved& saved) {
    auto tx = db.begin_in(store::Access::write, store::Scope::system());
    images::ImageRepository repo(*tx);
    if (saved.image)
        repo.restore(*saved.image);
    else
        repo.remove(id);
    tx->commit();
}

void mark_available(store::Database& db, const std::string& id, std::int64_t size_mb) {
    auto tx = db.begin_in(store::Access::write, store::Scope::system());
    images::ImageRepository repo(*tx);
    auto doc = json::parse(repo.find(id).value().doc).as_object();
    const std::string now = now_utc();
    doc["status"] = "available";
    doc["size"] = size_mb;
    doc["total_size"] = size_mb;
    doc["created"] = now;
    doc["updated"] = now;
    repo.mark_available(id, size_mb, now, to_json(doc));
    tx->commit();
}

}  // namespace

bool image_built(const fs::path& data, const std::string& name) {
    const fs::path dir = data / "images" / "linode" / name;
    return fs::exists(dir / "rootfs.raw") && fs::exists(dir / "vmlinuz") &&
           fs::exists(dir / "initrd.img") && fs::exists(dir / "image.json");
}

void build_image(store::Database& db, const fs::path& data, const std::string& name,
                 const std::function<void(const BuildProgress&)>& progress) {
    const std::string id = "linode/" + name;
    const std::string_view script = script_of(name);
    const fs::path dir = data / "images" / "linode" / name;
    fs::create_directories(dir);
    const fs::path marker = dir / "building";
    std::ofstream(marker) << "building\n";
    const fs::path script_file = dir / "build.sh";
    std::ofstream(script_file) << script;

    const Saved saved = mark_creating(db, id, name);
    std::string tail;
    const std::string command = "bash " + script_file.string() + " " + dir.string() + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        restore(db, id, saved);
        fs::remove(marker);
        throw std::runtime_error("cannot run the build script");
    }
    char line[4096];
    while (fgets(line, sizeof line, pipe)) {
        std::string text(line);
        if (!text.empty() && text.back() == '\n') text.pop_back();
        BuildProgress p;
        char what[1024] = {0};
        if (std::sscanf(text.c_str(), "STEP %d %d %1023[^\n]", &p.step, &p.steps, what) == 3) {
            p.what = what;
            progress(p);
        } else {
            tail += text + "\n";
            if (tail.size() > 8192) tail.erase(0, tail.size() - 8192);
        }
    }
    const int status = pclose(pipe);
    fs::remove(script_file);
    fs::remove(marker);
    if (status != 0 || !image_built(data, name)) {
        for (const char* partial : {"rootfs.raw.tmp", "vmlinuz.tmp", "initrd.img.tmp"})
            fs::remove(dir / partial);
        restore(db, id, saved);
        throw std::runtime_error("building " + id + " failed:\n" + tail);
    }
    std::ifstream meta(dir / "image.json");
    std::stringstream ss;
    ss << meta.rdbuf();
    const auto size = json::parse(ss.str()).as_object().at("size").to_number<std::int64_t>();
    mark_available(db, id, size);
}

}  // namespace linnet::compute

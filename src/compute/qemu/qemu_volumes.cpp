// Volume files and their SCSI disks in QEMU.
#include "compute/qemu/qemu_volumes.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "compute/process.hpp"
#include "compute/qemu/qmp.hpp"

namespace linnet::compute::qemu_volumes {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

std::string node(const VolumeSpec& v) {
    return "vol" + std::to_string(v.id);
}

std::string bytes(const VolumeSpec& v) {
    return std::to_string(v.size_gb) + "G";
}

json::value checked(const fs::path& socket, const std::string& command,
                    const json::object& arguments, const VolumeSpec& v) {
    std::string error;
    auto answer = qmp(socket, command, arguments, &error);
    if (!answer)
        throw std::runtime_error("volume " + v.label + ": QEMU refused " + command + ": " + error);
    return *answer;
}

}  // namespace

fs::path path(const fs::path& shared, std::int64_t volume_id) {
    return shared / "volumes" / (std::to_string(volume_id) + ".img");
}

void create(const fs::path& shared, const VolumeSpec& v) {
    if (v.encryption == "enabled")
        throw std::runtime_error("Volume encryption is not available on the qemu driver");
    fs::create_directories(shared / "volumes");
    const fs::path file = path(shared, v.id);
    if (fs::exists(file)) return;  // made by an earlier try of the same step
    const fs::path tmp = file.string() + ".tmp";
    run_checked({"truncate", "-s", bytes(v), tmp.string()});
    fs::rename(tmp, file);
}

void grow(const fs::path& shared, const VolumeSpec& v) {
    const fs::path file = path(shared, v.id);
    if (!fs::exists(file)) throw std::runtime_error("volume " + v.label + " has no file");
    const auto want = static_cast<std::uintmax_t>(v.size_gb) << 30;
    if (fs::file_size(file) < want) fs::resize_file(file, want);
}

void copy(const fs::path& shared, const VolumeSpec& v) {
    const fs::path from = path(shared, v.source_id);
    if (!fs::exists(from)) throw std::runtime_error("the source volume has no file");
    fs::create_directories(shared / "volumes");
    const fs::path tmp = path(shared, v.id).string() + ".tmp";
    run_checked({"cp", "--sparse=always", from.string(), tmp.string()});
    fs::rename(tmp, path(shared, v.id));
}

void remove(const fs::path& shared, const VolumeSpec& v) {
    fs::remove(path(shared, v.id));
}

std::vector<std::string> controller_args() {
    return {"-device", "virtio-scsi-pci,id=scsi0"};
}

std::vector<std::string> boot_args(const fs::path& shared, const VolumeSpec& v) {
    return {"-blockdev",
            "driver=raw,node-name=" + node(v) + ",file.driver=file,file.filename=" +
                path(shared, v.id).string() + ",file.aio=threads",
            "-device",
            "scsi-hd,bus=scsi0.0,drive=" + node(v) + ",id=" + node(v) +
                ",vendor=Linode,product=Volume,device_id=" + v.label};
}

void plug(const fs::path& socket, const fs::path& shared, const VolumeSpec& v) {
    const fs::path file = path(shared, v.id);
    if (!fs::exists(file)) throw std::runtime_error("volume " + v.label + " has no file");
    checked(socket, "blockdev-add",
            json::object{{"driver", "raw"},
                         {"node-name", node(v)},
                         {"file", json::object{{"driver", "file"}, {"filename", file.string()}}}},
            v);
    std::string error;
    if (!qmp(socket, "device_add",
             json::object{{"driver", "scsi-hd"},
                          {"bus", "scsi0.0"},
                          {"drive", node(v)},
                          {"id", node(v)},
                          {"vendor", "Linode"},
                          {"product", "Volume"},
                          {"device_id", v.label}},
             &error)) {
        qmp(socket, "blockdev-del", json::object{{"node-name", node(v)}});
        throw std::runtime_error("volume " + v.label + ": QEMU refused device_add: " + error);
    }
}

void unplug(const fs::path& socket, const VolumeSpec& v) {
    std::string error;
    if (!qmp(socket, "device_del", json::object{{"id", node(v)}}, &error) &&
        error.find("not found") == std::string::npos)
        throw std::runtime_error("volume " + v.label + ": QEMU refused device_del: " + error);
    // A SCSI disk leaves at once; its backing node can go once the device has released it.
    for (int i = 0; i < 50; ++i) {
        error.clear();
        if (qmp(socket, "blockdev-del", json::object{{"node-name", node(v)}}, &error)) return;
        if (error.find("not found") != std::string::npos ||
            error.find("Cannot find") != std::string::npos)
            return;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    throw std::runtime_error("volume " + v.label + ": QEMU kept its backing: " + error);
}

void resized(const fs::path& socket, const VolumeSpec& v) {
    checked(
        socket, "block_resize",
        json::object{{"node-name", node(v)}, {"size", static_cast<std::int64_t>(v.size_gb) << 30}},
        v);
}

}  // namespace linnet::compute::qemu_volumes

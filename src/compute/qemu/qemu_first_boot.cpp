// Installing a StackScript's first-boot run into a disk with debugfs.
#include "compute/qemu/qemu_first_boot.hpp"

#include <fstream>
#include <random>
#include <sstream>

#include "compute/process.hpp"

namespace linnet::compute::qemu_first_boot {

namespace fs = std::filesystem;

namespace {

// Marked done before the script starts: a script that reboots the Linode does not run twice. Its
// values are removed once read (an image captured later does not carry them).
constexpr const char* kUnit = R"unit([Unit]
Description=Run the Linode's StackScript once, at its first boot
Wants=network-online.target
After=network-online.target linnet-ready.service
ConditionPathExists=!/var/lib/linnet/stackscript.done

[Service]
Type=exec
ExecStartPre=/bin/mkdir -p /var/lib/linnet
ExecStartPre=/bin/touch /var/lib/linnet/stackscript.done
ExecStart=/bin/sh -c 'set -a; . /etc/linnet/stackscript.env; set +a; rm -f /etc/linnet/stackscript.env; cd /root; exec /root/StackScript >/root/stackscript.log 2>&1'
TimeoutStartSec=infinity

[Install]
WantedBy=multi-user.target
)unit";

// A value the shell reads back exactly: single-quoted, each ' written as '\''.
std::string quoted(const std::string& value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

// Tells this deployment from earlier ones of the same Linode (a rebuild from an image captured
// from it carries cloud-init's record of the old instance id): cloud-init runs again.
std::string deployment_nonce() {
    std::random_device random;
    std::ostringstream out;
    out << std::hex << random() << random();
    return out.str();
}

}  // namespace

void install(const Machine& m, const fs::path& disk, const fs::path& work) {
    fs::remove_all(work);
    fs::create_directories(work);
    // The values may be secrets: the scratch copy goes whatever happens.
    struct Scratch {
        const fs::path& path;
        ~Scratch() {
            std::error_code ignored;
            fs::remove_all(path, ignored);
        }
    } scratch{work};
    auto put = [&](const std::string& name, const std::string& content) {
        std::ofstream(work / name, std::ios::binary) << content;
        return (work / name).string();
    };
    // debugfs makes one folder at a time; one that exists is an error it reports and goes past.
    std::string cmds =
        "mkdir /var/lib/cloud\nmkdir /var/lib/cloud/seed\nmkdir /var/lib/cloud/seed/nocloud\n"
        "rm /var/lib/cloud/seed/nocloud/meta-data\nrm /var/lib/cloud/seed/nocloud/user-data\n"
        "write " +
        put("meta-data", "instance-id: linode" + std::to_string(m.linode_id) + "-" +
                             deployment_nonce() + "\nlocal-hostname: " + m.label + "\n") +
        " /var/lib/cloud/seed/nocloud/meta-data\n"
        "write " +
        put("user-data", m.user_data.value_or("")) +
        " /var/lib/cloud/seed/nocloud/user-data\n"
        "sif /var/lib/cloud/seed/nocloud/user-data mode 0100600\n"
        "rm /etc/systemd/network/05-linnet-metadata.network\nwrite " +
        put("network", std::string("[Match]\nMACAddress=") + kMetadataMac +
                           "\n\n[Network]\nAddress=169.254.169.1/24\nLinkLocalAddressing=no\n"
                           "IPv6AcceptRA=no\n") +
        " /etc/systemd/network/05-linnet-metadata.network\n";
    if (m.stackscript) {
        put("StackScript", m.stackscript->script);
        std::string env;
        for (const auto& [name, value] : m.stackscript->environment)
            env += name + "=" + quoted(value) + "\n";
        put("stackscript.env", env);
        put("unit", kUnit);
        const std::string unit = "/etc/systemd/system/linnet-stackscript.service";
        cmds +=
            "rm /root/StackScript\nwrite " + (work / "StackScript").string() +
            " /root/StackScript\nsif /root/StackScript mode 0100700\n"
            "mkdir /etc/linnet\nsif /etc/linnet mode 040700\nrm /etc/linnet/stackscript.env\n"
            "write " +
            (work / "stackscript.env").string() +
            " /etc/linnet/stackscript.env\nsif /etc/linnet/stackscript.env mode 0100600\n"
            "rm " +
            unit + "\nwrite " + (work / "unit").string() + " " + unit + "\nsif " + unit +
            " mode 0100644\n"
            "rm /etc/systemd/system/multi-user.target.wants/linnet-stackscript.service\n"
            // A disk made from a captured image carries the marker of the script that ran there.
            "rm /var/lib/linnet/stackscript.done\n"
            "symlink /etc/systemd/system/multi-user.target.wants/linnet-stackscript.service " +
            unit + "\n";
    }
    std::ofstream(work / "commands") << cmds;
    run_checked({"debugfs", "-w", "-f", (work / "commands").string(), disk.string()});
}

}  // namespace linnet::compute::qemu_first_boot

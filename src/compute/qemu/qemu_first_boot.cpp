// Installing a StackScript's first-boot run into a disk with debugfs.
#include "compute/qemu/qemu_first_boot.hpp"

#include <fstream>

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

}  // namespace

void install(const Machine& m, const fs::path& disk, const fs::path& work) {
    if (!m.stackscript) return;
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
    std::ofstream(work / "StackScript", std::ios::binary) << m.stackscript->script;
    {
        std::ofstream env(work / "stackscript.env", std::ios::binary);
        for (const auto& [name, value] : m.stackscript->environment)
            env << name << "=" << quoted(value) << "\n";
    }
    std::ofstream(work / "unit") << kUnit;
    const std::string unit = "/etc/systemd/system/linnet-stackscript.service";
    const std::string cmds =
        "rm /root/StackScript\nwrite " + (work / "StackScript").string() +
        " /root/StackScript\nsif /root/StackScript mode 0100700\n"
        "mkdir /etc/linnet\nsif /etc/linnet mode 040700\nrm /etc/linnet/stackscript.env\nwrite " +
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
    std::ofstream(work / "commands") << cmds;
    run_checked({"debugfs", "-w", "-f", (work / "commands").string(), disk.string()});
}

}  // namespace linnet::compute::qemu_first_boot

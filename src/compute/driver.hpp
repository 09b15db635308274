// The compute driver: what makes a Linode's machine exist. Jobs ask it to perform one
// operation at a time; it answers how long that step takes. `sim` runs no processes; `qemu` runs
// real VMs. The API layer never sees a driver.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "firewalls/rules.hpp"
#include "nodebalancers/balancer.hpp"

namespace linnet::compute {

enum class Operation {
    create_disks,  // lay down the disks of a new Linode
    boot,
    shutdown,
    reboot,
    rebuild,  // re-image the boot disk
    resize,
    migrate,
    clone,  // copy disks to another Linode
    rescue,
    set_password,
    create_disk,
    resize_disk,
    clone_disk,
    delete_disk,
    destroy,  // release everything of a Linode
    // Block Storage Volumes (Machine::volume says which)
    volume_create,
    volume_attach,
    volume_detach,
    volume_resize,
    volume_clone,
    volume_delete,
    // Images (Machine::image says which)
    image_capture,    // copy the disk Machine::disk_id into a new image
    image_replicate,  // keep the image in more regions
    // Backups (Machine::backup_id says which)
    backup_take,     // copy the Linode's disks into the backup
    backup_restore,  // write a backup over new disks (Machine::disk_map: backup disk -> disk)
};

const char* operation_name(Operation op);

struct DiskSpec {
    std::int64_t id = 0;
    std::int64_t size_mb = 0;
    std::string filesystem;  // raw, swap, ext3, ext4, initrd
    std::optional<std::string> image;
};

// A Block Storage Volume a volume operation acts on.
struct VolumeSpec {
    std::int64_t id = 0;
    std::string label;
    std::int64_t size_gb = 0;
    std::string encryption = "disabled";
    std::int64_t source_id = 0;  // clone: the volume copied
    std::int64_t linode_id = 0;  // attach, detach: the Linode
};

// A StackScript a new root disk runs once, at the Linode's first boot, as root with its
// variables (the UDF values, and LINODE_ID, LINODE_RAM, LINODE_LISHUSERNAME) in its environment.
struct FirstBootScript {
    std::string script;
    std::map<std::string, std::string> environment;
};

// An interface of the booted config on a private network (a VLAN, or a VPC whose subnets
// share one segment and are routed to each other): the guest's NICs after its public one.
struct PrivateNic {
    std::string network;                 // the segment: "vlan/ACCOUNT/REGION/LABEL", "vpc/ID"
    std::vector<std::string> addresses;  // the guest's, with their prefix ("10.0.0.2/24")
    std::vector<std::string> routes;     // ranges reached on the segment (a VPC's other subnets)
};

// What a driver knows of a Linode when it acts on it, read from the store by the worker.
struct Machine {
    std::int64_t linode_id = 0;
    std::string label;
    std::int64_t vcpus = 1;
    std::int64_t memory_mb = 1024;
    std::vector<DiskSpec> disks;
    std::vector<std::int64_t> boot_disks;  // the config's devices sda, sdb, ... (0: empty slot)
    std::string ipv4;                      // the first public IPv4
    std::int64_t disk_id = 0;              // the disk a disk operation acts on
    std::int64_t disk_size_mb = 0;         // the new size of a resize
    std::optional<std::string> root_hash;  // crypt(3) hash of the new root password
    std::vector<std::string> authorized_keys;
    std::int64_t target_linode = 0;                 // clone target
    std::map<std::int64_t, std::int64_t> disk_map;  // clone: source disk -> target disk
    VolumeSpec volume;                              // a volume operation's volume
    std::vector<VolumeSpec> boot_volumes;           // the volumes of the config it boots
    std::vector<PrivateNic> private_nics;           // the config's vlan and vpc interfaces
    bool network_helper = true;  // the config lets the host write the guest's network files
    std::optional<FirstBootScript> stackscript;  // create, rebuild: run at first boot
    std::optional<std::string> user_data;        // create, rebuild: for cloud-init (decoded)
    std::string image;                           // an image operation's image (private/N)
    std::int64_t backup_id = 0;                  // a backup operation's backup
    std::int64_t backup_linode = 0;              // restore: the Linode the backup is of
    std::vector<std::int64_t> backups;           // take: the Linode's backups the store keeps
};

// How much of a Linode's machine a driver reads: what the job's request carries and the
// Linode's disks (a driver that only keeps books of its operations), or all of it (its label,
// specs, boot config, devices, networks, address and user data: a driver that runs guests).
enum class MachineDetail { disks, whole };

// Thrown by perform() when the step cannot run yet (an image still building): the job tries the
// same step again after `retry_after`.
class NotReady : public std::runtime_error {
  public:
    NotReady(std::string why, std::chrono::seconds retry_after)
        : std::runtime_error(std::move(why)), retry_after(retry_after) {}
    std::chrono::seconds retry_after;
};

// What a running machine has used since it started, as its host measures it.
struct Counters {
    double cpu_seconds = 0;                     // the VM process's user and system time
    std::map<std::string, double> drive_bytes;  // read and written, by drive ("disk<ID>", ...)
    // Bytes the guest received and sent on its public interface (bridge: its tap device;
    // loopback: the sockets of its QEMU); nullopt where the host cannot count them.
    std::optional<double> net_in;
    std::optional<double> net_out;
};

class Driver {
  public:
    virtual ~Driver() = default;
    // The Cloud Firewall rules in force for this host's Linodes (a guarded Linode's enabled
    // firewall), given whole at every look; the driver enforces them where it can when they
    // changed or were not all in force (the sim driver keeps nothing). False when they could
    // not all be put in force.
    virtual bool enforce_firewalls(const std::map<std::int64_t, firewalls::Rules>& rules) {
        (void)rules;
        return true;
    }
    // The NodeBalancers placed on this host, given whole at every look; the driver serves them
    // where it can (the qemu driver with HAProxy; the sim driver serves nothing). False when they
    // could not all be served.
    virtual bool serve_nodebalancers(const std::vector<nodebalancers::Balancer>& balancers) {
        (void)balancers;
        return true;
    }
    // What the load balancer knows of the nodes and ports it serves (nothing where it serves
    // none).
    virtual nodebalancers::Health nodebalancer_health() { return {}; }
    virtual std::string name() const = 0;
    // Performs the operation; answers how long the step lasts before the job goes on. Throws
    // NotReady to be asked again later, std::runtime_error when the operation fails.
    virtual std::chrono::milliseconds perform(Operation op, const Machine& machine) = 0;
    // True when perform() only answers from what it is given (no machine, no process, no wait):
    // the worker may then call it inside the transaction that claimed the job.
    virtual bool performs_in_place() const { return false; }
    // What of the machine perform() reads: the worker reads no more of the store than that.
    virtual MachineDetail machine_detail() const { return MachineDetail::whole; }
    // What the last operation on a Linode has to say to its owner (e.g. a port it could not
    // forward); empty when nothing. Taken once.
    virtual std::string take_note(std::int64_t linode_id) {
        (void)linode_id;
        return "";
    }
    // Linodes whose machines stopped without being asked to, since the last call.
    virtual std::vector<std::int64_t> stopped_unexpectedly() { return {}; }
    // After a restart: given the Linodes the store says run, answers those whose machines are
    // gone; the others are watched again.
    virtual std::vector<std::int64_t> adopt(const std::vector<std::int64_t>& running) {
        (void)running;
        return {};
    }
    // The counters of every machine this driver runs (none on the sim driver, whose statistics
    // are generated when they are read).
    virtual std::map<std::int64_t, Counters> counters() { return {}; }
};

// The simulated driver; scale multiplies its realistic durations (1 = realistic, 0 = instant).
std::unique_ptr<Driver> make_sim_driver(double scale);

struct QemuOptions {
    std::string data;  // the data folder: images/ and linodes/ live there
    // The folder every host reads (private images, backups, volumes); empty: the data folder.
    std::string shared;
    std::string accel = "auto";           // auto (KVM when it works, else TCG), kvm, tcg
    std::vector<int> ports{22, 80, 443};  // forwarded to each Linode's address (loopback mode)
    // "loopback": user-mode networking, the Linode's ports forwarded to its 127.0.0.0/8 address.
    // "bridge": a tap device per Linode on `bridge`, the Linode's address configured in its disk
    // with the pool's first address as gateway (a routed subnet on a real host).
    std::string network = "loopback";
    std::string bridge = "br-linnet";
    std::string pool;  // the public IPv4 pool (CIDR), for the prefix and gateway in bridge mode
    std::chrono::seconds boot_timeout{300};
    std::chrono::seconds shutdown_timeout{60};
    // What QEMU runs for each guest connection to 169.254.169.254:80 (the Metadata service), the
    // Linode's id appended as "--linode ID"; empty: the guest has no metadata interface.
    std::string metadata_relay;
};
// The QEMU driver: real VMs, one qemu-system-x86_64 per running Linode.
std::unique_ptr<Driver> make_qemu_driver(const QemuOptions& options);

}  // namespace linnet::compute

// The driver's view of a Linode for one job step: its size, disks, boot devices, address and
// the secrets the job carries.
#pragma once

#include "compute/driver.hpp"
#include "jobs/jobs.hpp"
#include "store/database.hpp"

namespace linnet::linodes {

// `detail`: the whole of it, or what the job carries (with the Linode's kept backups, for a
// backup the job takes) and the Linode's disks.
compute::Machine machine_of(store::Transaction& tx, const jobs::Job& job,
                            compute::MachineDetail detail = compute::MachineDetail::whole);

// A crypt(3) SHA-512 hash of a root password, for /etc/shadow; the password itself is not kept.
std::string root_hash(const std::string& password);

}  // namespace linnet::linodes

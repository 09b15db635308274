// Which addresses a Managed service may be checked at. The checks run on the control plane, so
// they never go to its link-local neighbours (169.254.0.0/16 and fe80::/10, where metadata
// services answer), unspecified or multicast addresses, or to loopback unless the operator's
// setup puts services there (loopback networking and the sim driver: --network loopback). A
// private address (RFC 1918, IPv6 unique local) is a region's: the service names its region.
#pragma once

#include <string>

namespace linnet::managed {

enum class AddressClass { public_address, private_address, loopback, forbidden };

// The class of a numeric address ("10.0.0.5", "[fd00::1]", "::1"); a host name is public.
AddressClass classify(std::string host);

}  // namespace linnet::managed

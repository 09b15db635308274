// A minimal QMP client: one command per connection over the VM's unix socket.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace linnet::compute {

// Sends `command` (after qmp_capabilities) and answers its "return" value, or nullopt when the
// socket is gone or the command failed or timed out.
std::optional<boost::json::value> qmp(const std::filesystem::path& socket,
                                      const std::string& command,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(5));
// The same with the command's arguments; a failed command's "error" description goes to `error`
// when given.
std::optional<boost::json::value> qmp(const std::filesystem::path& socket,
                                      const std::string& command,
                                      const boost::json::object& arguments,
                                      std::string* error = nullptr,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace linnet::compute

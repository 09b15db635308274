// A NodeBalancer config's TLS certificate and key, read as the API takes them: PEM text, the
// certificate (or a chain, the server's first) and an unencrypted private key that belongs to
// it; the common name and SHA-1 fingerprint the API shows are read from the certificate.
#pragma once

#include <optional>
#include <string>
#include <variant>

namespace linnet::nodebalancers {

struct CertificateFacts {
    std::string common_name;
    std::string fingerprint;  // "AB:CD:..." (SHA-1 of the DER certificate)
};

// The facts of the pair, or the reason it cannot serve: {field, reason}.
struct CertificateProblem {
    std::string field;  // ssl_cert | ssl_key
    std::string reason;
};
std::variant<CertificateFacts, CertificateProblem> read_certificate(const std::string& cert_pem,
                                                                    const std::string& key_pem);

}  // namespace linnet::nodebalancers

// Reading a certificate and its key with OpenSSL.
#include "nodebalancers/certificate.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <memory>

namespace linnet::nodebalancers {

namespace {

struct Free {
    void operator()(BIO* b) const { BIO_free(b); }
    void operator()(X509* x) const { X509_free(x); }
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

std::unique_ptr<BIO, Free> memory(const std::string& text) {
    return std::unique_ptr<BIO, Free>(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// A passphrase callback that gives none: an encrypted key is refused, not prompted for.
int no_passphrase(char*, int, int, void*) {
    return -1;
}

}  // namespace

std::variant<CertificateFacts, CertificateProblem> read_certificate(const std::string& cert_pem,
                                                                    const std::string& key_pem) {
    if (cert_pem.size() > 64 * 1024 || key_pem.size() > 64 * 1024)
        return CertificateProblem{"ssl_cert", "The certificate and key must be under 64 KiB"};
    auto cert_bio = memory(cert_pem);
    std::unique_ptr<X509, Free> cert(
        PEM_read_bio_X509(cert_bio.get(), nullptr, no_passphrase, nullptr));
    if (!cert) return CertificateProblem{"ssl_cert", "Invalid SSL certificate: must be PEM"};
    auto key_bio = memory(key_pem);
    std::unique_ptr<EVP_PKEY, Free> key(
        PEM_read_bio_PrivateKey(key_bio.get(), nullptr, no_passphrase, nullptr));
    if (!key)
        return CertificateProblem{"ssl_key",
                                  "Invalid SSL key: must be an unencrypted PEM private key"};
    if (X509_check_private_key(cert.get(), key.get()) != 1)
        return CertificateProblem{"ssl_key", "The SSL key does not match the certificate"};

    CertificateFacts facts;
    char name[256] = {0};
    if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, name,
                                  sizeof name) > 0)
        facts.common_name = name;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (X509_digest(cert.get(), EVP_sha1(), digest, &length) == 1) {
        for (unsigned int i = 0; i < length; ++i) {
            char hex[4];
            std::snprintf(hex, sizeof hex, i == 0 ? "%02X" : ":%02X", digest[i]);
            facts.fingerprint += hex;
        }
    }
    return facts;
}

}  // namespace linnet::nodebalancers

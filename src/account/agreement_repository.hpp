// The agreements an account accepted (account_agreements): every statement on the table lives
// in agreement_repository.cpp.
#pragma once

#include "store/database.hpp"

namespace linnet::account {

struct Agreements {
    bool eu_model = false;
    bool master_service_agreement = false;
    bool privacy_policy = false;
};

class AgreementRepository {
  public:
    explicit AgreementRepository(store::Transaction& tx) : tx_(tx) {}

    // The scope's account's (none accepted when it has no row).
    Agreements find();
    void save(const Agreements& a);

  private:
    store::Transaction& tx_;
};

}  // namespace linnet::account

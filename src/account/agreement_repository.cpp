// Statements on account_agreements.
#include "account/agreement_repository.hpp"

#include "store/scoped.hpp"

namespace linnet::account {

namespace statements {
constexpr std::string_view find =
    "SELECT eu_model, master_service_agreement, privacy_policy FROM account_agreements WHERE "
    "{{account}}";
constexpr std::string_view save =
    "INSERT INTO account_agreements (account_id, eu_model, master_service_agreement, "
    "privacy_policy) VALUES (?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET eu_model = "
    "excluded.eu_model, master_service_agreement = excluded.master_service_agreement, "
    "privacy_policy = excluded.privacy_policy";
}  // namespace statements

Agreements AgreementRepository::find() {
    auto rows = store::scoped_query(tx_, statements::find);
    if (rows.empty()) return {};
    const auto& r = rows.front();
    return {r.boolean("eu_model"), r.boolean("master_service_agreement"),
            r.boolean("privacy_policy")};
}

void AgreementRepository::save(const Agreements& a) {
    auto flag = [](bool b) { return std::int64_t{b ? 1 : 0}; };
    tx_.execute(statements::save, {tx_.scope().account_id(), flag(a.eu_model),
                                   flag(a.master_service_agreement), flag(a.privacy_policy)});
}

}  // namespace linnet::account

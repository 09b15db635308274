// Statements on the jobs table.
#include "jobs/job_repository.hpp"

#include "core/json.hpp"

namespace linnet::jobs {

namespace statements {
constexpr std::string_view add =
    "INSERT INTO jobs (linode_id, action, state, step, run_after, event_id, payload, created, "
    "volume_id) VALUES (?, ?, 'active', 0, ?, ?, ?, ?, ?) RETURNING id";
constexpr std::string_view queue =
    "INSERT INTO jobs (linode_id, action, state, step, run_after, event_id, payload, created, "
    "volume_id) VALUES (?, ?, 'active', 0, ?, ?, ?, ?, ?)";
constexpr std::string_view volume_busy =
    "SELECT 1 AS found FROM jobs WHERE volume_id = ? AND state = 'active' LIMIT 1";
constexpr std::string_view find_active =
    "SELECT id, linode_id, action, step, event_id, payload, lease_token FROM jobs WHERE id = ? AND "
    "state = "
    "'active'";
constexpr std::string_view active_on =
    "SELECT id, linode_id, action, step, event_id, payload, lease_token FROM jobs WHERE linode_id "
    "= ? AND "
    "state = 'active' ORDER BY id";
constexpr std::string_view find_active_on =
    "SELECT id, linode_id, action, step, event_id, payload, lease_token FROM jobs WHERE linode_id "
    "= ? AND "
    "state = 'active' AND action = ? ORDER BY id LIMIT 1";
constexpr std::string_view any_active_for_account =
    "SELECT 1 AS found FROM jobs WHERE state = 'active' AND (event_id IN (SELECT id FROM events "
    "WHERE account_id = ?) OR linode_id IN (SELECT id FROM linodes WHERE account_id = ?)) LIMIT "
    "1";
constexpr std::string_view has_active =
    "SELECT 1 AS found FROM jobs WHERE linode_id = ? AND state = 'active' LIMIT 1";
constexpr std::string_view has_active_action =
    "SELECT 1 AS found FROM jobs WHERE linode_id = ? AND state = 'active' AND action = ? LIMIT 1";
constexpr std::string_view linodes_with_active_jobs =
    "SELECT DISTINCT linode_id FROM jobs WHERE state = 'active' AND linode_id IS NOT NULL "
    "ORDER BY linode_id";
// A node runs the jobs of the Linodes placed on its hosts, the jobs of the volumes attached to
// them (a running guest's drives change where its QEMU runs), and any other job. The node of a
// job's Linode is looked up by keys, one job at a time in the order of jobs_due, so a claim reads
// the first due jobs and not every Linode of the node or every job due.
#define LINNET_ROUTED_TO_NODE                                                                      \
    "(CASE WHEN linode_id IS NOT NULL THEN (SELECT h.node FROM linodes l JOIN hosts h ON h.id = "  \
    "l.host_id WHERE l.id = jobs.linode_id) WHEN volume_id IS NOT NULL THEN COALESCE((SELECT "     \
    "h.node FROM volumes v JOIN linodes l ON l.id = v.linode_id JOIN hosts h ON h.id = l.host_id " \
    "WHERE v.id = jobs.volume_id), ?) ELSE ? END) = ?"
constexpr std::string_view due =
    "SELECT id, linode_id, action, step, event_id, payload, lease_token FROM jobs WHERE state = "
    "'active' AND run_after <= ? AND (lease_until IS NULL OR lease_until < ?) "
    "AND " LINNET_ROUTED_TO_NODE " ";
constexpr std::string_view due_order = "ORDER BY run_after, id LIMIT ?";
constexpr std::string_view find_held =
    "SELECT id, linode_id, action, step, event_id, payload, lease_token FROM jobs WHERE id = ? "
    "AND lease_token = ? AND state = 'active'";
constexpr std::string_view holds =
    "SELECT 1 AS found FROM jobs WHERE id = ? AND lease_token = ? AND state = 'active'";
constexpr std::string_view renew =
    "UPDATE jobs SET lease_until = ? WHERE claimed_by = ? AND state = 'active' AND lease_until "
    "IS NOT NULL AND id IN (";
constexpr std::string_view release_all_of =
    "UPDATE jobs SET claimed_by = NULL, lease_until = NULL WHERE claimed_by = ? AND state = "
    "'active'";
constexpr std::string_view next_due =
    "SELECT MIN(CASE WHEN lease_until IS NULL OR lease_until < run_after THEN run_after ELSE "
    "lease_until END) AS due FROM jobs WHERE state = 'active' AND " LINNET_ROUTED_TO_NODE;
#undef LINNET_ROUTED_TO_NODE
constexpr std::string_view hold =
    "UPDATE jobs SET claimed_by = ?, lease_until = ?, lease_token = ?, step = ?, event_id = ? "
    "WHERE id = ?";
constexpr std::string_view put_back =
    "UPDATE jobs SET claimed_by = NULL, lease_until = NULL, lease_token = ?, step = ?, event_id "
    "= ?, run_after = ? WHERE id = ?";
constexpr std::string_view set_step = "UPDATE jobs SET step = ?, event_id = ? WHERE id = ?";
constexpr std::string_view set_payload = "UPDATE jobs SET payload = ? WHERE id = ?";
constexpr std::string_view set_state = "UPDATE jobs SET state = ? WHERE id = ?";
constexpr std::string_view close =
    "UPDATE jobs SET state = ?, payload = ?, step = ?, event_id = ? WHERE id = ?";
constexpr std::string_view set_state_on =
    "UPDATE jobs SET state = ? WHERE linode_id = ? AND action = ?";
}  // namespace statements

namespace {

Job from_row(const store::Row& r) {
    Job j;
    j.id = r.integer("id");
    j.linode_id = r.optional_integer("linode_id");
    j.action = r.text("action");
    j.step = static_cast<int>(r.integer("step"));
    j.event_id = r.optional_integer("event_id").value_or(0);
    j.payload = boost::json::parse(r.text("payload")).as_object();
    j.lease_token = r.integer("lease_token");
    return j;
}

std::optional<Job> first_job(const store::Rows& rows) {
    if (rows.empty()) return std::nullopt;
    return from_row(rows.front());
}

}  // namespace

std::int64_t JobRepository::add(const std::string& action, std::optional<std::int64_t> linode_id,
                                std::int64_t event_id, const boost::json::object& payload,
                                std::int64_t run_after_ms, const std::string& created,
                                std::optional<std::int64_t> volume_id) {
    auto rows =
        tx_.query(statements::add, {store::or_null(linode_id), action, run_after_ms, event_id,
                                    to_json(payload), created, store::or_null(volume_id)});
    return rows.at(0).integer("id");
}

void JobRepository::queue(const std::string& action, std::optional<std::int64_t> linode_id,
                          std::int64_t event_id, const boost::json::object& payload,
                          std::int64_t run_after_ms, const std::string& created,
                          std::optional<std::int64_t> volume_id) {
    tx_.write(statements::queue, {store::or_null(linode_id), action, run_after_ms, event_id,
                                  to_json(payload), created, store::or_null(volume_id)});
}

bool JobRepository::volume_busy(std::int64_t volume_id) {
    return !tx_.query(statements::volume_busy, {volume_id}).empty();
}

std::optional<Job> JobRepository::find_active(std::int64_t id) {
    return first_job(tx_.query(statements::find_active, {id}));
}

std::vector<Job> JobRepository::active_on(std::int64_t linode_id) {
    std::vector<Job> out;
    for (const auto& row : tx_.query(statements::active_on, {linode_id}))
        out.push_back(from_row(row));
    return out;
}

std::optional<Job> JobRepository::find_active_on(std::int64_t linode_id,
                                                 const std::string& action) {
    return first_job(tx_.query(statements::find_active_on, {linode_id, action}));
}

bool JobRepository::any_active_for_account(std::int64_t account_id) {
    return !tx_.query(statements::any_active_for_account, {account_id, account_id}).empty();
}

bool JobRepository::has_active(std::int64_t linode_id) {
    return !tx_.query(statements::has_active, {linode_id}).empty();
}

bool JobRepository::has_active(std::int64_t linode_id, const std::string& action) {
    return !tx_.query(statements::has_active_action, {linode_id, action}).empty();
}

std::vector<std::int64_t> JobRepository::linodes_with_active_jobs() {
    std::vector<std::int64_t> out;
    for (const auto& row : tx_.query(statements::linodes_with_active_jobs))
        out.push_back(row.integer("linode_id"));
    return out;
}

std::vector<Job> JobRepository::due(std::int64_t now_ms, const std::string& node,
                                    const std::vector<std::int64_t>& skip, int limit) {
    store::Params params{now_ms, now_ms, node, node, node};
    std::string sql(statements::due);
    if (!skip.empty()) sql += "AND id NOT IN (" + store::placeholders(skip, params) + ") ";
    sql += statements::due_order;
    params.emplace_back(std::int64_t{limit});
    std::vector<Job> out;
    for (const auto& row :
         tx_.query_in_index_order(store::locking(tx_, sql, " SKIP LOCKED"), params))
        out.push_back(from_row(row));
    return out;
}

void JobRepository::take(Job& job) {
    ++job.lease_token;
}

void JobRepository::hold(const Job& job, const std::string& worker, std::int64_t lease_until_ms) {
    tx_.write(statements::hold, {worker, lease_until_ms, job.lease_token, std::int64_t{job.step},
                                 job.event_id, job.id});
}

void JobRepository::put_back(const Job& job, std::int64_t run_after_ms) {
    tx_.write(statements::put_back,
              {job.lease_token, std::int64_t{job.step}, job.event_id, run_after_ms, job.id});
}

std::optional<Job> JobRepository::find_held(const Job& job) {
    return first_job(
        tx_.query(store::locking(tx_, statements::find_held), {job.id, job.lease_token}));
}

bool JobRepository::holds(const Job& job) {
    return !tx_.query(store::locking(tx_, statements::holds), {job.id, job.lease_token}).empty();
}

std::int64_t JobRepository::renew(const std::string& worker, const std::vector<std::int64_t>& ids,
                                  std::int64_t lease_until_ms) {
    if (ids.empty()) return 0;
    store::Params params{lease_until_ms, worker};
    const std::string marks = store::placeholders(ids, params);
    return tx_.execute(std::string(statements::renew) + marks + ")", params);
}

std::int64_t JobRepository::release_all_of(const std::string& worker) {
    return tx_.execute(statements::release_all_of, {worker});
}

std::optional<std::int64_t> JobRepository::next_due(const std::string& node) {
    auto rows = tx_.query(statements::next_due, {node, node, node});
    if (rows.empty()) return std::nullopt;
    return rows.front().optional_integer("due");
}

void JobRepository::set_step(const Job& job) {
    tx_.write(statements::set_step, {std::int64_t{job.step}, job.event_id, job.id});
}

void JobRepository::set_payload(std::int64_t id, const boost::json::object& payload) {
    tx_.execute(statements::set_payload, {to_json(payload), id});
}

void JobRepository::set_state(std::int64_t id, const std::string& state) {
    tx_.execute(statements::set_state, {state, id});
}

void JobRepository::close(const Job& job, const std::string& state,
                          const boost::json::object& payload) {
    tx_.write(statements::close,
              {state, to_json(payload), std::int64_t{job.step}, job.event_id, job.id});
}

void JobRepository::set_state_on(std::int64_t linode_id, const std::string& action,
                                 const std::string& state) {
    tx_.execute(statements::set_state_on, {state, linode_id, action});
}

}  // namespace linnet::jobs

// The schema's history. Booleans are INTEGER 0/1 and times are ISO text so that the same SQL
// (and the same compiled X-Filters) run on SQLite and PostgreSQL.
#include "store/migrations.hpp"

#include "core/time.hpp"

#include <regex>

namespace linnet::store {

namespace {

const char* kCore = R"sql(
CREATE TABLE account (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    doc TEXT NOT NULL,
    settings TEXT NOT NULL
);
CREATE TABLE users (
    id {{serial}},
    username TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    restricted INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT,
    profile TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE tokens (
    id {{serial}},
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    scopes TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    token_prefix TEXT NOT NULL,
    created TEXT NOT NULL,
    expiry TEXT,
    expiry_unix INTEGER,
    doc TEXT NOT NULL
);
CREATE INDEX tokens_user ON tokens(user_id);
CREATE TABLE regions (
    id TEXT PRIMARY KEY,
    sort INTEGER NOT NULL,
    label TEXT NOT NULL,
    country TEXT NOT NULL,
    site_type TEXT NOT NULL,
    status TEXT NOT NULL,
    capabilities TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE TABLE linode_types (
    id TEXT PRIMARY KEY,
    sort INTEGER NOT NULL,
    label TEXT NOT NULL,
    class TEXT NOT NULL,
    disk INTEGER NOT NULL,
    memory INTEGER NOT NULL,
    vcpus INTEGER NOT NULL,
    gpus INTEGER NOT NULL,
    network_out INTEGER NOT NULL,
    transfer INTEGER NOT NULL,
    doc TEXT NOT NULL
);
CREATE TABLE kernels (
    id TEXT PRIMARY KEY,
    sort INTEGER NOT NULL,
    label TEXT NOT NULL,
    version TEXT NOT NULL,
    kvm INTEGER NOT NULL,
    xen INTEGER NOT NULL,
    pvops INTEGER NOT NULL,
    architecture TEXT NOT NULL,
    deprecated INTEGER NOT NULL,
    built TEXT,
    doc TEXT NOT NULL
);
CREATE TABLE images (
    id TEXT PRIMARY KEY,
    sort INTEGER NOT NULL,
    owner_user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    description TEXT,
    created TEXT NOT NULL,
    created_by TEXT,
    deprecated INTEGER NOT NULL,
    is_public INTEGER NOT NULL,
    size INTEGER NOT NULL,
    type TEXT NOT NULL,
    vendor TEXT,
    status TEXT NOT NULL,
    capabilities TEXT NOT NULL,
    tags TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE TABLE region_availability (
    region TEXT NOT NULL,
    plan TEXT NOT NULL,
    sort INTEGER NOT NULL,
    available INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (region, plan)
);
)sql";

const char* kLinodes = R"sql(
CREATE TABLE linodes (
    id {{serial}},
    user_id INTEGER NOT NULL REFERENCES users(id),
    label TEXT NOT NULL UNIQUE,
    region TEXT NOT NULL,
    type TEXT NOT NULL,
    image TEXT,
    status TEXT NOT NULL,
    group_name TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    ipv4 TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
-- The wide part of a Linode lives apart, so that filters scan only the narrow columns above.
CREATE TABLE linode_docs (
    linode_id INTEGER PRIMARY KEY REFERENCES linodes(id) ON DELETE CASCADE,
    settings TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX linodes_region ON linodes(region);
CREATE TABLE linode_tags (
    linode_id INTEGER NOT NULL REFERENCES linodes(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (linode_id, tag)
);
CREATE INDEX linode_tags_tag ON linode_tags(tag, linode_id);
CREATE TABLE disks (
    id {{serial}},
    linode_id INTEGER NOT NULL REFERENCES linodes(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    status TEXT NOT NULL,
    size INTEGER NOT NULL,
    filesystem TEXT NOT NULL,
    image TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX disks_linode ON disks(linode_id);
CREATE TABLE configs (
    id {{serial}},
    linode_id INTEGER NOT NULL REFERENCES linodes(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX configs_linode ON configs(linode_id);
CREATE TABLE ips (
    address TEXT PRIMARY KEY,
    linode_id INTEGER REFERENCES linodes(id) ON DELETE CASCADE,
    family TEXT NOT NULL,
    kind TEXT NOT NULL,
    public INTEGER NOT NULL,
    prefix INTEGER NOT NULL,
    gateway TEXT,
    subnet_mask TEXT NOT NULL,
    region TEXT NOT NULL,
    rdns TEXT
);
CREATE INDEX ips_linode ON ips(linode_id, address);
CREATE TABLE address_cursors (
    pool TEXT PRIMARY KEY,
    next_offset INTEGER NOT NULL
);
CREATE TABLE tags (
    label TEXT PRIMARY KEY
);
CREATE TABLE events (
    id {{serial}},
    user_id INTEGER,
    username TEXT,
    action TEXT NOT NULL,
    entity_id INTEGER,
    entity_type TEXT,
    entity_label TEXT,
    secondary TEXT,
    status TEXT NOT NULL,
    percent_complete INTEGER,
    seen INTEGER NOT NULL DEFAULT 0,
    read INTEGER NOT NULL DEFAULT 0,
    message TEXT,
    created TEXT NOT NULL,
    created_unix INTEGER NOT NULL,
    duration REAL,
    doc TEXT NOT NULL
);
CREATE INDEX events_entity ON events(entity_type, entity_id);
CREATE TABLE jobs (
    id {{serial}},
    linode_id INTEGER,
    action TEXT NOT NULL,
    state TEXT NOT NULL,
    step INTEGER NOT NULL DEFAULT 0,
    run_after INTEGER NOT NULL,
    event_id INTEGER,
    payload TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX jobs_due ON jobs(state, run_after);
CREATE INDEX jobs_linode ON jobs(linode_id, state);
)sql";

// Images built on this host (linnetd image build) keep their own status and size.
const char* kBuiltImages = R"sql(
ALTER TABLE images ADD COLUMN built TEXT;
)sql";

// Grants of restricted users: the global grants as one document per user, and one row per entity
// a user may reach (no row: no access). Entity ids are never reused, so rows may outlive them.
const char* kGrants = R"sql(
ALTER TABLE users ADD COLUMN password_created TEXT;
CREATE TABLE global_grants (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    doc TEXT NOT NULL
);
CREATE TABLE entity_grants (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    entity_type TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    permissions TEXT NOT NULL,
    PRIMARY KEY (user_id, entity_type, entity_id)
);
)sql";

// The login service: OAuth clients registered on the account; login sessions (anonymous ones
// hold only a CSRF token); failed logins per username and per address; authorization codes; the
// apps a user authorized, each owning its chain of OAuth tokens and refresh tokens.
const char* kOAuth = R"sql(
CREATE TABLE oauth_clients (
    seq {{serial}},
    id TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    public INTEGER NOT NULL,
    redirect_uri TEXT NOT NULL,
    secret_hash TEXT,
    status TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE login_sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    expiry_unix INTEGER NOT NULL
);
CREATE INDEX login_sessions_expiry ON login_sessions(expiry_unix);
CREATE TABLE login_failures (
    subject TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_unix INTEGER NOT NULL,
    locked_until INTEGER NOT NULL
);
CREATE TABLE authorized_apps (
    id {{serial}},
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_id TEXT NOT NULL REFERENCES oauth_clients(id) ON DELETE CASCADE,
    scopes TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX authorized_apps_user ON authorized_apps(user_id);
CREATE TABLE oauth_codes (
    code_hash TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES oauth_clients(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    scopes TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    code_challenge TEXT,
    expiry_unix INTEGER NOT NULL,
    used INTEGER NOT NULL DEFAULT 0,
    app_id INTEGER
);
CREATE TABLE oauth_refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    app_id INTEGER NOT NULL REFERENCES authorized_apps(id) ON DELETE CASCADE,
    used INTEGER NOT NULL DEFAULT 0,
    created_unix INTEGER NOT NULL
);
ALTER TABLE tokens ADD COLUMN app_id INTEGER REFERENCES authorized_apps(id) ON DELETE CASCADE;
CREATE INDEX tokens_app ON tokens(app_id);
)sql";

// One record per fact: a Linode's tags are rows of linode_tags (in the order given), its
// addresses rows of ips; the encoded list columns that repeated them are gone.
const char* kOneRecordPerFact = R"sql(
ALTER TABLE linode_tags ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE linodes DROP COLUMN tags;
ALTER TABLE linodes DROP COLUMN ipv4;
CREATE INDEX ips_family_address ON ips(family, address, linode_id);
ALTER TABLE linodes ADD COLUMN display_label TEXT;
UPDATE linodes SET display_label = (SELECT {{json_text(d.settings, display_label)}} FROM
    linode_docs d WHERE d.linode_id = linodes.id);
)sql";

// Accounts (tenants): every resource belongs to one. The single account of earlier versions
// becomes the first; its users, Linodes, events, images, tags and OAuth clients are its own.
// Labels of Linodes and tags are unique per account; usernames stay unique across Linnet.
const char* kAccounts = R"sql(
CREATE TABLE accounts (
    id {{serial}},
    doc TEXT NOT NULL,
    settings TEXT NOT NULL,
    created TEXT NOT NULL
);
INSERT INTO accounts (id, doc, settings, created)
    SELECT id, doc, settings, '1970-01-01T00:00:00' FROM account;
{{postgresql}}
SELECT setval(pg_get_serial_sequence('accounts', 'id'),
              COALESCE((SELECT MAX(id) FROM accounts), 0) + 1, false);
{{end}}
DROP TABLE account;
ALTER TABLE users ADD COLUMN account_id INTEGER REFERENCES accounts(id);
UPDATE users SET account_id = (SELECT MIN(id) FROM accounts);
CREATE INDEX users_account ON users(account_id, id);
ALTER TABLE events ADD COLUMN account_id INTEGER;
UPDATE events SET account_id = (SELECT MIN(id) FROM accounts);
CREATE INDEX events_account ON events(account_id, id);
ALTER TABLE images ADD COLUMN account_id INTEGER;
UPDATE images SET account_id = (SELECT u.account_id FROM users u WHERE u.id = images.owner_user_id)
    WHERE owner_user_id IS NOT NULL;
ALTER TABLE oauth_clients ADD COLUMN account_id INTEGER;
UPDATE oauth_clients SET account_id =
    (SELECT u.account_id FROM users u WHERE u.id = oauth_clients.user_id);
CREATE TABLE account_tags (
    account_id INTEGER NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (account_id, label)
);
INSERT INTO account_tags (account_id, label) SELECT (SELECT MIN(id) FROM accounts), label FROM tags;
DROP TABLE tags;
ALTER TABLE account_tags RENAME TO tags;
{{sqlite}}
CREATE TABLE linodes_v7 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    label TEXT NOT NULL,
    display_label TEXT,
    region TEXT NOT NULL,
    type TEXT NOT NULL,
    image TEXT,
    status TEXT NOT NULL,
    group_name TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    UNIQUE (account_id, label)
);
INSERT INTO linodes_v7 (id, account_id, user_id, label, display_label, region, type, image,
                        status, group_name, created, updated)
    SELECT id, (SELECT MIN(id) FROM accounts), user_id, label, display_label, region, type, image,
           status, group_name, created, updated FROM linodes;
DROP TABLE linodes;
ALTER TABLE linodes_v7 RENAME TO linodes;
{{end}}
{{postgresql}}
ALTER TABLE linodes ADD COLUMN account_id BIGINT REFERENCES accounts(id);
UPDATE linodes SET account_id = (SELECT MIN(id) FROM accounts);
ALTER TABLE linodes ALTER COLUMN account_id SET NOT NULL;
ALTER TABLE linodes DROP CONSTRAINT linodes_label_key;
CREATE UNIQUE INDEX linodes_account_label ON linodes(account_id, label);
DROP INDEX linodes_region;
{{end}}
CREATE INDEX linodes_region ON linodes(account_id, region, id);
CREATE INDEX linodes_status ON linodes(status);
)sql";

// Claims: a worker holds a job under a lease it renews while a step runs; every claim draws a new
// lease token, and a step's result is recorded only under the token it was claimed with.
const char* kJobClaims = R"sql(
ALTER TABLE jobs ADD COLUMN claimed_by TEXT;
ALTER TABLE jobs ADD COLUMN lease_until INTEGER;
ALTER TABLE jobs ADD COLUMN lease_token INTEGER NOT NULL DEFAULT 0;
)sql";

// Hosts: the compute machines (or the sim driver's virtual ones) that Linodes run on. A worker
// process (a node) registers its hosts and renews their lease; each Linode is placed on one.
// host_regions lists the regions a host serves ('*': every region); memory_used and disk_used
// are the sums of the plans of the Linodes placed there, kept by placement. Duties are the
// cluster-wide tasks that one process at a time holds under a lease.
const char* kHosts = R"sql(
CREATE TABLE hosts (
    id {{serial}},
    name TEXT NOT NULL UNIQUE,
    node TEXT NOT NULL,
    driver TEXT NOT NULL,
    uuid TEXT NOT NULL,
    vcpus INTEGER NOT NULL,
    memory INTEGER NOT NULL,
    disk INTEGER NOT NULL,
    memory_used INTEGER NOT NULL DEFAULT 0,
    disk_used INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'active',
    lease_until INTEGER NOT NULL,
    registered TEXT NOT NULL
);
CREATE INDEX hosts_node ON hosts(node);
CREATE TABLE host_regions (
    host_id INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
    region TEXT NOT NULL,
    PRIMARY KEY (host_id, region)
);
CREATE INDEX host_regions_region ON host_regions(region, host_id);
ALTER TABLE linodes ADD COLUMN host_id INTEGER REFERENCES hosts(id);
CREATE INDEX linodes_host ON linodes(host_id, status);
CREATE TABLE host_outages (
    linode_id INTEGER PRIMARY KEY REFERENCES linodes(id) ON DELETE CASCADE,
    host_id INTEGER NOT NULL REFERENCES hosts(id),
    status TEXT NOT NULL
);
CREATE TABLE host_migrations (
    id {{serial}},
    linode_id INTEGER NOT NULL REFERENCES linodes(id) ON DELETE CASCADE,
    from_host INTEGER NOT NULL REFERENCES hosts(id),
    status TEXT NOT NULL,
    scheduled TEXT NOT NULL
);
CREATE INDEX host_migrations_linode ON host_migrations(linode_id);
CREATE TABLE duties (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    lease_until INTEGER NOT NULL
);
)sql";

// Rate limits shared by the API nodes: per limit and caller, the current window and how many of
// its requests have been granted to nodes in total (never more than quota); lease is the size of
// the last grant, so that the statement that grants can answer it.
const char* kRateWindows = R"sql(
CREATE TABLE rate_windows (
    limit_key TEXT NOT NULL,
    identity TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    window_end INTEGER NOT NULL,
    quota INTEGER NOT NULL,
    granted INTEGER NOT NULL,
    lease INTEGER NOT NULL,
    PRIMARY KEY (limit_key, identity)
);
CREATE INDEX rate_windows_end ON rate_windows(window_end);
)sql";

// PostgreSQL's writers run side by side: address allocation starts where a sequence says.
const char* kAddressOffsets = R"sql(
{{postgresql}}
CREATE SEQUENCE address_offsets;
{{end}}
SELECT 1;
)sql";

// The due jobs in the order they are taken (run_after, then id), so that a claim reads the first
// one rather than sorting every due job.
const char* kJobsInOrder = R"sql(
DROP INDEX jobs_due;
CREATE INDEX jobs_due ON jobs(state, run_after, id);
)sql";

// The version of each account's lists of a family, moved on by every commit that changes them:
// answers kept by any process for an older version are stale.
const char* kListVersions = R"sql(
CREATE TABLE list_versions (
    account_id INTEGER NOT NULL,
    family TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (account_id, family)
);
)sql";

// One record per fact in the catalog too: an image's tags are rows (the "tags" filter reads
// them); a region's and an image's capabilities are read from their documents, which only the
// catalog writes. The encoded list columns go.
const char* kCatalogLists = R"sql(
CREATE TABLE image_tags (
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (image_id, tag)
);
CREATE INDEX image_tags_tag ON image_tags(tag, image_id);
ALTER TABLE regions DROP COLUMN capabilities;
ALTER TABLE images DROP COLUMN capabilities;
ALTER TABLE images DROP COLUMN tags;
)sql";

// Each account's list version is the sum of a few slots, and a writer moves on one of them: the
// writers of one account do not all wait for one row while each commits.
const char* kListVersionSlots = R"sql(
CREATE TABLE list_version_slots (
    account_id INTEGER NOT NULL,
    family TEXT NOT NULL,
    slot INTEGER NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (account_id, family, slot)
);
INSERT INTO list_version_slots (account_id, family, slot, version)
    SELECT account_id, family, 0, version FROM list_versions;
DROP TABLE list_versions;
)sql";

// A user's preferences: a free JSON object that web clients keep for the user (its layout, its
// theme), read on every page.
const char* kUserPreferences = R"sql(
CREATE TABLE user_preferences (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    doc TEXT NOT NULL
);
)sql";

// Users' SSH public keys (/profile/sshkeys), installed on Linodes that name their users.
const char* kSshKeys = R"sql(
CREATE TABLE ssh_keys (
    id {{serial}},
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    ssh_key TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX ssh_keys_user ON ssh_keys(user_id, id);
)sql";

// Sign-ins through the login service, as /account/logins and /profile/logins list them.
const char* kLogins = R"sql(
CREATE TABLE logins (
    id {{serial}},
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    datetime TEXT NOT NULL,
    status TEXT NOT NULL,
    restricted INTEGER NOT NULL
);
CREATE INDEX logins_account ON logins(account_id, id);
CREATE INDEX logins_user ON logins(user_id, id);
)sql";

// Users' answers to security questions, kept only as password hashes.
const char* kSecurityAnswers = R"sql(
CREATE TABLE security_answers (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL,
    answer_hash TEXT NOT NULL,
    PRIMARY KEY (user_id, question_id)
);
)sql";

// Events are shown from their columns when read: the document each row kept, rewritten with
// every change of the row, goes.
const char* kEventsFromColumns = R"sql(
ALTER TABLE events DROP COLUMN doc;
)sql";

// A Linode's configs and disks in the order they are read (by id): with an index on the Linode
// alone, PostgreSQL may plan "the first config of a Linode" as a walk of every config in id
// order, which for the newest Linode reads them all.
const char* kConfigsAndDisksInOrder = R"sql(
DROP INDEX configs_linode;
CREATE INDEX configs_linode ON configs(linode_id, id);
DROP INDEX disks_linode;
CREATE INDEX disks_linode ON disks(linode_id, id);
)sql";

// Block Storage Volumes of an account, each in one region, attached to at most one Linode; their
// tags as rows. A label is unique within the account (it names the volume's device path). A
// job names the volume it works on.
const char* kVolumes = R"sql(
CREATE TABLE volumes (
    id {{serial}},
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    label TEXT NOT NULL,
    region TEXT NOT NULL,
    size INTEGER NOT NULL,
    status TEXT NOT NULL,
    linode_id INTEGER REFERENCES linodes(id) ON DELETE SET NULL,
    encryption TEXT NOT NULL,
    hardware_type TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    UNIQUE (account_id, label)
);
CREATE INDEX volumes_region ON volumes(account_id, region, id);
CREATE INDEX volumes_linode ON volumes(linode_id);
CREATE TABLE volume_tags (
    volume_id INTEGER NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (volume_id, tag)
);
CREATE INDEX volume_tags_tag ON volume_tags(tag, volume_id);
ALTER TABLE jobs ADD COLUMN volume_id INTEGER;
CREATE INDEX jobs_volume ON jobs(volume_id, state);
)sql";

// StackScripts: an account's scripts (private, or public for every account to deploy), the
// images each may deploy, one row each, and which StackScript each Linode was last deployed
// from (its count is a script's active deployments). Its user-defined fields are read from the
// script itself.
const char* kStackScripts = R"sql(
CREATE TABLE stackscripts (
    id {{serial}},
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    label TEXT NOT NULL,
    description TEXT NOT NULL,
    script TEXT NOT NULL,
    rev_note TEXT NOT NULL,
    is_public INTEGER NOT NULL,
    deployments_total INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX stackscripts_account ON stackscripts(account_id, id);
CREATE INDEX stackscripts_public ON stackscripts(is_public, id);
CREATE TABLE stackscript_images (
    stackscript_id INTEGER NOT NULL REFERENCES stackscripts(id) ON DELETE CASCADE,
    image TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (stackscript_id, image)
);
CREATE TABLE stackscript_deployments (
    linode_id INTEGER PRIMARY KEY REFERENCES linodes(id) ON DELETE CASCADE,
    stackscript_id INTEGER NOT NULL REFERENCES stackscripts(id) ON DELETE CASCADE
);
CREATE INDEX stackscript_deployments_script ON stackscript_deployments(stackscript_id);
)sql";

// Private images (private/N) of an account: N comes from image_numbers and is the id grants
// name; the regions an image is kept in, one row each; the hash of an upload's secret, when it
// expires and the region the upload goes to.
const char* kPrivateImages = R"sql(
CREATE TABLE image_numbers (
    id {{serial}},
    taken TEXT NOT NULL
);
ALTER TABLE images ADD COLUMN number INTEGER;
ALTER TABLE images ADD COLUMN updated TEXT;
ALTER TABLE images ADD COLUMN cloud_init INTEGER NOT NULL DEFAULT 0;
ALTER TABLE images ADD COLUMN source_image TEXT;
CREATE UNIQUE INDEX images_number ON images(number);
CREATE INDEX images_account ON images(account_id, number);
CREATE TABLE image_regions (
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    region TEXT NOT NULL,
    status TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (image_id, region)
);
CREATE TABLE image_uploads (
    image_id TEXT PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
    secret_hash TEXT NOT NULL,
    expires INTEGER NOT NULL,
    region TEXT NOT NULL
);
)sql";

// Backups of Linodes (automatic ones and snapshots), the disks each copied and the configs as
// they were, and the Linodes enrolled in automatic backups with when the next one is due.
const char* kBackups = R"sql(
CREATE TABLE backups (
    id {{serial}},
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    linode_id INTEGER NOT NULL REFERENCES linodes(id) ON DELETE CASCADE,
    region TEXT NOT NULL,
    type TEXT NOT NULL,
    status TEXT NOT NULL,
    label TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    finished TEXT
);
CREATE INDEX backups_linode ON backups(linode_id, id);
CREATE TABLE backup_disks (
    backup_id INTEGER NOT NULL REFERENCES backups(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    disk_id INTEGER NOT NULL,
    label TEXT NOT NULL,
    size INTEGER NOT NULL,
    filesystem TEXT NOT NULL,
    image TEXT,
    PRIMARY KEY (backup_id, position)
);
CREATE TABLE backup_configs (
    backup_id INTEGER NOT NULL REFERENCES backups(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (backup_id, position)
);
CREATE TABLE backup_enrollments (
    linode_id INTEGER PRIMARY KEY REFERENCES linodes(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    due_unix INTEGER NOT NULL
);
CREATE INDEX backup_enrollments_due ON backup_enrollments(due_unix);
)sql";

// IP sharing: the addresses of other Linodes that a Linode may bring up (failover).
const char* kIpShares = R"sql(
CREATE TABLE ip_shares (
    address TEXT NOT NULL REFERENCES ips(address) ON DELETE CASCADE,
    linode_id INTEGER NOT NULL REFERENCES linodes(id) ON DELETE CASCADE,
    PRIMARY KEY (address, linode_id)
);
CREATE INDEX ip_shares_linode ON ip_shares(linode_id, address);
)sql";

// What a Linode was deployed with that its Metadata service answers: the user data (base64, as
// given) and the SSH keys of root, one row each.
const char* kLinodeMetadata = R"sql(
CREATE TABLE linode_user_data (
    linode_id INTEGER PRIMARY KEY REFERENCES linodes(id) ON DELETE CASCADE,
    user_data TEXT NOT NULL
);
CREATE TABLE linode_deploy_keys (
    linode_id INTEGER NOT NULL REFERENCES linodes(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    ssh_key TEXT NOT NULL,
    PRIMARY KEY (linode_id, position)
);
)sql";

// What a Linode's host measured of it: sums over five-minute buckets (the seconds observed, CPU
// seconds, bytes of its disks, of its swap and of its network), and each month's public bytes.
const char* kLinodeUsage = R"sql(
CREATE TABLE linode_stats (
    linode_id INTEGER NOT NULL REFERENCES linodes(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    seconds DOUBLE PRECISION NOT NULL,
    cpu_seconds DOUBLE PRECISION NOT NULL,
    io_bytes DOUBLE PRECISION NOT NULL,
    swap_bytes DOUBLE PRECISION NOT NULL,
    net_in DOUBLE PRECISION NOT NULL,
    net_out DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (linode_id, at)
);
CREATE INDEX linode_stats_at ON linode_stats(at);
CREATE TABLE linode_transfer (
    linode_id INTEGER NOT NULL REFERENCES linodes(id) ON DELETE CASCADE,
    month TEXT NOT NULL,
    bytes_in BIGINT NOT NULL,
    bytes_out BIGINT NOT NULL,
    PRIMARY KEY (linode_id, month)
);
)sql";

// Cloud Firewalls: the firewall, its tags, every version of its rules (the newest is in force)
// and its devices (a Linode, or later a NodeBalancer, each in a column of its own so that the
// device goes with it).
const char* kFirewalls = R"sql(
CREATE TABLE firewalls (
    id {{serial}},
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    label TEXT NOT NULL,
    status TEXT NOT NULL,
    rules_version INTEGER NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    UNIQUE (account_id, label)
);
CREATE TABLE firewall_tags (
    firewall_id INTEGER NOT NULL REFERENCES firewalls(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (firewall_id, tag)
);
CREATE INDEX firewall_tags_tag ON firewall_tags(tag, firewall_id);
CREATE TABLE firewall_rules (
    firewall_id INTEGER NOT NULL REFERENCES firewalls(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    rules TEXT NOT NULL,
    status TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (firewall_id, version)
);
CREATE TABLE firewall_devices (
    id {{serial}},
    firewall_id INTEGER NOT NULL REFERENCES firewalls(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    linode_id INTEGER REFERENCES linodes(id) ON DELETE CASCADE,
    nodebalancer_id INTEGER,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    UNIQUE (firewall_id, linode_id),
    UNIQUE (firewall_id, nodebalancer_id)
);
CREATE INDEX firewall_devices_linode ON firewall_devices(linode_id);
)sql";

// Placement groups: a group of Linodes of one region that placement keeps on different hosts
// (anti-affinity) or on one host (affinity); a Linode is a member of one group at most.
const char* kPlacementGroups = R"sql(
CREATE TABLE placement_groups (
    id {{serial}},
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    label TEXT NOT NULL,
    region TEXT NOT NULL,
    group_type TEXT NOT NULL,
    policy TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    UNIQUE (account_id, label)
);
CREATE TABLE placement_group_members (
    group_id INTEGER NOT NULL REFERENCES placement_groups(id) ON DELETE CASCADE,
    linode_id INTEGER NOT NULL UNIQUE REFERENCES linodes(id) ON DELETE CASCADE,
    created TEXT NOT NULL,
    PRIMARY KEY (group_id, linode_id)
);
)sql";

// NodeBalancers: the balancer (its addresses are rows of ips, its host the one whose load
// balancer serves it), its tags, its configs (one per port) and their nodes (each node's status
// as the last health check found it), and what it carried, summed over five-minute buckets.
const char* kNodeBalancers = R"sql(
CREATE TABLE nodebalancers (
    id {{serial}},
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    label TEXT NOT NULL,
    region TEXT NOT NULL,
    host_id INTEGER REFERENCES hosts(id),
    client_conn_throttle INTEGER NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    UNIQUE (account_id, label)
);
CREATE INDEX nodebalancers_host ON nodebalancers(host_id);
CREATE TABLE nodebalancer_tags (
    nodebalancer_id INTEGER NOT NULL REFERENCES nodebalancers(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (nodebalancer_id, tag)
);
CREATE INDEX nodebalancer_tags_tag ON nodebalancer_tags(tag, nodebalancer_id);
CREATE TABLE nodebalancer_configs (
    id {{serial}},
    nodebalancer_id INTEGER NOT NULL REFERENCES nodebalancers(id) ON DELETE CASCADE,
    port INTEGER NOT NULL,
    protocol TEXT NOT NULL,
    algorithm TEXT NOT NULL,
    stickiness TEXT NOT NULL,
    check_type TEXT NOT NULL,
    check_interval INTEGER NOT NULL,
    check_timeout INTEGER NOT NULL,
    check_attempts INTEGER NOT NULL,
    check_path TEXT NOT NULL,
    check_body TEXT NOT NULL,
    check_passive INTEGER NOT NULL,
    proxy_protocol TEXT NOT NULL,
    cipher_suite TEXT NOT NULL,
    ssl_cert TEXT,
    ssl_key TEXT,
    ssl_commonname TEXT NOT NULL,
    ssl_fingerprint TEXT NOT NULL,
    UNIQUE (nodebalancer_id, port)
);
CREATE TABLE nodebalancer_nodes (
    id {{serial}},
    config_id INTEGER NOT NULL REFERENCES nodebalancer_configs(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    address TEXT NOT NULL,
    weight INTEGER NOT NULL,
    mode TEXT NOT NULL,
    status TEXT NOT NULL,
    UNIQUE (config_id, address)
);
CREATE TABLE nodebalancer_stats (
    nodebalancer_id INTEGER NOT NULL REFERENCES nodebalancers(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    connections DOUBLE PRECISION NOT NULL,
    bytes_in DOUBLE PRECISION NOT NULL,
    bytes_out DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (nodebalancer_id, at)
);
ALTER TABLE ips ADD COLUMN nodebalancer_id INTEGER REFERENCES nodebalancers(id) ON DELETE CASCADE;
CREATE INDEX ips_nodebalancer ON ips(nodebalancer_id);
)sql";

// Domains: a zone (its name once across Linnet, whatever its case), its tags, its master and
// transfer addresses, and its records; `serial` is the SOA serial, moved on by every change.
const char* kDomains = R"sql(
CREATE TABLE domains (
    id {{serial}},
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    domain TEXT NOT NULL,
    domain_key TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    status TEXT NOT NULL,
    soa_email TEXT NOT NULL,
    description TEXT NOT NULL,
    domain_group TEXT NOT NULL,
    retry_sec INTEGER NOT NULL,
    expire_sec INTEGER NOT NULL,
    refresh_sec INTEGER NOT NULL,
    ttl_sec INTEGER NOT NULL,
    serial INTEGER NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX domains_account ON domains(account_id, id);
CREATE TABLE domain_tags (
    domain_id INTEGER NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (domain_id, tag)
);
CREATE INDEX domain_tags_tag ON domain_tags(tag, domain_id);
CREATE TABLE domain_addresses (
    domain_id INTEGER NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    position INTEGER NOT NULL,
    address TEXT NOT NULL,
    PRIMARY KEY (domain_id, kind, position)
);
CREATE TABLE domain_records (
    id {{serial}},
    domain_id INTEGER NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    target TEXT NOT NULL,
    priority INTEGER NOT NULL,
    weight INTEGER NOT NULL,
    port INTEGER NOT NULL,
    service TEXT,
    protocol TEXT,
    ttl_sec INTEGER NOT NULL,
    tag TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX domain_records_domain ON domain_records(domain_id, id);
)sql";

// IPv6 ranges routed to a Linode's SLAAC address (/64 and /56), each range once across Linnet.
const char* kIpv6Ranges = R"sql(
CREATE TABLE ipv6_ranges (
    address TEXT PRIMARY KEY,
    prefix INTEGER NOT NULL,
    region TEXT NOT NULL,
    linode_id INTEGER NOT NULL REFERENCES linodes(id) ON DELETE CASCADE,
    created TEXT NOT NULL
);
CREATE INDEX ipv6_ranges_linode ON ipv6_ranges(linode_id, address);
)sql";

// A config's interfaces as rows of their own (they were kept inside the config's document):
// what VLANs and VPCs list, each interface once.
const char* kConfigInterfaces = R"sql(
CREATE TABLE config_interfaces (
    config_id INTEGER NOT NULL REFERENCES configs(id) ON DELETE CASCADE,
    interface_id INTEGER NOT NULL,
    linode_id INTEGER NOT NULL REFERENCES linodes(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    purpose TEXT NOT NULL,
    label TEXT,
    doc TEXT NOT NULL,
    PRIMARY KEY (config_id, interface_id)
);
CREATE INDEX config_interfaces_linode ON config_interfaces(linode_id);
CREATE INDEX config_interfaces_purpose ON config_interfaces(purpose, label);
{{sqlite}}
INSERT INTO config_interfaces (config_id, interface_id, linode_id, position, purpose, label, doc)
SELECT c.id, json_extract(j.value, '$.id'), c.linode_id, j.key,
       COALESCE(json_extract(j.value, '$.purpose'), 'public'), json_extract(j.value, '$.label'),
       j.value
FROM configs c, json_each(c.doc, '$.interfaces') j
WHERE json_type(c.doc, '$.interfaces') = 'array';
UPDATE configs SET doc = json_remove(doc, '$.interfaces')
WHERE json_type(doc, '$.interfaces') IS NOT NULL;
{{end}}
{{postgresql}}
INSERT INTO config_interfaces (config_id, interface_id, linode_id, position, purpose, label, doc)
SELECT c.id, (e.value ->> 'id')::bigint, c.linode_id, e.ordinality - 1,
       COALESCE(e.value ->> 'purpose', 'public'), e.value ->> 'label', e.value::text
FROM configs c
CROSS JOIN LATERAL jsonb_array_elements(
    CASE WHEN jsonb_typeof(c.doc::jsonb -> 'interfaces') = 'array'
         THEN c.doc::jsonb -> 'interfaces' ELSE '[]'::jsonb END) WITH ORDINALITY AS e(value, ordinality);
UPDATE configs SET doc = (doc::jsonb - 'interfaces')::text WHERE doc::jsonb -> 'interfaces' IS NOT NULL;
{{end}}
)sql";

// VPCs and their subnets (a subnet's range once within its VPC, checked where it is made).
const char* kVpcs = R"sql(
CREATE TABLE vpcs (
    id {{serial}},
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    label TEXT NOT NULL,
    region TEXT NOT NULL,
    description TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    UNIQUE (account_id, label)
);
CREATE TABLE vpc_subnets (
    id {{serial}},
    vpc_id INTEGER NOT NULL REFERENCES vpcs(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    ipv4 TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    UNIQUE (vpc_id, label)
);
)sql";

// The addresses of vpc interfaces: an interface's address in its subnet (once per subnet) with
// its 1:1 NAT address, and each range routed to it; and the config each Linode last booted (its
// interfaces are active while it runs).
const char* kVpcInterfaces = R"sql(
CREATE TABLE vpc_ips (
    id {{serial}},
    config_id INTEGER NOT NULL REFERENCES configs(id) ON DELETE CASCADE,
    interface_id INTEGER NOT NULL,
    linode_id INTEGER NOT NULL REFERENCES linodes(id) ON DELETE CASCADE,
    vpc_id INTEGER NOT NULL,
    subnet_id INTEGER NOT NULL REFERENCES vpc_subnets(id),
    address TEXT,
    address_range TEXT,
    nat_1_1 TEXT
);
CREATE UNIQUE INDEX vpc_ips_address ON vpc_ips(subnet_id, address);
CREATE INDEX vpc_ips_config ON vpc_ips(config_id);
CREATE INDEX vpc_ips_vpc ON vpc_ips(vpc_id);
ALTER TABLE linodes ADD COLUMN booted_config_id INTEGER;
)sql";

// Two-factor sign-in: a user's TOTP secret (and one awaiting confirmation), the hash of the
// unused scratch code and the last step a code was taken at; the browsers a user trusts to
// skip the code; and a sign-in session waiting for the code of the user whose password it took.
const char* kTwoFactor = R"sql(
CREATE TABLE user_two_factor (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret TEXT,
    pending_secret TEXT,
    pending_expiry_unix BIGINT,
    scratch_hash TEXT,
    last_step BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE trusted_devices (
    id {{serial}},
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    user_agent TEXT NOT NULL,
    last_remote_addr TEXT NOT NULL,
    created TEXT NOT NULL,
    last_authenticated TEXT NOT NULL,
    expiry TEXT NOT NULL,
    expiry_unix BIGINT NOT NULL
);
CREATE INDEX trusted_devices_user ON trusted_devices(user_id, id);
ALTER TABLE login_sessions ADD COLUMN tfa_user_id INTEGER REFERENCES users(id) ON DELETE CASCADE;
)sql";

// A user's phone number: the verified one, and one waiting for the code sent to it.
const char* kPhoneNumbers = R"sql(
CREATE TABLE user_phones (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    verified_number TEXT,
    pending_number TEXT,
    code TEXT,
    code_expiry_unix BIGINT NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0
);
)sql";

// Beta programs (the catalog's), the accounts enrolled in them, and the agreements an account
// accepted.
const char* kBetasAndAgreements = R"sql(
CREATE TABLE beta_programs (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    description TEXT NOT NULL,
    started TEXT NOT NULL,
    ended TEXT,
    greenlight_only INTEGER NOT NULL,
    more_info TEXT,
    sort INTEGER NOT NULL
);
CREATE TABLE account_betas (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    beta_id TEXT NOT NULL REFERENCES beta_programs(id),
    enrolled TEXT NOT NULL,
    PRIMARY KEY (account_id, beta_id)
);
CREATE TABLE account_agreements (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    eu_model INTEGER NOT NULL DEFAULT 0,
    master_service_agreement INTEGER NOT NULL DEFAULT 0,
    privacy_policy INTEGER NOT NULL DEFAULT 0
);
)sql";

// Transfers of Linodes from one account to another: made by the sender, named by a token the
// receiver accepts within a day.
const char* kEntityTransfers = R"sql(
CREATE TABLE entity_transfers (
    token TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    receiver_account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    expiry TEXT NOT NULL,
    expiry_unix BIGINT NOT NULL
);
CREATE INDEX entity_transfers_account ON entity_transfers(account_id);
CREATE INDEX entity_transfers_receiver ON entity_transfers(receiver_account_id);
CREATE TABLE entity_transfer_linodes (
    token TEXT NOT NULL REFERENCES entity_transfers(token) ON DELETE CASCADE,
    linode_id INTEGER NOT NULL,
    PRIMARY KEY (token, linode_id)
);
CREATE INDEX entity_transfer_linodes_linode ON entity_transfer_linodes(linode_id);
)sql";

// Support tickets: opened by a user about one of the account's entities (or none), replied to
// by the account and by the operator, with attached files kept in the shared folder.
const char* kSupportTickets = R"sql(
CREATE TABLE support_tickets (
    id {{serial}},
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    summary TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    entity_type TEXT,
    entity_id INTEGER,
    entity_label TEXT,
    entity_url TEXT,
    gravatar_id TEXT NOT NULL,
    opened TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    updated TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    closed TEXT
);
CREATE INDEX support_tickets_account ON support_tickets(account_id, id);
CREATE TABLE support_replies (
    id {{serial}},
    ticket_id INTEGER NOT NULL REFERENCES support_tickets(id) ON DELETE CASCADE,
    description TEXT NOT NULL,
    created TEXT NOT NULL,
    created_by TEXT NOT NULL,
    gravatar_id TEXT NOT NULL,
    from_linode INTEGER NOT NULL
);
CREATE INDEX support_replies_ticket ON support_replies(ticket_id, id);
CREATE TABLE support_attachments (
    ticket_id INTEGER NOT NULL REFERENCES support_tickets(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    size BIGINT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (ticket_id, name)
);
)sql";

// OAuth clients' thumbnails (PNG, kept as hexadecimal text on both engines).
const char* kClientThumbnails = R"sql(
CREATE TABLE oauth_client_thumbnails (
    client_id TEXT PRIMARY KEY REFERENCES oauth_clients(id) ON DELETE CASCADE,
    png_hex TEXT NOT NULL,
    updated TEXT NOT NULL
);
)sql";

// Longview: the account's clients (each with the API key its agent sends and the code that
// installs it) and its plan (a Longview Pro subscription, or none: the free plan).
const char* kLongview = R"sql(
CREATE TABLE longview_clients (
    id {{serial}},
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    api_key TEXT NOT NULL UNIQUE,
    install_code TEXT NOT NULL UNIQUE,
    apps TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    UNIQUE (account_id, label)
);
CREATE TABLE longview_plans (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    subscription TEXT
);
)sql";

// Payments, recorded and never charged: the account's payment methods (a card's kind, last four
// digits and expiry only), its payments (in cents), PayPal checkouts not yet executed, the
// operator's promo codes and the promotions an account applied.
const char* kPayments = R"sql(
CREATE TABLE payment_methods (
    id {{serial}},
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    card_type TEXT NOT NULL,
    last_four TEXT NOT NULL,
    expiry TEXT NOT NULL,
    is_default INTEGER NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX payment_methods_account ON payment_methods(account_id, id);
CREATE TABLE payments (
    id {{serial}},
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    usd_cents BIGINT NOT NULL,
    payment_method_id INTEGER,
    date TEXT NOT NULL
);
CREATE INDEX payments_account ON payments(account_id, id);
CREATE TABLE paypal_checkouts (
    payment_id TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    usd_cents BIGINT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE promo_codes (
    code TEXT PRIMARY KEY,
    credit_cents BIGINT NOT NULL,
    monthly_cap_cents BIGINT NOT NULL,
    expires TEXT NOT NULL,
    summary TEXT NOT NULL
);
CREATE TABLE account_promotions (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    code TEXT NOT NULL REFERENCES promo_codes(code),
    credit_remaining_cents BIGINT NOT NULL,
    added TEXT NOT NULL,
    PRIMARY KEY (account_id, code)
);
)sql";

// Billing from what ran: one usage row per service an entity was billed for (a Linode's plan,
// its backups, a volume's size, a NodeBalancer, an image's size) from when it started until it
// ended (NULL while it runs), at the prices of its start in micro-dollars; invoices, each the
// account's charges for [period_from, period_to), and their items in cents.
const char* kBilling = R"sql(
CREATE TABLE billing_usage (
    id {{serial}},
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    entity_type TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    service TEXT NOT NULL,
    plan TEXT NOT NULL,
    label TEXT NOT NULL,
    region TEXT,
    hourly_micros BIGINT NOT NULL,
    monthly_micros BIGINT NOT NULL,
    transfer_gb BIGINT NOT NULL,
    metered INTEGER NOT NULL,
    started BIGINT NOT NULL,
    ended BIGINT
);
CREATE INDEX billing_usage_entity ON billing_usage(entity_type, entity_id, ended);
CREATE INDEX billing_usage_account ON billing_usage(account_id, started);
CREATE TABLE invoices (
    id {{serial}},
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    label TEXT NOT NULL,
    period_from BIGINT NOT NULL,
    period_to BIGINT NOT NULL,
    subtotal_cents BIGINT NOT NULL,
    tax_cents BIGINT NOT NULL,
    total_cents BIGINT NOT NULL,
    promo_cents BIGINT NOT NULL,
    UNIQUE (account_id, period_from)
);
CREATE INDEX invoices_account ON invoices(account_id, id);
CREATE TABLE invoice_items (
    id {{serial}},
    invoice_id INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    type TEXT NOT NULL,
    unit_price TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    amount_cents BIGINT NOT NULL,
    tax_cents BIGINT NOT NULL,
    item_from TEXT NOT NULL,
    item_to TEXT NOT NULL,
    region TEXT
);
CREATE INDEX invoice_items_invoice ON invoice_items(invoice_id, id);
)sql";

// A cancelled account: when it was cancelled. Its users can no longer sign in or use tokens,
// and once its Linodes and volumes are gone its rows are erased.
const char* kCancelledAccounts = R"sql(
ALTER TABLE accounts ADD COLUMN cancelled TEXT;
)sql";

// Parent and child accounts: a child's parent, each account's external id as a column (to find a
// child by it), and the proxy user through which a parent's users act in a child.
const char* kChildAccounts = R"sql(
ALTER TABLE accounts ADD COLUMN parent_id INTEGER REFERENCES accounts(id);
ALTER TABLE accounts ADD COLUMN euuid TEXT;
UPDATE accounts SET euuid = {{json_text(doc, euuid)}};
CREATE UNIQUE INDEX accounts_euuid ON accounts(euuid);
CREATE INDEX accounts_parent ON accounts(parent_id);
ALTER TABLE users ADD COLUMN proxy INTEGER NOT NULL DEFAULT 0;
)sql";

// Linode Managed: the account's contacts, its credentials (sealed with the vault's key), the
// key pair its operators sign in with, each Linode's SSH settings, the services that are
// checked (with their credentials) and the issues their failures open.
const char* kManaged = R"sql(
CREATE TABLE managed_contacts (
    id {{serial}},
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone_primary TEXT,
    phone_secondary TEXT,
    group_name TEXT,
    updated TEXT NOT NULL
);
CREATE INDEX managed_contacts_account ON managed_contacts(account_id, id);
CREATE TABLE managed_credentials (
    id {{serial}},
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    label TEXT NOT NULL,
    sealed_username TEXT NOT NULL,
    sealed_password TEXT NOT NULL,
    last_decrypted TEXT,
    UNIQUE (account_id, label)
);
CREATE TABLE managed_keys (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id),
    public_key TEXT NOT NULL,
    sealed_private_key TEXT NOT NULL
);
CREATE TABLE managed_linode_settings (
    linode_id INTEGER PRIMARY KEY REFERENCES linodes(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    ssh_access INTEGER NOT NULL,
    ssh_user TEXT,
    ssh_ip TEXT NOT NULL,
    ssh_port INTEGER
);
CREATE TABLE managed_services (
    id {{serial}},
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    label TEXT NOT NULL,
    service_type TEXT NOT NULL,
    address TEXT NOT NULL,
    timeout INTEGER NOT NULL,
    body TEXT,
    consultation_group TEXT NOT NULL,
    notes TEXT,
    region TEXT,
    status TEXT NOT NULL,
    due BIGINT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX managed_services_account ON managed_services(account_id, id);
CREATE INDEX managed_services_due ON managed_services(status, due);
CREATE TABLE managed_service_credentials (
    service_id INTEGER NOT NULL REFERENCES managed_services(id) ON DELETE CASCADE,
    credential_id INTEGER NOT NULL REFERENCES managed_credentials(id) ON DELETE CASCADE,
    PRIMARY KEY (service_id, credential_id)
);
CREATE TABLE managed_checks (
    id {{serial}},
    service_id INTEGER NOT NULL REFERENCES managed_services(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    ok INTEGER NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX managed_checks_service ON managed_checks(service_id, at);
CREATE TABLE managed_issues (
    id {{serial}},
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    service_id INTEGER REFERENCES managed_services(id) ON DELETE SET NULL,
    ticket_id INTEGER NOT NULL REFERENCES support_tickets(id),
    created TEXT NOT NULL,
    resolved TEXT
);
CREATE INDEX managed_issues_account ON managed_issues(account_id, id);
)sql";

// What Longview agents sent: each sample of a client (its instant and long-term values, flat
// JSON objects), a day of them kept.
const char* kLongviewSamples = R"sql(
CREATE TABLE longview_samples (
    id {{serial}},
    client_id INTEGER NOT NULL REFERENCES longview_clients(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    instant TEXT NOT NULL,
    longterm TEXT NOT NULL
);
CREATE INDEX longview_samples_client ON longview_samples(client_id, at);
)sql";

// A metered Linode's transfer counter for billing, per account and month: where it stood when
// the account began billing the Linode that month, and where it stood when it stopped (deleted,
// or handed to another account), so that each account's pool counts its own bytes.
const char* kTransferMarks = R"sql(
CREATE TABLE billing_transfer (
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    linode_id INTEGER NOT NULL,
    month TEXT NOT NULL,
    base_bytes BIGINT NOT NULL,
    final_bytes BIGINT,
    PRIMARY KEY (account_id, linode_id, month)
);
)sql";

// Counts of an account's rows by list key (the Linodes of a region, of a tag, of both), kept by
// the repositories as their rows change, so that a page's `results` need not read every row
// that matches; slots as list versions have, for writers side by side.
const char* kListCounts = R"sql(
CREATE TABLE list_counts (
    account_id INTEGER NOT NULL,
    family TEXT NOT NULL,
    count_key TEXT NOT NULL,
    slot INTEGER NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (account_id, family, count_key, slot)
);
INSERT INTO list_counts (account_id, family, count_key, slot, n)
    SELECT account_id, 'linodes', '', 0, COUNT(*) FROM linodes GROUP BY account_id;
INSERT INTO list_counts (account_id, family, count_key, slot, n)
    SELECT account_id, 'linodes', 'region=' || region || '|', 0, COUNT(*) FROM linodes
    GROUP BY account_id, region;
INSERT INTO list_counts (account_id, family, count_key, slot, n)
    SELECT l.account_id, 'linodes', 'tag=' || t.tag, 0, COUNT(*) FROM linode_tags t
    JOIN linodes l ON l.id = t.linode_id GROUP BY l.account_id, t.tag;
INSERT INTO list_counts (account_id, family, count_key, slot, n)
    SELECT l.account_id, 'linodes', 'region=' || l.region || '|tag=' || t.tag, 0, COUNT(*)
    FROM linode_tags t JOIN linodes l ON l.id = t.linode_id GROUP BY l.account_id, l.region, t.tag;
)sql";

// Rows rewritten with every job step (a Linode's status and document, the job, its event): no
// index holds what changes, and PostgreSQL's pages keep room, so that a change rewrites the row
// alone (a heap-only update) rather than an entry in every index.
const char* kRowsRewrittenInPlace = R"sql(
DROP INDEX linodes_status;
DROP INDEX linodes_host;
CREATE INDEX linodes_host ON linodes(host_id);
{{postgresql}}
ALTER TABLE linodes SET (fillfactor = 85);
ALTER TABLE linode_docs SET (fillfactor = 85);
ALTER TABLE jobs SET (fillfactor = 85);
ALTER TABLE events SET (fillfactor = 85);
{{end}}
SELECT 1;
)sql";

std::string for_dialect(std::string sql, Dialect dialect) {
    // Blocks for one engine: kept there, dropped elsewhere.
    for (const char* engine : {"sqlite", "postgresql"}) {
        const std::string open = std::string("{{") + engine + "}}";
        const bool keep = (dialect == Dialect::sqlite) == (std::string_view(engine) == "sqlite");
        for (auto pos = sql.find(open); pos != std::string::npos; pos = sql.find(open, pos)) {
            const auto end = sql.find("{{end}}", pos);
            if (keep) {
                sql.erase(end, 7);
                sql.erase(pos, open.size());
            } else {
                sql.erase(pos, end + 7 - pos);
            }
        }
    }
    const std::string token = "{{serial}}";
    const std::string serial =
        dialect == Dialect::sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY";
    for (auto pos = sql.find(token); pos != std::string::npos; pos = sql.find(token, pos))
        sql.replace(pos, token.size(), serial);
    // PostgreSQL's INTEGER is 32 bits and its REAL single precision: epoch milliseconds and
    // durations need BIGINT and DOUBLE PRECISION, which SQLite's INTEGER and REAL already are.
    if (dialect == Dialect::postgresql) {
        sql = std::regex_replace(sql, std::regex(R"(\bINTEGER\b)"), "BIGINT");
        sql = std::regex_replace(sql, std::regex(R"(\bREAL\b)"), "DOUBLE PRECISION");
    }
    // {{json_text(COLUMN, KEY)}}: the text of a top-level key of a JSON text column.
    const std::string json_text = "{{json_text(";
    for (auto pos = sql.find(json_text); pos != std::string::npos; pos = sql.find(json_text, pos)) {
        const auto end = sql.find(")}}", pos);
        const std::string args = sql.substr(pos + json_text.size(), end - pos - json_text.size());
        const auto comma = args.find(',');
        const std::string column = args.substr(0, comma);
        const std::string key = args.substr(args.find_first_not_of(' ', comma + 1));
        const std::string expr = dialect == Dialect::sqlite
                                     ? "json_extract(" + column + ", '$." + key + "')"
                                     : "(" + column + "::json ->> '" + key + "')";
        sql.replace(pos, end + 3 - pos, expr);
    }
    return sql;
}

// Splits a migration into statements; migrations hold no semicolons inside literals.
std::vector<std::string> statements(const std::string& sql) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t pos; (pos = sql.find(';', start)) != std::string::npos; start = pos + 1) {
        std::string stmt = sql.substr(start, pos - start);
        if (stmt.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(stmt);
    }
    return out;
}

}  // namespace

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> list = {
        {1, "core: account, users, tokens, catalog", kCore},
        {2, "linodes: instances, disks, configs, addresses, tags, events, jobs", kLinodes},
        {3, "images built on this host", kBuiltImages},
        {4, "users: passwords and grants", kGrants},
        {5, "login service: OAuth clients, sessions, codes, authorized apps", kOAuth},
        {6, "one record per fact: tags and addresses as rows only", kOneRecordPerFact},
        {7, "accounts: many tenants, each resource in one", kAccounts},
        {8, "job claims: leases and fencing tokens", kJobClaims},
        {9, "hosts, placement and cluster duties", kHosts},
        {10, "rate limits shared by the API nodes", kRateWindows},
        {11, "address allocation without a shared cursor row", kAddressOffsets},
        {12, "due jobs in the order they are claimed", kJobsInOrder},
        {13, "list versions: answers kept across nodes know when they are stale", kListVersions},
        {14, "catalog lists as rows: image tags; capabilities from the documents", kCatalogLists},
        {15, "list versions in slots, so that writers of one account do not queue",
         kListVersionSlots},
        {16, "user preferences", kUserPreferences},
        {17, "users' SSH keys", kSshKeys},
        {18, "sign-ins of the login service", kLogins},
        {19, "answers to security questions", kSecurityAnswers},
        {20, "events shown from their columns", kEventsFromColumns},
        {21, "a Linode's configs and disks in id order", kConfigsAndDisksInOrder},
        {22, "Block Storage Volumes", kVolumes},
        {23, "StackScripts", kStackScripts},
        {24, "private images", kPrivateImages},
        {25, "backups of Linodes", kBackups},
        {26, "IP sharing", kIpShares},
        {27, "user data and deploy keys for the Metadata service", kLinodeMetadata},
        {28, "Linodes' statistics and network transfer", kLinodeUsage},
        {29, "Cloud Firewalls", kFirewalls},
        {30, "placement groups", kPlacementGroups},
        {31, "NodeBalancers", kNodeBalancers},
        {32, "Domains", kDomains},
        {33, "IPv6 ranges", kIpv6Ranges},
        {34, "config interfaces as rows", kConfigInterfaces},
        {35, "VPCs and their subnets", kVpcs},
        {36, "addresses of vpc interfaces", kVpcInterfaces},
        {37, "two-factor sign-in", kTwoFactor},
        {38, "users' phone numbers", kPhoneNumbers},
        {39, "beta programs and agreements", kBetasAndAgreements},
        {40, "entity transfers", kEntityTransfers},
        {41, "support tickets", kSupportTickets},
        {42, "OAuth client thumbnails", kClientThumbnails},
        {43, "Longview clients and plans", kLongview},
        {44, "payments, payment methods and promotions", kPayments},
        {45, "billing: usage, invoices and their items", kBilling},
        {46, "cancelled accounts", kCancelledAccounts},
        {47, "parent and child accounts", kChildAccounts},
        {48, "Linode Managed", kManaged},
        {49, "Longview agents' samples", kLongviewSamples},
        {50, "billing: metered Linodes' transfer per account and month", kTransferMarks},
        {51, "lists: counts of an account's Linodes by region and tag", kListCounts},
        {52, "linodes: status unindexed, room for rows rewritten in place", kRowsRewrittenInPlace},
    };
    return list;
}

int schema_version(Database& db) {
    auto tx = db.begin(Access::write);
    tx->execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT "
        "NOT NULL, applied TEXT NOT NULL)");
    auto rows = tx->query("SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations");
    tx->commit();
    return static_cast<int>(rows.at(0).integer("version"));
}

int migrate(Database& db) {
    return migrate(db, migrations().back().version);
}

int migrate(Database& db, int up_to) {
    return apply(db, migrations(), up_to);
}

int apply(Database& db, const std::vector<Migration>& list, int up_to) {
    int current = schema_version(db);
    int applied = 0;
    for (const auto& m : list) {
        if (m.version <= current || m.version > up_to) continue;
        auto tx = db.begin(Access::schema);
        // Another process may have applied it while this one waited for the write lock.
        if (!tx->query("SELECT 1 FROM schema_migrations WHERE version = ?",
                       {std::int64_t{m.version}})
                 .empty())
            continue;
        for (const auto& stmt : statements(for_dialect(m.sql, db.dialect()))) tx->execute(stmt);
        tx->execute("INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)",
                    {std::int64_t{m.version}, m.name, now_utc()});
        tx->commit();
        ++applied;
    }
    return applied;
}

}  // namespace linnet::store

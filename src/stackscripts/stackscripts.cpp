// Writing StackScripts and deploying them.
#include "stackscripts/stackscripts.hpp"

#include <algorithm>

#include "images/image_repository.hpp"
#include "stackscripts/udf.hpp"

namespace linnet::stackscripts {

namespace json = boost::json;

namespace {

constexpr std::size_t kLabelMin = 3;
constexpr std::size_t kLabelMax = 128;

void notify(store::Transaction& tx, const Actor& actor, const std::string& action,
            const StackScript& script) {
    jobs::record_event(tx, {action, stackscript_entity(script), std::nullopt, "notification",
                            actor.user_id, actor.username, ""});
}

// Checks every field the changes set, adding a problem naming each one that breaks a rule.
void check(store::Transaction& tx, const Changes& c, std::vector<ErrorDetail>& problems) {
    const auto fail = [&](std::string field, std::string reason) {
        problems.push_back({std::move(reason), std::move(field)});
    };
    if (c.label && (c.label->size() < kLabelMin || c.label->size() > kLabelMax))
        fail("label", "Label must be between 3 and 128 characters");
    if (c.script) {
        if (c.script->rfind("#!", 0) != 0) {
            fail("script", "Script must begin with an interpreter line (#!)");
        } else {
            for (const auto& problem : parse_udfs(*c.script).problems) fail("script", problem);
        }
    }
    if (c.images) {
        if (c.images->empty()) fail("images", "images must name at least one image");
        images::ImageRepository repo(tx);
        for (std::size_t i = 0; i < c.images->size(); ++i) {
            const auto& image = (*c.images)[i];
            if (image != kAnyImage && !repo.find_usable(image, {"1=1", {}}))
                fail("images[" + std::to_string(i) + "]", "Image " + image + " was not found");
        }
    }
}

}  // namespace

jobs::Entity stackscript_entity(const StackScript& script) {
    return {script.id, "stackscript", script.label,
            "/v4/linode/stackscripts/" + std::to_string(script.id)};
}

StackScript create(store::Transaction& tx, const Actor& actor, const Changes& request) {
    std::vector<ErrorDetail> problems;
    if (!request.label) problems.push_back({"label is required", "label"});
    if (!request.script) problems.push_back({"script is required", "script"});
    if (!request.images) problems.push_back({"images is required", "images"});
    check(tx, request, problems);
    if (!problems.empty()) throw errors::invalid(std::move(problems));

    StackScript s;
    s.user_id = actor.user_id;
    s.username = actor.username;
    s.label = *request.label;
    s.description = request.description.value_or("");
    s.script = *request.script;
    s.rev_note = request.rev_note.value_or("");
    s.is_public = request.is_public.value_or(false);
    s.images = *request.images;
    StackScriptRepository repo(tx);
    s.id = repo.insert(s);
    // Read back for what the store fills in (times, owner, counts).
    s = repo.find(s.id).value();
    notify(tx, actor, "stackscript_create", s);
    return s;
}

void update(store::Transaction& tx, const Actor& actor, StackScript& script,
            const Changes& changes) {
    std::vector<ErrorDetail> problems;
    if (changes.is_public == false && script.is_public)
        problems.push_back({"A public StackScript cannot be made private", "is_public"});
    check(tx, changes, problems);
    if (!problems.empty()) throw errors::invalid(std::move(problems));

    const bool revised = changes.script && *changes.script != script.script;
    const bool publicized = changes.is_public == true && !script.is_public;
    if (changes.label) script.label = *changes.label;
    if (changes.description) script.description = *changes.description;
    if (changes.script) script.script = *changes.script;
    if (changes.rev_note) script.rev_note = *changes.rev_note;
    if (changes.is_public) script.is_public = *changes.is_public;
    if (changes.images) script.images = *changes.images;
    StackScriptRepository(tx).save(script);
    notify(tx, actor, "stackscript_update", script);
    if (revised) notify(tx, actor, "stackscript_revise", script);
    if (publicized) notify(tx, actor, "stackscript_publicize", script);
}

void remove(store::Transaction& tx, const Actor& actor, const StackScript& script) {
    StackScriptRepository(tx).remove(script.id);
    notify(tx, actor, "stackscript_delete", script);
}

std::optional<Deployment> plan_deployment(const StackScript& script,
                                          const std::optional<std::string>& image,
                                          const json::value* data,
                                          std::vector<ErrorDetail>& problems) {
    const std::size_t before = problems.size();
    if (!image) {
        problems.push_back({"image is required to deploy a StackScript", "image"});
    } else if (std::find(script.images.begin(), script.images.end(), kAnyImage) ==
                   script.images.end() &&
               std::find(script.images.begin(), script.images.end(), *image) ==
                   script.images.end()) {
        problems.push_back(
            {"StackScript " + std::to_string(script.id) + " cannot be deployed to image " + *image,
             "image"});
    }
    auto values = udf_values(parse_udfs(script.script).fields, data, problems);
    if (problems.size() != before) return std::nullopt;
    return Deployment{script.id, script.script, std::move(values)};
}

void record_deployment(store::Transaction& tx, const Deployment& deployment,
                       std::int64_t linode_id) {
    StackScriptRepository(tx).record_deployment(deployment.stackscript_id, linode_id);
}

void add_deployment(json::object& payload, const Deployment& deployment) {
    json::object values;
    for (const auto& [name, value] : deployment.values) values[name] = value;
    payload["stackscript"] = json::object{{"id", deployment.stackscript_id},
                                          {"script", deployment.script},
                                          {"values", std::move(values)}};
}

std::optional<Deployment> deployment_of(const json::object& payload) {
    const auto* v = payload.if_contains("stackscript");
    if (v == nullptr || !v->is_object()) return std::nullopt;
    const auto& o = v->as_object();
    Deployment d;
    if (const auto* id = o.if_contains("id"); id && id->is_int64())
        d.stackscript_id = id->as_int64();
    if (const auto* s = o.if_contains("script"); s && s->is_string()) d.script = s->as_string();
    if (const auto* values = o.if_contains("values"); values && values->is_object())
        for (const auto& [name, value] : values->as_object())
            if (value.is_string()) d.values[std::string(name)] = value.as_string();
    return d;
}

}  // namespace linnet::stackscripts

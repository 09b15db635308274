// /profile/security-questions: the questions a user may answer to prove who they are, and which
// of them the user has answered. Answers are kept only as password hashes, so GET can say that a
// question is answered but not what the answer was: an answered question's response reads
// kHiddenResponse.
#include <array>
#include <set>

#include "api/routes.hpp"
#include "auth/passwords.hpp"
#include "auth/security_answer_repository.hpp"
#include "core/error.hpp"
#include "core/json.hpp"

namespace linnet::api {

namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 15> kQuestions{
    "What was the name of the street you grew up on?",
    "What was the name of your first pet?",
    "What was the first concert you went to?",
    "What was the make of your first car?",
    "In what town did your parents meet?",
    "What was the name of your first school?",
    "What was your childhood nickname?",
    "What is the middle name of your oldest sibling?",
    "In what city did you have your first job?",
    "What was the first book you loved?",
    "What is your grandmother's maiden name?",
    "What was the name of your first teacher?",
    "What city did you first fly to?",
    "What is the name of your favourite city?",
    "Which sports team do you most like to see lose?",
};
constexpr std::string_view kHiddenResponse = "********";
constexpr std::size_t kAnswers = 3;
constexpr StringRule kResponse{true, 3, 17};

std::string question(std::int64_t id) {
    return std::string(kQuestions.at(static_cast<std::size_t>(id - 1)));
}

http::Response list(http::Context& ctx) {
    const auto answered = auth::SecurityAnswerRepository(ctx.tx()).answered(ctx.caller().user_id);
    json::array out;
    for (std::int64_t id = 1; id <= static_cast<std::int64_t>(kQuestions.size()); ++id) {
        json::value response = nullptr;
        if (answered.contains(id)) response = json::string(kHiddenResponse);
        out.push_back(json::object{{"id", id}, {"question", question(id)}, {"response", response}});
    }
    return http::Response::json(to_json(json::object{{"security_questions", out}}));
}

struct Answer {
    std::int64_t question_id;
    std::string response;
};

std::vector<Answer> read_answers(const json::object& body) {
    BodyReader reader(body);
    std::vector<Answer> answers;
    const auto* sent = body.if_contains("security_questions");
    if (!sent || !sent->is_array()) {
        reader.fail("security_questions", "security_questions must be a list of " +
                                              std::to_string(kAnswers) + " answers");
        reader.finish();
    }
    for (const auto& [key, value] : body)
        if (key != "security_questions") reader.fail(std::string(key), "Unknown field");
    const auto& items = sent->as_array();
    if (items.size() != kAnswers)
        reader.fail("security_questions",
                    "Exactly " + std::to_string(kAnswers) + " questions must be answered");
    std::set<std::int64_t> seen;
    for (std::size_t i = 0; i < items.size() && i < kAnswers; ++i) {
        const std::string at = "security_questions[" + std::to_string(i) + "]";
        if (!items[i].is_object()) {
            reader.fail(at, "An answer is an object with question_id and response");
            continue;
        }
        const auto& item = items[i].as_object();
        BodyReader one(item);
        const auto before = reader.problems();
        auto id = one.integer("question_id", true);
        auto response = one.string("response", kResponse);
        one.string("security_question");  // read-only: what GET showed may come back
        try {
            one.finish();
        } catch (const ApiError& e) {
            for (const auto& d : e.details())
                reader.fail(at + "." + d.field.value_or(""), d.reason);
        }
        for (const auto& [key, value] : item)
            if (key != "question_id" && key != "response" && key != "security_question")
                reader.fail(at + "." + std::string(key), "Unknown field of an answer");
        if (id && (*id < 1 || *id > static_cast<std::int64_t>(kQuestions.size())))
            reader.fail(at + ".question_id", "No security question has this id");
        else if (id && !seen.insert(*id).second)
            reader.fail(at + ".question_id", "Each question may be answered once");
        if (reader.problems() == before && id && response) answers.push_back({*id, *response});
    }
    reader.finish();
    return answers;
}

http::Response answer(http::Context& ctx) {
    const auto answers = read_answers(parse_body(ctx.request.body));
    std::vector<std::pair<std::int64_t, std::string>> hashes;
    try {
        for (const auto& a : answers)
            hashes.emplace_back(a.question_id, auth::hash_password(a.response));
    } catch (const auth::HashersBusy&) {
        throw errors::unavailable();
    }
    auth::SecurityAnswerRepository(ctx.tx()).replace(ctx.caller().user_id, hashes);
    json::array out;
    for (const auto& a : answers)
        out.push_back(json::object{{"question_id", a.question_id},
                                   {"security_question", question(a.question_id)},
                                   {"response", a.response}});
    return http::Response::json(to_json(json::object{{"security_questions", out}}));
}

}  // namespace

void register_security_questions(http::Router& router) {
    using auth::Requirement;
    router.add("GET", "/profile/security-questions", "get-security-questions",
               Requirement::of("account:read_only"), list);
    router.add("POST", "/profile/security-questions", "post-security-questions",
               Requirement::of("account:read_write"), answer);
    router.hashes_passwords("POST", "/profile/security-questions");
}

}  // namespace linnet::api

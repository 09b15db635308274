"""/profile/security-questions: the questions a user may answer, exactly three answered at a
time (the others reset), each answer kept only as a hash, each user's own."""
import pytest

from support import assert_error, db_execute, unique_username


def answers(*pairs):
    return {"security_questions": [{"question_id": q, "response": r} for q, r in pairs]}


def by_id(server, token=None):
    kw = {} if token is None else {"token": token}
    r = server.get("/profile/security-questions", **kw)
    assert r.status_code == 200, r.text
    return {q["id"]: q for q in r.json()["security_questions"]}


def test_questions_then_answers(server):
    user = server.make_token("*", user=unique_username("sq"))
    questions = by_id(server, user)
    assert len(questions) >= 10
    for q in questions.values():
        assert set(q) == {"id", "question", "response"}
        assert q["question"].endswith("?") and q["response"] is None

    r = server.post("/profile/security-questions", token=user,
                    json=answers((1, "Rivertown"), (4, "Bicycle"), (7, "Sparky")))
    assert r.status_code == 200, r.text
    assert r.json()["security_questions"] == [
        {"question_id": 1, "security_question": questions[1]["question"], "response": "Rivertown"},
        {"question_id": 4, "security_question": questions[4]["question"], "response": "Bicycle"},
        {"question_id": 7, "security_question": questions[7]["question"], "response": "Sparky"},
    ]
    after = by_id(server, user)
    assert {i for i, q in after.items() if q["response"] is not None} == {1, 4, 7}
    # Only a hash is kept: GET says a question is answered, not what the answer was.
    assert after[1]["response"] != "Rivertown"

    # A new set replaces the old one: questions not answered again are reset.
    assert server.post("/profile/security-questions", token=user,
                       json=answers((2, "abc"), (4, "Tricycle"), (9, "x" * 17))).status_code == 200
    assert {i for i, q in by_id(server, user).items() if q["response"]} == {2, 4, 9}


def test_answers_are_stored_as_hashes(server):
    name = unique_username("sqh")
    user = server.make_token("*", user=name)
    assert server.post("/profile/security-questions", token=user,
                       json=answers((3, "Plaintext1"), (5, "Plaintext2"),
                                    (6, "Plaintext3"))).status_code == 200
    rows = db_execute(server.data_dir,
                      "SELECT a.question_id, a.answer_hash FROM security_answers a JOIN users u "
                      "ON u.id = a.user_id WHERE u.username = ? ORDER BY a.question_id", (name,))
    assert [q for q, _ in rows] == [3, 5, 6]
    for _, stored in rows:
        assert stored.startswith("$argon2id$") and "Plaintext" not in stored


@pytest.mark.parametrize("body,field", [
    ({}, "security_questions"),
    ({"security_questions": "no"}, "security_questions"),
    (answers((1, "abc"), (2, "abc")), "security_questions"),
    (answers((1, "abc"), (2, "abc"), (3, "abc"), (4, "abc")), "security_questions"),
    (answers((1, "abc"), (1, "abd"), (3, "abc")), "security_questions[1].question_id"),
    (answers((1, "abc"), (2, "ab"), (3, "abc")), "security_questions[1].response"),
    (answers((1, "abc"), (2, "x" * 18), (3, "abc")), "security_questions[1].response"),
    (answers((1, "abc"), (2, "a\u0000bc"), (3, "abc")), "security_questions[1].response"),
    (answers((1, "abc"), (2, "abc"), (999, "abc")), "security_questions[2].question_id"),
    (answers((1, "abc"), (2, "abc"), (0, "abc")), "security_questions[2].question_id"),
    (answers((1, "abc"), (2, "abc"), ("3", "abc")), "security_questions[2].question_id"),
    (answers((1, "abc"), (2, 17), (3, "abc")), "security_questions[1].response"),
    ({"security_questions": [1, {"question_id": 2, "response": "abc"},
                             {"question_id": 3, "response": "abc"}]}, "security_questions[0]"),
    ({"security_questions": [{"question_id": 1}, {"question_id": 2, "response": "abc"},
                             {"question_id": 3, "response": "abc"}]},
     "security_questions[0].response"),
])
def test_bad_answers_change_nothing(server, body, field):
    user = server.make_token("*", user=unique_username("sqb"))
    assert server.post("/profile/security-questions", token=user,
                       json=answers((10, "first"), (11, "second"), (12, "third"))).status_code == 200
    assert_error(server.post("/profile/security-questions", token=user, json=body), 400,
                 field=field)
    assert {i for i, q in by_id(server, user).items() if q["response"]} == {10, 11, 12}


def test_answers_are_each_users_own(server):
    one = server.make_token("*", user=unique_username("sqa"))
    two = server.make_token("*", user=unique_username("sqb"))
    assert server.post("/profile/security-questions", token=one,
                       json=answers((1, "abc"), (2, "abc"), (3, "abc"))).status_code == 200
    assert all(q["response"] is None for q in by_id(server, two).values())


def test_scopes(server):
    read = server.make_token("account:read_only")
    assert server.get("/profile/security-questions", token=read).status_code == 200
    assert_error(server.post("/profile/security-questions", token=read,
                             json=answers((1, "abc"), (2, "abc"), (3, "abc"))), 401)
    assert_error(server.get("/profile/security-questions", token=server.make_token("linodes:read_only")), 401)

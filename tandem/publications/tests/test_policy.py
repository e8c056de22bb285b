"""The authorship policy as a pure function."""

from tandem.publications.rules import AuthorFacts, PolicyFacts, check

POLICY = PolicyFacts(
    corresponding_author_rule="first_or_second_tutor",
    trainee_lists_both_institutions=True,
    trainee_id=1,
    home_id=10,
    host_id=20,
    home_name="WMU",
    host_name="EMU",
    first_tutor_id=2,
    second_tutor_id=3,
)


def author(position, user_id, institutions=(10, 20), corresponding=False, roles=("investigation",)):
    return AuthorFacts(
        position=position,
        name=f"Author {position}",
        user_id=user_id,
        institution_ids=frozenset(institutions),
        is_corresponding=corresponding,
        credit_roles=tuple(roles),
    )


def codes(policy, authors):
    return [v.code for v in check(policy, authors)]


def test_trainee_with_both_affiliations_and_second_tutor_corresponding_is_fine():
    assert codes(POLICY, [author(1, 1), author(2, 3, corresponding=True)]) == []


def test_corresponding_author_who_is_not_a_tutor_is_a_violation_with_a_name():
    violations = check(POLICY, [author(1, 1, corresponding=True), author(2, 2)])
    assert [v.code for v in violations] == ["corresponding_not_tutor"]
    assert "Author 1" in violations[0].message


def test_first_tutor_rule_refuses_the_second_tutor():
    policy = PolicyFacts(**{**POLICY.__dict__, "corresponding_author_rule": "first_tutor"})
    assert codes(policy, [author(1, 1), author(2, 3, corresponding=True)]) == [
        "corresponding_not_tutor"
    ]


def test_any_author_rule_accepts_anyone_but_needs_someone():
    policy = PolicyFacts(**{**POLICY.__dict__, "corresponding_author_rule": "any_author"})
    assert codes(policy, [author(1, 1, corresponding=True)]) == []
    assert codes(policy, [author(1, 1)]) == ["no_corresponding"]


def test_trainee_missing_the_host_affiliation_names_it():
    violations = check(POLICY, [author(1, 1, institutions=(10,)), author(2, 2, corresponding=True)])
    assert [v.code for v in violations] == ["trainee_affiliations"]
    assert "EMU" in violations[0].message and "WMU" not in violations[0].message


def test_affiliation_rule_can_be_off():
    policy = PolicyFacts(**{**POLICY.__dict__, "trainee_lists_both_institutions": False})
    assert codes(policy, [author(1, 1, institutions=()), author(2, 2, corresponding=True)]) == []


def test_every_author_needs_a_credit_role():
    violations = check(POLICY, [author(1, 1), author(2, 2, corresponding=True, roles=())])
    assert [v.code for v in violations] == ["credit_roles"]
    assert "2. Author 2" in violations[0].message


def test_trainee_not_linked_is_reported():
    assert codes(POLICY, [author(1, None), author(2, 2, corresponding=True)]) == [
        "trainee_not_author"
    ]

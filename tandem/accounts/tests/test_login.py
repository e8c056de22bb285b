import pytest
from django.urls import reverse

from tandem.accounts.tests.factories import PASSWORD, UserFactory


@pytest.mark.django_db
def test_login_page_renders_in_both_languages(client):
    assert "Sign in to Tandem" in client.get(reverse("login")).content.decode()
    client.cookies["django_language"] = "zh-hans"
    assert client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-hans").status_code == 200


@pytest.mark.django_db
def test_account_is_locked_after_repeated_failures(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    user = UserFactory(username="lockme")
    for _ in range(3):
        response = client.post(reverse("login"), {"username": "lockme", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(reverse("login"), {"username": "lockme", "password": PASSWORD})
    # Even the right password is refused, with the answer any failed sign-in gets.
    assert "The username or password is not correct." in response.content.decode()
    user.refresh_from_db()
    assert user.locked_until is not None
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_successful_login_resets_the_failure_count(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    user = UserFactory(username="steady")
    client.post(reverse("login"), {"username": "steady", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "steady", "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.failed_login_count == 0


@pytest.mark.django_db
def test_password_reset_by_email_lets_the_person_choose_a_new_password(client, mailoutbox):
    user = UserFactory(username="forgetful", email="forgetful@example.org")
    response = client.post(reverse("password_reset"), {"email": "forgetful@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link[link.index("/accounts/reset/") :].strip()
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "a fresh long passphrase 42",
            "new_password2": "a fresh long passphrase 42",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a fresh long passphrase 42")


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mailoutbox == []


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2_in_production(settings):
    # conftest swaps in a fast hasher for tests; here the project's own setting applies.
    import config.settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = UserFactory(username="hashed")
    user.set_password("a long passphrase for argon")
    user.save()
    assert user.password.startswith("argon2$")
    assert user.check_password("a long passphrase for argon")


def _fail_until_locked(client, username, limit):
    for _ in range(limit):
        client.post(reverse("login"), {"username": username, "password": "wrong"})


@pytest.mark.django_db
def test_a_locked_account_answers_like_an_unknown_username(client, settings, mailoutbox):
    settings.LOGIN_FAILURE_LIMIT = 3
    UserFactory(username="lockme")
    _fail_until_locked(client, "lockme", 3)
    _fail_until_locked(client, "nosuchuser", 3)

    locked = client.post(reverse("login"), {"username": "lockme", "password": PASSWORD})
    unknown = client.post(reverse("login"), {"username": "nosuchuser", "password": PASSWORD})

    assert locked.status_code == unknown.status_code == 200
    assert locked.context["form"].errors == unknown.context["form"].errors
    assert "locked until" not in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_locked_account_still_runs_the_password_hasher(client, settings, monkeypatch):
    from django.contrib.auth import base_user

    settings.LOGIN_FAILURE_LIMIT = 3
    UserFactory(username="lockme")
    _fail_until_locked(client, "lockme", 3)
    calls = []
    original = base_user.check_password
    monkeypatch.setattr(
        "django.contrib.auth.base_user.check_password",
        lambda *a, **k: calls.append(1) or original(*a, **k),
    )
    client.post(reverse("login"), {"username": "lockme", "password": PASSWORD})
    assert calls, "a locked account must take as long to refuse as any other"


@pytest.mark.django_db
def test_the_owner_of_a_locked_account_is_told_by_email_in_their_language(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.LOGIN_FAILURE_LIMIT = 3
    UserFactory(username="lockme", email="lockme@example.org", preferred_language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        _fail_until_locked(client, "lockme", 3)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["lockme@example.org"]
    assert "锁定" in message.subject
    assert "/accounts/password-reset/" in message.body
    # One notice per lock, not one per refused attempt while it lasts.
    with django_capture_on_commit_callbacks(execute=True):
        _fail_until_locked(client, "lockme", 2)
    assert len(mailoutbox) == 1

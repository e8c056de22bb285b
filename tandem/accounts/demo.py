"""Demo logins: accounts with a known username and password.

No service makes such an account (an invitation makes one without a password, named after its
e-mail address), so the demo makes the account row here and gives every role and profile through
the services of this app.
"""

from tandem.accounts.models import User


def demo_account(username: str, full_name: str, password_hash: str, language: str) -> User:
    return User.objects.create(
        username=username,
        full_name=full_name,
        email=f"{username}@demo.tandem.invalid",
        password=password_hash,
        preferred_language=language,
    )

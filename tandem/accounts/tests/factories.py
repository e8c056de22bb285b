import factory

from tandem.accounts.models import (
    Membership,
    Role,
    StudentNumber,
    TraineeKind,
    TraineeProfile,
    TutorProfile,
    User,
)
from tandem.institutions.tests.factories import InstitutionFactory

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    institution = factory.SubFactory(InstitutionFactory)
    role = Role.TRAINEE


class TraineeProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TraineeProfile

    user = factory.SubFactory(UserFactory)
    kind = TraineeKind.DOCTORAL
    cohort = 2025


class StudentNumberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentNumber

    trainee = factory.SubFactory(TraineeProfileFactory)
    institution = factory.SubFactory(InstitutionFactory)
    number = factory.Sequence(lambda n: f"S{n:06d}")


class TutorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TutorProfile

    user = factory.SubFactory(UserFactory)
    title = "Professor"
    qualification = "doctoral"
    annual_quota = 3

import factory

from tandem.institutions.models import Institution, InstitutionKind, Region, Unit, UnitKind


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Institution {n}")
    name_zh = factory.Sequence(lambda n: f"机构{n}")
    code = factory.Sequence(lambda n: f"inst-{n}")
    kind = InstitutionKind.UNIVERSITY
    region = Region.EASTERN


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Department {n}")
    kind = UnitKind.DEPARTMENT

import factory

from tandem.institutions.tests.factories import InstitutionFactory
from tandem.resources.models import ResourceKind, ResourceOpening, SharedResource


class SharedResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SharedResource

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Confocal microscope {n}")
    kind = ResourceKind.INSTRUMENT


class ResourceOpeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceOpening

    resource = factory.SubFactory(SharedResourceFactory)

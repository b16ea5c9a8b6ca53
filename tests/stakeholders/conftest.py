import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from puente.accounts.models import User
from puente.stakeholders.models import Membership, Organisation
from tests.accounts.factories import AdminFactory, UserFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory

ROLES = (
    "visitor",
    "stranger",
    "pending",
    "member",
    "org_admin",
    "other_admin",
    "platform_admin",
)


def png_upload(name: str = "logo.png", size: tuple[int, int] = (8, 8)) -> SimpleUploadedFile:
    """Return a small, real PNG image as an upload."""
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@dataclass
class World:
    """One organisation seen by a person in each role, plus a second organisation."""

    organisation: Organisation
    other: Organisation
    people: dict[str, User | None]
    pending_request: Membership

    def person(self, role: str) -> User | None:
        return self.people[role]


@pytest.fixture
def world(db) -> World:
    organisation = OrganisationFactory(name="Agencia Digital", acronym="AD", slug="ad")
    other = OrganisationFactory(name="Other Ministry", acronym="OM", slug="om")
    org_admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).person
    # A second admin, so that the first may leave without breaking the last-admin rule.
    MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    member = MembershipFactory(organisation=organisation).person
    pending_request = MembershipFactory(organisation=organisation, status=Membership.Status.PENDING)
    other_admin = MembershipFactory(organisation=other, role=Membership.Role.ADMIN).person
    people: dict[str, User | None] = {
        "visitor": None,
        "stranger": UserFactory(),
        "pending": pending_request.person,
        "member": member,
        "org_admin": org_admin,
        "other_admin": other_admin,
        "platform_admin": AdminFactory(),
    }
    return World(
        organisation=organisation,
        other=other,
        people=people,
        pending_request=pending_request,
    )

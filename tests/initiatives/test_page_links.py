"""The initiative page and the partnership's portfolio link to what each reader may do next."""

import pytest
from django.test import Client

from puente.initiatives.models import Visibility
from tests.initiatives.factories import (
    IndicatorFactory,
    MilestoneFactory,
    PlaceFactory,
    ResultFactory,
    TransactionFactory,
)
from tests.initiatives.worlds import initiative_world

pytestmark = pytest.mark.django_db

ADD_LINKS = ("transaction", "budget", "milestone", "place", "document", "result")


def _page(role: str, world) -> str:
    client = Client()
    person = world.person(role)
    if person is not None:
        client.force_login(person)
    response = client.get(world.initiative.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _url(kind: str, world, **extra: object) -> str:
    from django.urls import reverse

    return reverse(
        f"initiatives:{kind}",
        kwargs={
            "partnership_slug": world.partnership.slug,
            "slug": world.initiative.slug,
            **extra,
        },
    )


@pytest.mark.parametrize(
    ("role", "edits"),
    [
        ("visitor", False),
        ("member", False),
        ("implementing_admin", False),
        ("accountable_admin", True),
        ("facilitator", True),
        ("platform_admin", True),
    ],
)
def test_editors_get_links_to_add_and_change_every_part(role, edits):
    world = initiative_world()
    initiative = world.initiative
    transaction = TransactionFactory(initiative=initiative)
    milestone = MilestoneFactory(initiative=initiative)
    place = PlaceFactory(initiative=initiative)
    indicator = IndicatorFactory(result=ResultFactory(initiative=initiative))

    html = _page(role, world)

    links = [_url(f"{kind}-create", world) for kind in ADD_LINKS] + [
        _url("transaction-edit", world, pk=transaction.pk),
        _url("milestone-edit", world, pk=milestone.pk),
        _url("place-edit", world, pk=place.pk),
        _url("indicator-edit", world, pk=indicator.pk),
        _url("period-create", world, parent_pk=indicator.pk),
        _url("indicator-create", world, parent_pk=indicator.result.pk),
    ]
    for link in links:
        assert (f'href="{link}"' in html) is edits, link


def test_a_public_initiative_links_to_its_iati_xml_and_a_members_only_one_does_not():
    world = initiative_world()
    iati = _url("iati-activity", world)
    assert f'href="{iati}"' in _page("visitor", world)

    world.initiative.visibility = Visibility.MEMBERS
    world.initiative.save()
    assert "iati.xml" not in _page("member", world)


def test_the_partnership_portfolio_offers_adding_to_facilitators_only():
    from django.urls import reverse

    world = initiative_world()
    url = reverse(
        "initiatives:partnership-portfolio", kwargs={"partnership_slug": world.partnership.slug}
    )
    create = reverse(
        "initiatives:initiative-create", kwargs={"partnership_slug": world.partnership.slug}
    )
    facilitator = Client()
    person = world.person("facilitator")
    assert person is not None
    facilitator.force_login(person)
    assert f'href="{create}"' in facilitator.get(url).content.decode()
    assert f'href="{create}"' not in Client().get(url).content.decode()
    assert "/pledges/" in Client().get(url).content.decode()


def test_the_portfolio_links_to_the_map_the_dashboard_and_the_rates():
    from django.urls import reverse

    world = initiative_world()
    html = (
        Client()
        .get(
            reverse(
                "initiatives:partnership-portfolio",
                kwargs={"partnership_slug": world.partnership.slug},
            )
        )
        .content.decode()
    )
    suffix = f"?partnership={world.partnership.slug}"
    assert f'href="{reverse("initiatives:map")}{suffix}"' in html
    assert f'href="{reverse("initiatives:dashboard")}{suffix}"' in html
    assert f'href="{reverse("initiatives:exchange-rates")}"' in html

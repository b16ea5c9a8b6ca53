import pytest
from django import forms
from django.http import QueryDict

from puente.core.models import Theme
from puente.stakeholders.forms import InvitationForm, OrganisationFilterForm, OrganisationForm
from tests.stakeholders.factories import OrganisationFactory


def _filter_form(query: str, countries=("CL", "ES")) -> OrganisationFilterForm:
    return OrganisationFilterForm(QueryDict(query), country_codes=countries)


def test_filter_form_drops_values_it_does_not_offer():
    form = _filter_form(
        "type=academia&type=guild&region=LAC&region=MARS&country=ZZ&theme=ai&theme=x"
    )
    assert form.is_valid()
    assert form.selector_arguments() == {
        "query": "",
        "stakeholder_types": ["academia"],
        "regions": ["LAC"],
        "countries": [],
        "themes": ["ai"],
    }


def test_filter_form_offers_only_the_given_countries_by_region_then_name():
    form = _filter_form("", countries=["ES", "BR", "CL", "DE"])
    field = form.fields["country"]
    assert isinstance(field, forms.ChoiceField)
    assert field.choices == [
        ("European Union", [("DE", "Germany"), ("ES", "Spain")]),
        ("Latin America and the Caribbean", [("BR", "Brazil"), ("CL", "Chile")]),
    ]


def test_filter_form_sends_every_country_chosen_as_checkboxes():
    form = _filter_form("country=ES&country=CL", countries=["ES", "BR", "CL"])
    assert form.is_valid()
    assert form.selector_arguments()["countries"] == ["ES", "CL"]
    html = str(form["country"])
    assert html.count('type="checkbox" name="country"') == 3
    assert html.count(" checked") == 2


def test_filter_form_keeps_valid_filters_when_the_search_is_too_long():
    form = _filter_form("q=" + "x" * 201 + "&region=EU")
    assert not form.is_valid()
    assert "q" in form.errors
    assert form.selector_arguments()["regions"] == ["EU"]
    assert form.selector_arguments()["query"] == ""


def test_filter_form_labels_every_field_for_assistive_technology():
    html = _filter_form("").as_div()
    assert 'for="id_q"' in html
    for legend in ("Stakeholder type", "Region", "Country", "Theme"):
        assert legend in html


@pytest.mark.django_db
def test_organisation_form_works_out_the_region_when_left_empty():
    form = OrganisationForm(
        {"name": "Uni", "stakeholder_type": "academia", "country": "PE", "region": ""}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["region"] == "LAC"


@pytest.mark.django_db
def test_organisation_form_offers_the_verified_flag_only_to_those_who_may_verify():
    assert "is_verified" not in OrganisationForm().fields
    organisation = OrganisationFactory(is_verified=True)
    form = OrganisationForm(instance=organisation, can_verify=True)
    assert form.fields["is_verified"].initial is True


@pytest.mark.django_db
def test_organisation_form_passes_only_service_arguments():
    theme = Theme.objects.get(code="ai")
    form = OrganisationForm(
        {
            "name": "Uni",
            "stakeholder_type": "academia",
            "country": "PE",
            "themes": [theme.pk],
            "is_verified": "on",
        },
        can_verify=True,
    )
    assert form.is_valid(), form.errors
    arguments = form.service_arguments()
    assert "is_verified" not in arguments
    assert "logo" not in arguments
    assert list(arguments["themes"]) == [theme]


def test_invitation_form_lowercases_the_address():
    form = InvitationForm({"email": "Guest@Example.ORG", "role": "member"})
    assert form.is_valid()
    assert form.cleaned_data["email"] == "guest@example.org"

import pytest
from django.core.exceptions import ValidationError

from puente.partnerships.forms import (
    FacilitatorInvitationForm,
    OrganisationAddForm,
    PartnershipForm,
    add_service_errors,
)
from tests.stakeholders.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_service_errors_land_on_the_form_field_or_above_the_form():
    form = FacilitatorInvitationForm({"email": "ana@example.org"})
    form.is_valid()

    add_service_errors(
        form,
        ValidationError({"person": "Already there.", "slug": "Taken.", "__all__": "Odd."}),
        renames={"person": "email"},
    )

    assert form.errors["email"] == ["Already there."]
    assert form.non_field_errors() == ["Taken.", "Odd."]


def test_a_plain_service_error_goes_above_the_form():
    form = PartnershipForm({"title": "BELLA", "visibility": "public"})
    form.is_valid()

    add_service_errors(form, ValidationError("Something is wrong."))

    assert form.non_field_errors() == ["Something is wrong."]


def test_organisation_form_offers_the_candidates_but_accepts_any_organisation():
    offered, other = OrganisationFactory(name="Offered"), OrganisationFactory(name="Other")

    form = OrganisationAddForm({"organisation": other.pk}, candidates=[offered])

    assert "Offered" in str(form["organisation"])
    assert "Other" not in str(form["organisation"])
    assert form.is_valid()
    assert form.cleaned_data["organisation"] == other

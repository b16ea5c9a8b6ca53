"""Output shapes shared by several endpoints: organisations, partnerships, memberships, errors."""

from typing import Any, cast

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.fields import empty

from puente.accounts.models import User
from puente.core.choices import Region, StakeholderType, ThemeCode
from puente.core.models import Theme
from puente.partnerships.models import FacilitatorInvitation, Partnership, PartnershipJoinRequest
from puente.partnerships.permissions import can_edit_partnership
from puente.stakeholders.models import Invitation, Membership, Organisation


@extend_schema_field(OpenApiTypes.URI)
class AbsoluteUrlField(serializers.Field[str, str, str, Any]):
    """Render a path (such as get_absolute_url) as an absolute URL of the request's host."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: str) -> str:
        """Return the absolute URL of the path."""
        request = self.context.get("request")
        return request.build_absolute_uri(value) if request is not None else value


BLANK_PARAMETER = _("Give a value, or leave the parameter out.")


def _refuse_over_length(field: serializers.CharField, data: object) -> None:
    """Refuse text longer than max_length as sent, as the schema's maxLength does."""
    # DRF trims surrounding whitespace first, so "\n" + 200 letters would pass max_length=200.
    if isinstance(data, str) and field.max_length is not None and len(data) > field.max_length:
        field.fail("max_length", max_length=field.max_length)


class BoundedCharField(serializers.CharField):
    """Text whose max_length counts every character sent, surrounding whitespace included."""

    def run_validation(self, data: Any = empty) -> Any:
        """Refuse text over max_length, then validate as usual."""
        _refuse_over_length(self, data)
        return super().run_validation(data)


class BoundedEmailField(serializers.EmailField):
    """An e-mail address whose max_length counts every character sent."""

    def run_validation(self, data: Any = empty) -> Any:
        """Refuse text over max_length, then validate as usual."""
        _refuse_over_length(self, data)
        return super().run_validation(data)


@extend_schema_field(
    {
        "anyOf": [
            {
                "type": "string",
                "format": "uri",
                "pattern": "^([Hh][Tt][Tt][Pp]|[Ff][Tt][Pp])[Ss]?://",
                "maxLength": 300,
            },
            {"type": "string", "maxLength": 0},
        ]
    }
)
class WebsiteField(serializers.URLField):
    """A web address (http, https, ftp or ftps, as Django's URLValidator), or an empty string."""

    def run_validation(self, data: Any = empty) -> Any:
        """Refuse text over max_length, then validate as usual."""
        _refuse_over_length(self, data)
        return super().run_validation(data)


class CountryCodeField(CountryField):
    """Accept an ISO 3166-1 alpha-2 code (or a country name) given as text only."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]  # django-countries is untyped

    def to_internal_value(self, data: object) -> Any:
        """Refuse numbers, lists and objects before looking the country up."""
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data.strip())


@extend_schema_field({"type": "string", "enum": Region.values}, component_name="Region")
class RegionField(serializers.ChoiceField):
    """A region code: EU, LAC or OTHER."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Region.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": ThemeCode.values}, component_name="ThemeCode")
class ThemeCodeField(serializers.ChoiceField):
    """A theme code, such as connectivity or ai."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ThemeCode.choices, **kwargs)


def organisation_slug_field(**kwargs: Any) -> serializers.SlugRelatedField[Organisation]:
    """Return a field that takes an organisation's slug and gives the organisation."""
    kwargs.setdefault("help_text", _("Slug of the organisation."))
    return serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        error_messages={"does_not_exist": _("No organisation has this slug.")},
        **kwargs,
    )


def person_id_field(**kwargs: Any) -> serializers.PrimaryKeyRelatedField[User]:
    """Return a field that takes a person's id and gives the active person."""
    kwargs.setdefault("help_text", _("Id of the person."))
    return serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        error_messages={"does_not_exist": _("No person has this id.")},
        **kwargs,
    )


class QueryParametersSerializer(serializers.Serializer[Any]):
    """Query parameters: one given without a value is refused, not taken as left out."""

    def to_internal_value(self, data: Any) -> Any:
        """Refuse empty parameters by name, then validate as usual."""
        given = data.getlist if hasattr(data, "getlist") else lambda name: [data[name]]
        names: list[str] = list(self.fields.keys())
        blank: dict[str, list[serializers.ErrorDetail]] = {
            name: [serializers.ErrorDetail(str(BLANK_PARAMETER), code="blank")]
            for name in names
            if name in data and any(not str(value).strip() for value in given(name))
        }
        if blank:
            raise serializers.ValidationError(blank)
        return super().to_internal_value(data)


class LanguageQuerySerializer(QueryParametersSerializer):
    """Parse ?lang, which overrides the Accept-Language header."""

    lang = serializers.ChoiceField(
        choices=[],
        required=False,
        help_text=_("Language of names; overrides the Accept-Language header."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(serializers.ChoiceField, self.fields["lang"]).choices = settings.LANGUAGES


class ErrorItemSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(
        help_text=_("Path of the faulty field, such as themes[1]; empty for the whole request.")
    )
    message = serializers.CharField()
    code = serializers.CharField()


# The body of every 4xx response; built by name because "errors" is a Serializer attribute.
ErrorSerializer = inline_serializer(
    name="Error",
    fields={"detail": serializers.CharField(), "errors": ErrorItemSerializer(many=True)},
)


class ThemeSerializer(serializers.Serializer[Theme]):
    code = ThemeCodeField(read_only=True)
    name = serializers.CharField(read_only=True, help_text=_("Name in the active language."))


class LanguageCodeField(serializers.ChoiceField):
    """One of the site's language codes."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[], **kwargs)
        # Read per field, not when the module is imported; the schema takes its enum from here.
        self.choices = [code for code, _name in settings.LANGUAGES]


class DescriptionTranslationSerializer(serializers.Serializer[Any]):
    language = LanguageCodeField(read_only=True)
    description = serializers.CharField(read_only=True, help_text=_("Markdown."))
    updated_at = serializers.DateTimeField(read_only=True)


class PersonSerializer(serializers.Serializer[User]):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)


class OrganisationSummarySerializer(serializers.Serializer[Organisation]):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class OrganisationSerializer(serializers.Serializer[Organisation]):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable identifier."))
    slug = serializers.SlugField(read_only=True, help_text=_("Readable identifier used in URLs."))
    name = serializers.CharField(read_only=True)
    acronym = serializers.CharField(read_only=True)
    also_known_as = serializers.CharField(
        read_only=True, help_text=_("Other names and acronyms, separated by commas.")
    )
    stakeholder_type = serializers.ChoiceField(choices=StakeholderType.choices, read_only=True)
    region = RegionField(read_only=True)
    country = CountryCodeField(read_only=True)
    website = WebsiteField(read_only=True)
    description = serializers.CharField(read_only=True)
    description_language = LanguageCodeField(
        read_only=True, help_text=_("The language the description is written in.")
    )
    translations = DescriptionTranslationSerializer(
        many=True, read_only=True, help_text=_("Translations of the description, by people.")
    )
    themes = ThemeSerializer(many=True, read_only=True)
    logo = serializers.ImageField(read_only=True, allow_null=True)
    is_verified = serializers.BooleanField(read_only=True)
    url = AbsoluteUrlField(source="get_absolute_url", help_text=_("The organisation's web page."))
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class OrganisationDetailSerializer(OrganisationSerializer):
    n_members = serializers.IntegerField(read_only=True, help_text=_("Active members."))


class PartnershipSerializer(serializers.Serializer[Partnership]):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable identifier."))
    slug = serializers.SlugField(read_only=True, help_text=_("Readable identifier used in URLs."))
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    description_language = LanguageCodeField(
        read_only=True, help_text=_("The language the description is written in.")
    )
    translations = DescriptionTranslationSerializer(
        many=True, read_only=True, help_text=_("Translations of the description, by people.")
    )
    regions = serializers.ListField(child=RegionField(), read_only=True)
    visibility = serializers.ChoiceField(choices=Partnership.Visibility.choices, read_only=True)
    url = AbsoluteUrlField(source="get_absolute_url", help_text=_("The partnership's web page."))
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class PartnershipSummarySerializer(PartnershipSerializer):
    n_organisations = serializers.IntegerField(read_only=True, help_text=_("Member organisations."))


class PartnershipDetailSerializer(PartnershipSerializer):
    organisations = OrganisationSummarySerializer(many=True, read_only=True)
    facilitators = PersonSerializer(many=True, read_only=True)
    is_discoverable = serializers.SerializerMethodField(
        help_text=_(
            "Members-only partnerships: whether outsiders see its title and may ask to join. "
            "Given to its facilitators and platform admins; null for everyone else."
        )
    )

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_is_discoverable(self, partnership: Partnership) -> bool | None:
        """Return the setting to those who may change it."""
        request = self.context.get("request")
        if request is None or not can_edit_partnership(request.user, partnership):
            return None
        return partnership.is_discoverable


class PartnershipMemberSerializer(serializers.Serializer[Any]):
    organisation = OrganisationSummarySerializer(read_only=True)
    joined_at = serializers.DateTimeField(read_only=True)


class PartnershipReferenceSerializer(serializers.Serializer[Partnership]):
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)


class FacilitatorInvitationSerializer(serializers.Serializer[FacilitatorInvitation]):
    id = serializers.IntegerField(read_only=True)
    partnership = PartnershipReferenceSerializer(read_only=True)
    email = serializers.EmailField(read_only=True)
    invited_by = PersonSerializer(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)


class PartnershipJoinRequestSerializer(serializers.Serializer[PartnershipJoinRequest]):
    id = serializers.IntegerField(read_only=True)
    partnership = PartnershipReferenceSerializer(read_only=True)
    organisation = OrganisationSummarySerializer(read_only=True)
    requested_by = PersonSerializer(read_only=True, allow_null=True)
    message = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=PartnershipJoinRequest.Status.choices, read_only=True)
    decision_reason = serializers.CharField(read_only=True)
    decided_by = PersonSerializer(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)


class MembershipSerializer(serializers.Serializer[Membership]):
    id = serializers.IntegerField(read_only=True)
    person = PersonSerializer(read_only=True)
    organisation = OrganisationSummarySerializer(read_only=True)
    role = serializers.ChoiceField(choices=Membership.Role.choices, read_only=True)
    status = serializers.ChoiceField(choices=Membership.Status.choices, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)


class InvitationSerializer(serializers.Serializer[Invitation]):
    id = serializers.IntegerField(read_only=True)
    organisation = OrganisationSummarySerializer(read_only=True)
    email = serializers.EmailField(read_only=True)
    role = serializers.ChoiceField(choices=Membership.Role.choices, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class CountrySerializer(serializers.Serializer[Any]):
    code = serializers.CharField(read_only=True, help_text=_("ISO 3166-1 alpha-2 code."))
    name = serializers.CharField(read_only=True, help_text=_("Name in the active language."))
    region = RegionField(read_only=True)

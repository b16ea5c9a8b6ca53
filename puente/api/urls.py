from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from .views import (
    agenda,
    auth,
    dialogue_invitations,
    dialogues,
    initiative_parts,
    initiatives,
    memberships,
    moderation,
    notifications,
    organisations,
    partnerships,
    places,
    results,
    root,
    translations,
    vocabularies,
    votes,
)
from .views import statements as statement_apis

app_name = "api"

urlpatterns = [
    path("", root.ApiRootApi.as_view(), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file, so the page needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Redoc styles itself with <style> elements at run time and searches in a blob: worker;
    # scripts stay as strict as everywhere else.
    path(
        "redoc/",
        csp_update({"style-src": [UNSAFE_INLINE], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="api:schema")
        ),
        name="redoc",
    ),
    path("auth/token/", auth.AuthTokenApi.as_view(), name="auth-token"),
    path(
        "notifications/",
        notifications.NotificationListApi.as_view(),
        name="notification-list",
    ),
    path(
        "notifications/read-all/",
        notifications.NotificationReadAllApi.as_view(),
        name="notification-read-all",
    ),
    path(
        "notifications/preferences/",
        notifications.NotificationPreferencesApi.as_view(),
        name="notification-preferences",
    ),
    path(
        "notifications/<int:notification_id>/read/",
        notifications.NotificationReadApi.as_view(),
        name="notification-read",
    ),
    path(
        "auth/token/session/",
        auth.AuthSessionTokenCreateApi.as_view(),
        name="auth-token-session",
    ),
    path(
        "organisations/",
        organisations.OrganisationCollectionApi.as_view(),
        name="organisation-list",
    ),
    path(
        "organisations/<slug:slug>/",
        organisations.OrganisationItemApi.as_view(),
        name="organisation-detail",
    ),
    path(
        "organisations/<slug:slug>/translations/<str:language>/",
        translations.OrganisationTranslationApi.as_view(),
        name="organisation-translation",
    ),
    path(
        "organisations/<slug:slug>/verify/",
        organisations.OrganisationVerifyApi.as_view(),
        name="organisation-verify",
    ),
    path(
        "partnerships/",
        partnerships.PartnershipCollectionApi.as_view(),
        name="partnership-list",
    ),
    path(
        "partnerships/<slug:slug>/",
        partnerships.PartnershipItemApi.as_view(),
        name="partnership-detail",
    ),
    path(
        "partnerships/<slug:slug>/translations/<str:language>/",
        translations.PartnershipTranslationApi.as_view(),
        name="partnership-translation",
    ),
    path(
        "partnerships/<slug:slug>/organisations/",
        partnerships.PartnershipMemberAddApi.as_view(),
        name="partnership-member-add",
    ),
    path(
        "partnerships/<slug:slug>/organisations/<slug:organisation_slug>/",
        partnerships.PartnershipMemberRemoveApi.as_view(),
        name="partnership-member-remove",
    ),
    path(
        "partnerships/<slug:slug>/facilitators/",
        partnerships.FacilitatorInvitationCreateApi.as_view(),
        name="partnership-facilitator-invite",
    ),
    path(
        "partnerships/<slug:slug>/facilitator-invitations/",
        partnerships.FacilitatorInvitationListApi.as_view(),
        name="facilitator-invitation-list",
    ),
    path(
        "partnerships/<slug:slug>/facilitator-invitations/<int:invitation_id>/",
        partnerships.FacilitatorInvitationRevokeApi.as_view(),
        name="facilitator-invitation-revoke",
    ),
    path(
        "facilitator-invitations/accept/",
        partnerships.FacilitatorInvitationAcceptApi.as_view(),
        name="facilitator-invitation-accept",
    ),
    path(
        "facilitator-invitations/decline/",
        partnerships.FacilitatorInvitationDeclineApi.as_view(),
        name="facilitator-invitation-decline",
    ),
    path(
        "partnerships/<slug:slug>/join-requests/",
        partnerships.JoinRequestCollectionApi.as_view(),
        name="partnership-join-request-list",
    ),
    path(
        "partnerships/<slug:slug>/join-requests/<int:join_request_id>/approve/",
        partnerships.JoinRequestApproveApi.as_view(),
        name="partnership-join-request-approve",
    ),
    path(
        "partnerships/<slug:slug>/join-requests/<int:join_request_id>/decline/",
        partnerships.JoinRequestDeclineApi.as_view(),
        name="partnership-join-request-decline",
    ),
    path(
        "partnerships/<slug:slug>/join-requests/<int:join_request_id>/withdraw/",
        partnerships.JoinRequestWithdrawApi.as_view(),
        name="partnership-join-request-withdraw",
    ),
    path(
        "partnerships/<slug:slug>/facilitators/<int:person_id>/",
        partnerships.PartnershipFacilitatorRemoveApi.as_view(),
        name="partnership-facilitator-remove",
    ),
    path(
        "partnerships/<slug:slug>/dialogues/",
        dialogues.DialogueCollectionApi.as_view(),
        name="dialogue-list",
    ),
    path(
        "partnerships/<slug:slug>/dialogues/<slug:dialogue_slug>/",
        dialogues.DialogueItemApi.as_view(),
        name="dialogue-detail",
    ),
    path(
        "partnerships/<slug:slug>/dialogues/<slug:dialogue_slug>/phase/",
        dialogues.DialoguePhaseMoveApi.as_view(),
        name="dialogue-phase-move",
    ),
    path(
        "partnerships/<slug:slug>/dialogues/<slug:dialogue_slug>/participation/",
        dialogues.ParticipationSetApi.as_view(),
        name="dialogue-participation",
    ),
    path(
        "partnerships/<slug:slug>/dialogues/<slug:dialogue_slug>/votes/mine/",
        votes.MyVoteListApi.as_view(),
        name="dialogue-my-votes",
    ),
    path(
        "partnerships/<slug:slug>/dialogues/<slug:dialogue_slug>/pairs/next/",
        votes.NextPairApi.as_view(),
        name="dialogue-next-pair",
    ),
    path(
        "partnerships/<slug:slug>/dialogues/<slug:dialogue_slug>/comparisons/",
        votes.ComparisonRecordApi.as_view(),
        name="dialogue-comparisons",
    ),
    path(
        "statements/<int:statement_id>/vote/",
        votes.StatementVoteApi.as_view(),
        name="statement-vote",
    ),
    path(
        "partnerships/<slug:slug>/dialogues/<slug:dialogue_slug>/results/",
        results.DialogueResultsApi.as_view(),
        name="dialogue-results",
    ),
    path(
        "partnerships/<slug:slug>/dialogues/<slug:dialogue_slug>/results/refresh/",
        results.DialogueResultsRefreshApi.as_view(),
        name="dialogue-results-refresh",
    ),
    path(
        "partnerships/<slug:slug>/dialogues/<slug:dialogue_slug>/agenda/versions/",
        agenda.AgendaVersionListApi.as_view(),
        name="agenda-version-list",
    ),
    path(
        "partnerships/<slug:slug>/dialogues/<slug:dialogue_slug>/agenda/versions/<int:number>/",
        agenda.AgendaVersionDetailApi.as_view(),
        name="agenda-version-detail",
    ),
    path(
        "partnerships/<slug:slug>/dialogues/<slug:dialogue_slug>/agenda/versions/<int:number>/"
        "endorsements/",
        agenda.EndorsementCollectionApi.as_view(),
        name="agenda-endorsement-list",
    ),
    path(
        "partnerships/<slug:slug>/dialogues/<slug:dialogue_slug>/agenda/versions/<int:number>/"
        "endorsements/<int:endorsement_id>/withdraw/",
        agenda.EndorsementWithdrawApi.as_view(),
        name="agenda-endorsement-withdraw",
    ),
    path(
        "partnerships/<slug:slug>/dialogues/<slug:dialogue_slug>/agenda/draft/",
        agenda.AgendaDraftApi.as_view(),
        name="agenda-draft",
    ),
    path(
        "partnerships/<slug:slug>/dialogues/<slug:dialogue_slug>/agenda/draft/items/",
        agenda.AgendaItemCreateApi.as_view(),
        name="agenda-item-create",
    ),
    path(
        "partnerships/<slug:slug>/dialogues/<slug:dialogue_slug>/agenda/draft/items/<int:item_id>/",
        agenda.AgendaItemApi.as_view(),
        name="agenda-item",
    ),
    path(
        "partnerships/<slug:slug>/dialogues/<slug:dialogue_slug>/agenda/draft/publish/",
        agenda.AgendaPublishApi.as_view(),
        name="agenda-publish",
    ),
    path(
        "memberships/",
        memberships.MembershipCollectionApi.as_view(),
        name="membership-list",
    ),
    path(
        "memberships/<int:membership_id>/",
        memberships.MembershipRemoveApi.as_view(),
        name="membership-detail",
    ),
    path(
        "memberships/<int:membership_id>/approve/",
        memberships.MembershipApproveApi.as_view(),
        name="membership-approve",
    ),
    path(
        "memberships/<int:membership_id>/decline/",
        memberships.MembershipDeclineApi.as_view(),
        name="membership-decline",
    ),
    path(
        "memberships/<int:membership_id>/role/",
        memberships.MembershipRoleSetApi.as_view(),
        name="membership-role",
    ),
    path("invitations/", memberships.InvitationCreateApi.as_view(), name="invitation-create"),
    path(
        "invitations/accept/",
        memberships.InvitationAcceptApi.as_view(),
        name="invitation-accept",
    ),
    path("themes/", vocabularies.ThemeListApi.as_view(), name="theme-list"),
    path("countries/", vocabularies.CountryListApi.as_view(), name="country-list"),
]

# Statements of a dialogue, their comments and flags, and their moderation.
_STATEMENTS = "partnerships/<slug:slug>/dialogues/<slug:dialogue_slug>/statements/"
urlpatterns += [
    path(_STATEMENTS, statement_apis.StatementCollectionApi.as_view(), name="statement-list"),
    path(
        _STATEMENTS + "<int:statement_id>/",
        statement_apis.StatementItemApi.as_view(),
        name="statement-detail",
    ),
    path(
        _STATEMENTS + "<int:statement_id>/translations/<str:language>/",
        translations.StatementTranslationApi.as_view(),
        name="statement-translation",
    ),
    path(
        _STATEMENTS + "<int:statement_id>/comments/",
        statement_apis.CommentCollectionApi.as_view(),
        name="statement-comments",
    ),
    path(
        _STATEMENTS + "<int:statement_id>/flags/",
        statement_apis.StatementFlagCreateApi.as_view(),
        name="statement-flag",
    ),
    path(
        _STATEMENTS + "<int:statement_id>/comments/<int:comment_id>/flags/",
        statement_apis.CommentFlagCreateApi.as_view(),
        name="comment-flag",
    ),
    path(
        _STATEMENTS + "<int:statement_id>/hide/",
        moderation.StatementHideApi.as_view(),
        name="statement-hide",
    ),
    path(
        _STATEMENTS + "<int:statement_id>/restore/",
        moderation.StatementRestoreApi.as_view(),
        name="statement-restore",
    ),
    path(
        _STATEMENTS + "<int:statement_id>/approve/",
        moderation.StatementApproveApi.as_view(),
        name="statement-approve",
    ),
    path(
        _STATEMENTS + "<int:statement_id>/merge/",
        moderation.StatementMergeApi.as_view(),
        name="statement-merge",
    ),
    path(
        _STATEMENTS + "<int:statement_id>/comments/<int:comment_id>/hide/",
        moderation.CommentHideApi.as_view(),
        name="comment-hide",
    ),
    path(
        _STATEMENTS + "<int:statement_id>/comments/<int:comment_id>/restore/",
        moderation.CommentRestoreApi.as_view(),
        name="comment-restore",
    ),
]

# What the facilitators of a dialogue see to: its flags (the moderation queue) and invitations.
_DIALOGUE = "partnerships/<slug:slug>/dialogues/<slug:dialogue_slug>/"
urlpatterns += [
    path(_DIALOGUE + "flags/", moderation.FlagListApi.as_view(), name="dialogue-flag-list"),
    path(
        _DIALOGUE + "flags/<int:flag_id>/resolve/",
        moderation.FlagResolveApi.as_view(),
        name="dialogue-flag-resolve",
    ),
    path(
        _DIALOGUE + "invitations/",
        dialogue_invitations.DialogueInvitationCollectionApi.as_view(),
        name="dialogue-invitation-list",
    ),
    path(
        _DIALOGUE + "invitations/<int:invitation_id>/",
        dialogue_invitations.DialogueInvitationDeleteApi.as_view(),
        name="dialogue-invitation-detail",
    ),
]

# Initiatives: the portfolio, each initiative and its parts, places as GeoJSON, money.
_INITIATIVE = "partnerships/<slug:slug>/initiatives/<slug:initiative_slug>/"
urlpatterns += [
    path("initiatives/", initiatives.InitiativeListApi.as_view(), name="initiative-list"),
    path("places/", places.PlaceMapApi.as_view(), name="place-map"),
    path("exchange-rates/", initiatives.ExchangeRateListApi.as_view(), name="exchange-rate-list"),
    path(
        "partnerships/<slug:slug>/initiatives/",
        initiatives.PartnershipInitiativeCollectionApi.as_view(),
        name="partnership-initiative-list",
    ),
    path(
        "partnerships/<slug:slug>/pledges/",
        initiatives.PledgeCollectionApi.as_view(),
        name="pledge-list",
    ),
    path(
        "partnerships/<slug:slug>/pledges/<int:pledge_id>/",
        initiatives.PledgeItemApi.as_view(),
        name="pledge-detail",
    ),
    path(_INITIATIVE, initiatives.InitiativeItemApi.as_view(), name="initiative-detail"),
    path(_INITIATIVE + "places/", places.PlaceCollectionApi.as_view(), name="initiative-places"),
    path(
        _INITIATIVE + "places/<int:part_id>/",
        places.PlaceItemApi.as_view(),
        name="initiative-place",
    ),
    *[
        pattern
        for kind, list_api, item_api in initiative_parts.PART_APIS
        for pattern in (
            path(
                _INITIATIVE + kind.list_path, list_api.as_view(), name=f"initiative-{kind.plural}"
            ),
            path(
                _INITIATIVE + f"{kind.plural}/<int:part_id>/",
                item_api.as_view(),
                name=f"initiative-{kind.plural}-item",
            ),
        )
    ],
]

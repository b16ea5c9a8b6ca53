"""Statements, comments and flags are shown in the admin, never changed there."""

import pytest
from django.urls import reverse

from puente.dialogues.models import Flag, Statement
from tests.accounts.factories import AdminFactory, UserFactory
from tests.dialogues.factories import CommentFactory, StatementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


def test_statements_comments_and_flags_are_listed(admin_client):
    statement = StatementFactory(text="Connect every school")
    comment = CommentFactory(statement=statement, text="Agreed, with fibre")
    Flag.objects.create(comment=comment, person=UserFactory(), reason="spam")
    for name, text in (
        ("statement", "Connect every school"),
        ("comment", "Agreed, with fibre"),
        ("flag", "spam"),
    ):
        response = admin_client.get(reverse(f"admin:dialogues_{name}_changelist"))
        assert response.status_code == 200
        assert text in response.text


def test_the_admin_changes_no_statement(admin_client):
    statement = StatementFactory(text="Connect every school")
    assert admin_client.get(reverse("admin:dialogues_statement_add")).status_code == 403
    admin_client.post(
        reverse("admin:dialogues_statement_change", args=[statement.pk]),
        {"text": "Changed", "status": "hidden"},
    )
    response = admin_client.post(
        reverse("admin:dialogues_statement_delete", args=[statement.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    statement.refresh_from_db()
    assert (statement.text, statement.status) == ("Connect every school", "published")
    assert Statement.objects.count() == 1

import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from puente.accounts.models import User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Give the person a verified primary address unless verified=False."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


class AdminFactory(UserFactory):
    """A platform admin: superuser and staff, with two-factor on unless two_factor=False."""

    is_staff = True
    is_superuser = True

    @factory.post_generation
    def two_factor(self, create, extracted, **kwargs):
        """Turn TOTP on, without which the superuser flag gives no powers."""
        if create and extracted is not False:
            totp_activate(self)


class StaffFactory(UserFactory):
    """A staff member who may use the admin site (once two-factor is on), not a superuser."""

    is_staff = True


# A fixed base32 secret for tests only; the demo data documents its own.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET) -> str:
    """Return the authenticator-app code valid now for the secret."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    code: str = format_hotp_value(hotp_value(secret, counter))
    return code


def totp_activate(person, secret: str = TOTP_SECRET):
    """Turn on TOTP for the person with the secret; return the authenticator."""
    return TOTP.activate(person, secret).instance

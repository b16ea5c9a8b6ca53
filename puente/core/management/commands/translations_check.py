from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import to_locale


class Command(BaseCommand):
    help = "Fail unless every non-English catalogue is complete: no untranslated, no fuzzy entry."

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        for code, _name in settings.LANGUAGES:
            if code == settings.LANGUAGE_CODE:
                continue
            for locale_path in settings.LOCALE_PATHS:
                # Language "pt-br" lives in the locale folder "pt_BR".
                po_path = Path(locale_path) / to_locale(code) / "LC_MESSAGES" / "django.po"
                if not po_path.exists():
                    problems.append(f"{po_path}: missing")
                    continue
                catalogue = polib.pofile(str(po_path))
                untranslated = catalogue.untranslated_entries()
                fuzzy = catalogue.fuzzy_entries()
                if untranslated or fuzzy:
                    problems.append(
                        f"{po_path}: {len(untranslated)} untranslated, {len(fuzzy)} fuzzy"
                        + "".join(f"\n    {entry.msgid[:70]!r}" for entry in untranslated[:5])
                    )
                else:
                    self.stdout.write(f"{po_path}: {len(catalogue)} entries, complete")
        if problems:
            raise CommandError("incomplete translations:\n  " + "\n  ".join(problems))

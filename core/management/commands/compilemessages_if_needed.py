import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile .po catalogues whose .mo is missing or older (needs gettext's msgfmt)."

    def handle(self, *args: Any, **options: Any) -> None:
        stale = []
        # The project's catalogue and each area's own (<app>/locale/).
        bases = [*settings.LOCALE_PATHS, *Path(settings.BASE_DIR).glob("*/locale")]
        for base in bases:
            for po in Path(base).glob("*/LC_MESSAGES/*.po"):
                mo = po.with_suffix(".mo")
                if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                    stale.append(po)
        if stale and shutil.which("msgfmt") is None:
            self.stderr.write("msgfmt not found (apt-get install gettext); using the committed .mo files")
            return
        if stale:
            call_command("compilemessages", verbosity=0, ignore_patterns=[".venv/*"])

"""Set up the whistleblowing channel and print the escrow recovery sheet once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.services import ServiceError
from whistleblowing import crypto, services


class Command(BaseCommand):
    help = (
        "Create the whistleblowing channel's receipt salt and escrow key pair, and print the escrow "
        "private key ONCE as a recovery sheet (it is never stored). --rotate replaces the escrow key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rotate", action="store_true", help="Replace the escrow key (keep the old sheet too).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            ch, private = services.setup_channel(rotate=options["rotate"])
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            "\n".join(
                [
                    "=" * 72,
                    "CANAL DE DENUNCIAS — HOJA DE RECUPERACIÓN (escrow)",
                    f"Huella de la clave pública: {ch.escrow_fingerprint}",
                    "",
                    crypto.sheet_text(private),
                    "",
                    "Imprima esta hoja y guárdela en sobre cerrado (p. ej. caja fuerte de la Alta Dirección).",
                    "No se guarda en ningún otro lugar. Sirve solo si ningún miembro de la función de",
                    "integridad puede abrir los casos: ./sig manage whistleblowing_recover",
                    "=" * 72,
                ]
            )
        )

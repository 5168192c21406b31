"""Fast bulk inserts for the generators: plain INSERTs sent with executemany.

`bulk_create` builds model instances, runs every field's pre_save and get_db_prep_save and compiles
the INSERT for every batch; at hundreds of thousands of rows that costs several times the
database's own work (issue 10: the large build). A `Table` compiles its INSERT once; a row is a
dict by attname, missing fields take the field's default, and only the fields whose Python value
the driver cannot take as it is (dates, datetimes, JSON, decimals…) are adapted, with Django's own
adapters, so a row stores what bulk_create would have stored."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

CHUNK = 5000
# Stored by the drivers exactly as Django would store them: no adapter needed.
PLAIN = (
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.ForeignKey,
)


def datetime_adapter() -> Callable[[Any], Any]:
    """Django's adapt_datetimefield_value, with a fast path for the generators' aware UTC
    datetimes on SQLite (stored as naive UTC text: what make_naive + str give)."""
    adapt = connection.ops.adapt_datetimefield_value
    if connection.vendor != "sqlite" or not str(connection.timezone_name) == "UTC":
        return adapt
    utc = datetime.timezone.utc

    def fast(value: Any) -> Any:
        if isinstance(value, datetime.datetime) and value.tzinfo is utc:
            return str(value.replace(tzinfo=None))
        return adapt(value)

    return fast


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    if isinstance(field, models.DateTimeField):
        return datetime_adapter()
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field, PLAIN):
        return None

    def prep(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    return prep


class Table:
    """An INSERT for every stored, not generated, field of `model` (the primary key too when `with_pk`)."""

    def __init__(self, model: type[models.Model], *, with_pk: bool) -> None:
        ops = connection.ops
        self.model = model
        # not the columns the database computes (GeneratedField, e.g. actions.ActionItem.open)
        self.fields = [f for f in model._meta.concrete_fields if (with_pk or not f.primary_key) and not f.generated]
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model's metadata
            ops.quote_name(model._meta.db_table),
            ", ".join(ops.quote_name(str(f.column)) for f in self.fields),
            ", ".join(["%s"] * len(self.fields)),
        )
        now = timezone.now()  # auto_now / auto_now_add: the moment of the load, as bulk_create's
        self.defaults = [
            None
            if f.primary_key
            else (now if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False) else f.get_default())
            for f in self.fields
        ]
        self.adapters = [_adapter(f) for f in self.fields]
        self.names = [f.attname for f in self.fields]
        self.rows: list[tuple[Any, ...]] = []

    def add(self, values: dict[str, Any]) -> None:
        row = []
        for name, default, adapt in zip(self.names, self.defaults, self.adapters, strict=True):
            value = values.get(name, default)
            row.append(adapt(value) if adapt is not None and value is not None else value)
        self.rows.append(tuple(row))

    def flush(self, cursor: Any) -> int:
        n = len(self.rows)
        for i in range(0, n, CHUNK):
            cursor.executemany(self.sql, self.rows[i : i + CHUNK])
        self.rows = []
        return n


def next_id(model: type[models.Model]) -> int:
    """The first free id after every row of `model` (explicit ids: children can point at them)."""
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(f"SELECT MAX(id) FROM {table}")  # noqa: S608 - the model's own table
        return int(cursor.fetchone()[0] or 0) + 1


def reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    """After explicit ids on PostgreSQL: move the id sequences past them (SQLite follows MAX(id))."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models_)):
            cursor.execute(statement)

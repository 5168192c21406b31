"""Signals other areas listen to (connected in their hooks.register())."""

from django.dispatch import Signal

# Sent inside the transaction that stores a person's new password, with `user`, `old_password`
# (None when the password was set through a link, without the old one) and `new_password`.
# Areas that keep secrets under a key derived from the password (the whistleblowing channel's
# member keys) re-protect them here; an exception rolls the change back.
password_changed = Signal()

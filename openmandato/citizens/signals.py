"""Signals other apps connect to, so that citizens never imports them.

user_deleted(sender, user): sent inside the transaction that anonymises a deleted account; contributions
    stay, credited to "utente cancellato" (the User row is kept, emptied and deactivated).
personal_data_requested(sender, user): each receiver returns (key, JSON-safe data) for the user's
    "download my data" file.
"""

from django.dispatch import Signal

user_deleted = Signal()
personal_data_requested = Signal()

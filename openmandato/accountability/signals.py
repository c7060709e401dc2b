"""Signals sent inside the transaction of a write, for apps that react to it (notifications): receivers
queue their work with `taskqueue.enqueue_in_transaction`, so it commits or rolls back with the write.

progress_recorded(sender, update, previous): a progress update or correction was appended; `previous`
    is the update that was current before it (None for the first).
measurement_recorded(sender, measurement): an indicator measurement was added.
"""

from django.dispatch import Signal

progress_recorded = Signal()
measurement_recorded = Signal()

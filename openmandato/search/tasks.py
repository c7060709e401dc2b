"""Keep search's vocabulary and the compare page's neighbours in step with the programs, in the background."""

from __future__ import annotations

from django.db import transaction

from openmandato.taskqueue import background_task


@background_task
def refresh_search_index(mandate_id: int) -> dict:
    """Count one mandate's words again into the vocabulary and recompute its actions' neighbours: work
    and queries proportional to that mandate, not to the country."""
    from openmandato.search.similarity import refresh_neighbours
    from openmandato.search.vocabulary import refresh_vocabulary

    words = refresh_vocabulary(mandate_id)
    pairs = refresh_neighbours(mandate_id)
    return {"mandate": mandate_id, "words": words, "pairs": pairs}


def schedule_refresh(mandate_id: int | None) -> None:
    """Enqueue a refresh of `mandate_id` when the transaction commits: once, however many saves.

    The callbacks waiting for the commit are the connection's own list (a rolled-back savepoint drops
    its callbacks from it), so the one already waiting for this mandate is found there."""
    if not mandate_id:
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        getattr(callback, "search_mandate", None) == mandate_id
        for _sids, callback, *_ in connection.run_on_commit
    ):
        return

    def enqueue():
        refresh_search_index.enqueue(mandate_id)

    enqueue.search_mandate = mandate_id
    transaction.on_commit(enqueue)

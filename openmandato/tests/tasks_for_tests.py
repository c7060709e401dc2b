"""Tasks the task-queue tests enqueue; the real worker process imports them from here."""

from pathlib import Path

from openmandato.taskqueue import background_task


@background_task
def write_marker(path: str, text: str) -> str:
    Path(path).write_text(text)
    return text


@background_task
def fail_until(counter: str, succeed_at: int) -> int:
    """Fail on the first `succeed_at - 1` runs, then succeed; each run appends a line to `counter`."""
    runs = Path(counter)
    with runs.open("a") as handle:
        handle.write("run\n")
    attempt = len(runs.read_text().splitlines())
    if attempt < succeed_at:
        raise RuntimeError(f"attempt {attempt} fails on purpose")
    return attempt

"""Progress callbacks and cancel tokens: how long work reports and stops.

Core functions take ``progress: ProgressFn`` and ``cancel: CancelToken`` and know
nothing about threads or processes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from synthdesk.errors import Cancelled

__all__ = ["ProgressFn", "no_progress", "scaled", "CancelToken", "NEVER", "Phase", "PhaseBar",
           "TimeLeft", "STAGE_LABELS", "describe_duration"]

ProgressFn = Callable[[float, str], None]


def no_progress(fraction: float, message: str) -> None:
    """Ignore progress."""


def scaled(progress: ProgressFn, start: float, end: float) -> ProgressFn:
    """Map a sub-task's 0..1 progress onto ``start..end`` of the parent's bar.

    Args:
        progress: The parent's callback.
        start: Where the sub-task begins on the parent's bar.
        end: Where it ends.

    Returns:
        A callback for the sub-task.

    """

    def _scaled(fraction: float, message: str) -> None:
        fraction = min(max(fraction, 0.0), 1.0)
        progress(start + (end - start) * fraction, message)

    return _scaled


class CancelToken:
    """A flag the caller sets and the worker checks between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop."""
        self._event.set()

    @property
    def is_set(self) -> bool:
        """Whether cancel was asked for."""
        return self._event.is_set()

    def raise_if_set(self) -> None:
        """Raise :class:`Cancelled` if cancel was asked for."""
        if self._event.is_set():
            raise Cancelled()


class _Never(CancelToken):
    def cancel(self) -> None:  # noqa: D102
        raise RuntimeError("NEVER cannot be cancelled")


NEVER: CancelToken = _Never()


def describe_duration(seconds: float) -> str:
    """Say a duration the way a person would: "about 20 seconds", "about 3 minutes".

    Below 7.5 seconds it says "a few seconds": "about 5 seconds" for a second or two left
    reads as a promise the next second breaks.
    """
    if seconds < 7.5:
        return "a few seconds"
    if seconds < 60:
        return f"about {max(5, round(seconds / 5) * 5):.0f} seconds"
    if seconds < 3600:
        minutes = round(seconds / 60)
        return f"about {minutes} minute{'s' if minutes != 1 else ''}"
    hours = seconds / 3600
    return f"about {hours:.1f} hours"


# The stages a person sees, in the order they run, and what the window and the CLI call them.
STAGE_LABELS = {"preparing": "Preparing", "learning": "Learning", "generating": "Generating",
                "scoring": "Scoring"}


@dataclass(frozen=True)
class Phase:
    """One phase of a job on the progress bar.

    Attributes:
        name: The phase (``read``, ``start``, ``protect``, ``fit``, ``sample``, ``score``,
            ``write``).
        stage: The stage a person sees it as (a key of :data:`STAGE_LABELS`).
        seconds: How long it is expected to take; its share of the bar follows.

    """

    name: str
    stage: str
    seconds: float


class PhaseBar:
    """One progress bar shared by phases in proportion to their expected seconds.

    Phases of one stage are next to each other; stages keep their order.
    """

    def __init__(self, phases: Sequence[Phase]):
        if not phases:
            raise ValueError("a bar needs at least one phase")
        self.phases = tuple(phases)
        weights = [max(p.seconds, 0.0) for p in self.phases]
        total = sum(weights) or float(len(weights))
        if not sum(weights):
            weights = [1.0] * len(weights)
        self._starts: dict[str, float] = {}
        self._ends: dict[str, float] = {}
        position = 0.0
        for phase, weight in zip(self.phases, weights, strict=True):
            self._starts[phase.name] = position
            position += weight / total
            self._ends[phase.name] = position
        self._ends[self.phases[-1].name] = 1.0
        self.stages = tuple(dict.fromkeys(p.stage for p in self.phases))

    def span(self, first: str, last: str | None = None) -> tuple[float, float]:
        """Where phase ``first`` (through ``last``) begins and ends on the bar."""
        return self._starts[first], self._ends[last or first]

    def scaled(self, progress: ProgressFn, first: str, last: str | None = None) -> ProgressFn:
        """A callback for phase ``first`` (through ``last``): its 0..1 onto its span."""
        return scaled(progress, *self.span(first, last))

    def stage_span(self, stage: str) -> tuple[float, float]:
        """Where ``stage`` begins and ends on the bar."""
        names = [p.name for p in self.phases if p.stage == stage]
        return self._starts[names[0]], self._ends[names[-1]]

    def stage_seconds(self, stage: str) -> float:
        """The seconds ``stage`` is expected to take."""
        return sum(p.seconds for p in self.phases if p.stage == stage)

    def locate(self, fraction: float) -> tuple[str, float]:
        """The stage that ``fraction`` of the bar falls in, and how far through it (0..1).

        A fraction on the border of two stages belongs to the one ending there: it is where
        a phase reports that it is done ("Learned every column").
        """
        fraction = min(max(fraction, 0.0), 1.0)
        for stage in self.stages:
            start, end = self.stage_span(stage)
            if fraction <= end or stage == self.stages[-1]:
                return stage, (fraction - start) / (end - start) if end > start else 1.0
        raise AssertionError("unreachable")  # pragma: no cover


# A stage's observed rate is trusted fully once this share of it is done; before, its
# weight grows with the square of the share, so that a first small step (whose rate says
# little) does not outweigh the estimate.
_TRUST_RATE_AT = 0.25


class TimeLeft:
    """Seconds left in a job: the current stage's own rate, then the estimate of the rest.

    While a stage runs, its time left blends the estimate's with the rate seen so far
    (elapsed / share done), the rate weighing more as the stage advances. A stage that runs
    past its estimate with no sign of finishing is taken to need as long again as it has
    overrun, so the time left grows instead of sitting on "5 seconds". Stages still to come
    add their estimated seconds.
    """

    def __init__(self, bar: PhaseBar, started: float):
        self.bar = bar
        self._stage = bar.stages[0]
        self._local = 0.0
        self._stage_started = started

    @property
    def stage(self) -> str:
        """The stage the job is in, from the latest fraction seen."""
        return self._stage

    def update(self, fraction: float, now: float) -> None:
        """Record the bar at ``fraction`` at time ``now`` (monotonic seconds)."""
        stage, local = self.bar.locate(fraction)
        if self.bar.stages.index(stage) > self.bar.stages.index(self._stage):
            self._stage, self._stage_started = stage, now
            self._local = local
        elif stage == self._stage:
            self._local = max(self._local, local)

    def remaining(self, now: float) -> float:
        """Seconds still to go at ``now``."""
        elapsed = max(now - self._stage_started, 0.0)
        expected = self.bar.stage_seconds(self._stage)
        done = self._local
        if done >= 1.0:
            current = 0.0
        else:
            # Past its estimate, a stage is expected to take as long again as it overran.
            prior = expected - elapsed if elapsed <= expected else elapsed - expected
            current = prior
            if done > 0:
                weight = min(done / _TRUST_RATE_AT, 1.0) ** 2
                current = weight * elapsed * (1 - done) / done + (1 - weight) * prior
        later = self.bar.stages[self.bar.stages.index(self._stage) + 1:]
        return current + sum(self.bar.stage_seconds(s) for s in later)

"""The job, its progress and cancel tokens, and the pipeline that runs it."""

from synthdesk.core.job import Job, TrainingPlan
from synthdesk.core.progress import NEVER, CancelToken, ProgressFn, no_progress, scaled

__all__ = ["NEVER", "CancelToken", "Job", "ProgressFn", "TrainingPlan", "no_progress", "scaled"]

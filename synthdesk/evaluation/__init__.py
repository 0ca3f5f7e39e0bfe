"""Scores for faithfulness and privacy."""

from synthdesk.evaluation.privacy import exact_copy_share
from synthdesk.evaluation.quality import QualityScores, evaluate_quality

__all__ = ["QualityScores", "evaluate_quality", "exact_copy_share"]

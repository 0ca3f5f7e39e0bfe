"""Keep every dependency off the network, whatever it was built to do."""

from __future__ import annotations

import os

__all__ = ["go_offline"]

_ENVIRONMENT = {
    # Hugging Face, in case a dependency reaches for a hub.
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    # Anonymous usage statistics some libraries send when they are not told otherwise.
    "DO_NOT_TRACK": "1",
    "SCARF_NO_ANALYTICS": "true",
    # boto3 (pulled in by SDV's demo module) must never look for cloud credentials.
    "AWS_EC2_METADATA_DISABLED": "true",
}


def go_offline() -> None:
    """Set the switches that turn off update checks and telemetry in dependencies."""
    for key, value in _ENVIRONMENT.items():
        os.environ.setdefault(key, value)

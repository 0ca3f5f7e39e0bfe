"""SynthDesk's generators behind one interface: fit with progress and cancel, sample with a seed."""

from synthdesk.generators.base import Generator
from synthdesk.generators.choice import Choice, choose_generator
from synthdesk.generators.fit import FittedGenerator, fit_generator
from synthdesk.generators.registry import (
    AUTO_GENERATOR,
    DEFAULT_GENERATOR,
    GENERATORS,
    GeneratorInfo,
    get_generator,
)
from synthdesk.generators.sample import sample_rows

__all__ = [
    "AUTO_GENERATOR",
    "Choice",
    "DEFAULT_GENERATOR",
    "GENERATORS",
    "FittedGenerator",
    "Generator",
    "GeneratorInfo",
    "choose_generator",
    "fit_generator",
    "get_generator",
    "sample_rows",
]

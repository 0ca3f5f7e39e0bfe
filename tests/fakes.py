"""Synthesizers that fail on purpose, loaded by name ("tests.fakes:Name") in the training child."""

import os

from sdv.single_table import GaussianCopulaSynthesizer


class ExplodingSynthesizer(GaussianCopulaSynthesizer):
    """Raises an unexpected error in the middle of fitting."""

    def _fit(self, processed_data):
        raise RuntimeError("the model blew up")


class RefusingSynthesizer(GaussianCopulaSynthesizer):
    """Raises the kind of error SDV raises for data it cannot learn."""

    def _fit(self, processed_data):
        raise ValueError("this data cannot be learned")


class VanishingSynthesizer(GaussianCopulaSynthesizer):
    """Kills its own process, as the out-of-memory killer would."""

    def _fit(self, processed_data):
        os._exit(9)


class QuotingSynthesizer(GaussianCopulaSynthesizer):
    """Fails with a message quoting a real sensitive value, as library errors sometimes do."""

    def _fit(self, processed_data):
        import pandas as pd

        real = pd.read_csv(__import__("pathlib").Path(__file__).parent / "data" / "la_riots.csv")
        raise ValueError(f"could not convert {real['last_name'].iloc[0]!r} to float")


class SleepingSynthesizer(GaussianCopulaSynthesizer):
    """Fits for ever (a minute), as a long fit would: for killing its parent mid-fit."""

    def _fit(self, processed_data):
        import time

        time.sleep(60)

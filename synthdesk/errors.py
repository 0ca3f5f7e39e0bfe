"""Every error SynthDesk raises on purpose, written for the analyst who will read it.

Library errors are translated where they enter our code and chained with ``from``,
so the original stays available in logs while the message stays readable.
"""

__all__ = [
    "SynthDeskError",
    "ImportFailed",
    "InvalidChoice",
    "ConditionTooRare",
    "TrainingFailed",
    "TrainingCrashed",
    "Cancelled",
    "ExportFailed",
    "PrivacyCheckFailed",
]


class SynthDeskError(Exception):
    """Base class: the message is meant to be shown to the user as it is."""

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.message = message
        self.details = details  # technical details for "Copy details"; never shown by default

    def __reduce__(self):
        # Keep errors picklable across the training child process.
        return (_rebuild, (type(self), self.message, self.details))

    def __str__(self) -> str:
        return self.message


class ImportFailed(SynthDeskError):
    """The input file is missing, empty or cannot be read as a table."""


class InvalidChoice(SynthDeskError):
    """An option or setting the user chose cannot be used (unknown column, bad value...)."""


class ConditionTooRare(InvalidChoice):
    """A generator that samples and rejects cannot make enough rows meeting a condition."""


class TrainingFailed(SynthDeskError):
    """The generator could not learn from this table."""


class TrainingCrashed(TrainingFailed):
    """The training process stopped without saying why (out of memory, killed...)."""


class Cancelled(SynthDeskError):
    """The user cancelled the running job."""

    def __init__(self, message: str = "Cancelled.", details: str = ""):
        super().__init__(message, details)


class PrivacyCheckFailed(SynthDeskError):
    """The output failed a privacy check; it was not written."""


class ExportFailed(SynthDeskError):
    """The result could not be written where the user asked."""


def _rebuild(cls: type[SynthDeskError], message: str, details: str) -> SynthDeskError:
    error = cls(message)
    error.details = details
    return error

"""The wizard's pages, one per step."""

from synthdesk.gui.pages.base import InlineError, WizardPage, WizardState
from synthdesk.gui.pages.columns_page import ColumnsPage
from synthdesk.gui.pages.compare_page import ComparePage
from synthdesk.gui.pages.export_page import ExportPage
from synthdesk.gui.pages.generator_page import GeneratorPage
from synthdesk.gui.pages.import_page import ImportPage
from synthdesk.gui.pages.train_page import TrainPage

__all__ = [
    "ColumnsPage", "ComparePage", "ExportPage", "GeneratorPage", "ImportPage", "InlineError",
    "TrainPage", "WizardPage", "WizardState",
]

"""Qt item models over the table and its column choices."""

from synthdesk.gui.models.column_spec_model import ColumnSpecModel
from synthdesk.gui.models.dataframe_model import DataFrameModel

__all__ = ["ColumnSpecModel", "DataFrameModel"]

"""The desktop window: the only package that imports PySide6 or pyqtgraph."""

from synthdesk.gui.compat import protect_singletons

protect_singletons()

"""Keyboard and screen-reader use: every control is reachable by Tab and has a name."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
)

from tests.gui.conftest import load

pytestmark = pytest.mark.gui

_CONTROLS = (QAbstractButton, QComboBox, QAbstractSpinBox, QLineEdit, QAbstractItemView)


def _controls(page):
    found = [w for kind in _CONTROLS for w in page.findChildren(kind)]
    return [w for w in dict.fromkeys(found) if w.isVisibleTo(page) and w.isEnabled()
            and not _part_of_another_control(w, page)]


def _part_of_another_control(widget, page) -> bool:
    """Headers and corner buttons of tables, the line edit inside a spin box, and so on."""
    parent = widget.parentWidget()
    while parent is not None and parent is not page:
        if isinstance(parent, (QComboBox, QAbstractSpinBox, QAbstractItemView)):
            return True
        parent = parent.parentWidget()
    return False


def _named(widget) -> bool:
    if widget.accessibleName():
        return True
    if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
        return True
    return False


def _tab_chain(window, start, limit=400):
    """Widgets that get focus pressing Tab from ``start``, until it comes back round."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    seen = []
    for _ in range(limit):
        window.focusNextChild()
        QApplication.processEvents()
        widget = QApplication.focusWidget()
        if widget is None or widget in seen:
            break
        seen.append(widget)
    return seen


def test_every_page_is_walked_with_keys_and_every_control_has_a_name(qtbot, window, penguins):
    wizard = window.wizard
    window.activateWindow()
    qtbot.waitActive(window)
    load(qtbot, wizard, penguins)
    for index in range(4):  # Open, Columns, Method; Train starts when shown
        page = wizard.current_page
        controls = _controls(page)
        assert controls, page.title
        unnamed = [type(w).__name__ for w in controls if not _named(w)]
        assert unnamed == [], (page.title, unnamed)
        chain = _tab_chain(window, wizard.next_button)
        unreachable = [w.accessibleName() or type(w).__name__ for w in controls
                       if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w not in chain]
        assert unreachable == [], (page.title, unreachable)
        if index == 3:
            break
        # Alt+N presses Next, as its underlined letter says.
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_N if index < 2 else Qt.Key.Key_T,
                       Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda i=index: wizard.index == i + 1, timeout=2_000)  # animated click
    qtbot.waitUntil(lambda: wizard.train_page.is_complete(), timeout=180_000)
    with qtbot.waitSignal(wizard.compare_page.runner.sig_done, timeout=60_000):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    for page in (wizard.compare_page, wizard.export_page):
        if page is wizard.export_page:
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_E,
                           Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda p=page: wizard.current_page is p, timeout=2_000)
        unnamed = [type(w).__name__ for w in _controls(page) if not _named(w)]
        assert unnamed == [], (page.title, unnamed)
    # Alt+B goes back and keeps the result.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: wizard.current_page is wizard.compare_page, timeout=2_000)
    assert wizard.state.result is not None


def _mnemonic(text: str) -> str | None:
    at = text.replace("&&", "").find("&")
    return text.replace("&&", "")[at + 1].lower() if at >= 0 else None


def test_no_two_controls_on_a_page_share_an_underlined_letter(window):
    from PySide6.QtWidgets import QGroupBox, QLabel

    wizard = window.wizard
    nav = [wizard.back_button.text(), wizard.next_button.text()]
    menus = [action.text() for action in window.menuBar().actions()]
    for page in wizard.pages:
        texts = [w.text() for w in page.findChildren(QAbstractButton)]
        texts += [w.text() for w in page.findChildren(QLabel) if w.buddy() is not None]
        texts += [w.title() for w in page.findChildren(QGroupBox)]
        texts += [page.next_text, nav[0], *menus]
        letters = [m for m in map(_mnemonic, texts) if m]
        doubled = {m for m in letters if letters.count(m) > 1}
        assert not doubled, (page.title, doubled, texts)

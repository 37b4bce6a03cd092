"""Every text a user reads in the window goes through tr()/translate(): a lint over ui/ with ast.

A string literal (or an f-string with words in it) handed straight to a text-taking Qt call — setText,
setWindowTitle, setToolTip, a QLabel or QPushButton built with it, addAction, a QMessageBox... — would stay
English in every language. Texts with no words ("%1", "99+", "·") are not language; remote text (a name, a
reason phrase) arrives as a variable or through ui/text.py, never as a literal, so it passes by itself.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"
# Qt calls whose string arguments are shown to the user (or read out by a screen reader).
TEXT_METHODS = {
    "setText", "setWindowTitle", "setToolTip", "setStatusTip", "setWhatsThis", "setPlaceholderText",
    "setAccessibleName", "setAccessibleDescription", "setTitle", "setInformativeText", "setDetailedText",
    "setLabelText", "addAction", "addTab", "setTabText", "addItem", "addItems", "insertItem", "addRow",
    "showMessage", "addButton", "setSuffix", "setPrefix", "setSpecialValueText", "setHeaderLabels",
    "information", "warning", "critical", "question", "about", "getText", "getItem",
}
TEXT_CONSTRUCTORS = {
    "QLabel", "QPushButton", "QToolButton", "QCheckBox", "QRadioButton", "QAction", "QGroupBox", "QMenu",
    "QListWidgetItem", "QStandardItem", "QMessageBox", "QTreeWidgetItem",
}
# Endonyms in the language list: each language named in its own words on purpose (ui/settings/calls_page.py).
ALLOWED = {"English", "Français", "Deutsch"}
_WORD = re.compile(r"[^\W\d_]{2,}")


def _has_words(text: str) -> bool:
    return bool(_WORD.search(text)) and text not in ALLOWED


def _untranslated(node: ast.AST) -> list[str]:
    """Literal words in an argument expression that reach the screen as they are."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if _has_words(node.value) else []
    if isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
        return [ast.unparse(node)] if any(_has_words(p) for p in parts) else []
    if isinstance(node, ast.BinOp):
        # tr("Demo mode: try ") + names: a sentence cut in two, which no language but English can order
        if any(isinstance(side, ast.Call) and _call_name(side) in ("tr", "translate")
               for side in (node.left, node.right)):
            return [f"concatenated: {ast.unparse(node)}"]
        return _untranslated(node.left) + _untranslated(node.right)
    if isinstance(node, ast.IfExp):
        return _untranslated(node.body) + _untranslated(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("replace", "join"):
        # "…".replace()/ " ".join(): the receiver is what is shown; tr(...).replace(...) is fine
        return _untranslated(node.func.value) if node.func.attr == "replace" else []
    return []


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def offenders() -> list[str]:
    found = []
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name = _call_name(call)
            if name not in TEXT_METHODS and name not in TEXT_CONSTRUCTORS:
                continue
            receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
            if isinstance(receiver, ast.Name) and receiver.id in ("log", "logger", "logging"):
                continue  # log lines stay English
            for argument in [*call.args, *(k.value for k in call.keywords if k.arg in ("text", "title"))]:
                for text in _untranslated(argument):
                    found.append(f"{path.relative_to(UI.parent)}:{call.lineno} {name}({text!r})")
    return found


def test_every_text_shown_in_the_window_is_marked_for_translation() -> None:
    found = offenders()
    assert not found, "texts shown without tr()/translate():\n" + "\n".join(found)


def test_the_lint_catches_a_bare_literal() -> None:
    """The check itself: a literal caught, tr() and wordless text let through."""
    bad = ast.parse('label.setText("Hello there")').body[0].value
    good = ast.parse('label.setText(self.tr("Hello %1").replace("%1", name))').body[0].value
    symbol = ast.parse('label.setText("%1 · 99+")').body[0].value
    fstring = ast.parse('label.setText(f"Calls: {n}")').body[0].value
    glued = ast.parse('QLabel(self.tr("Try ") + names)').body[0].value
    assert _untranslated(glued.args[0])
    assert _untranslated(bad.args[0]) == ["Hello there"]
    assert _untranslated(good.args[0]) == []
    assert _untranslated(symbol.args[0]) == []
    assert _untranslated(fstring.args[0])

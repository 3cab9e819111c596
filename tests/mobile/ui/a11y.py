"""Accessible names in the client-less harness: every clickable control must say what it does.

A control counts as clickable when it has a tap/click handler or a URL, or is an input (text
field, checkbox, dropdown, switch). Its name is, first found: a tooltip, a `label`, its text
content (a string or Text controls inside it), or the label of a Semantics control around it.
"""

from __future__ import annotations

from typing import Any

import flet as ft
from flet.controls.base_control import BaseControl

HANDLERS = ("on_click", "on_tap", "on_long_press", "on_select", "on_tap_down")
INPUTS = (ft.TextField, ft.Checkbox, ft.Dropdown, ft.Switch, ft.Radio)


def _tooltip(c: Any) -> str:
    tip = getattr(c, "tooltip", None)
    if isinstance(tip, str):
        return tip.strip()
    return (getattr(tip, "message", "") or "").strip() if tip is not None else ""


def _texts(c: Any, depth: int = 0) -> str:
    """Text inside a control (its `content` string, or Text descendants), a few levels deep."""
    if depth > 6 or c is None:
        return ""
    if isinstance(c, str):
        return c.strip()
    if isinstance(c, ft.Text):
        return (c.value or "").strip() or " ".join(
            (s.text or "") for s in (c.spans or []) if getattr(s, "text", None)
        ).strip()
    out = []
    for attr in ("content", "title", "leading", "label"):
        v = getattr(c, attr, None)
        if isinstance(v, (str, BaseControl)):
            out.append(_texts(v, depth + 1))
    for child in getattr(c, "controls", None) or []:
        out.append(_texts(child, depth + 1))
    return " ".join(x for x in out if x).strip()


def _semantics_label(c: Any) -> str:
    p = getattr(c, "parent", None)
    for _ in range(3):  # a Semantics wrapper sits right around the control
        if p is None:
            return ""
        if isinstance(p, ft.Semantics) and (p.label or "").strip():
            return p.label.strip()
        p = getattr(p, "parent", None)
    return ""


def accessible_name(c: Any) -> str:
    """What a screen reader (and a long-press tooltip) would say for this control; '' if nothing."""
    label = getattr(c, "label", None)
    for name in (_tooltip(c), label if isinstance(label, str) else "", _texts(c), _semantics_label(c)):
        if name:
            return str(name)
    if isinstance(c, ft.TextField) and (c.hint_text or "").strip():
        return c.hint_text.strip()
    return ""


def is_clickable(c: Any) -> bool:
    """True for controls a user can tap or type into."""
    if isinstance(c, INPUTS):
        return True
    if getattr(c, "url", None):
        return True
    return any(getattr(c, h, None) for h in HANDLERS)


def unlabelled(h: Any) -> list[str]:
    """Descriptions of visible clickable controls without an accessible name."""
    bad = []
    for c in h.all_controls():
        if isinstance(c, ft.Page) or not is_clickable(c) or not _shown(c):
            continue
        if isinstance(c, ft.GestureDetector) and not any(getattr(c, h, None) for h in HANDLERS):
            continue  # the signature pad: drawn on, not tapped
        if not accessible_name(c):
            icon = getattr(c, "icon", None)
            bad.append(f"{type(c).__name__}(key={getattr(c, 'key', None)!r}, icon={icon!r})")
    return bad


def _shown(c: Any) -> bool:
    node = c
    while node is not None:
        if getattr(node, "visible", True) is False:
            return False
        node = getattr(node, "parent", None)
    return True

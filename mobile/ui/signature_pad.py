"""Signature capture: a Canvas inside a GestureDetector, strokes kept as pad-pixel points."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft
import flet.canvas as cv

from api_client.domain.signature import decode_strokes, encode_strokes

Point = tuple[float, float]


class SignaturePad:
    """A drawable pad; `encoded()` gives the integer-delta strokes the contract wants."""

    def __init__(
        self,
        width: int = 340,
        height: int = 180,
        label: str = "Signature pad",
        on_change: Callable[[SignaturePad], None] | None = None,
        initial: str | None = None,
    ) -> None:
        self.width, self.height = width, height
        self.on_change = on_change
        self.strokes: list[list[Point]] = []
        self._paint = ft.Paint(
            color=ft.Colors.BLACK,
            stroke_width=3,
            stroke_cap=ft.StrokeCap.ROUND,
            stroke_join=ft.StrokeJoin.ROUND,
            style=ft.PaintingStyle.STROKE,
        )
        self.canvas = cv.Canvas(shapes=[], width=width, height=height)
        self.detector = ft.GestureDetector(
            content=self.canvas,
            on_pan_start=self._start,
            on_pan_update=self._update,
            on_pan_end=self._end,
            drag_interval=10,
        )
        # the Semantics identifier is how browser tests find the pad on the Flutter canvas
        self.control = ft.Semantics(
            label=label,
            identifier="signature-pad",
            container=True,
            content=ft.Container(
                content=self.detector,
                width=width,
                height=height,
                border=ft.Border.all(2, ft.Colors.BLACK),
                bgcolor=ft.Colors.WHITE,
            ),
        )
        if initial:
            self.load(initial)

    def load(self, encoded: str) -> None:
        """Redraw strokes saved in a draft (a rotation or crash must not lose the signature)."""
        try:
            strokes = decode_strokes(encoded)
        except ValueError:
            return
        self.strokes = [[(float(x), float(y)) for x, y in s] for s in strokes]
        self.canvas.shapes = [
            cv.Points(
                points=[ft.Offset(x, y) for x, y in s], point_mode=cv.PointMode.POLYGON, paint=self._paint
            )
            for s in self.strokes
        ]

    def _start(self, e: ft.DragStartEvent) -> None:
        p = (round(e.local_position.x, 1), round(e.local_position.y, 1))
        self.strokes.append([p])
        self.canvas.shapes.append(
            cv.Points(points=[ft.Offset(*p)], point_mode=cv.PointMode.POLYGON, paint=self._paint)
        )
        self.canvas.update()

    def _update(self, e: ft.DragUpdateEvent) -> None:
        if not self.strokes:
            return
        p = (round(e.local_position.x, 1), round(e.local_position.y, 1))
        self.strokes[-1].append(p)
        shape = self.canvas.shapes[-1]
        # the pad draws nothing but Points, one per stroke, each made with its list of points
        assert isinstance(shape, cv.Points) and shape.points is not None
        shape.points.append(ft.Offset(*p))
        self.canvas.update()

    def _end(self, e: ft.DragEndEvent) -> None:
        if self.on_change:
            self.on_change(self)

    def clear(self) -> None:
        """Erase everything (the citizen wants to sign again)."""
        self.strokes.clear()
        self.canvas.shapes.clear()
        self.canvas.update()
        if self.on_change:
            self.on_change(self)

    def encoded(self) -> str:
        """Strokes in the wire form of api_client.domain.signature."""
        return encode_strokes(self.strokes)

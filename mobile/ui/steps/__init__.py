"""Step components shared by the door-step flows (pickup, delivery): fee, signature, GPS, photo.

Each is a mixin for a flow view that provides `ctx`, `svc` (a services.flow.FlowRules), `draft`,
`detail`, `render()`, `_field()`, `_save_fields()` and `_fail()` -- `StepFlow` (frame.py), listed
first among a view's bases, provides them -- so both flows draw and validate these steps with the
same code and the same control keys.
"""

from .fee import FeeStep
from .frame import StepFlow
from .gps import GPS_REASONS, GpsStep
from .photo import photo_box
from .signature import PAD_H, PAD_W, SignatureStep

__all__ = ["GPS_REASONS", "PAD_H", "PAD_W", "FeeStep", "GpsStep", "SignatureStep", "StepFlow", "photo_box"]

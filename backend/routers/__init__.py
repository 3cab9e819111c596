"""One thin router per resource; the logic lives in backend.services."""

"""Blobs (photos, papers): status, resumable PUT, download."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from api_client.models import BlobStatus

from ..deps import CurrentOfficer, EngineDep, SettingsDep
from ..errors import ApiError
from ..services import blobs as service

router = APIRouter(tags=["blobs"])

ShaPath = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="lower-case hex SHA-256")]


@router.get("/blobs/{sha}/status")
def status(sha: ShaPath, engine: EngineDep, settings: SettingsDep, officer: CurrentOfficer) -> BlobStatus:
    """How much of the blob is here (received = 0 when unknown, or when it is not yours to read)."""
    return service.visible_status(engine, settings, officer, sha)


@router.put("/blobs/{sha}", responses={409: {"description": "wrong offset: body has `received`"},
                                      413: {"description": "over the size limit"},
                                      422: {"description": "hash mismatch: upload discarded"}})
async def put(sha: ShaPath, request: Request, engine: EngineDep, settings: SettingsDep,
              officer: CurrentOfficer, offset: Annotated[int, Query(ge=0)],
              total: Annotated[int, Query(ge=1)]) -> BlobStatus:
    """Append the raw request body at `offset` of a blob of `total` bytes."""
    if total > settings.max_blob_bytes:
        raise service.too_large(settings.max_blob_bytes)  # before reading a byte of the body
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > total:
            raise ApiError(422, "validation_error",
                           f"Dữ liệu vượt quá kích thước tổng {total} (more bytes than total)")
    mime = request.headers.get("content-type")
    return await run_in_threadpool(service.put_chunk, engine, settings, sha, offset, total, bytes(data),
                                   mime, officer.id)


@router.get("/blobs/{sha}", response_class=Response, responses={200: {"content": {"image/jpeg": {}}}})
def download(sha: ShaPath, engine: EngineDep, officer: CurrentOfficer) -> Response:
    """The bytes of a complete blob: its uploader's, or of a visit the caller may see."""
    data, mime = service.read_blob(engine, officer, sha)
    return Response(content=data, media_type=mime)

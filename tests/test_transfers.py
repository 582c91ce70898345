"""Large transfers: downloads streamed through ``with_streaming_response`` at bounded memory,
uploads from paths, open files and bytes (streamed, with filename and content type), sync and
async, against a real server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import email.parser
import hashlib
import io
import json
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import minimal
from tests.support.streaming_server import Reply, Seen, serve

SIZE = 48 * 1024 * 1024
BLOCK = bytes(range(256)) * 256  # 64 KiB


def _spec() -> dict[str, Any]:
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}
    blob = {"200": {"description": "the blob", "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}
    multipart = {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}, "purpose": {"type": "string"}},
                }
            }
        },
    }
    raw = {"required": True, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
    paths = {
        "/blobs/{name}": {
            "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {"operationId": "blobs_get", "tags": ["blobs"], "responses": blob},
            "put": {"operationId": "blobs_put", "tags": ["blobs"], "requestBody": raw, "responses": ok},
        },
        "/files": {"post": {"operationId": "files_create", "tags": ["files"], "requestBody": multipart, "responses": ok}},
    }
    return minimal(paths)


def _blob() -> Iterator[bytes | None]:
    for _ in range(SIZE // len(BLOCK)):
        yield BLOCK


def _route(seen: Seen) -> Reply:
    js = {"Content-Type": "application/json"}
    if seen.method == "GET":
        return Reply(headers={"Content-Type": "application/octet-stream"}, chunks=_blob(), length=SIZE)
    if seen.method == "PUT":
        answer = {
            "size": len(seen.body),
            "sha": hashlib.sha256(seen.body).hexdigest(),
            "length": seen.headers.get("content-length"),
            "type": seen.headers.get("content-type"),
        }
    else:
        head = f"Content-Type: {seen.headers['content-type']}\r\n\r\n".encode()
        message = email.parser.BytesParser().parsebytes(head + seen.body)
        answer = {
            "parts": [
                {
                    "name": part.get_param("name", header="content-disposition"),
                    "filename": part.get_filename(),
                    "type": part.get_content_type(),
                    "size": len(part.get_payload(decode=True) or b""),
                }
                for part in message.get_payload()
            ],
            "length": seen.headers.get("content-length"),
        }
    data = json.dumps(answer).encode()
    return Reply(headers=js, chunks=[data], length=len(data))


@pytest.fixture
def sdk(generated: Any) -> Any:
    pkg, _ = generated(_spec(), client_name="Client")
    return pkg


def test_download_streams_to_a_file_at_bounded_memory(sdk: Any, tmp_path: Path) -> None:
    target = tmp_path / "blob.bin"
    with serve(_route) as (url, _):
        client = sdk.Client(base_url=url)
        tracemalloc.start()
        try:
            with client.blobs.with_streaming_response.get("big") as response:
                assert response.status_code == 200
                assert response.headers["content-type"] == "application/octet-stream"
                response.write_to_file(target)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert target.stat().st_size == SIZE
        assert peak < 8 * 1024 * 1024, f"{peak} bytes held for a {SIZE}-byte download"
        with client.blobs.with_streaming_response.get("big") as response:
            first = next(response.iter_bytes(1024))
        assert first == BLOCK[:1024]
        assert client.blobs.with_raw_response.get("big").status_code == 200


def test_async_download_streams(sdk: Any, tmp_path: Path) -> None:
    target = tmp_path / "blob.bin"

    async def main() -> int:
        with serve(_route) as (url, _):
            async with sdk.AsyncClient(base_url=url) as client:
                async with client.blobs.with_streaming_response.get("big") as response:
                    await response.write_to_file(target)
                async with client.blobs.with_streaming_response.get("big") as response:
                    total = 0
                    async for chunk in response.iter_bytes():
                        total += len(chunk)
                return total

    assert asyncio.run(main()) == SIZE and target.stat().st_size == SIZE


def test_uploads_from_paths_files_and_bytes(sdk: Any, tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG" + bytes(300_000))
    with serve(_route) as (url, _):
        client = sdk.Client(base_url=url)
        part = client.files.create(file=photo, purpose="avatar")["parts"]
        by_name = {p["name"]: p for p in part}
        assert by_name["file"] == {"name": "file", "filename": "photo.png", "type": "image/png", "size": 300_004}
        assert by_name["purpose"]["filename"] is None
        with photo.open("rb") as handle:
            part = client.files.create(file=handle)["parts"][0]
        assert (part["filename"], part["type"], part["size"]) == ("photo.png", "image/png", 300_004)
        part = client.files.create(file=("notes.txt", b"hello", "text/plain"))["parts"][0]
        assert (part["filename"], part["type"], part["size"]) == ("notes.txt", "text/plain", 5)
        body = photo.read_bytes()
        for value in (photo, photo.open("rb"), body, io.BytesIO(body)):
            echo = client.blobs.put("x", body=value)
            assert echo["size"] == len(body) and echo["sha"] == hashlib.sha256(body).hexdigest()
            assert echo["length"] == str(len(body)) and echo["type"] == "application/octet-stream"


def test_async_uploads_from_paths_and_files(sdk: Any, tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(bytes(200_000))

    async def main() -> list[Any]:
        with serve(_route) as (url, _):
            async with sdk.AsyncClient(base_url=url) as client:
                return [
                    (await client.files.create(file=photo))["parts"][0],
                    await client.blobs.put("x", body=photo),
                    await client.blobs.put("x", body=photo.open("rb")),
                ]

    part, by_path, by_file = asyncio.run(main())
    assert (part["filename"], part["type"], part["size"]) == ("photo.jpg", "image/jpeg", 200_000)
    assert by_path["size"] == by_file["size"] == 200_000 and by_path["length"] == "200000"


def test_a_retried_upload_sends_the_whole_file_again(sdk: Any, tmp_path: Path) -> None:
    photo = tmp_path / "photo.bin"
    photo.write_bytes(bytes(range(256)) * 1000)
    attempts: list[int] = []

    def route(seen: Seen) -> Reply:
        attempts.append(len(seen.body))
        if len(attempts) == 1:
            return Reply(status=503, headers={"Content-Type": "application/json", "Retry-After": "0"}, chunks=[b"{}"], length=2)
        return _route(seen)

    with serve(route) as (url, _):
        client = sdk.Client(base_url=url)
        with photo.open("rb") as handle:
            assert client.blobs.put("x", body=handle)["size"] == 256_000
        assert client.blobs.put("x", body=photo)["size"] == 256_000
    assert attempts == [256_000, 256_000, 256_000]

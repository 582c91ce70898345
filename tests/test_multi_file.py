"""Published multi-file specs (issue #15, defect 10): a ``$ref`` where OpenAPI expects text or
an object it allows no reference for (a tag's description read from a Markdown file, the info
object in its own file) is followed, not refused; a path item written in another file gives
full methods (parameters, body, response type), OpenAPI 3 and Swagger 2.0 alike."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator import Config, generate
from generator.loader import load

_counter = itertools.count()

OPENAPI_FILES = {
    "openapi.yaml": """
openapi: 3.0.3
info:
  $ref: ./info.yaml
servers:
  - url: https://api.multi.test
tags:
  - name: pets
    description:
      $ref: ./docs/pets.md
  - $ref: ./tags/owners.yaml
paths:
  /pets/{petId}:
    $ref: ./paths/pet.yaml
  /owners:
    $ref: "./paths/many.yaml#/owners"
components:
  schemas:
    Owner:
      $ref: ./schemas/owner.yaml
""",
    "info.yaml": """
title: Multi API
version: "1.0"
description:
  $ref: ./docs/intro.md
""",
    "docs/intro.md": "# Multi API\n\nWelcome to *the* API: [docs](https://x.test) & more: {not: yaml}\n",
    "docs/pets.md": "Everything about **pets**.\n\n- one\n- two: three\n",
    "tags/owners.yaml": "name: owners\ndescription:\n  $ref: '../texts.yaml#/owners'\n",
    "texts.yaml": "owners: People who own pets.\n",
    "paths/pet.yaml": """
parameters:
  - name: petId
    in: path
    required: true
    schema: {type: integer}
get:
  operationId: pets.get
  tags: [pets]
  description:
    $ref: ../docs/pets.md
  parameters:
    - $ref: ../parameters.yaml#/verbose
  responses:
    "200":
      description: ok
      content:
        application/json:
          schema: {$ref: ../schemas/pet.yaml}
put:
  operationId: pets.update
  tags: [pets]
  requestBody:
    required: true
    content:
      application/json:
        schema: {$ref: ../schemas/pet.yaml}
  responses:
    "200":
      description: ok
      content:
        application/json:
          schema: {$ref: ../schemas/pet.yaml}
""",
    "paths/many.yaml": """
owners:
  get:
    operationId: owners.list
    tags: [owners]
    parameters:
      - {name: limit, in: query, schema: {type: integer}}
    responses:
      "200":
        description: ok
        content:
          application/json:
            schema:
              type: array
              items: {$ref: ../openapi.yaml#/components/schemas/Owner}
""",
    "parameters.yaml": "verbose:\n  name: verbose\n  in: query\n  schema: {type: boolean}\n",
    "schemas/pet.yaml": """
type: object
required: [name]
properties:
  id: {type: integer}
  name: {type: string}
  description: {$ref: ./owner.yaml}
""",
    "schemas/owner.yaml": "type: object\nproperties:\n  name: {type: string}\n  born: {type: string, format: date-time}\n",
}

SWAGGER_FILES = {
    "swagger.yaml": """
swagger: "2.0"
info: {title: Multi Two, version: "1"}
host: api.two.test
schemes: [https]
consumes: [application/json]
produces: [application/json]
tags:
  - name: pets
    description: {$ref: ./pets.md}
paths:
  /pets/{petId}:
    $ref: paths/pet.yaml
definitions:
  Pet:
    type: object
    required: [name]
    properties:
      name: {type: string}
""",
    "pets.md": "Pets, *described*.\n",
    "paths/pet.yaml": """
parameters:
  - {name: petId, in: path, required: true, type: integer}
get:
  operationId: getPet
  tags: [pets]
  parameters:
    - {name: verbose, in: query, type: boolean}
  responses:
    "200":
      description: ok
      schema: {$ref: "../swagger.yaml#/definitions/Pet"}
put:
  operationId: putPet
  tags: [pets]
  parameters:
    - name: body
      in: body
      required: true
      schema: {$ref: "../swagger.yaml#/definitions/Pet"}
  responses:
    "200":
      description: ok
      schema: {$ref: "../swagger.yaml#/definitions/Pet"}
""",
}


def _generate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], root: str, **config: Any
) -> tuple[Any, Any]:
    n = next(_counter)
    spec_dir = tmp_path / f"spec{n}"
    for name, text in files.items():
        (spec_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (spec_dir / name).write_text(text.lstrip(), encoding="utf-8")
    package = f"multi_file_{n}"
    result = generate(Config(spec=spec_dir / root, output=tmp_path / f"out{n}", package_name=package, **config))
    monkeypatch.syspath_prepend(str(result.package_dir))
    importlib.invalidate_caches()
    return importlib.import_module(package), result


def _spec_of(tmp_path: Path) -> Path:
    return sorted(tmp_path.glob("spec*/openapi.yaml"))[-1]


def _client(pkg: Any, handler: Any, prefix: str = "") -> Any:
    name = next(n for n in pkg.__all__ if hasattr(getattr(pkg, n), "_package") and not n.startswith("Async"))
    http = httpx.AsyncClient if prefix else httpx.Client
    return getattr(pkg, prefix + name)(http_client=http(transport=httpx.MockTransport(handler)))


async def test_a_strict_multi_file_spec_generates_full_methods(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg, result = _generate(tmp_path, monkeypatch, OPENAPI_FILES, "openapi.yaml", strict=True)
    assert not result.diagnostics, [str(d) for d in result.diagnostics]
    seen: list[tuple[str, str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, str(request.url), json.loads(request.content) if request.content else None))
        if request.url.path == "/owners":
            return httpx.Response(200, json=[{"name": "Ann", "born": "1990-01-02T03:04:05Z"}])
        return httpx.Response(200, json={"id": 1, "name": "Rex", "description": {"born": "2020-01-01T00:00:00Z"}})

    client = _client(pkg, handler)
    pet = client.pets.get(1, verbose=True)
    assert type(pet).__name__ == "Pet" and isinstance(pet.description.born, dt.datetime)
    assert client.pets.update(1, name="Rex").name == "Rex"
    owners = await _client(pkg, handler, "Async").owners.list(limit=2)
    assert owners[0].born == dt.datetime(1990, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    assert seen == [
        ("GET", "https://api.multi.test/pets/1?verbose=true", None),
        ("PUT", "https://api.multi.test/pets/1", {"name": "Rex"}),
        ("GET", "https://api.multi.test/owners?limit=2", None),
    ]
    # the texts the $refs name are where the spec puts them
    assert "Everything about **pets**." in (type(client.pets).__doc__ or "")
    assert "People who own pets." in (type(client.owners).__doc__ or "")
    assert "Everything about **pets**." in (type(client.pets).get.__doc__ or "")
    info = load(_spec_of(tmp_path), strict=True).document["info"]
    assert info["title"] == "Multi API" and info["description"].startswith("# Multi API\n\nWelcome to *the* API")


def test_a_swagger_path_item_in_another_file_is_converted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg, result = _generate(tmp_path, monkeypatch, SWAGGER_FILES, "swagger.yaml", strict=True)
    assert result.operations == 2 and not result.diagnostics, [str(d) for d in result.diagnostics]
    seen: list[tuple[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((str(request.url), json.loads(request.content) if request.content else None))
        return httpx.Response(200, json={"name": "Rex"})

    client = _client(pkg, handler)
    assert client.pets.get_pet(7, verbose=False).name == "Rex"
    assert client.pets.put_pet(7, name="Rex").name == "Rex"
    assert seen == [
        ("https://api.two.test/pets/7?verbose=false", None),
        ("https://api.two.test/pets/7", {"name": "Rex"}),
    ]
    assert "Pets, *described*." in (type(client.pets).__doc__ or "")


def test_a_text_ref_that_cannot_be_followed_is_a_warning_not_a_refusal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        **OPENAPI_FILES,
        "docs/pets.md": None,
        "tags/owners.yaml": "name: owners\ndescription:\n  $ref: '../texts.yaml#/missing'\n",
    }
    pkg, result = _generate(tmp_path, monkeypatch, {k: v for k, v in files.items() if v is not None}, "openapi.yaml")
    found = {(d.file, d.pointer, d.level.name) for d in result.diagnostics}
    assert ("openapi.yaml", "/tags/0/description/$ref", "WARNING") in found
    assert ("tags/owners.yaml", "/description/$ref", "WARNING") in found
    assert ("paths/pet.yaml", "/get/description/$ref", "WARNING") in found
    assert result.operations == 3 and not any(d.level.name == "ERROR" for d in result.diagnostics)
    assert hasattr(_client(pkg, lambda r: httpx.Response(200, json={"name": "x"})).pets, "update")


# DigitalOcean's published spec writes each operation in its own file: ``get: {$ref: ...}``.
OPERATION_FILES = {
    "openapi.yaml": """
openapi: 3.0.0
info:
  title: Ops API
  version: "2.0"
  description:
    $ref: 'description.yml#/introduction'
servers: [{url: "https://api.ops.test"}]
tags:
  - name: Droplets
    description: Droplets.
paths:
  /v2/droplets:
    get:
      $ref: 'resources/droplets/droplets_list.yml'
    post:
      $ref: 'resources/droplets/droplets_create.yml'
  /v2/droplets/{droplet_id}:
    $ref: 'resources/droplets/item.yml'
components:
  schemas:
    Droplet:
      $ref: 'resources/droplets/models/droplet.yml'
""",
    "description.yml": "introduction: |\n  # Introduction\n  The API.\n",
    "shared/parameters.yml": "per_page:\n  name: per_page\n  in: query\n  schema: {type: integer}\n",
    "resources/droplets/droplets_list.yml": """
operationId: droplets_list
summary: List all droplets
tags: [Droplets]
description:
  $ref: 'droplets_list.md'
parameters:
  - $ref: '../../shared/parameters.yml#/per_page'
responses:
  "200":
    $ref: 'responses/all_droplets.yml'
""",
    "resources/droplets/droplets_list.md": "Lists every droplet.\n",
    "resources/droplets/droplets_create.yml": """
operationId: droplets_create
tags: [Droplets]
requestBody:
  required: true
  content:
    application/json:
      schema:
        $ref: 'models/droplet.yml'
responses:
  "202":
    description: created
    content:
      application/json:
        schema:
          $ref: 'models/droplet.yml'
""",
    "resources/droplets/item.yml": """
parameters:
  - {name: droplet_id, in: path, required: true, schema: {type: integer}}
get:
  $ref: 'droplets_get.yml'
""",
    "resources/droplets/droplets_get.yml": """
operationId: droplets_get
tags: [Droplets]
responses:
  "200":
    description: ok
    content:
      application/json:
        schema:
          $ref: '../../openapi.yaml#/components/schemas/Droplet'
""",
    "resources/droplets/responses/all_droplets.yml": """
description: all
content:
  application/json:
    schema:
      type: object
      properties:
        droplets:
          type: array
          items:
            $ref: '../models/droplet.yml'
""",
    "resources/droplets/models/droplet.yml": """
type: object
required: [name]
properties:
  id: {type: integer}
  name: {type: string}
  created_at: {type: string, format: date-time}
""",
}


async def test_operations_written_as_refs_to_other_files_are_full_methods(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg, result = _generate(tmp_path, monkeypatch, OPERATION_FILES, "openapi.yaml", strict=True)
    assert result.operations == 3 and not result.diagnostics, [str(d) for d in result.diagnostics]
    seen: list[tuple[str, str, Any]] = []
    droplet = {"id": 1, "name": "web", "created_at": "2024-01-01T00:00:00Z"}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, str(request.url), json.loads(request.content) if request.content else None))
        if request.method == "GET" and request.url.path == "/v2/droplets":
            return httpx.Response(200, json={"droplets": [droplet]})
        return httpx.Response(200 if request.method == "GET" else 202, json=droplet)

    client = _client(pkg, handler)
    listed = client.droplets.list(per_page=5)
    assert isinstance(listed.droplets[0].created_at, dt.datetime)
    assert client.droplets.create(name="web").id == 1
    got = await _client(pkg, handler, "Async").droplets.get(1)
    assert type(got).__name__.startswith("Droplet")  # the model (the component is an alias of it)
    assert seen == [
        ("GET", "https://api.ops.test/v2/droplets?per_page=5", None),
        ("POST", "https://api.ops.test/v2/droplets", {"name": "web"}),
        ("GET", "https://api.ops.test/v2/droplets/1", None),
    ]
    assert "Lists every droplet." in (type(client.droplets).list.__doc__ or "")


def test_an_operation_ref_that_cannot_be_followed_is_left_out_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {k: v for k, v in OPERATION_FILES.items() if k != "resources/droplets/droplets_create.yml"}
    pkg, result = _generate(tmp_path, monkeypatch, files, "openapi.yaml")
    found = {(d.file, d.pointer, d.level.name) for d in result.diagnostics}
    assert ("openapi.yaml", "/paths/~1v2~1droplets/post/$ref", "WARNING") in found, found
    assert result.operations == 2
    droplets = _client(pkg, lambda r: httpx.Response(200, json={"droplets": []})).droplets
    assert hasattr(droplets, "list") and not hasattr(droplets, "create")

"""Static runtime: real, type-checked Python copied verbatim into every generated SDK.

Each module here uses only relative imports among its siblings, the standard library,
httpx, pydantic and typing_extensions, so it works unchanged inside any package.
"""

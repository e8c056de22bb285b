"""Primitive readers of decoded JSON: each error message starts with the field's path."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tandem.residency.scheduling.records import InstanceError


def is_int(value: object) -> bool:
    # JSON booleans arrive as Python bools, which are ints; the contract wants real integers.
    return isinstance(value, int) and not isinstance(value, bool)


def read_int(value: object, path: str, *, minimum: int | None = None) -> int:
    if not is_int(value):
        raise InstanceError(f"{path}: expected an integer, got {describe(value)}")
    assert isinstance(value, int)
    if minimum is not None and value < minimum:
        raise InstanceError(f"{path}: must be at least {minimum}, got {value}")
    return value


def read_str(value: object, path: str) -> str:
    if not isinstance(value, str) or not value:
        raise InstanceError(f"{path}: expected a non-empty string, got {describe(value)}")
    return value


def read_list(value: object, path: str, *, non_empty: bool = False) -> list[Any]:
    if not isinstance(value, list):
        raise InstanceError(f"{path}: expected a list, got {describe(value)}")
    if non_empty and not value:
        raise InstanceError(f"{path}: must not be empty")
    return value


def read_object(
    value: object, path: str, *, required: Sequence[str], optional: Sequence[str] = ()
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InstanceError(f"{path or 'instance'}: expected an object, got {describe(value)}")
    prefix = f"{path}." if path else ""
    for key in value:
        if key not in required and key not in optional:
            raise InstanceError(f"{prefix}{key}: unknown key")
    for key in required:
        if key not in value:
            raise InstanceError(f"{prefix}{key}: missing")
    return value


def describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"


def read_block(value: object, path: str, blocks: int) -> int:
    block = read_int(value, path)
    if not 0 <= block < blocks:
        raise InstanceError(f"{path}: block {block} is outside 0..{blocks - 1}")
    return block


def read_rotation_ids(value: object, path: str, known: set[str]) -> tuple[str, ...]:
    ids = read_list(value, path, non_empty=True)
    result = []
    for i, item in enumerate(ids):
        rotation_id = read_str(item, f"{path}[{i}]")
        if rotation_id not in known:
            raise InstanceError(f"{path}[{i}]: unknown rotation {rotation_id!r}")
        result.append(rotation_id)
    return tuple(result)


def read_per_block(value: object, path: str, blocks: int) -> tuple[int, ...]:
    if is_int(value):
        return (read_int(value, path, minimum=0),) * blocks
    items = read_list(value, path)
    if len(items) != blocks:
        raise InstanceError(
            f"{path}: expected one number or a list of {blocks} numbers, got {len(items)}"
        )
    return tuple(read_int(v, f"{path}[{t}]", minimum=0) for t, v in enumerate(items))


def check_unique(ids: Sequence[str], path: str, what: str) -> None:
    seen: set[str] = set()
    for i, item in enumerate(ids):
        if item in seen:
            raise InstanceError(f"{path}[{i}].id: duplicate {what} id {item!r}")
        seen.add(item)

from typing import Any


def load() -> dict[str, Any]:
    return {}

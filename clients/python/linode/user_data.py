"""User data for cloud-init: what `metadata.user_data` carries (base64 of at most 65535 bytes)."""
import base64

MAX_BYTES = 65535


def encode_user_data(data):
    """Text (UTF-8) or bytes as the API takes them; ValueError when too large."""
    raw = data.encode() if isinstance(data, str) else bytes(data)
    if len(raw) > MAX_BYTES:
        raise ValueError(f"user data is {len(raw)} bytes; at most {MAX_BYTES} are accepted")
    return base64.b64encode(raw).decode()

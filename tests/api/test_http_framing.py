"""Request framing (RFC 9112): a Transfer-Encoding beside a Content-Length, a last transfer coding
other than chunked, and header lines folded onto the next are refused with 400 in the error shape
and the connection is closed; well-framed requests on the same server are served."""
import json
import socket

import pytest


def exchange(srv, raw, timeout=5.0):
    """Sends raw bytes; answers (status, body) of the first response and whether the server
    closed the connection after it."""
    with socket.create_connection(("127.0.0.1", srv.port), timeout=timeout) as s:
        s.sendall(raw)
        data = b""
        closed = False
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                closed = True
                break
            data += chunk
            head, sep, rest = data.partition(b"\r\n\r\n")
            if sep:
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                if len(rest) >= length:
                    s.settimeout(1.0)
        head, _, body = data.partition(b"\r\n\r\n")
        status = int(head.split(b" ")[1])
        return status, body, closed


def request(target, headers, body=b""):
    lines = [f"POST {target} HTTP/1.1", "Host: 127.0.0.1"] + headers
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@pytest.mark.parametrize("headers", [
    ["Transfer-Encoding: chunked, identity", "Content-Length: 5"],
    ["Content-Length: 5", "Transfer-Encoding: chunked, identity"],
    ["Transfer-Encoding: chunked", "Content-Length: 5"],
    ["Transfer-Encoding: identity", "Content-Length: 5"],
    ["Transfer-Encoding: chunked, identity"],
    ["Transfer-Encoding: chunked", "Transfer-Encoding: identity"],
])
def test_untrustworthy_body_lengths_are_refused(server, headers):
    status, body, closed = exchange(server, request("/v4/linode/instances", headers, b"{}\r\n\r\n"))
    assert status == 400
    assert json.loads(body)["errors"][0]["reason"]
    assert closed


@pytest.mark.parametrize("folded", [
    "X-Note: one\r\n two",
    "X-Note: one\r\n\ttwo",
    "Authorization: Bearer\r\n abc",
])
def test_folded_header_lines_are_refused(server, folded):
    raw = f"GET /v4/regions HTTP/1.1\r\nHost: 127.0.0.1\r\n{folded}\r\n\r\n".encode()
    status, body, closed = exchange(server, raw)
    assert status == 400
    assert "folded" in json.loads(body)["errors"][0]["reason"]
    assert closed


def test_well_framed_requests_are_served(server):
    status, body, _ = exchange(server, b"GET /v4/regions/us-east HTTP/1.1\r\nHost: x\r\n"
                                       b"Connection: close\r\n\r\n")
    assert status == 200 and json.loads(body)["id"] == "us-east"
    # A chunked body is read as chunks: the JSON arrives whole.
    token = server.make_token()
    chunked = request("/v4/profile/preferences-not-routed", [
        f"Authorization: Bearer {token}", "Transfer-Encoding: chunked", "Connection: close"],
        b"2\r\n{}\r\n0\r\n\r\n")
    status, _, _ = exchange(server, chunked)
    assert status == 404
    # Header bytes that arrive in pieces are read whole before they are checked.
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        for piece in (b"GET /v4/regions/us-east HTTP/1.1\r\nHo", b"st: x\r\nConnection: cl",
                      b"ose\r\n", b"\r\n"):
            s.sendall(piece)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 200")

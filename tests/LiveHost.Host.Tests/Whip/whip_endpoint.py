#!/usr/bin/python3
"""
A WHIP endpoint (RFC 9725) for LiveHost's tests, on Debian's python3-aiortc: POST /whip with an SDP offer and
"Authorization: Bearer TOKEN" -> 201, Location /whip/session/N, the SDP answer; DELETE that Location -> 200.
Every track is received and decoded by aiortc (H.264 through PyAV, Opus through libopus). Reports go to stdout as
JSON lines: {"event": "listening", "port": P}, {"event": "offer", ..., "candidates": ["host", "relay"]}, {"event": "frames", "video": N, "audio": M,
"width": W, "height": H, "sampleRate": R} at the first and every 25th decoded video frame ("first", "frames"), {"event": "deleted", "session": N}.
Only loopback: ICE candidates are 127.0.0.1 alone.
"""
import argparse
import asyncio
import json
import sys

import aioice.ice
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]

sessions = {}
counts = {"video": 0, "audio": 0, "width": 0, "height": 0, "sampleRate": 0}


def report(event, **fields):
    print(json.dumps({"event": event, **fields}), flush=True)


async def consume(track):
    try:
        while True:
            frame = await track.recv()
            if track.kind == "video":
                counts["video"] += 1
                counts["width"], counts["height"] = frame.width, frame.height
                if counts["video"] == 1:
                    report("first", **counts)
                if counts["video"] % 25 == 0:
                    report("frames", **counts)
            else:
                counts["audio"] += 1
                counts["sampleRate"] = frame.sample_rate
    except MediaStreamError:
        pass


async def respond(writer, status, headers=None, body=b""):
    reason = {200: "OK", 201: "Created", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed"}[status]
    head = f"HTTP/1.1 {status} {reason}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
    for name, value in (headers or {}).items():
        head += f"{name}: {value}\r\n"
    writer.write(head.encode() + b"\r\n" + body)
    await writer.drain()
    writer.close()


async def handle(reader, writer, token):
    request = (await reader.readline()).decode().strip().split(" ")
    headers = {}
    while True:
        line = (await reader.readline()).decode().strip()
        if not line:
            break
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    method, path = request[0], request[1]
    if headers.get("authorization") != f"Bearer {token}":
        return await respond(writer, 401)
    if method == "POST" and path == "/whip":
        if headers.get("content-type") != "application/sdp":
            return await respond(writer, 400)
        pc = RTCPeerConnection()
        number = len(sessions) + 1
        sessions[number] = pc
        pc.on("track", lambda track: asyncio.ensure_future(consume(track)))
        offer = body.decode()
        candidates = sorted({line.split(" typ ")[1].split()[0] for line in offer.splitlines() if line.startswith("a=candidate:")})
        report("offer", session=number, iceLite="a=ice-lite" in offer, setup="actpass" if "a=setup:actpass" in offer else "other",
               candidates=candidates)
        await pc.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        return await respond(writer, 201, {"Location": f"/whip/session/{number}", "Content-Type": "application/sdp"},
                             pc.localDescription.sdp.encode())
    if method == "DELETE" and path.startswith("/whip/session/"):
        number = int(path.rsplit("/", 1)[1])
        pc = sessions.pop(number, None)
        if pc is None:
            return await respond(writer, 404)
        await pc.close()
        report("deleted", session=number)
        return await respond(writer, 200)
    return await respond(writer, 405)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", required=True)
    args = parser.parse_args()
    server = await asyncio.start_server(lambda r, w: handle(r, w, args.token), "127.0.0.1", args.port)
    report("listening", port=server.sockets[0].getsockname()[1])
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)

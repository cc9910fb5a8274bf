#!/usr/bin/env python3
"""An aiortc peer of `sfulab serve` through aiortc's ORTC objects (no SDP).

Driven by one JSON object per line on stdin; answers one JSON object per line on stdout
(logs go to stderr). docs/interop.md describes the exchange:

  stdin  1  {"mode": "publish"|"subscribe", "dtlsRole": "client"|"server",
             "transport": <TransportInfo of a webrtc transport>, "timeoutSeconds": 30}
  stdout 1  {"event": "parameters", "dtlsParameters": {...}, "iceParameters": {...},
             "senders": [{"kind", "ssrc", "rtxSsrc"}]}              (senders: publish only)
  stdin  2  {"command": "start"}   once the server was given our dtlsParameters (connect)
  stdout 2  {"event": "connected", "iceSeconds", "dtlsSeconds", "setupSeconds", "dtlsRole"}
  stdin  3  publish:   {"command": "publish", "seconds", "video": {"payloadType", "rtxPayloadType"},
                        "audio": {"payloadType"}, "headerExtensions": {"absSendTime": 4, ...}}
            subscribe: {"command": "subscribe", "consumers": [<ConsumerInfo>...],
                        "videoFrames": N, "audioFrames": M, "seconds": S, "headerExtensions": {...}}
            publish runs until {"command": "stop"} or for `seconds`; with "dropEvery": N (both
            commands) every N-th video packet's first transmission is dropped, as loss
            (publish: before sending; subscribe: on arrival), so NACK and RTX are exercised
  stdout 3  {"event": "result", "ok": true|false, ...counts...}

Every stage has a deadline; the process exits 0 only when the stage asked for succeeded
(subscribe: at least the frames asked for were decoded), 1 otherwise, 2 for a bad request.
"""

import asyncio
import fractions
import json
import os
import sys
import time

import aioice.ice
from aiortc import (
    RTCCertificate,
    RTCDtlsTransport,
    RTCIceGatherer,
    RTCIceTransport,
    RTCRtpReceiver,
    RTCRtpSender,
    VideoStreamTrack,
)
from aiortc.mediastreams import AudioStreamTrack
from aiortc.rtcdtlstransport import RTCDtlsFingerprint, RTCDtlsParameters
from aiortc.rtcicetransport import RTCIceCandidate, RTCIceParameters
from aiortc.rtcrtpreceiver import RemoteStreamTrack
from aiortc.rtcrtpparameters import (
    RTCRtcpFeedback,
    RTCRtcpParameters,
    RTCRtpCodecParameters,
    RTCRtpDecodingParameters,
    RTCRtpEncodingParameters,
    RTCRtpHeaderExtensionParameters,
    RTCRtpReceiveParameters,
    RTCRtpRtxParameters,
    RTCRtpSendParameters,
)
from av import VideoFrame

# Loopback only: aioice leaves 127.0.0.1 out of its host candidates; use nothing else.
aioice.ice.get_host_addresses = lambda use_ipv4=True, use_ipv6=False: ["127.0.0.1"]

# The router's header-extension names (GET /capabilities) and the URIs aiortc knows.
EXTENSION_URIS = {
    "absSendTime": "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
    "audioLevel": "urn:ietf:params:rtp-hdrext:ssrc-audio-level",
}
VIDEO_FEEDBACK = [RTCRtcpFeedback(type="nack"), RTCRtcpFeedback(type="nack", parameter="pli"),
                  RTCRtcpFeedback(type="goog-remb")]


class UsageError(Exception):
    """A request on stdin this script cannot follow (exit status 2)."""


def emit(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def log(text):
    sys.stderr.write(f"aiortc_peer: {text}\n")
    sys.stderr.flush()


async def read_message(deadline):
    """The next JSON line on stdin, before `deadline` (monotonic seconds)."""
    loop = asyncio.get_running_loop()
    remaining = max(0.1, deadline - time.monotonic())
    line = await asyncio.wait_for(loop.run_in_executor(None, sys.stdin.readline), remaining)
    if not line:
        raise UsageError("stdin closed before the next request")
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        raise UsageError(f"stdin: not JSON ({error}): {line[:80]!r}")


def require(dictionary, key, where):
    if not isinstance(dictionary, dict) or key not in dictionary:
        raise UsageError(f"{where}: missing '{key}'")
    return dictionary[key]


class MovingPatternTrack(VideoStreamTrack):
    """Synthetic 30 fps video whose content changes every frame, so VP8 has real work."""

    def __init__(self, width=320, height=240):
        super().__init__()
        self.width, self.height = width, height
        self.frames = 0
        self._chroma = bytes([128]) * (width * height // 4)

    async def recv(self):
        pts, time_base = await self.next_timestamp()
        shift = self.frames * 4
        row = bytes((x + shift) & 0xFF for x in range(self.width))
        frame = VideoFrame(width=self.width, height=self.height, format="yuv420p")
        frame.planes[0].update(row * self.height)
        frame.planes[1].update(self._chroma)
        frame.planes[2].update(self._chroma)
        frame.pts, frame.time_base = pts, time_base
        self.frames += 1
        return frame


def header_extensions(names):
    return [RTCRtpHeaderExtensionParameters(id=int(names[name]), uri=uri)
            for name, uri in EXTENSION_URIS.items() if name in names]


def count_feedback(sender, counts):
    """Counts the RTCP feedback a sender receives (PLI, FIR, NACK) before aiortc handles it."""
    from aiortc.rtp import RTCP_PSFB_FIR, RTCP_PSFB_PLI, RTCP_RTPFB_NACK, RtcpPsfbPacket, RtcpRtpfbPacket
    original = sender._handle_rtcp_packet

    async def handle(packet):
        if isinstance(packet, RtcpPsfbPacket) and packet.fmt in (RTCP_PSFB_PLI, RTCP_PSFB_FIR):
            counts["keyFrameRequests"] += 1
        elif isinstance(packet, RtcpRtpfbPacket) and packet.fmt == RTCP_RTPFB_NACK:
            counts["nackedPackets"] += len(packet.lost)
        await original(packet)

    sender._handle_rtcp_packet = handle


def drop_publisher_packets(dtls, ssrc, payload_type, every, counts):
    """Drops the first transmission of every `every`-th video RTP packet (by sequence number)
    before it is protected, as uplink loss: the server has to NACK them and aiortc has to
    retransmit them as RTX (other SSRC, so never dropped)."""
    original = dtls._send_rtp
    dropped = set()

    async def send(data):
        if len(data) >= 12 and (data[1] & 0x7F) == payload_type and int.from_bytes(data[8:12], "big") == ssrc:
            sequence = int.from_bytes(data[2:4], "big")
            if sequence % every == 0 and sequence not in dropped:
                dropped.add(sequence)
                counts["droppedOnPurpose"] += 1
                return
        await original(data)

    dtls._send_rtp = send


def drop_received_packets(receiver, ssrc, rtx_ssrc, every, entry):
    """Drops the first arrival of every `every`-th media packet of `ssrc`, as downlink loss:
    aiortc NACKs them and the server has to retransmit them as RTX (counted as rtxReceived)."""
    original = receiver._handle_rtp_packet
    dropped = set()

    async def handle(packet, arrival_time_ms):
        if packet.ssrc == rtx_ssrc:
            entry["rtxReceived"] += 1
        elif packet.ssrc == ssrc and packet.sequence_number % every == 0 and packet.sequence_number not in dropped:
            dropped.add(packet.sequence_number)
            entry["droppedOnPurpose"] += 1
            return
        await original(packet, arrival_time_ms)

    receiver._handle_rtp_packet = handle


async def outbound_packets(sender):
    report = await sender.getStats()
    return sum(s.packetsSent for s in report.values() if s.type == "outbound-rtp")


async def publish(dtls, senders, tracks, request, deadline):
    seconds = float(require(request, "seconds", "publish"))
    names = request.get("headerExtensions", {})
    counts = {}
    video = request.get("video")
    audio = request.get("audio")
    drop_every = int(request.get("dropEvery", 0))
    for kind, sender in senders.items():
        counts[kind] = {"keyFrameRequests": 0, "nackedPackets": 0, "droppedOnPurpose": 0}
        count_feedback(sender, counts[kind])
        cname = "aiortc-interop"
        if kind == "video":
            if video is None:
                continue
            pt = int(require(video, "payloadType", "publish.video"))
            codecs = [RTCRtpCodecParameters(mimeType="video/VP8", clockRate=90000, payloadType=pt,
                                            rtcpFeedback=VIDEO_FEEDBACK)]
            rtx = None
            if video.get("rtxPayloadType") is not None:
                codecs.append(RTCRtpCodecParameters(mimeType="video/rtx", clockRate=90000,
                                                    payloadType=int(video["rtxPayloadType"]),
                                                    parameters={"apt": pt}))
                rtx = RTCRtpRtxParameters(ssrc=sender._rtx_ssrc)
            encodings = [RTCRtpEncodingParameters(ssrc=sender._ssrc, payloadType=pt, rtx=rtx)]
            if drop_every > 0:
                drop_publisher_packets(dtls, sender._ssrc, pt, drop_every, counts[kind])
        else:
            if audio is None:
                continue
            pt = int(require(audio, "payloadType", "publish.audio"))
            codecs = [RTCRtpCodecParameters(mimeType="audio/opus", clockRate=48000, channels=2, payloadType=pt)]
            encodings = [RTCRtpEncodingParameters(ssrc=sender._ssrc, payloadType=pt)]
        await sender.send(RTCRtpSendParameters(codecs=codecs, encodings=encodings,
                                               headerExtensions=header_extensions(names),
                                               rtcp=RTCRtcpParameters(cname=cname, mux=True, ssrc=sender._ssrc)))
    try:  # publish until told to stop, or for `seconds`
        stop = await asyncio.wait_for(read_message(deadline), max(0.1, min(seconds, deadline - time.monotonic())))
        if stop.get("command") != "stop":
            raise UsageError(f"expected {{\"command\": \"stop\"}}, got {stop}")
    except asyncio.TimeoutError:
        pass
    result = {"event": "result", "ok": dtls.state == "connected", "dtlsState": dtls.state}
    for kind, sender in senders.items():
        result[kind] = dict(counts[kind], packetsSent=await outbound_packets(sender))
    result["videoFramesCaptured"] = tracks["video"].frames
    result["ok"] = result["ok"] and all(result[k]["packetsSent"] > 0 for k in senders)
    for sender in senders.values():
        await sender.stop()
    return result


async def subscribe(dtls, request, deadline):
    consumers = require(request, "consumers", "subscribe")
    wanted = {"video": int(request.get("videoFrames", 0)), "audio": int(request.get("audioFrames", 0))}
    seconds = float(require(request, "seconds", "subscribe"))
    names = request.get("headerExtensions", {})
    drop_every = int(request.get("dropEvery", 0))
    stop_at = min(deadline, time.monotonic() + seconds)
    receivers, result = [], {"event": "result"}
    entries = {}
    for consumer in consumers:
        kind = require(consumer, "kind", "subscribe.consumers[]")
        pt = int(require(consumer, "payloadType", "subscribe.consumers[]"))
        mime = require(consumer, "mimeType", "subscribe.consumers[]")
        clock = int(require(consumer, "clockRate", "subscribe.consumers[]"))
        codecs = [RTCRtpCodecParameters(mimeType=mime, clockRate=clock, payloadType=pt,
                                        channels=2 if kind == "audio" else None,
                                        rtcpFeedback=VIDEO_FEEDBACK if kind == "video" else [])]
        rtx = None
        if consumer.get("rtxSsrc") is not None and consumer.get("rtxPayloadType") is not None:
            codecs.append(RTCRtpCodecParameters(mimeType=f"{kind}/rtx", clockRate=clock,
                                                payloadType=int(consumer["rtxPayloadType"]), parameters={"apt": pt}))
            rtx = RTCRtpRtxParameters(ssrc=int(consumer["rtxSsrc"]))
        receiver = RTCRtpReceiver(kind, dtls)
        receiver._track = RemoteStreamTrack(kind=kind)  # what RTCPeerConnection does before receive()
        own_ssrc = 0x5F000000 + len(receivers)
        receiver._set_rtcp_ssrc(own_ssrc)  # what RTCPeerConnection does: our RTCP's sender SSRC
        await receiver.receive(RTCRtpReceiveParameters(
            codecs=codecs, headerExtensions=header_extensions(names),
            encodings=[RTCRtpDecodingParameters(ssrc=int(consumer["ssrc"]), payloadType=pt, rtx=rtx)],
            rtcp=RTCRtcpParameters(cname="aiortc-interop-sub", mux=True, ssrc=own_ssrc)))
        receivers.append((kind, receiver))
        entries[kind] = {"frames": 0, "rtxReceived": 0, "droppedOnPurpose": 0}
        if drop_every > 0 and kind == "video":
            drop_received_packets(receiver, int(consumer["ssrc"]), rtx.ssrc if rtx else None, drop_every, entries[kind])

    def enough():
        return all(entries[k]["frames"] >= n for k, n in wanted.items() if n > 0 and k in entries)

    async def count(kind, receiver, entry):
        while True:
            frame = await receiver.track.recv()
            entry["frames"] += 1
            if entry["frames"] == 1:
                entry["firstFrameSeconds"] = round(time.monotonic() - started, 3)
            if kind == "video":
                entry["width"], entry["height"] = frame.width, frame.height
            if enough():
                finished.set()

    started = time.monotonic()
    finished = asyncio.Event()
    tasks = [asyncio.ensure_future(count(kind, receiver, entries[kind])) for kind, receiver in receivers]
    try:
        await asyncio.wait_for(finished.wait(), max(0.1, stop_at - time.monotonic()))
    except asyncio.TimeoutError:
        log(f"subscribe: deadline with {entries}")
    for task in tasks:
        task.cancel()
    for kind, receiver in receivers:
        report = await receiver.getStats()
        for stats in report.values():
            if stats.type == "inbound-rtp":
                entries[kind]["packetsReceived"] = stats.packetsReceived
                entries[kind]["packetsLost"] = stats.packetsLost
        await receiver.stop()
    result.update(entries)
    result["ok"] = enough() and all(wanted[k] == 0 or k in entries for k in wanted)
    return result


async def run():
    first = await read_message(time.monotonic() + 30)
    mode = require(first, "mode", "request")
    if mode not in ("publish", "subscribe"):
        raise UsageError(f"request.mode: '{mode}' is neither 'publish' nor 'subscribe'")
    role = first.get("dtlsRole", "client")
    if role not in ("client", "server"):
        raise UsageError(f"request.dtlsRole: '{role}' is neither 'client' nor 'server'")
    deadline = time.monotonic() + float(first.get("timeoutSeconds", 30))
    transport = require(first, "transport", "request")
    ice = require(transport, "iceParameters", "request.transport")
    candidates = require(transport, "iceCandidates", "request.transport")
    dtls_remote = require(transport, "dtlsParameters", "request.transport")

    gatherer = RTCIceGatherer(iceServers=[])
    await asyncio.wait_for(gatherer.gather(), 10)
    ice_transport = RTCIceTransport(gatherer)
    ice_transport._connection.ice_controlling = True  # the server is ICE-lite: we control
    dtls = RTCDtlsTransport(ice_transport, [RTCCertificate.generateCertificate()])
    dtls._set_role(role)  # ORTC would derive it from the ICE role; we signal it explicitly

    senders, tracks = {}, {}
    if mode == "publish":
        tracks = {"video": MovingPatternTrack(), "audio": AudioStreamTrack()}
        senders = {kind: RTCRtpSender(track, dtls) for kind, track in tracks.items()}
    local_ice = gatherer.getLocalParameters()
    emit({
        "event": "parameters",
        "iceParameters": {"usernameFragment": local_ice.usernameFragment, "password": local_ice.password},
        "dtlsParameters": {"role": role, "fingerprints": [
            {"algorithm": f.algorithm, "value": f.value} for f in dtls.getLocalParameters().fingerprints]},
        "senders": [{"kind": k, "ssrc": s._ssrc, "rtxSsrc": s._rtx_ssrc if k == "video" else None}
                    for k, s in senders.items()],
    })

    start = await read_message(deadline)
    if start.get("command") != "start":
        raise UsageError(f"expected {{\"command\": \"start\"}}, got {start}")
    began = time.monotonic()
    for c in candidates:
        await ice_transport.addRemoteCandidate(RTCIceCandidate(
            component=1, foundation=str(c["foundation"]), ip=c["ip"], port=int(c["port"]),
            priority=int(c["priority"]), protocol=c["protocol"], type=c["type"], tcpType=c.get("tcpType")))
    await ice_transport.addRemoteCandidate(None)
    await asyncio.wait_for(ice_transport.start(RTCIceParameters(
        usernameFragment=ice["usernameFragment"], password=ice["password"], iceLite=True)),
        max(0.1, deadline - time.monotonic()))
    ice_done = time.monotonic()
    if ice_transport.state != "completed":
        return {"event": "failed", "ok": False, "stage": "ice", "iceState": ice_transport.state}
    fingerprints = [RTCDtlsFingerprint(algorithm=f["algorithm"], value=f["value"])
                    for f in dtls_remote["fingerprints"]]
    await asyncio.wait_for(dtls.start(RTCDtlsParameters(fingerprints=fingerprints, role="auto")),
                           max(0.1, deadline - time.monotonic()))
    if dtls.state != "connected":
        return {"event": "failed", "ok": False, "stage": "dtls", "dtlsState": dtls.state}
    now = time.monotonic()
    emit({"event": "connected", "iceSeconds": round(ice_done - began, 4), "dtlsSeconds": round(now - ice_done, 4),
          "setupSeconds": round(now - began, 4), "dtlsRole": dtls._role})

    media = await read_message(deadline)
    command = media.get("command")
    if command == "publish" and mode == "publish":
        result = await publish(dtls, senders, tracks, media, deadline)
    elif command == "subscribe" and mode == "subscribe":
        result = await subscribe(dtls, media, deadline)
    else:
        raise UsageError(f"mode '{mode}' cannot follow command '{command}'")
    await dtls.stop()
    await ice_transport.stop()
    return result


def main():
    try:
        result = asyncio.run(run())
    except UsageError as error:
        emit({"event": "failed", "ok": False, "stage": "usage", "error": str(error)})
        log(str(error))
        os._exit(2)
    except asyncio.TimeoutError:
        emit({"event": "failed", "ok": False, "stage": "timeout", "error": "a stage passed its deadline"})
        os._exit(1)
    except Exception as error:  # report any other failure as JSON too, then fail
        emit({"event": "failed", "ok": False, "stage": "exception", "error": f"{type(error).__name__}: {error}"})
        os._exit(1)
    emit(result)
    # os._exit: the stdin reader thread may still be blocked in readline.
    os._exit(0 if result.get("ok") else 1)


if __name__ == "__main__":
    main()

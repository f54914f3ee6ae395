using System.Net;

namespace LiveHost.ControlPlane;

/// <summary>
/// The player at <c>/watch/{room}</c>: a plain page that asks for the room over WHEP and plays it. No build step and
/// no dependencies, so any browser with WebRTC can watch. <c>?key=</c> passes a viewer key when the room needs one.
/// <c>window.livehost</c> exposes the connection and a stats summary for tests and monitoring. The element gets one
/// <c>MediaStream</c>, once, and <c>play()</c> is called once both tracks are in; a refused autoplay turns the button
/// into "Play" instead of failing silently.
/// <para>
/// When the server ends the session (a room stopped for its avatar's consent closes every WebRTC session with a DTLS
/// close_notify) the page watches the DTLS transport and the peer connection: once either reads <c>closed</c> or
/// <c>failed</c> the picture goes (no frozen last frame) and the page says "The presenter is unavailable" with the AI
/// label's wording. An offer the server refuses with 409 (the room is stopped) shows the same notice, with the reason.
/// <c>window.livehost.ended</c> holds why the page stopped playing (null while it plays).
/// </para>
/// </summary>
public static class WatchPage
{
    public static string Html(string room)
    {
        var encoded = WebUtility.HtmlEncode(room);
        var json = System.Text.Json.JsonSerializer.Serialize(room);
        return $$"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>LiveHost – {{encoded}}</title>
<style>
  body { margin: 0; background: #111; color: #eee; font: 14px system-ui, sans-serif; }
  main { max-width: 1280px; margin: 0 auto; padding: 12px; }
  video { width: 100%; background: #000; aspect-ratio: 16 / 9; display: block; }
  #screen { position: relative; }
  #ended { position: absolute; inset: 0; display: flex; flex-direction: column; gap: 8px; align-items: center;
           justify-content: center; background: #1b1b1b; text-align: center; font-size: 20px; }
  #ended[hidden] { display: none; }
  #ended small { font-size: 14px; opacity: .8; }
  #bar { display: flex; gap: 12px; align-items: center; margin-top: 8px; }
  #status { opacity: .8; }
  #comment { display: flex; gap: 8px; margin-top: 12px; }
  #comment-text { flex: 1; }
  #comments { list-style: none; padding: 0; margin: 8px 0 0; max-height: 240px; overflow-y: auto; }
  #comments .nick { font-weight: 600; margin-right: 6px; }
</style>
</head>
<body>
<main>
  <div id="screen">
    <video id="video" autoplay playsinline muted></video>
    <div id="ended" hidden><strong>The presenter is unavailable</strong><small>AI-generated presenter · AI生成</small><small id="reason"></small></div>
  </div>
  <div id="bar"><button id="unmute">Unmute</button><span id="status">connecting…</span></div>
  <form id="comment" autocomplete="off">
    <input id="comment-nick" maxlength="48" placeholder="nickname (optional)" aria-label="nickname">
    <input id="comment-text" maxlength="400" placeholder="Ask the host…" aria-label="comment" required>
    <button id="comment-send">Send</button>
  </form>
  <div id="comment-status" role="status"></div>
  <ul id="comments"></ul>
</main>
<script>
// Comments (issue 11): a minimal SignalR client (JSON protocol over WebSocket) for SendComment and CommentPosted.
// Everything a viewer wrote is shown with textContent, never parsed as HTML.
(() => {
  const room = {{json}};
  const key = new URLSearchParams(location.search).get('key');
  const RS = '\x1e';
  const form = document.getElementById('comment');
  const text = document.getElementById('comment-text');
  const nick = document.getElementById('comment-nick');
  const status = document.getElementById('comment-status');
  const list = document.getElementById('comments');
  const shown = new Set();
  let ws = null, opening = null, nextId = 1;
  const pending = new Map();
  const reason = e => String(e && e.message || e).replace(/^.*HubException: /, '');
  const show = c => {
    if (shown.has(c.id)) return;
    shown.add(c.id);
    const li = document.createElement('li');
    const who = document.createElement('span');
    who.className = 'nick';
    who.textContent = c.nickname || 'viewer';
    const what = document.createElement('span');
    what.className = 'text';
    what.textContent = c.text;
    li.append(who, what);
    list.append(li);
    list.scrollTop = list.scrollHeight;
  };
  const receive = data => {
    for (const part of String(data).split(RS)) {
      if (!part) continue;
      const m = JSON.parse(part);
      if (m.type === 1 && m.target === 'CommentPosted') show(m.arguments[0]);
      if (m.type === 3 && pending.has(m.invocationId)) {
        const p = pending.get(m.invocationId);
        pending.delete(m.invocationId);
        m.error ? p.reject(new Error(m.error)) : p.resolve(m.result);
      }
      if (m.type === 7) ws && ws.close();
    }
  };
  const open = async () => {
    const q = key ? '&access_token=' + encodeURIComponent(key) : '';
    const negotiate = await fetch('/hubs/control/negotiate?negotiateVersion=1' + q, { method: 'POST' });
    if (!negotiate.ok) {
      let detail = await negotiate.text();
      try { detail = JSON.parse(detail).detail || detail; } catch { }
      throw new Error(detail || ('the server answered ' + negotiate.status + (negotiate.status === 401 ? ': comments need a viewer key (?key=)' : '')));
    }
    const { connectionToken } = await negotiate.json();
    const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host +
      '/hubs/control?id=' + encodeURIComponent(connectionToken) + q);
    await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = () => reject(new Error('cannot reach the server')); });
    await new Promise((resolve, reject) => {
      socket.onmessage = e => {
        const [handshake, ...rest] = String(e.data).split(RS);
        const h = JSON.parse(handshake);
        if (h.error) { reject(new Error(h.error)); return; }
        socket.onmessage = e2 => receive(e2.data);
        ws = socket;
        if (rest.join('')) receive(rest.join(RS));
        resolve();
      };
      socket.send(JSON.stringify({ protocol: 'json', version: 1 }) + RS);
    });
    const ping = setInterval(() => socket.readyState === 1 && socket.send('{"type":6}' + RS), 15000);
    socket.onclose = () => {
      clearInterval(ping);
      ws = null; opening = null;
      for (const p of pending.values()) p.reject(new Error('the connection closed; send again'));
      pending.clear();
    };
    // Public rooms show every comment; otherwise this is refused and only the viewer's own comments are shown.
    invoke('Subscribe', room).catch(() => { });
  };
  const invoke = (target, ...args) => new Promise((resolve, reject) => {
    const id = String(nextId++);
    pending.set(id, { resolve, reject });
    ws.send(JSON.stringify({ type: 1, invocationId: id, target, arguments: args }) + RS);
  });
  form.onsubmit = async e => {
    e.preventDefault();
    status.textContent = 'sending…';
    try {
      if (!ws) await (opening ??= open());
      const comment = await invoke('SendComment', text.value, nick.value || null, room);
      show(comment);
      text.value = '';
      status.textContent = '';
    } catch (err) {
      opening = null;
      status.textContent = reason(err);
    }
    window.livehost && (window.livehost.commentStatus = status.textContent);
  };
})();
</script>
<script>
(async () => {
  const room = {{json}};
  const key = new URLSearchParams(location.search).get('key');
  const auth = key ? { Authorization: 'Bearer ' + key } : {};
  const video = document.getElementById('video');
  const status = document.getElementById('status');
  const button = document.getElementById('unmute');
  const ended = document.getElementById('ended');

  const pc = new RTCPeerConnection();
  pc.addTransceiver('video', { direction: 'recvonly' });
  pc.addTransceiver('audio', { direction: 'recvonly' });
  // One stream for the element, given to it once: every new srcObject restarts loading and aborts a pending play().
  const stream = new MediaStream();
  let playing = null;
  const play = () => playing ??= video.play().then(
    () => { window.livehost.playing = true; },
    e => {
      playing = null;
      if (e.name === 'NotAllowedError') {
        // Autoplay refused (sound, or a strict policy): the button starts it, which is a user gesture.
        status.textContent = 'press Play to start';
        button.textContent = 'Play';
      } else if (e.name !== 'AbortError') {
        window.livehost.error = String(e);
        status.textContent = 'cannot play: ' + e.message;
      }
      // AbortError: a newer load replaced this one (the page itself never does that); the next play() starts it.
    });
  pc.ontrack = e => {
    if (!stream.getTracks().includes(e.track)) stream.addTrack(e.track);
    if (video.srcObject !== stream) video.srcObject = stream;
    // Play once both tracks are in: BUNDLE delivers them together, and a single play() cannot be aborted by the second.
    if (stream.getVideoTracks().length > 0 && stream.getAudioTracks().length > 0) play();
  };
  button.onclick = () => { video.muted = false; button.textContent = 'Unmute'; play(); };

  // The session is over (closed by the server, or failed): take the picture down and say so, once.
  const end = why => {
    if (window.livehost.ended) return;
    window.livehost.ended = why;
    stream.getTracks().forEach(t => t.stop());
    video.srcObject = null;
    document.getElementById('reason').textContent = why;
    ended.hidden = false;
    status.textContent = 'ended';
    button.disabled = true;
    pc.close();
  };
  const isOver = state => state === 'closed' || state === 'failed';
  pc.onconnectionstatechange = () => {
    status.textContent = pc.connectionState;
    if (isOver(pc.connectionState)) end(pc.connectionState === 'failed' ? 'the connection failed' : 'the stream has ended');
  };
  // Chromium reports a DTLS close_notify on the transport at once; connectionState waits for ICE to time out.
  const watchTransport = () => {
    const transport = pc.getReceivers()[0]?.transport;
    if (!transport || transport.onstatechange) return;
    transport.onstatechange = () => { if (isOver(transport.state)) end(transport.state === 'failed' ? 'the connection failed' : 'the stream has ended'); };
  };

  const stats = async () => {
    const out = { framesDecoded: 0, framesDropped: 0, totalAudioEnergy: 0, audioLevel: 0, packetsLost: 0, jitterBufferDelay: 0, jitterBufferEmittedCount: 0 };
    const report = await pc.getStats();
    report.forEach(s => {
      if (s.type !== 'inbound-rtp') return;
      if (s.kind === 'video') { out.framesDecoded = s.framesDecoded || 0; out.framesDropped = s.framesDropped || 0; out.frameWidth = s.frameWidth; out.frameHeight = s.frameHeight; }
      if (s.kind === 'audio') { out.totalAudioEnergy = s.totalAudioEnergy || 0; out.audioLevel = s.audioLevel || 0; out.jitterBufferDelay = s.jitterBufferDelay || 0; out.jitterBufferEmittedCount = s.jitterBufferEmittedCount || 0; out.audioPacketsReceived = s.packetsReceived || 0; out.totalSamplesReceived = s.totalSamplesReceived || 0; }
      if (s.kind === 'video') { out.videoPacketsReceived = s.packetsReceived || 0; }
      out.packetsLost += s.packetsLost || 0;
    });
    out.connectionState = pc.connectionState;
    out.latency = latency(report);
    return out;
  };
  // Viewer latency from getStats (issue 17): each stage in ms, lifetime averages and since the previous stats() call.
  let previous = null;
  const latency = report => {
    const v = {}, a = {};
    report.forEach(s => { if (s.type === 'inbound-rtp' && s.kind === 'video') Object.assign(v, s); if (s.type === 'inbound-rtp' && s.kind === 'audio') Object.assign(a, s); });
    const ms = (total, count) => count > 0 ? 1000 * total / count : null;
    const recent = (s, prev, total, count) => prev && s[count] > prev[count] ? 1000 * (s[total] - prev[total]) / (s[count] - prev[count]) : null;
    const out = {
      videoJitterBufferMs: ms(v.jitterBufferDelay, v.jitterBufferEmittedCount),
      videoJitterBufferRecentMs: recent(v, previous && previous.v, 'jitterBufferDelay', 'jitterBufferEmittedCount'),
      videoJitterBufferTargetMs: ms(v.jitterBufferTargetDelay, v.jitterBufferEmittedCount),
      videoDecodeMs: ms(v.totalDecodeTime, v.framesDecoded),
      videoProcessingMs: ms(v.totalProcessingDelay, v.framesDecoded),
      videoProcessingRecentMs: recent(v, previous && previous.v, 'totalProcessingDelay', 'framesDecoded'),
      audioJitterBufferMs: ms(a.jitterBufferDelay, a.jitterBufferEmittedCount),
      audioJitterBufferRecentMs: recent(a, previous && previous.a, 'jitterBufferDelay', 'jitterBufferEmittedCount'),
      audioJitterBufferTargetMs: ms(a.jitterBufferTargetDelay, a.jitterBufferEmittedCount),
      // Audio minus video estimatedPlayoutTimestamp (both on the sender's clock via RTCP SR): > 0, the sound is behind the picture.
      audioBehindVideoMs: v.estimatedPlayoutTimestamp && a.estimatedPlayoutTimestamp ? v.estimatedPlayoutTimestamp - a.estimatedPlayoutTimestamp : null,
    };
    // Estimated playout delay of the picture: receive -> decoded (jitter buffer and decode), recent when known.
    out.estimatedVideoPlayoutDelayMs = out.videoProcessingRecentMs ?? out.videoProcessingMs;
    previous = { v, a };
    return out;
  };
  window.livehost = { pc, stats, session: null, error: null, playing: false, ended: null };

  try {
    await pc.setLocalDescription(await pc.createOffer());
    const response = await fetch('/whep/' + encodeURIComponent(room), {
      method: 'POST', headers: { 'Content-Type': 'application/sdp', ...auth }, body: pc.localDescription.sdp });
    if (response.status !== 201) {
      let detail = await response.text();
      try { detail = JSON.parse(detail).detail || detail; } catch { }
      // 409: the room is stopped (e.g. its presenter's consent was withdrawn); nothing to wait for.
      if (response.status === 409) end(detail);
      throw new Error(response.status + ': ' + detail);
    }
    // response.url: after a 307 to the node that runs the room, the session lives there.
    const session = new URL(response.headers.get('Location'), response.url).href;
    window.livehost.session = session;
    // Leaving the page ends the session at once; the server's consent timeout is only the fallback.
    addEventListener('pagehide', () => fetch(session, { method: 'DELETE', keepalive: true, headers: auth }));
    await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
    watchTransport();
  } catch (e) {
    window.livehost.error = String(e);
    status.textContent = 'cannot watch: ' + e.message;
  }
})();
</script>
</body>
</html>
""";
    }
}

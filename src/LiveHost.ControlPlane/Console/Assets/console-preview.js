// The console's live picture: WHEP playback as the /watch page does it (one MediaStream given to the element once,
// play() once both tracks are in, a refused autoplay turns into a button). Plain browser JavaScript, no build step.
'use strict';
window.LiveHostPreview = {
  start(video, status, unmute, room, authHeaders, problemOf) {
    const pc = new RTCPeerConnection();
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    const preview = { pc, session: null, error: null };
    const stream = new MediaStream();
    let playing = null;
    const play = () => playing ??= video.play().catch(e => {
      playing = null;
      if (e.name === 'NotAllowedError') status.textContent = 'press Unmute to start';
    });
    pc.ontrack = e => {
      if (!stream.getTracks().includes(e.track)) stream.addTrack(e.track);
      if (video.srcObject !== stream) video.srcObject = stream;
      if (stream.getVideoTracks().length > 0 && stream.getAudioTracks().length > 0) play();
    };
    pc.onconnectionstatechange = () => { status.textContent = pc.connectionState; };
    unmute.onclick = () => { video.muted = !video.muted; unmute.textContent = video.muted ? 'Unmute' : 'Mute'; play(); };
    (async () => {
      try {
        await pc.setLocalDescription(await pc.createOffer());
        const response = await fetch('/whep/' + encodeURIComponent(room), {
          method: 'POST', headers: { 'Content-Type': 'application/sdp', ...authHeaders() }, body: pc.localDescription.sdp });
        if (response.status !== 201) throw new Error(response.status + ': ' + await problemOf(response));
        // response.url: after a 307 to the node that runs the room, the session lives there.
        const session = new URL(response.headers.get('Location'), response.url).href;
        preview.session = session;
        // Leaving the page ends the session at once; the server's consent timeout is only the fallback.
        addEventListener('pagehide', () => fetch(session, { method: 'DELETE', keepalive: true, headers: authHeaders() }));
        await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
      } catch (e) {
        preview.error = String(e);
        status.textContent = 'no preview: ' + e.message;
      }
    })();
    return preview;
  },
};

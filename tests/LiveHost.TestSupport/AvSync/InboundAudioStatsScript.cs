namespace LiveHost.TestSupport.AvSync;

/// <summary>
/// Samples the watch page's audio <c>inbound-rtp</c> stats every 250 ms (<c>window.livehost.pc.getStats()</c>): the
/// jitter buffer's delay per emitted sample over each interval (what the sound waited in NetEq then), its target, and
/// the counters that say why it moved (loss, concealment, time-stretching). Each sample covers (from, t], ms on the
/// page's performance clock (the clock the marker reader's times are on).
/// </summary>
public static class InboundAudioStatsScript
{
    /// <summary>Starts sampling into <c>window.__audioStats</c>.</summary>
    public const string Install = """
() => {
  const out = window.__audioStats = [];
  let previous = null;
  const sample = async () => {
    const report = await window.livehost.pc.getStats();
    let a = null;
    report.forEach(s => { if (s.type === 'inbound-rtp' && s.kind === 'audio') a = s; });
    if (!a) return;
    const t = performance.now();
    if (previous && a.jitterBufferEmittedCount > previous.jitterBufferEmittedCount) {
      const emitted = a.jitterBufferEmittedCount - previous.jitterBufferEmittedCount;
      const d = k => (a[k] || 0) - (previous[k] || 0);
      out.push({ from: previous.t, t, bufferMs: 1000 * d('jitterBufferDelay') / emitted, targetMs: 1000 * d('jitterBufferTargetDelay') / emitted,
        minimumMs: 1000 * d('jitterBufferMinimumDelay') / emitted, lost: d('packetsLost'), received: d('packetsReceived'),
        concealed: d('concealedSamples'), inserted: d('insertedSamplesForDeceleration'), removed: d('removedSamplesForAcceleration') });
    }
    previous = { ...a, t };
  };
  window.__audioStatsTimer = setInterval(() => { sample().catch(() => {}); }, 250);
}
""";

    /// <summary>The samples so far, as JSON: [{from, t, bufferMs, targetMs, minimumMs, lost, received, concealed, inserted, removed}].</summary>
    public const string Take = "() => JSON.stringify(window.__audioStats)";
}

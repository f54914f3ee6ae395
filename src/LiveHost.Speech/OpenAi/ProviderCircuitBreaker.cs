namespace LiveHost.Speech.OpenAi;

/// <summary>
/// One speech server's circuit (all voices with the same BaseUrl share it):
///
///   Closed ──BreakAfterFailures failed lines in a row──▶ Open ──BreakFor elapsed──▶ HalfOpen (one line tries)
///     ▲                                                                              │ fails: Open again
///     └────────────────────────────── a line succeeds ──────────────────────────────┘
///
/// While open, lines do not reach the server: they fall back (or fail) at once, so a dead server costs each line
/// nothing instead of a timeout. Thread-safe.
/// </summary>
public sealed class ProviderCircuitBreaker(int breakAfterFailures, TimeSpan breakFor, TimeProvider time)
{
    private readonly Lock _gate = new();
    private int _failures;
    private long _openUntil;     // TimeProvider timestamp; 0 when closed
    private bool _trial;         // a half-open trial is in flight

    /// <summary>Times the circuit opened.</summary>
    public long Opened { get; private set; }

    public bool IsOpen
    {
        get { lock (_gate) return _openUntil != 0 && time.GetTimestamp() < _openUntil; }
    }

    /// <summary>True when a line may try the server now (closed, or the one trial of a half-open circuit).</summary>
    public bool TryEnter()
    {
        lock (_gate)
        {
            if (_openUntil == 0) return true;
            if (time.GetTimestamp() < _openUntil || _trial) return false;
            _trial = true;
            return true;
        }
    }

    public void Succeeded()
    {
        lock (_gate)
        {
            _failures = 0;
            _openUntil = 0;
            _trial = false;
        }
    }

    public void Failed()
    {
        lock (_gate)
        {
            _failures++;
            if (!_trial && _failures < breakAfterFailures) return;
            _trial = false;
            _openUntil = time.GetTimestamp() + (long)(breakFor.TotalSeconds * time.TimestampFrequency);
            Opened++;
        }
    }
}

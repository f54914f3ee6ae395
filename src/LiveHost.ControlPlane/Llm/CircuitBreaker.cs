namespace LiveHost.ControlPlane.Llm;

/// <summary>
/// Closed until <c>failures</c> requests in a row fail; then open for <c>openFor</c>, refusing at once; then one request
/// is let through (half-open): its success closes the breaker, its failure opens it again.
/// </summary>
public sealed class CircuitBreaker(int failures, TimeSpan openFor, TimeProvider time)
{
    private readonly Lock _gate = new();
    private int _failures;
    private DateTimeOffset? _openUntil;

    /// <summary>False (with when it may be tried again) while open.</summary>
    public bool TryEnter(out DateTimeOffset retryAt)
    {
        lock (_gate)
        {
            retryAt = _openUntil ?? default;
            if (_openUntil is { } until && time.GetUtcNow() < until) return false;
            return true;
        }
    }

    public void Succeeded()
    {
        lock (_gate)
        {
            _failures = 0;
            _openUntil = null;
        }
    }

    public void Failed()
    {
        lock (_gate)
        {
            if (++_failures >= failures) _openUntil = time.GetUtcNow() + openFor;
        }
    }
}

namespace LiveHost.TestSupport;

/// <summary>Waits for a condition that an event signals: checked now and at each raise of the event, never polled.</summary>
public static class EventCondition
{
    /// <summary>Until <paramref name="condition"/> holds, checked now and whenever the event (hooked by <paramref name="subscribe"/>) is raised.</summary>
    public static async Task WhenAsync<T>(Action<Action<T>> subscribe, Action<Action<T>> unsubscribe, Func<bool> condition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(subscribe);
        ArgumentNullException.ThrowIfNull(unsubscribe);
        var met = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(T _)
        {
            if (condition()) met.TrySetResult();
        }
        subscribe(Check);
        try
        {
            if (condition()) return;
            await met.Task.WaitAsync(timeout);
        }
        finally
        {
            unsubscribe(Check);
        }
    }
}

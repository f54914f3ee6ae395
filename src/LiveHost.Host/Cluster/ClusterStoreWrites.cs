using LiveHost.Engine.Persistence;
using LiveHost.Engine.Rooms;

namespace LiveHost.Host.Cluster;

/// <summary>
/// A cluster command's write to the shared store, its failures said as the answer the caller gets: PostgreSQL failing
/// -> 503 <c>storageFailed</c>; the write refused by the room's fencing token (another node took the room meanwhile) ->
/// 503 <c>unavailable</c>, to be sent again once the room has moved. Either way the message says what was not done.
/// </summary>
public static class ClusterStoreWrites
{
    public static T Run<T>(Func<T> write, string notDone)
    {
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            return write();
        }
        catch (Exception ex) when (ex is StorageFailedException or RoomFencedException)
        {
            throw Refusal(ex, notDone);
        }
    }

    public static void Run(Action write, string notDone) => Run(() =>
    {
        write();
        return 0;
    }, notDone);

    public static CommandRejectedException Refusal(Exception failure, string notDone) => failure is RoomFencedException
        ? new CommandRejectedException(RejectionCode.Unavailable, $"the room is moving to another node; {notDone}: try again in a few seconds")
        : new CommandRejectedException(RejectionCode.StorageFailed, $"storage is failing: {failure.Message}; {notDone}");
}

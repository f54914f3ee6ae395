using LiveHost.ControlPlane;
using LiveHost.ControlPlane.Comments.Faq;
using LiveHost.Engine.Moderation;
using LiveHost.Engine.Persistence;
using LiveHost.Engine.Show;

namespace LiveHost.Storage.Tests;

/// <summary>
/// One provider's stores over one empty database, as the host wires them. <see cref="Reopen"/> drops every store object
/// and makes new ones over the same database (a restart); <see cref="Execute"/> runs SQL behind the stores' backs (to
/// tamper with the audit log).
/// </summary>
public abstract class StoreProvider : IAsyncDisposable
{
    public ILineStore Lines { get; protected set; } = null!;
    public IRoomStateStore RoomStates { get; protected set; } = null!;
    public IScriptStore Scripts { get; protected set; } = null!;
    public IProductStore Products { get; protected set; } = null!;
    public IRoomScriptStore RoomScripts { get; protected set; } = null!;
    public IModerationTermStore Terms { get; protected set; } = null!;
    public IFaqStore Faq { get; protected set; } = null!;
    public IAuditLog Audit { get; protected set; } = null!;

    public abstract void Reopen();

    public abstract int Execute(string sql);

    public abstract ValueTask DisposeAsync();
}

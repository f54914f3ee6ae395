using Microsoft.Data.Sqlite;

namespace LiveHost.Engine.Persistence;

/// <summary>
/// The server's one connection to <c>livehost.db</c>, for tables other than lines and rooms (the audit log...). The file
/// is held in SQLite's exclusive locking mode, so a second connection would be refused: every table in it goes through
/// this one. <c>Run</c> executes its work under the store's lock; callers are control-plane threads, never a room's tick.
/// Keep the work short: the storage journal's writer waits for the same lock.
/// </summary>
public interface ISqliteDatabase
{
    T Run<T>(Func<SqliteConnection, T> work);
}

namespace LiveHost.Engine.Tests;

/// <summary>A fresh SQLite path in a temp folder, removed afterwards.</summary>
public sealed class TempDatabase : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("livehost-engine-").FullName;

    public string Path => System.IO.Path.Combine(_folder, "lines.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}

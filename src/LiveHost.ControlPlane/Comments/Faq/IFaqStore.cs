namespace LiveHost.ControlPlane.Comments.Faq;

/// <summary>Where rooms' FAQ entries live.</summary>
public interface IFaqStore
{
    IReadOnlyList<FaqEntry> LoadAll();

    void Save(FaqEntry entry);

    bool Delete(string room, string id);
}

/// <summary>For a host without a data directory: entries last until the process ends.</summary>
public sealed class InMemoryFaqStore : IFaqStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string, string), FaqEntry> _entries = [];

    public IReadOnlyList<FaqEntry> LoadAll()
    {
        lock (_gate) return [.. _entries.Values];
    }

    public void Save(FaqEntry entry)
    {
        lock (_gate) _entries[(entry.Room!, entry.Id!)] = entry;
    }

    public bool Delete(string room, string id)
    {
        lock (_gate) return _entries.Remove((room, id));
    }
}

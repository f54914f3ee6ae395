namespace LiveHost.Engine.Moderation;

/// <summary>Where the blocked and allowed terms live (admins edit them; they survive restarts).</summary>
public interface IModerationTermStore
{
    /// <summary>Every language's list; a store that has never been written holds <see cref="DefaultTerms.All"/>.</summary>
    IReadOnlyList<TermList> Load();

    /// <summary>Replaces one language's lists.</summary>
    void Save(TermList list);
}

namespace LiveHost.Engine.Show;

/// <summary>The script library (global, not per room). Called by the control plane, never on a room's tick.</summary>
public interface IScriptStore
{
    IReadOnlyList<ScriptSummary> List();

    Script? Get(string id);

    /// <summary>Inserts or replaces a validated script (its id set).</summary>
    void Save(Script script);

    bool Delete(string id);
}

/// <summary>Which script each room loops, and where, so a loop carries on after a restart.</summary>
public interface IRoomScriptStore
{
    StoredRoomScript? LoadRoomScript(string room);

    /// <summary>Stores the room's loop, or forgets it (null).</summary>
    void SaveRoomScript(string room, StoredRoomScript? state);
}

/// <summary>The product library. Called by the control plane, never on a room's tick (rooms read <see cref="ProductCatalog"/>).</summary>
public interface IProductStore
{
    IReadOnlyList<Product> List();

    void Save(Product product);

    bool Delete(string id);

    /// <summary>Stores the product's (already re-encoded) image, or removes it (null).</summary>
    void SaveImage(string id, byte[]? png);

    byte[]? LoadImage(string id);
}

namespace LiveHost.ControlPlane;

/// <summary>Who a presented key belongs to.</summary>
public sealed record ApiKeyIdentity(string Name, Role Role);

namespace LiveHost.ControlPlane;

/// <summary>Whether each room's frame clock keeps time; <c>/healthz</c> answers from it. The host implements it over the engine.</summary>
public interface IEngineHealth
{
    IReadOnlyList<RoomHealth> Check();
}

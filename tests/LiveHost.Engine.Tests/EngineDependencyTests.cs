using System.Reflection;
using LiveHost.Engine.Rooms;

namespace LiveHost.Engine.Tests;

/// <summary>
/// Issue 14: the engine runs rooms without knowing how avatars are drawn. It may use the avatar abstractions (names,
/// card content, image rules) but not LiveHost.Avatars or anything built on it (SkiaSharp, the realistic avatar),
/// directly or through another LiveHost assembly it references.
/// </summary>
public sealed class EngineDependencyTests
{
    private static readonly string[] Forbidden = ["LiveHost.Avatars", "LiveHost.Avatars.Realistic", "LiveHost.Inference", "SkiaSharp"];

    [Fact]
    public void The_engine_and_the_LiveHost_assemblies_it_uses_do_not_reference_the_avatar_implementations()
    {
        var engine = typeof(RoomEngine).Assembly;
        var seen = new Dictionary<string, string>(StringComparer.Ordinal) { [engine.GetName().Name!] = "(the engine)" };
        var pending = new Queue<Assembly>([engine]);
        while (pending.TryDequeue(out var assembly))
        {
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                var name = reference.Name!;
                if (seen.ContainsKey(name)) continue;
                seen[name] = assembly.GetName().Name!;
                if (name.StartsWith("LiveHost.", StringComparison.Ordinal)) pending.Enqueue(Assembly.Load(reference));
            }
        }

        var found = Forbidden.Where(seen.ContainsKey).Select(name => $"{name} (referenced by {seen[name]})").ToArray();
        Assert.True(found.Length == 0, $"the engine reaches {string.Join(", ", found)}");
        // The walk did reach the abstractions, so the check above looked at the right graph.
        Assert.Contains("LiveHost.Avatars.Abstractions", seen.Keys);
    }
}

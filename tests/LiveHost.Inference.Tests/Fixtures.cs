using System.Runtime.InteropServices;

namespace LiveHost.Inference.Tests;

/// <summary>Reads the committed fixtures next to the test assembly.</summary>
internal static class Fixtures
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static float[] ReadFloats(string name)
    {
        var bytes = File.ReadAllBytes(PathOf(name));
        Assert.True(BitConverter.IsLittleEndian);
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }
}

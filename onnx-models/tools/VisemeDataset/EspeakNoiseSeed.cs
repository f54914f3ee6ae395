using System.Runtime.InteropServices;

namespace VisemeDataset;

/// <summary>
/// espeak-ng draws the noise of fricatives, aspiration and breathy voice variants from C's <c>rand()</c> and never
/// seeds it, so the audio of a line depends on everything synthesized before it in the process (and on whatever
/// else called <c>rand</c>). Seeding libc's generator before each utterance makes every file reproducible on its own.
/// </summary>
internal static class EspeakNoiseSeed
{
    [DllImport("libc", EntryPoint = "srand")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern void Srand(uint seed);

    /// <summary>Call only while no line is being synthesized: the generator is global to the process.</summary>
    public static void Set(int datasetSeed, int utterance) => Srand(unchecked((uint)(datasetSeed * 1_000_003 + utterance)));
}

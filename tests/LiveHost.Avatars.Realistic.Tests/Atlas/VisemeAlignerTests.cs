using LiveHost.Avatars.Realistic.Atlas;
using LiveHost.Speech;

namespace LiveHost.Avatars.Realistic.Tests.Atlas;

public sealed class VisemeAlignerTests
{
    [Fact]
    public void The_transcript_s_visemes_are_warped_onto_the_frames_whose_audio_sounds_like_them()
    {
        // The transcript at espeak's pace, and a recording of it spoken slower, with a longer pause.
        Viseme[] reference = [Viseme.Silence, Viseme.PP, Viseme.AA, Viseme.AA, Viseme.SS, Viseme.Silence, Viseme.O, Viseme.Silence];
        Viseme[] truth =
        [
            Viseme.Silence, Viseme.Silence, Viseme.PP, Viseme.PP, Viseme.AA, Viseme.AA, Viseme.AA, Viseme.AA, Viseme.SS, Viseme.SS,
            Viseme.Silence, Viseme.Silence, Viseme.Silence, Viseme.O, Viseme.O, Viseme.O, Viseme.Silence,
        ];
        // The model is unsure: it leans to the truth, but on two frames it prefers a shape the sentence does not have there.
        var probabilities = Probabilities(truth, 0.6f);
        Lean(probabilities, 5, Viseme.E, 0.7f);
        Lean(probabilities, 14, Viseme.U, 0.7f);

        var labels = VisemeAligner.Align(reference, probabilities);

        Assert.Equal(truth, labels);
        var alone = VisemeAligner.ArgMax(probabilities);
        Assert.Equal(Viseme.E, alone[5]);
        Assert.Equal(Viseme.U, alone[14]);
    }

    [Fact]
    public void Stretching_the_transcript_evenly_ignores_the_audio()
    {
        var stretched = VisemeAligner.Stretch([Viseme.PP, Viseme.AA], 5);

        Assert.Equal([Viseme.PP, Viseme.PP, Viseme.PP, Viseme.AA, Viseme.AA], stretched);
    }

    [Fact]
    public void Probabilities_not_in_whole_frames_are_refused()
    {
        Assert.Throws<ArgumentException>(() => VisemeAligner.Align([Viseme.AA], new float[VisemeAligner.Classes + 1]));
        Assert.Throws<ArgumentException>(() => VisemeAligner.Align([], new float[VisemeAligner.Classes]));
    }

    private static float[] Probabilities(Viseme[] truth, float onTruth)
    {
        var p = new float[truth.Length * VisemeAligner.Classes];
        for (var i = 0; i < truth.Length; i++)
        {
            for (var c = 0; c < VisemeAligner.Classes; c++) p[i * VisemeAligner.Classes + c] = (1 - onTruth) / (VisemeAligner.Classes - 1);
            p[i * VisemeAligner.Classes + (int)truth[i]] = onTruth;
        }
        return p;
    }

    private static void Lean(float[] p, int frame, Viseme wrong, float weight)
    {
        var row = p.AsSpan(frame * VisemeAligner.Classes, VisemeAligner.Classes);
        for (var c = 0; c < row.Length; c++) row[c] *= 1 - weight;
        row[(int)wrong] += weight;
    }
}

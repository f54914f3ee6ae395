using LiveHost.Avatars.Realistic.FaceDetection;

namespace LiveHost.Avatars.Realistic.Tests.FaceDetection;

public sealed class BlazeFaceDecoderTests
{
    [Fact]
    public void Anchors_follow_the_two_heads_grids()
    {
        Assert.Equal(896, BlazeFaceAnchors.Count);
        Assert.Equal((0.5f / 16, 0.5f / 16), BlazeFaceAnchors.Center(0));
        Assert.Equal((0.5f / 16, 0.5f / 16), BlazeFaceAnchors.Center(1));
        Assert.Equal((1.5f / 16, 0.5f / 16), BlazeFaceAnchors.Center(2));
        Assert.Equal((0.5f / 16, 1.5f / 16), BlazeFaceAnchors.Center(32));
        Assert.Equal((15.5f / 16, 15.5f / 16), BlazeFaceAnchors.Center(511));
        Assert.Equal((0.5f / 8, 0.5f / 8), BlazeFaceAnchors.Center(512));
        Assert.Equal((0.5f / 8, 0.5f / 8), BlazeFaceAnchors.Center(517));
        Assert.Equal((1.5f / 8, 0.5f / 8), BlazeFaceAnchors.Center(518));
        Assert.Equal((7.5f / 8, 7.5f / 8), BlazeFaceAnchors.Center(895));
    }

    [Fact]
    public void One_confident_anchor_decodes_to_its_box_and_key_points()
    {
        var outputs = new Outputs();
        // Head 2, cell (row 3, column 5), third anchor of the cell: centre (5.5/8, 3.5/8).
        var anchor = 512 + (3 * 8 + 5) * 6 + 2;
        outputs.Set(anchor, logit: 4f, dx: 6.4f, dy: -12.8f, w: 32f, h: 48f, key: (i) => (i * 1.28f, -i * 1.28f));

        var faces = outputs.Decode();

        var face = Assert.Single(faces);
        Assert.Equal(5.5f / 8 + 0.05f, face.CenterX, 4);
        Assert.Equal(3.5f / 8 - 0.1f, face.CenterY, 4);
        Assert.Equal(0.25f, face.Width, 4);
        Assert.Equal(0.375f, face.Height, 4);
        Assert.Equal(1f / (1f + MathF.Exp(-4f)), face.Score, 4);
        Assert.Equal(5.5f / 8 + 0.02f, face.KeyPoints.NoseX, 4);
        Assert.Equal(3.5f / 8 - 0.02f, face.KeyPoints.NoseY, 4);
        Assert.Equal(5.5f / 8 + 0.05f, face.KeyPoints.LeftEarX, 4);
    }

    [Fact]
    public void Scores_at_or_below_the_threshold_are_dropped()
    {
        var outputs = new Outputs();
        outputs.Set(10, logit: 0f, dx: 0, dy: 0, w: 20, h: 20, key: _ => (0, 0));
        outputs.Set(700, logit: 1.0986f, dx: 0, dy: 0, w: 20, h: 20, key: _ => (0, 0));

        Assert.Empty(outputs.Decode(threshold: 0.75f));
        Assert.Single(outputs.Decode(threshold: 0.7f));
    }

    [Fact]
    public void Overlapping_detections_merge_into_their_score_weighted_mean_and_apart_ones_stay()
    {
        var outputs = new Outputs();
        // Two anchors in the same head-1 cell: same centre, boxes 40 and 48 px wide, equal scores.
        outputs.Set(100, logit: 3f, dx: 0, dy: 0, w: 40, h: 40, key: _ => (0, 0));
        outputs.Set(101, logit: 3f, dx: 0, dy: 0, w: 48, h: 48, key: _ => (0, 0));
        // A far-away face.
        outputs.Set(895, logit: 2f, dx: 0, dy: 0, w: 10, h: 10, key: _ => (0, 0));

        var faces = outputs.Decode();

        Assert.Equal(2, faces.Count);
        Assert.Equal(44f / 128, faces[0].Width, 4);
        Assert.Equal(10f / 128, faces[1].Width, 4);
        Assert.True(faces[0].Score > faces[1].Score);
    }

    [Fact]
    public void Package_box_takes_in_the_chin_and_stays_in_the_frame()
    {
        var face = new LiveHost.Avatars.Realistic.FaceDetection.FaceDetection(100, 80, 60, 60, 0.9f, default);

        var box = face.ToPackageBox(640, 360);

        // Box (70..130, 50..110) widened 10% a side, 5% up, 25% down.
        Assert.Equal(new LiveHost.Avatars.Packages.FaceBox(64, 47, 72, 78), box);
        Assert.True(box.Bottom > 80 + 30);
        var edge = new LiveHost.Avatars.Realistic.FaceDetection.FaceDetection(5, 5, 60, 60, 0.9f, default).ToPackageBox(640, 360);
        Assert.True(edge.FitsIn(640, 360));
    }

    private sealed class Outputs
    {
        private readonly float[] _scores1 = Filled(512, -10f);
        private readonly float[] _boxes1 = new float[512 * 16];
        private readonly float[] _scores2 = Filled(384, -10f);
        private readonly float[] _boxes2 = new float[384 * 16];

        public void Set(int anchor, float logit, float dx, float dy, float w, float h, Func<int, (float, float)> key)
        {
            var (scores, boxes, index) = anchor < 512 ? (_scores1, _boxes1, anchor) : (_scores2, _boxes2, anchor - 512);
            scores[index] = logit;
            var box = boxes.AsSpan(index * 16, 16);
            box[0] = dx;
            box[1] = dy;
            box[2] = w;
            box[3] = h;
            for (var k = 0; k < 6; k++) (box[4 + 2 * k], box[5 + 2 * k]) = key(k);
        }

        public List<LiveHost.Avatars.Realistic.FaceDetection.FaceDetection> Decode(float threshold = 0.75f) =>
            BlazeFaceDecoder.Decode(_scores1, _boxes1, _scores2, _boxes2, threshold);

        private static float[] Filled(int length, float value)
        {
            var array = new float[length];
            Array.Fill(array, value);
            return array;
        }
    }
}

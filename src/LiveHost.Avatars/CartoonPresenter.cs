using SkiaSharp;
using static LiveHost.Avatars.CartoonFigure;
using LiveHost.Media;
using LiveHost.Speech;

namespace LiveHost.Avatars;

/// <summary>
/// The built-in presenter: a friendly cartoon host, waist-up behind a desk in a light studio, drawn with vector
/// shapes. The mouth follows the viseme through <see cref="MouthAnimator"/>; blinks, sway and breathing come from
/// <see cref="IdleMotion"/>. Everything is drawn in figure units and scaled to the frame, so any size and aspect
/// works. One instance per room (it keeps animation state); not thread-safe, except <see cref="TryPlay"/>.
/// A <see cref="CartoonLook"/> picks the presenter, outfit and framing; framed full body (<c>cartoon-fullbody</c>) the
/// figure stands on the studio floor and plays arm gestures (<see cref="CartoonGestures"/>) through
/// <see cref="IAvatarActions"/>; framed waist-up the arms are out of frame and it offers none.
/// The parts that never change shape are drawn once per frame size (<see cref="CartoonLayers"/>): the studio with the
/// floor and legs, the body, the head under and over the face's moving features, the desk; each frame replays them
/// under the pose and draws only the mouth, the eyes, the brows and the arms as shapes.
/// </summary>
public sealed class CartoonPresenter : IChangeTrackingAvatar, IAvatarActions
{
    public const string BuiltInId = CartoonLookIds.Classic;

    /// <summary>
    /// Height of the upper lid's edge at rest, as a fraction of the eye's half-height above its centre: the lid
    /// covers a slice of the top, resting on the iris, which reads as relaxed rather than startled.
    /// </summary>
    private const float RestingLidEdge = -0.62f;

    // The jacket's collar line, the fixed line when the full-body torso is stretched.
    private const float CollarY = -404f;

    private readonly CartoonLook _look;
    private readonly CartoonShapes _shapes;
    private readonly CartoonGestures _gestures = new();
    private readonly StudioBackground _background = new();
    private readonly MouthAnimator _mouth = new();
    private readonly IdleMotion _idle;
    private readonly SKPathBuilder _mouthBuilder = new();
    private readonly SKPaint _fill = new() { IsAntialias = true, Style = SKPaintStyle.Fill };
    private readonly SKPaint _shaded = new() { IsAntialias = true, Style = SKPaintStyle.Fill };
    private readonly SKPaint _stroke = new()
    {
        IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round, StrokeJoin = SKStrokeJoin.Round,
    };
    private readonly SKPaint _desk = new() { IsAntialias = false };
    private CartoonLayout _layout;
    private SKShader? _deskShader;
    private CartoonLayers? _layers;
    private readonly CartoonChangeTracker _changes = new();
    private bool _disposed;

    public CartoonPresenter(int seed = 7)
        : this(CartoonLook.Classic, seed)
    {
    }

    public CartoonPresenter(CartoonLook look, int seed = 7)
    {
        ArgumentNullException.ThrowIfNull(look);
        _look = look;
        _shapes = new CartoonShapes(look);
        _idle = new IdleMotion(seed);
    }

    public string Id => _look.Id;

    public CartoonLook Look => _look;

    private bool FullBody => _look.Framing == CartoonFraming.FullBody;

    public IReadOnlyList<string> Actions => FullBody ? CartoonGestures.Names : [];

    /// <summary>Starts a gesture on the next frame (any thread); false for an unknown one or when framed waist-up.</summary>
    public bool TryPlay(string action) => FullBody && _gestures.TryPlay(action);

    public string? Playing => FullBody ? _gestures.Playing : null;

    /// <summary>The arms' pose on the last frame (full body; for tests and diagnostics).</summary>
    public ArmPose LastArms { get; private set; } = CartoonGestures.Rest;

    /// <summary>The mouth and pose drawn on the last frame (for tests and diagnostics).</summary>
    public MouthShape LastMouth { get; private set; } = MouthShape.Closed;

    public IdlePose LastPose { get; private set; }

    /// <summary>Waist-up: the rows of the head (and of the body when it breathed) where they were and where they are; standing: null.</summary>
    public ChangedRows? LastChangedRows => _changes.Last;

    public void Render(in AvatarFrame frame, SKCanvas canvas, int width, int height)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(canvas);
        if (_layout.Width != width || _layout.Height != height) Resize(width, height);

        var mouth = _mouth.Update(frame);
        var pose = _idle.Update(frame);
        LastMouth = mouth;
        LastPose = pose;

        if (_layers is null) _changes.Reset();
        var layers = _layers ??= BuildLayers();
        // The studio, the body and the desk in one copy. Breathing: the chest rises a touch (by whole pixels).
        var rise = (int)MathF.Round(0.007f * pose.Breath * CollarY * _layout.Scale);
        layers.DrawScene(canvas, bodyRise: rise);

        var saved = canvas.Save();
        canvas.Translate(_layout.OriginX, _layout.OriginY);
        canvas.Scale(_layout.Scale);
        if (FullBody) DrawArms(canvas, LastArms = _gestures.Update(frame.TimeSeconds));
        canvas.Translate(HeadCenter.X + pose.HeadOffsetX, HeadCenter.Y + pose.HeadOffsetY);
        canvas.RotateDegrees(pose.HeadTiltDegrees, NeckPivot.X, NeckPivot.Y);
        var head = canvas.TotalMatrix.MapRect(HeadBounds(pose));
        DrawHead(canvas, pose, mouth, layers);
        canvas.RestoreToCount(saved);
        if (FullBody) _changes.Reset();
        else _changes.Frame(height, head, rise, layers.Body.Pixels);
    }

    // Everything DrawHead draws, in head units: the cached layers (the mouth and eyes lie on the face) and the brows.
    private SKRect HeadBounds(in IdlePose pose)
    {
        var brows = SKRect.Union(_shapes.LeftBrow.Bounds, _shapes.RightBrow.Bounds);
        brows.Offset(0, -pose.BrowLift);
        brows.Inflate(5, 5);
        return SKRect.Union(SKRect.Union(_shapes.HeadUnderBounds, _shapes.HeadOverBounds), brows);
    }

    // The parts drawn once for this frame size, each under the canvas matrix it is drawn with at rest.
    private CartoonLayers BuildLayers()
    {
        var frame = new SKRectI(0, 0, _layout.Width, _layout.Height);
        var figure = SKMatrix.CreateTranslation(_layout.OriginX, _layout.OriginY).PreConcat(SKMatrix.CreateScale(_layout.Scale, _layout.Scale));
        var body = figure;
        if (FullBody)
        {
            // Standing, the waist-up torso is slimmed and lengthened from the collar down to the hips.
            body = body.PreConcat(SKMatrix.CreateTranslation(0, CollarY)).PreConcat(SKMatrix.CreateScale(0.7f, 1.25f)).PreConcat(SKMatrix.CreateTranslation(0, -CollarY));
        }
        var head = figure.PreConcat(SKMatrix.CreateTranslation(HeadCenter.X, HeadCenter.Y));
        // Owned by the CartoonLayers returned, which the presenter disposes when the frame size changes or it is disposed.
#pragma warning disable CA2000
        var backdrop = CachedLayer.Render(SKMatrix.Identity, frame, frame, DrawBackdrop);
        var bodyLayer = CachedLayer.Render(body, _shapes.BodyBounds, frame, DrawBodyShapes);
        var under = CachedLayer.Render(head, _shapes.HeadUnderBounds, frame, DrawHeadUnder);
        var over = CachedLayer.Render(head, _shapes.HeadOverBounds, frame, DrawHeadOver);
        var desk = FullBody ? null : CachedLayer.Render(SKMatrix.Identity, new SKRect(0, _layout.DeskTopY, _layout.Width, _layout.Height), frame, DrawDesk);
#pragma warning restore CA2000
        return new CartoonLayers(backdrop, bodyLayer, desk, under, over, new SKImageInfo(_layout.Width, _layout.Height, SKColorType.Bgra8888, SKAlphaType.Premul));
    }

    // The studio; standing, also the floor and the legs (they never move).
    private void DrawBackdrop(SKCanvas canvas)
    {
        canvas.DrawImage(_background.ImageFor(_layout), 0, 0, SKSamplingOptions.Default);
        if (!FullBody) return;
        canvas.DrawRect(0, _layout.FloorTopY, _layout.Width, _layout.Height - _layout.FloorTopY, _desk);
        canvas.Save();
        canvas.Translate(_layout.OriginX, _layout.OriginY);
        canvas.Scale(_layout.Scale);
        DrawLegs(canvas);
        canvas.Restore();
    }

    private void DrawDesk(SKCanvas canvas)
    {
        canvas.DrawRect(0, _layout.DeskTopY, _layout.Width, _layout.Height - _layout.DeskTopY, _desk);
        _fill.Color = CartoonPalette.DeskEdge;
        canvas.DrawRect(0, _layout.DeskTopY, _layout.Width, Math.Max(1f, 5 * _layout.Scale), _fill);
    }

    private void Resize(int width, int height)
    {
        _layout = CartoonLayout.For(width, height, _look.Framing);
        _layers?.Dispose();
        _layers = null;
        _deskShader?.Dispose();
        var top = FullBody ? _layout.FloorTopY : _layout.DeskTopY;
        _deskShader = SKShader.CreateLinearGradient(
            new SKPoint(0, top), new SKPoint(0, height),
            [CartoonPalette.DeskTop, CartoonPalette.DeskFront], SKShaderTileMode.Clamp);
        _desk.Shader = _deskShader;
    }

    private void DrawBodyShapes(SKCanvas canvas)
    {
        Fill(canvas, _shapes.Neck, _look.Skin);

        _shaded.Shader = _shapes.JacketShading;
        canvas.DrawPath(_shapes.Jacket, _shaded);
        Fill(canvas, _shapes.Shirt, _look.Shirt);
        Fill(canvas, _shapes.Lapels, _look.JacketShadow);
        Fill(canvas, _shapes.Collar, _look.Shirt);
        Stroke(canvas, _shapes.Collar, CartoonPalette.ShirtShadow, 3f);
        Stroke(canvas, _shapes.ArmLines, _look.JacketShadow, 6f);
    }

    // Full body: the trousers, the shoes and their shadow on the floor, behind the jacket.
    private void DrawLegs(SKCanvas canvas)
    {
        _fill.Color = new SKColor(0, 0, 0, 40);
        canvas.DrawOval(0, FloorY - 20, 330, 34, _fill);
        Fill(canvas, _shapes.Legs, _look.Trousers);
        _fill.Color = CartoonPalette.Lash;
        canvas.DrawOval(-124, FloorY - 44, 100, 38, _fill);
        canvas.DrawOval(124, FloorY - 44, 100, 38, _fill);
    }

    // Full body: each arm as a sleeve from the shoulder through the elbow to the wrist, and a hand.
    private void DrawArms(SKCanvas canvas, in ArmPose arms)
    {
        DrawArm(canvas, LeftShoulder, arms.LeftElbow, arms.LeftHand);
        DrawArm(canvas, RightShoulder, arms.RightElbow, arms.RightHand);
    }

    private void DrawArm(SKCanvas canvas, SKPoint shoulder, SKPoint elbow, SKPoint hand)
    {
        _stroke.Color = _look.JacketShadow;
        _stroke.StrokeWidth = 116f;
        canvas.DrawLine(shoulder, elbow, _stroke);
        canvas.DrawLine(elbow, hand, _stroke);
        _stroke.Color = _look.Jacket;
        _stroke.StrokeWidth = 100f;
        canvas.DrawLine(shoulder, elbow, _stroke);
        canvas.DrawLine(elbow, hand, _stroke);
        _fill.Color = _look.SkinShadow;
        canvas.DrawCircle(hand.X, hand.Y, 44, _fill);
        _fill.Color = _look.Skin;
        canvas.DrawCircle(hand.X, hand.Y, 38, _fill);
    }

    private void DrawHead(SKCanvas canvas, in IdlePose pose, in MouthShape mouth, CartoonLayers layers)
    {
        layers.HeadUnder.Draw(canvas);
        DrawMouth(canvas, mouth);
        DrawEye(canvas, LeftEye, pose, outerCornerSign: -1);
        DrawEye(canvas, RightEye, pose, outerCornerSign: 1);
        layers.HeadOver.Draw(canvas);

        canvas.Save();
        canvas.Translate(0, -pose.BrowLift);
        Stroke(canvas, _shapes.LeftBrow, _look.Hair, 9f);
        Stroke(canvas, _shapes.RightBrow, _look.Hair, 9f);
        canvas.Restore();
    }

    // The head behind the mouth and eyes: hair at the back, ears, the chin's shadow, face, cheeks, nose.
    private void DrawHeadUnder(SKCanvas canvas)
    {
        Fill(canvas, _shapes.BackHair, _look.Hair);

        _fill.Color = _look.Skin;
        canvas.DrawOval(-148, 10, 22, 34, _fill);
        canvas.DrawOval(148, 10, 22, 34, _fill);
        _fill.Color = _look.SkinShadow;
        canvas.DrawOval(-150, 12, 10, 20, _fill);
        canvas.DrawOval(150, 12, 10, 20, _fill);

        // The chin's shadow on the neck moves with the head; the face covers all but its lower rim.
        _fill.Color = _look.SkinShadow;
        canvas.DrawOval(0, 160, 52, 30, _fill);

        _shaded.Shader = _shapes.FaceShading;
        canvas.DrawPath(_shapes.Face, _shaded);
        _shaded.Shader = _shapes.LeftCheek;
        canvas.DrawCircle(-94, 66, 30, _shaded);
        _shaded.Shader = _shapes.RightCheek;
        canvas.DrawCircle(94, 66, 30, _shaded);

        Stroke(canvas, _shapes.Nose, _look.SkinShadow, 5f);
    }

    // The head over the eyes: the fringe and its shine.
    private void DrawHeadOver(SKCanvas canvas)
    {
        Fill(canvas, _shapes.Fringe, _look.Hair);
        Stroke(canvas, _shapes.HairShine, _look.HairHighlight, 7f);
    }

    private void DrawEye(SKCanvas canvas, SKPoint center, in IdlePose pose, int outerCornerSign)
    {
        const float rx = EyeRadiusX, ry = EyeRadiusY;
        canvas.Save();
        canvas.Translate(center.X, center.Y);

        canvas.Save();
        canvas.ClipPath(_shapes.EyeWhite, SKClipOperation.Intersect, true);
        Fill(canvas, _shapes.EyeWhite, CartoonPalette.EyeWhite);

        canvas.Save();
        canvas.Translate(pose.GazeX, pose.GazeY + 3);
        _shaded.Shader = _shapes.IrisShading;
        canvas.DrawCircle(0, 0, 23, _shaded);
        _fill.Color = CartoonPalette.Pupil;
        canvas.DrawCircle(0, 0, 11f, _fill);
        _fill.Color = CartoonPalette.EyeWhite;
        canvas.DrawCircle(-8, -8, 7f, _fill);
        canvas.DrawCircle(8, 9, 3.2f, _fill);
        canvas.Restore();

        // The upper lid's edge runs from corner to corner through a middle point at height `edge`: an arc of an
        // ellipse as wide as the eye. Above the centre the lid is the eye's top half minus that ellipse; below it,
        // the whole top half plus the ellipse. Only clips and ovals, so no path is built per frame.
        var blink = Math.Clamp(pose.BlinkClosure, 0f, 1f);
        var edge = RestingLidEdge * ry + (ry - RestingLidEdge * ry) * blink;
        _fill.Color = _look.Eyelid;
        if (edge < 0)
        {
            canvas.ClipRect(new SKRect(-rx - 2, -ry - 2, rx + 2, 0));
            var squash = -edge / ry;
            if (squash > 0.02f)
            {
                canvas.Scale(1f, squash);
                canvas.ClipPath(_shapes.EyeWhite, SKClipOperation.Difference, true);
                canvas.Scale(1f, 1f / squash);
            }
            canvas.DrawRect(-rx - 2, -ry - 2, 2 * rx + 4, ry + 2, _fill);
        }
        else
        {
            canvas.DrawRect(-rx - 2, -ry - 2, 2 * rx + 4, ry + 2, _fill);
            canvas.DrawOval(0, 0, rx + 1, edge, _fill);
        }
        canvas.Restore();

        // Lash line along the lid's edge (its round caps make little wings at the corners), plus an outer flick.
        _stroke.Color = CartoonPalette.Lash;
        _stroke.StrokeWidth = 5.5f;
        var height = Math.Abs(edge);
        if (height < 0.5f)
        {
            canvas.DrawLine(-rx, 0, rx, 0, _stroke);
        }
        else
        {
            canvas.DrawArc(new SKRect(-rx, -height, rx, height), edge < 0 ? 180 : 0, 180, false, _stroke);
        }
        _stroke.StrokeWidth = 4.5f;
        canvas.DrawLine(outerCornerSign * rx, -1, outerCornerSign * (rx + 8), -8, _stroke);

        canvas.Restore();
    }

    private void DrawMouth(SKCanvas canvas, in MouthShape shape)
    {
        var open = Math.Clamp(shape.Open, 0f, 1f);
        var round = Math.Clamp(shape.Roundness, 0f, 1f);
        var halfWidth = MouthHalfWidth * Math.Clamp(shape.Width, 0.3f, 1.5f);
        var opening = open * MouthMaxOpening;

        // Corners sit a little above the centre: a resting smile. Opening pulls the lower lip down and, for round
        // shapes, the upper lip up and the corners inwards, turning the smile into an "o".
        var cornerY = -7f * (1f - 0.7f * open * round);
        var upperY = 6f - opening * (0.18f + 0.5f * round);
        var lowerY = 6f + opening * 1.3f;
        var upperReach = halfWidth * (0.5f + 0.3f * round);
        var lowerReach = halfWidth * (0.5f + 0.4f * round);

        _mouthBuilder.Reset();
        _mouthBuilder.MoveTo(-halfWidth, cornerY);
        _mouthBuilder.CubicTo(-upperReach, upperY, upperReach, upperY, halfWidth, cornerY);
        _mouthBuilder.CubicTo(lowerReach, lowerY, -lowerReach, lowerY, -halfWidth, cornerY);
        _mouthBuilder.Close();
        using var path = _mouthBuilder.Detach();

        canvas.Save();
        canvas.Translate(Mouth.X, Mouth.Y);
        if (opening > 0.5f)
        {
            Fill(canvas, path, CartoonPalette.MouthInside);
            canvas.Save();
            canvas.ClipPath(path, SKClipOperation.Intersect, true);
            var upperLip = 0.25f * cornerY + 0.75f * upperY;
            var lowerLip = 0.25f * cornerY + 0.75f * lowerY;
            if (shape.Tongue > 0.02f)
            {
                _fill.Color = CartoonPalette.Tongue;
                var tongueHeight = 10f + 0.35f * opening;
                var sink = (1f - Math.Clamp(shape.Tongue, 0f, 1f)) * tongueHeight;
                canvas.DrawOval(0, lowerLip - tongueHeight * 0.25f + sink, halfWidth * 0.62f, tongueHeight * 0.75f, _fill);
            }
            if (shape.Teeth > 0.02f)
            {
                _fill.Color = CartoonPalette.Teeth;
                var teethHeight = Math.Clamp(shape.Teeth, 0f, 1f) * Math.Min(15f, 6f + 0.3f * opening);
                canvas.DrawRect(-halfWidth, upperLip - 10f, 2 * halfWidth, 10f + teethHeight, _fill);
            }
            canvas.Restore();
        }
        Stroke(canvas, path, CartoonPalette.Lips, 4.5f);
        canvas.Restore();
    }

    private void Fill(SKCanvas canvas, SKPath path, SKColor color)
    {
        _fill.Color = color;
        canvas.DrawPath(path, _fill);
    }

    private void Stroke(SKCanvas canvas, SKPath path, SKColor color, float width)
    {
        _stroke.Color = color;
        _stroke.StrokeWidth = width;
        canvas.DrawPath(path, _stroke);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _layers?.Dispose();
        _shapes.Dispose();
        _background.Dispose();
        _mouthBuilder.Dispose();
        _fill.Dispose();
        _shaded.Dispose();
        _stroke.Dispose();
        _desk.Dispose();
        _deskShader?.Dispose();
    }
}

using LiveHost.ControlPlane.Comments;
using LiveHost.ControlPlane.Comments.Faq;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using LiveHost.Engine.Show;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveHost.ControlPlane.Llm;

/// <summary>
/// Answers a comment no FAQ entry answers confidently (or every comment, <c>Rooms:{room}:Llm:Ask</c> = always), in rooms whose <c>Rooms:{room}:Llm:Mode</c> is review or auto:
/// builds the <see cref="GroundingPrompt"/>, streams the model's answer, cuts it into sentences and, as each completes,
/// checks its numbers against the seller's data (<see cref="AnswerFacts"/>) and queues it (auto; the room's moderation
/// applies) or holds it for review (review), captioned "@nickname: question". The first refused sentence stops the
/// answer there. It runs off the comment path: a slow or dead server never delays a comment, and a failed answer leaves
/// the comment to staff. Each answer ends with <c>LlmAnswerEnded</c> to the room's staff and, when the server keeps an
/// audit log, an entry <c>LlmAnswer</c> (role <c>llm</c>) with the comment, the lines and the outcome.
/// </summary>
public sealed class LlmAnswerer(IOptions<LlmOptions> options, IConfiguration configuration, OpenAiChatClient client, FaqBook faq,
    SpokenLines spoken, IHubContext<ControlHub> hub, TimeProvider time, ILogger<LlmAnswerer> logger, ShowLibrary? show = null,
    IAuditLog? audit = null)
{
    public const string EndedEvent = "LlmAnswerEnded";

    /// <summary>Every sentence of a model's answer is a line with source <c>llm</c>, queued or held.</summary>
    public static readonly LineOrigin Origin = new(LineSources.Llm);

    private readonly LlmOptions _options = options.Value;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _started = new(StringComparer.Ordinal);

    public LlmMode ModeOf(string room) =>
        _options.Enabled && LlmOptionsValidator.TryParseMode(configuration[$"Rooms:{room}:Llm:Mode"], out var mode) ? mode : LlmMode.Off;

    /// <summary>True when the room's model answers every comment (<c>Rooms:{room}:Llm:Ask</c> = always, mode not off).</summary>
    public bool AsksAlways(string room) =>
        ModeOf(room) != LlmMode.Off && LlmOptionsValidator.TryParseAsk(configuration[$"Rooms:{room}:Llm:Ask"], out var ask) && ask == LlmAsk.Always;

    /// <summary>Starts answering in the background when the room's mode allows; the task completes when the answer ended.</summary>
    public Task? TryStart(IRoomController controller, Comment comment)
    {
        var mode = ModeOf(controller.Name);
        if (mode == LlmMode.Off) return null;
        if (!TryTakeSlot(controller.Name)) return EndAsync(controller.Name, comment, "capped", [],
            $"room '{controller.Name}' already started {_options.AnswersPerMinute} answers in the last minute; the comment is left for staff");
        return Task.Run(() => AnswerAsync(controller, comment, mode));
    }

    public async Task AnswerAsync(IRoomController controller, Comment comment, LlmMode mode)
    {
        var lines = new List<string>();
        try
        {
            var prompt = Prompt(controller, comment);
            var facts = new AnswerFacts(prompt.SellerTexts);
            var cutter = new SentenceCutter();
            await foreach (var token in client.StreamAsync(prompt.Messages, CancellationToken.None).ConfigureAwait(false))
            {
                foreach (var sentence in cutter.Append(token))
                {
                    if (await SayAsync(controller, comment, mode, prompt.Language, facts, sentence, lines).ConfigureAwait(false) is { } stop)
                    {
                        await EndAsync(controller.Name, comment, "stopped", lines, stop).ConfigureAwait(false);
                        return;
                    }
                }
            }
            if (cutter.Flush() is { } last
                && await SayAsync(controller, comment, mode, prompt.Language, facts, last, lines).ConfigureAwait(false) is { } lastStop)
            {
                await EndAsync(controller.Name, comment, "stopped", lines, lastStop).ConfigureAwait(false);
                return;
            }
            await EndAsync(controller.Name, comment, "completed", lines, null).ConfigureAwait(false);
        }
        catch (LlmUnavailableException unavailable)
        {
            await EndAsync(controller.Name, comment, "failed", lines, unavailable.Message + "; the comment is left for staff").ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LlmLog.AnswerFailed(logger, exception, controller.Name, comment.Id);
            await EndAsync(controller.Name, comment, "failed", lines, "the answer failed; the comment is left for staff").ConfigureAwait(false);
        }
    }

    /// <summary>Null when the sentence went to the queue or the review list; else why the answer stops here.</summary>
    private async Task<string?> SayAsync(IRoomController controller, Comment comment, LlmMode mode, string language, AnswerFacts facts,
        string sentence, List<string> lines)
    {
        if (lines.Count >= _options.MaxSentences) return $"the answer reached Llm:MaxSentences ({_options.MaxSentences})";
        if (facts.FirstUnknownNumber(sentence) is { } number)
            return $"sentence {lines.Count + 1} states '{number}', which the product data does not: '{sentence}' was not said";
        var request = new LineRequest(controller.Name, sentence, language, Tag: "llm:" + comment.Id,
            Caption: $"@{comment.Nickname ?? "viewer"}: {comment.Text}");
        try
        {
            var ticket = mode == LlmMode.Review
                ? await controller.HoldForReviewAsync(request, "llm answer", Origin).ConfigureAwait(false)
                : await controller.EnqueueAsync(request, Origin).ConfigureAwait(false);
            lines.Add(ticket.Id);
            return null;
        }
        catch (CommandRejectedException refusal)
        {
            return $"sentence {lines.Count + 1} was refused ({refusal.Code}): {refusal.Message}";
        }
    }

    private GroundingPrompt Prompt(IRoomController controller, Comment comment)
    {
        Product? onShow = null;
        var inScript = new List<Product>();
        if (show is not null)
        {
            var state = controller.GetState();
            if (state.Product is { } card && show.Products.TryGet(card.Id, out var product)) onShow = product;
            if (state.Script is { } status)
            {
                try
                {
                    foreach (var id in (show.GetScript(status.Id).Lines ?? []).Select(l => l.Product).OfType<string>().Distinct(StringComparer.Ordinal))
                    {
                        if (show.Products.TryGet(id, out var named)) inScript.Add(named);
                    }
                }
                catch (CommandRejectedException)
                {
                    // The script was deleted meanwhile: no script products.
                }
            }
        }
        var entries = faq.Closest(controller.Name, comment.Text, _options.FaqEntries).Select(m => m.Entry).ToList();
        return GroundingPrompt.Build(configuration[$"Rooms:{controller.Name}:Llm:Persona"], comment, onShow, inScript, entries,
            spoken.Last(controller.Name, _options.RecentLines));
    }

    private bool TryTakeSlot(string room)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_started.TryGetValue(room, out var recent)) _started[room] = recent = new Queue<DateTimeOffset>();
            while (recent.Count > 0 && now - recent.Peek() >= TimeSpan.FromMinutes(1)) recent.Dequeue();
            if (recent.Count >= _options.AnswersPerMinute) return false;
            recent.Enqueue(now);
            return true;
        }
    }

    private Task EndAsync(string room, Comment comment, string outcome, List<string> lines, string? reason)
    {
        LlmLog.AnswerEnded(logger, room, comment.Id, outcome, lines.Count, reason);
        var ended = new LlmAnswerEnded(room, comment.Id, outcome, [.. lines], reason);
        Audit(ended);
        return hub.Clients.Group(ControlHubEvents.StaffGroupFor(room)).SendAsync(EndedEvent, ended);
    }

    private void Audit(LlmAnswerEnded ended)
    {
        if (audit is null) return;
        try
        {
            var arguments = System.Text.Json.JsonSerializer.Serialize(new { commentId = ended.CommentId, lineIds = ended.LineIds, reason = ended.Reason });
            audit.Append(new AuditRecord(time.GetUtcNow(), null, "llm", ended.Room, "LlmAnswer", arguments, ended.Outcome == "completed" ? "ok" : ended.Outcome));
        }
        catch (Exception exception)
        {
            LlmLog.AnswerFailed(logger, exception, ended.Room, ended.CommentId);
        }
    }
}

/// <summary>
/// <c>LlmAnswerEnded</c>: how a model answer to a comment ended. <see cref="Outcome"/>: completed, stopped (a sentence
/// was refused: an invented number, a blocked term, the sentence limit), failed (the chat server) or capped (the room's
/// per-minute limit); <see cref="LineIds"/>: the sentences queued (or held for review), in order.
/// </summary>
public sealed record LlmAnswerEnded(string Room, string CommentId, string Outcome, IReadOnlyList<string> LineIds, string? Reason);

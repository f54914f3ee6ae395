using System.Net;
using LiveHost.ControlPlane.Comments.Faq;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveHost.ControlPlane.Comments;

/// <summary>
/// Viewers' comments: checks one (text and nickname like line text, the filter, the three rate limits), numbers it,
/// keeps the room's last <see cref="CommentOptions.KeepLast"/>, and sends <c>CommentPosted</c> to the room's staff (or to
/// everyone subscribed when the room's comments are public), then <c>AnswerSuggested</c> to staff when an FAQ entry
/// matches, and queues an auto-answer when the room allows it. Accepting and sending happen under one lock, so every
/// connection receives a room's comments in <see cref="Comment.Seq"/> order.
/// </summary>
public sealed class CommentService
{
    private readonly CommentOptions options;
    private readonly IConfiguration configuration;
    private readonly RoomResolver rooms;
    private readonly FaqBook faq;
    private readonly IHubContext<ControlHub> hub;
    private readonly TimeProvider time;
    private readonly ILogger<CommentService> logger;
    private readonly Llm.LlmAnswerer? llm;
    private readonly CommentFilter _filter;
    private readonly CommentRateLimits _limits;
    private readonly AutoAnswerGate _autoAnswers;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RoomComments> _rooms = new(StringComparer.Ordinal);

    public CommentService(IOptions<CommentOptions> options, IConfiguration configuration, RoomResolver rooms, FaqBook faq,
        IHubContext<ControlHub> hub, TimeProvider time, ILogger<CommentService> logger, Llm.LlmAnswerer? llm = null)
    {
        this.llm = llm;
        this.options = options.Value;
        this.configuration = configuration;
        this.rooms = rooms;
        this.faq = faq;
        this.hub = hub;
        this.time = time;
        this.logger = logger;
        _filter = new CommentFilter(this.options.BlockedWords);
        _limits = new CommentRateLimits(this.options);
        _autoAnswers = new AutoAnswerGate(this.options);
    }

    public CommentOptions Options => options;

    public FaqBook Faq => faq;

    /// <summary>Rooms whose comments every viewer sees (<c>Rooms:{room}:Comments:Public</c>).</summary>
    public bool IsPublic(string room) => configuration.GetValue($"Rooms:{room}:Comments:Public", false);

    /// <summary>Rooms that answer good FAQ matches by themselves (<c>Rooms:{room}:AutoAnswer</c>).</summary>
    public bool AutoAnswers(string room) => configuration.GetValue($"Rooms:{room}:AutoAnswer", false);

    /// <summary>Connections and addresses the limits track now (for tests: memory follows active viewers).</summary>
    public (int Connections, int Addresses) Tracked
    {
        get { lock (_gate) return (_limits.TrackedConnections, _limits.TrackedAddresses); }
    }

    public async Task<Comment> PostAsync(string connectionId, IPAddress? address, bool anonymous, string? room, string? text, string? nickname)
    {
        var controller = rooms.Resolve(room);
        var clean = CommentText.CheckText(text, options.MaxTextLength);
        var nick = CommentText.CheckNickname(nickname, options.MaxNicknameLength);
        _filter.Check(clean, "comment");
        if (nick is not null) _filter.Check(nick, "nickname");

        Comment comment;
        AnswerSuggestion? suggestion = null;
        FaqEntry? autoAnswer = null;
        var confident = false;
        var modelAlways = llm?.AsksAlways(controller.Name) == true; // issue 18: the model answers every comment
        var sends = new List<Task>(2);
        lock (_gate)
        {
            var now = time.GetUtcNow();
            _limits.Take(connectionId, CommentRateLimits.AddressKey(address), controller.Name, now);
            var state = RoomOf(controller.Name);
            var seq = ++state.Seq;
            comment = new Comment($"{controller.Name}-{seq}", controller.Name, seq, clean, nick, now, anonymous);
            state.Keep(comment, options.KeepLast);
            var audience = IsPublic(controller.Name) ? ControlHubEvents.GroupFor(controller.Name) : ControlHubEvents.StaffGroupFor(controller.Name);
            sends.Add(hub.Clients.Group(audience).SendAsync(ControlHubEvents.CommentPosted, comment));
            if (faq.Match(controller.Name, clean) is { } match && match.Score >= options.SuggestThreshold)
            {
                confident = match.Score >= options.AutoAnswerThreshold;
                suggestion = new AnswerSuggestion(comment, match.Entry, Math.Round(match.Score, 3));
                sends.Add(hub.Clients.Group(ControlHubEvents.StaffGroupFor(controller.Name)).SendAsync(ControlHubEvents.AnswerSuggested, suggestion));
                if (match.Score >= options.AutoAnswerThreshold && AutoAnswers(controller.Name) && !modelAlways && _autoAnswers.TryTake(controller.Name, match.Entry.Id!, now))
                {
                    autoAnswer = match.Entry;
                }
            }
        }
        await Task.WhenAll(sends);
        if (autoAnswer is not null) _ = AutoAnswerAsync(controller, comment, autoAnswer);
        else if (!confident || modelAlways) _ = llm?.TryStart(controller, comment); // issue 18: no confident FAQ match (or always), the model may answer
        return comment;
    }

    public IReadOnlyList<Comment> Recent(string room)
    {
        lock (_gate) return _rooms.TryGetValue(room, out var state) ? [.. state.Kept] : [];
    }

    public void Forget(string connectionId)
    {
        lock (_gate) _limits.Forget(connectionId);
    }

    /// <summary>Queues <paramref name="entryId"/>'s answer (or the best match's) to a kept comment as a line captioned "@nickname: question".</summary>
    public async Task<LineTicket> AnswerAsync(string? room, string? commentId, string? entryId, CancellationToken cancellationToken)
    {
        var controller = rooms.Resolve(room);
        var comment = Recent(controller.Name).FirstOrDefault(c => c.Id == commentId)
            ?? throw new CommandRejectedException(RejectionCode.NotFound,
                $"room '{controller.Name}' has no comment '{Short(commentId)}' (only the last {options.KeepLast} are kept)");
        FaqEntry entry;
        if (!string.IsNullOrWhiteSpace(entryId))
        {
            entry = faq.Find(controller.Name, entryId.Trim())
                ?? throw new CommandRejectedException(RejectionCode.NotFound, $"room '{controller.Name}' has no FAQ entry '{Short(entryId)}'");
        }
        else
        {
            entry = faq.Match(controller.Name, comment.Text) is { } match && match.Score >= options.SuggestThreshold
                ? match.Entry
                : throw new CommandRejectedException(RejectionCode.NotFound,
                    $"no FAQ entry of room '{controller.Name}' matches comment {comment.Id}; name the entry to answer with (entryId)");
        }
        return await controller.EnqueueAsync(AnswerLine(controller.Name, comment, entry), AnswerOrigin, cancellationToken);
    }

    /// <summary>FAQ answers are lines with source <c>answer</c> (the console and the line store show where a line came from).</summary>
    public static readonly LineOrigin AnswerOrigin = new(LineSources.Answer);

    /// <summary>The answer read aloud, captioned with who asked what; tagged <c>answer:{commentId}</c>.</summary>
    public static LineRequest AnswerLine(string room, Comment comment, FaqEntry entry) =>
        new(room, entry.Answer, entry.Language, Tag: "answer:" + comment.Id, Caption: $"@{comment.Nickname ?? "viewer"}: {comment.Text}");

    private async Task AutoAnswerAsync(IRoomController controller, Comment comment, FaqEntry entry)
    {
        try
        {
            var ticket = await controller.EnqueueAsync(AnswerLine(controller.Name, comment, entry), AnswerOrigin);
            CommentLog.AutoAnswered(logger, controller.Name, comment.Id, entry.Id!, ticket.Id);
        }
        catch (CommandRejectedException refusal)
        {
            CommentLog.AutoAnswerRefused(logger, controller.Name, comment.Id, entry.Id!, refusal.Message);
        }
        catch (Exception exception)
        {
            CommentLog.AutoAnswerFailed(logger, exception, controller.Name, comment.Id);
        }
    }

    private RoomComments RoomOf(string room)
    {
        if (!_rooms.TryGetValue(room, out var state)) _rooms[room] = state = new RoomComments();
        return state;
    }

    private static string Short(string? id) => id is null ? "" : id.Length <= 64 ? id : id[..64] + "...";

    private sealed class RoomComments
    {
        public long Seq;
        public Queue<Comment> Kept { get; } = new();

        public void Keep(Comment comment, int max)
        {
            if (max == 0) return;
            Kept.Enqueue(comment);
            while (Kept.Count > max) Kept.Dequeue();
        }
    }
}

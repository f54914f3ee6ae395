using LiveHost.Avatars;
using LiveHost.Engine.Lines;
using LiveHost.Engine.Rooms;

namespace LiveHost.Host.Tests.Rooms;

/// <summary>Avatar actions (issue 13) on the host's own room, its clock driven by the test: a line's action, PlayAction, refusals.</summary>
public sealed partial class PresenterSwitchTests
{
    [Fact]
    public async Task A_line_with_an_action_plays_it_on_the_tick_the_line_starts_and_StateChanged_names_it()
    {
        await _room.Controller.SetPresenterAsync(new PresenterRequest("cartoon-fullbody", Now: true));
        var ticket = await _room.Controller.EnqueueAsync(new LineRequest(null, "welcome to the show", Action: "wave"));
        // Stored with the line: a restart plays it too.
        Assert.Equal("wave", _store.LoadUnfinished("main").Single(l => l.Id == ticket.Id).Action);
        Assert.Equal(CartoonGestures.Names, _room.Controller.GetState().Actions);
        _events.Drain();

        _room.Engine.Tick();

        var events = _events.Drain();
        var started = events.FindIndex(e => e.Kind == "started" && e.Line!.Id == ticket.Id);
        Assert.True(started >= 0, "the line did not start");
        Assert.Equal("wave", events[started].Line!.Action);
        var playing = events.FindIndex(e => e.Kind == "state" && e.State!.PlayingAction == "wave");
        Assert.True(playing > started, "no StateChanged named the wave after the line started");
        Assert.Equal("wave", _room.Controller.GetState().PlayingAction);
    }

    [Fact]
    public async Task PlayAction_and_a_lines_action_are_refused_when_the_presenter_lacks_the_action_and_nothing_changes()
    {
        // The waist-up cartoon has no arms in frame: no actions at all.
        var none = await Assert.ThrowsAsync<CommandRejectedException>(() => _room.Controller.PlayActionAsync("wave").AsTask());
        Assert.Equal(RejectionCode.NoActions, none.Code);
        var noneLine = await Assert.ThrowsAsync<CommandRejectedException>(() => _room.Controller.EnqueueAsync(new LineRequest(null, "hi", Action: "wave")).AsTask());
        Assert.Equal(RejectionCode.NoActions, noneLine.Code);
        Assert.Empty(_room.Controller.GetState().Actions);

        await _room.Controller.SetPresenterAsync(new PresenterRequest("cartoon-fullbody", Now: true));
        var unknown = await Assert.ThrowsAsync<CommandRejectedException>(() => _room.Controller.EnqueueAsync(new LineRequest(null, "hi", Action: "moonwalk")).AsTask());
        Assert.Equal(RejectionCode.UnknownAction, unknown.Code);
        Assert.Contains("wave, point, welcome", unknown.Message, StringComparison.Ordinal);
        var malformed = await Assert.ThrowsAsync<CommandRejectedException>(() => _room.Controller.PlayActionAsync("Wave!").AsTask());
        Assert.Equal(RejectionCode.InvalidInput, malformed.Code);
        Assert.Empty(_room.Controller.GetState().Queue);
        Assert.Empty(_store.LoadUnfinished("main"));
        _room.Engine.Tick();
        Assert.Null(_room.Controller.GetState().PlayingAction);

        var state = await _room.Controller.PlayActionAsync("point");
        Assert.Equal(CartoonGestures.Names, state.Actions);
        _room.Engine.Tick();
        Assert.Equal("point", _room.Controller.GetState().PlayingAction);
    }
}

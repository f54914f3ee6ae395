using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveHost.Avatars.Packages;

namespace LiveHost.Host.Tests.Avatars;

/// <summary>SetPresenter with a realistic package on the real host: its consent is checked before anything of it is shown.</summary>
[Collection(AvatarHostCollection.Name)]
public sealed class PresenterConsentTests(SyntheticAvatarPackage package)
{
    [Fact]
    public async Task A_package_is_switched_in_while_its_consent_is_valid_and_refused_once_revoked_leaving_the_presenter_as_it_was()
    {
        var revocations = package.NewRevocationList();
        var settings = package.Settings(revocations);
        settings.Remove("Rooms:main:Avatar");
        await using var host = new AvatarTestHost(settings);
        host.Start();
        using var client = host.Client();

        var shown = await client.PutAsJsonAsync("/api/rooms/main/presenter", new { avatar = package.PackageDirectory, now = true });
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Equal("synthetic-host-test", (await shown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("presenter").GetString());
        var back = await client.PutAsJsonAsync("/api/rooms/main/presenter", new { avatar = "cartoon", now = true });
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);

        ConsentRevocationList.Write(revocations,
            [new ConsentRevocationList.RevocationEntry { ConsentId = SyntheticAvatarPackage.ConsentId, Reason = "the subject withdrew consent" }]);
        var refused = await client.PutAsJsonAsync("/api/rooms/main/presenter", new { avatar = package.PackageDirectory, now = true });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("avatarRefused", problem.GetProperty("code").GetString());
        Assert.Contains("the subject withdrew consent", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("cartoon", host.Room.Presenter.Presenter);
        // The switch back is drawn from the next frame on, so the frame's Id may still lag: what must hold is that the
        // refused package was never handed to the switcher.
        Assert.Equal("cartoon", host.Room.Presenter.Switcher.UpcomingId);
        Assert.Null(host.Room.StoppedReason);
    }
}

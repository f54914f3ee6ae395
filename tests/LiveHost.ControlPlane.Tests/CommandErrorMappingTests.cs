using LiveHost.Engine.Rooms;

namespace LiveHost.ControlPlane.Tests;

public sealed class CommandErrorMappingTests
{
    [Theory]
    [InlineData(RejectionCode.InvalidInput, 400)]
    [InlineData(RejectionCode.TextEmpty, 400)]
    [InlineData(RejectionCode.TextTooLong, 400)]
    [InlineData(RejectionCode.UnknownLanguage, 400)]
    [InlineData(RejectionCode.UnknownVoice, 400)]
    [InlineData(RejectionCode.UnknownRoom, 404)]
    [InlineData(RejectionCode.NotFound, 404)]
    [InlineData(RejectionCode.Forbidden, 403)]
    [InlineData(RejectionCode.Unavailable, 503)]
    [InlineData(RejectionCode.StorageFailed, 503)]
    [InlineData(RejectionCode.UnknownLine, 404)]
    [InlineData(RejectionCode.UnknownProduct, 404)]
    [InlineData(RejectionCode.LineNotQueued, 409)]
    [InlineData(RejectionCode.UnknownScript, 404)]
    [InlineData(RejectionCode.PayloadTooLarge, 413)]
    [InlineData(RejectionCode.UnsupportedMediaType, 415)]
    [InlineData(RejectionCode.BlockedTerm, 400)]
    [InlineData(RejectionCode.CommentFiltered, 400)]
    [InlineData(RejectionCode.RateLimited, 429)]
    [InlineData(RejectionCode.IdempotencyKeyReused, 422)]
    [InlineData(RejectionCode.UnknownAvatar, 404)]
    [InlineData(RejectionCode.AvatarRefused, 409)]
    [InlineData(RejectionCode.NoCapacity, 507)]
    [InlineData(RejectionCode.UnknownAction, 404)]
    [InlineData(RejectionCode.NoActions, 409)]
    [InlineData(RejectionCode.RoomMoving, 503)]
    public void Each_rejection_code_maps_to_one_http_status(RejectionCode code, int status) =>
        Assert.Equal(status, CommandErrorMapping.ToHttpStatus(code));

    [Fact]
    public void Every_rejection_code_is_mapped_deliberately()
    {
        // A new code added to the engine must be placed in the table above, not fall through to the default.
        Assert.Equal(26, Enum.GetValues<RejectionCode>().Length);
    }

    [Fact]
    public void The_hub_error_carries_the_rooms_message_unchanged()
    {
        var error = CommandErrorMapping.ToHubException(new CommandRejectedException(RejectionCode.UnknownVoice, "unknown voice 'robot'"));

        Assert.Equal("unknown voice 'robot'", error.Message);
    }

    [Theory]
    [InlineData(Role.Viewer, Role.Seller, false)]
    [InlineData(Role.Seller, Role.Seller, true)]
    [InlineData(Role.Admin, Role.Producer, true)]
    [InlineData(Role.Producer, Role.Admin, false)]
    public void Roles_are_ordered_viewer_seller_producer_admin(Role held, Role needed, bool allowed) =>
        Assert.Equal(allowed, held >= needed);

    [Theory]
    [InlineData("viewer", Role.Viewer)]
    [InlineData("SELLER", Role.Seller)]
    [InlineData(" producer ", Role.Producer)]
    [InlineData("admin", Role.Admin)]
    public void Role_names_parse_case_insensitively(string text, Role role)
    {
        Assert.True(RoleNames.TryParse(text, out var parsed));
        Assert.Equal(role, parsed);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("root")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_role_names_do_not_parse(string? text) => Assert.False(RoleNames.TryParse(text, out _));
}

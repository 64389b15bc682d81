namespace Notify.Grains.Abstractions.Actions;

/// <summary>A bk-monitor user group: a name and the usernames of its members (resolved to addresses by the contact directory).</summary>
[GenerateSerializer, Immutable, Alias("notify.UserGroup")]
public sealed record UserGroup
{
    [Id(0)] public required string GroupId { get; init; }

    [Id(1)] public required string Name { get; init; }

    [Id(2)] public IReadOnlyList<string> Members { get; init; } = [];

    [Id(3)] public DateTimeOffset UpdatedAt { get; init; }
}

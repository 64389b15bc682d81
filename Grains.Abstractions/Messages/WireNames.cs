namespace Notify.Grains.Abstractions.Messages;

/// <summary>The caller-facing names of channel-neutral fields, so errors name the field the caller wrote.</summary>
public static class WireNames
{
    public static string Title(NotifyChannel channel) => channel == NotifyChannel.Voice ? "taskName" : "title";

    public static string Body(NotifyChannel channel) => channel switch
    {
        NotifyChannel.Voice => "content",
        NotifyChannel.Wework => "message",
        _ => "body",
    };
}

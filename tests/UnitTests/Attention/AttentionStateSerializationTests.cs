using Microsoft.Extensions.DependencyInjection;
using Notify.Grains.Abstractions.Attention;
using Orleans.Serialization;

namespace Notify.UnitTests.Attention;

/// <summary>A person's attention state and the decisions survive Orleans' binary serializer (grain storage and calls).</summary>
public sealed class AttentionStateSerializationTests
{
    private static readonly ServiceProvider Services = new ServiceCollection()
        .AddSerializer(serializer => serializer.AddAssembly(typeof(AttentionState).Assembly))
        .BuildServiceProvider();

    private static T RoundTrip<T>(T value)
    {
        var serializer = Services.GetRequiredService<Serializer>();
        return serializer.Deserialize<T>(serializer.SerializeToArray(value))!;
    }

    [Fact]
    public void AttentionState_RoundTrips()
    {
        var at = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        var notice = new AttentionNotice("voice", 2, "alert-1", "CPU high", "https://monitor/alerts/1", "monitor", "msg_1");
        var state = new AttentionState
        {
            Sent = { ["voice"] = [at, at.AddMinutes(1)] },
            Digests = { ["voice"] = new AttentionDigest { DigestId = "msg_d", Channel = "voice", DueAt = at.AddMinutes(10), Entries = [notice] } },
            LastDigestAt = { ["rtx"] = at },
        };

        var copy = RoundTrip(state);

        Assert.Equal([at, at.AddMinutes(1)], copy.Sent["voice"]);
        var digest = copy.Digests["voice"];
        Assert.Equal(("msg_d", "voice", at.AddMinutes(10)), (digest.DigestId, digest.Channel, digest.DueAt));
        Assert.Equal(notice, Assert.Single(digest.Entries));
        Assert.Equal(at, copy.LastDigestAt["rtx"]);
    }

    [Fact]
    public void Decisions_RoundTrip()
    {
        var due = new DateTimeOffset(2026, 11, 23, 0, 10, 0, TimeSpan.Zero);
        Assert.IsType<SendNow>(RoundTrip<AttentionDecision>(new SendNow()));
        Assert.Equal(new FoldIntoDigest("msg_d", due), RoundTrip<AttentionDecision>(new FoldIntoDigest("msg_d", due)));
    }
}

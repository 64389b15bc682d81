using Notify.Grains.Scheduling;

namespace Notify.UnitTests.Scheduling;

public sealed class WakeTicketTests
{
    [Theory]
    [InlineData(1, 0, "wake:1:0")]
    [InlineData(12, 3, "wake:12:3")]
    public void ReminderName_RoundTrips(int executeTimes, int retryTimes, string name)
    {
        var ticket = new WakeTicket(executeTimes, retryTimes);
        Assert.Equal(name, ticket.ReminderName);
        Assert.True(WakeTicket.TryParseReminderName(name, out var parsed));
        Assert.Equal(ticket, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("deliver")]
    [InlineData("wake:")]
    [InlineData("wake:1")]
    [InlineData("wake:1:2:3")]
    [InlineData("wake:a:0")]
    [InlineData("wake:-1:0")]
    [InlineData("WAKE:1:0")]
    public void TryParseReminderName_NotAWakeName_ReturnsFalse(string? name) =>
        Assert.False(WakeTicket.TryParseReminderName(name, out _));

    [Fact]
    public void CompareTo_OrdersByExecuteTimesThenRetries()
    {
        var ordered = new[] { new WakeTicket(1, 0), new WakeTicket(1, 1), new WakeTicket(1, 2), new WakeTicket(2, 0), new WakeTicket(10, 0) };
        Assert.Equal(ordered, ordered.Reverse().Order());
        Assert.True(new WakeTicket(2, 0) > new WakeTicket(1, 5));
        Assert.True(new WakeTicket(1, 1) < new WakeTicket(1, 2));
    }
}

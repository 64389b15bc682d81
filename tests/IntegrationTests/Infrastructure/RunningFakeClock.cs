using Microsoft.Extensions.Time.Testing;

namespace Notify.IntegrationTests.Infrastructure;

/// <summary>
/// A fake clock that a test can jump (<see cref="FakeTimeProvider.Advance"/>, which fires every timer it passes) and
/// that also moves on its own with real time, in small steps. Give it to a whole host: a silo's runtime (membership,
/// the reminder service's table reads and retries, grain-call timeouts) waits on its clock, and on a clock that only
/// moves when the test says so such a wait never ends and the test hangs.
/// </summary>
public sealed class RunningFakeClock : FakeTimeProvider, IDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    private readonly ITimer _pump;

    public RunningFakeClock(DateTimeOffset start)
        : base(start)
    {
        _pump = System.CreateTimer(_ => Advance(Step), null, Step, Step);
    }

    public void Dispose() => _pump.Dispose();
}

using System.Collections.Concurrent;
using Notify.Silo.Persistence;

namespace Notify.IntegrationTests.Persistence;

/// <summary>A grain whose only job is to keep one string in the Postgres profile's grain storage.</summary>
[Alias("tests.IStateProbeGrain")]
public interface IStateProbeGrain : IGrainWithStringKey
{
    [Alias("Set")]
    Task SetAsync(string value);

    [Alias("Get")]
    Task<string?> GetAsync();

    [Alias("Deactivate")]
    Task DeactivateAsync();
}

[GenerateSerializer, Alias("tests.StateProbe")]
public sealed class StateProbe
{
    [Id(0)] public string? Value { get; set; }
}

public sealed class StateProbeGrain(
    [PersistentState(StateProbeGrain.StateName, PostgresProfile.GrainStorageName)] IPersistentState<StateProbe> state)
    : Grain, IStateProbeGrain
{
    public const string StateName = "stateProbe";

    public async Task SetAsync(string value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
    }

    public Task<string?> GetAsync() => Task.FromResult(state.State.Value);

    public Task DeactivateAsync()
    {
        this.DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

/// <summary>A grain that registers one reminder and signals each tick to the test that waits for it.</summary>
[Alias("tests.IReminderProbeGrain")]
public interface IReminderProbeGrain : IGrainWithStringKey
{
    [Alias("Start")]
    Task StartAsync(TimeSpan period);

    [Alias("Stop")]
    Task StopAsync();
}

public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    public const string ReminderName = "probe";

    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Ticks = new();

    /// <summary>Completes when the reminder of the grain with that key has fired.</summary>
    public static Task FirstTick(string key) => Signal(key).Task;

    public Task StartAsync(TimeSpan period) => this.RegisterOrUpdateReminder(ReminderName, TimeSpan.Zero, period);

    public async Task StopAsync()
    {
        var reminder = await this.GetReminder(ReminderName)
            ?? throw new InvalidOperationException($"reminder {ReminderName} is not registered");
        await this.UnregisterReminder(reminder);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Signal(this.GetPrimaryKeyString()).TrySetResult();
        return Task.CompletedTask;
    }

    private static TaskCompletionSource Signal(string key) =>
        Ticks.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}

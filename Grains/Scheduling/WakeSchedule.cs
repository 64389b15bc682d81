using Microsoft.Extensions.Logging;

namespace Notify.Grains.Scheduling;

/// <summary>
/// The wake-ups of one grain activation (an action instance, a message), for one <see cref="WakeTicket"/> at a time. The reminder named after the ticket
/// is the durable wake-up (it outlives the activation and the silo, but its period has a configurable minimum, one minute
/// by default); the grain timer gives the exact time while the grain is active. Reminders are written only when the
/// schedule changes, and the previous one is removed only after the next exists, so a grain always has at least one.
/// </summary>
public sealed partial class WakeSchedule(IGrainBase grain, Func<WakeTicket, Task> onTimer, TimeSpan reminderPeriod, TimeProvider time, ILogger logger)
{
    private IGrainTimer? _timer;
    private RegisteredReminder? _reminder;

    /// <summary>Wakes this activation at <paramref name="at"/> (at once if it has passed).</summary>
    public void SetTimer(WakeTicket ticket, DateTimeOffset at)
    {
        _timer?.Dispose();
        _timer = grain.RegisterGrainTimer(() => onTimer(ticket), new GrainTimerCreationOptions(DueIn(at), Timeout.InfiniteTimeSpan));
    }

    /// <summary>Stops the timer; reminders stay.</summary>
    public void CancelTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

    /// <summary>
    /// Wakes the grain at <paramref name="at"/> whether or not this activation lives that long. False when the reminder
    /// could not be written: then only the timer (and an earlier reminder, if any) wakes it, so it must stay active.
    /// With <paramref name="staysActive"/> the timer gives the exact time and the reminder only covers the loss of the
    /// activation, so a reminder for the same ticket that is due no later is kept rather than written again: its early
    /// tick finds nothing due, and its period brings the next one.
    /// </summary>
    public async Task<bool> SetAsync(WakeTicket ticket, DateTimeOffset at, bool staysActive = false)
    {
        SetTimer(ticket, at);
        return await SetReminderAsync(ticket, at, staysActive);
    }

    /// <summary>Registers the reminder for <paramref name="ticket"/> at <paramref name="at"/>; false when that failed.</summary>
    public async Task<bool> SetReminderAsync(WakeTicket ticket, DateTimeOffset at, bool keepEarlier = false)
    {
        var name = ticket.ReminderName;
        if (_reminder is { } registered && registered.Name == name && (registered.At == at || keepEarlier && registered.At <= at))
        {
            return true;
        }

        try
        {
            var reminder = await grain.RegisterOrUpdateReminder(name, DueIn(at), reminderPeriod);
            var previous = _reminder;
            _reminder = new RegisteredReminder(name, at, reminder);
            if (previous is not null && previous.Name != name)
            {
                await grain.UnregisterReminder(previous.Reminder);
            }

            return true;
        }
        catch (Exception exception)
        {
            // The timer still fires while the grain is active, and the previous reminder (if any) still wakes it.
            LogReminderFailed(logger, exception, grain.GrainContext.GrainId, name);
            return false;
        }
    }

    /// <summary>Removes a reminder that is not (or no longer) the grain's schedule.</summary>
    public async Task RemoveReminderAsync(string name)
    {
        try
        {
            if (await grain.GetReminder(name) is { } reminder)
            {
                await grain.UnregisterReminder(reminder);
            }

            if (_reminder?.Name == name)
            {
                _reminder = null;
            }
        }
        catch (Exception exception)
        {
            LogReminderFailed(logger, exception, grain.GrainContext.GrainId, name);
        }
    }

    /// <summary>Stops every wake-up: the timer and every reminder of the grain, so the reminder table holds nothing for it.</summary>
    public async Task ClearAsync()
    {
        _timer?.Dispose();
        _timer = null;
        try
        {
            foreach (var reminder in await grain.GetReminders())
            {
                await grain.UnregisterReminder(reminder);
            }

            _reminder = null;
        }
        catch (Exception exception)
        {
            // A left-over reminder ticks once more, finds nothing to do and is removed then.
            LogReminderFailed(logger, exception, grain.GrainContext.GrainId, "*");
        }
    }

    private TimeSpan DueIn(DateTimeOffset at)
    {
        var dueIn = at - time.GetUtcNow();
        return dueIn > TimeSpan.Zero ? dueIn : TimeSpan.Zero;
    }

    private sealed record RegisteredReminder(string Name, DateTimeOffset At, IGrainReminder Reminder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{GrainId}: reminder {Reminder} could not be changed")]
    private static partial void LogReminderFailed(ILogger logger, Exception exception, GrainId grainId, string reminder);
}

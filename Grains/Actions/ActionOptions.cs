using System.ComponentModel.DataAnnotations;

namespace Notify.Grains.Actions;

/// <summary>Action instances (<c>Notify:Actions</c>).</summary>
public sealed class ActionOptions
{
    public const string SectionName = "Notify:Actions";

    /// <summary>
    /// How long a notice may go without its completion before the instance asks the message for its outcome, and how
    /// often it asks again (completions are best effort). The default value is 2 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan OutcomeCheckDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Before an instance is first written, its wake-up reminder is registered this far ahead, so a silo that stops right
    /// after the write still resumes it. The default value is 1 minute.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ResumeDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// An instance that falls asleep for longer than this leaves memory at once; its reminder, registered for the exact
    /// due time, brings it back. Shorter sleeps keep it active and woken by its timer. The default value is 5 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan DeactivateWhenAsleepLongerThan { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The shortest <c>executeConfig.notifyInterval</c> an instance may repeat on, in seconds, so no alert re-notifies
    /// every second. The default value is 60.
    /// </summary>
    [Range(1, 86_400)]
    public int MinNotifyIntervalSeconds { get; set; } = 60;

    /// <summary>
    /// Repeats of the abnormal notice an instance sends at most (after the first notice); then it ends as if it had
    /// no repeat interval. The default value is 100.
    /// </summary>
    [Range(0, 100_000)]
    public int MaxRepeats { get; set; } = 100;

    /// <summary>
    /// Receivers one notice way may reach (one message each way): an instance whose user groups have more is refused at
    /// creation, and a later notice to more fails that way naming the limit. The default value is 100; at most 500,
    /// a message's own limit.
    /// </summary>
    [Range(1, 500)]
    public int MaxReceiversPerWay { get; set; } = 100;

    /// <summary>
    /// How long a finished instance (an end status) is kept after it ended; then it is purged: its state and its list
    /// entry are deleted and it answers 404, and its id may be created again. An open instance is never purged. The
    /// default value is 30 days; at most 45 days, so the purge reminder's due time fits Orleans' timer range (49 days).
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "45.00:00:00")]
    public TimeSpan FinishedRetention { get; set; } = TimeSpan.FromDays(30);
}

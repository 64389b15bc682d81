using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Abstractions.Actions;

/// <summary>Input limits of action instances and user groups, stated once: the validator enforces them.</summary>
public static class ActionLimits
{
    /// <summary>Action ids and user group ids: 1-64 of letters, digits, '_', '-', '.', starting with a letter or digit.</summary>
    public const int MaxIdLength = 64;
    public const int MaxAlertIdLength = 128;
    public const int MaxAlertNameLength = 256;
    public const int MaxAlertContentLength = 4_000;
    public const int MaxDimensions = 50;
    public const int MaxDimensionKeyLength = 64;
    public const int MaxDimensionValueLength = 256;
    public const int MinAlertLevel = 1;
    public const int MaxAlertLevel = 3;
    public const int MaxEventCount = 1_000_000_000;

    public const int MaxUserGroups = 10;
    public const int MaxNoticeWaysPerStep = 10;

    /// <summary>The longest configurable repeat interval: 7 days. Computed intervals are capped separately (30 days).</summary>
    public const int MaxNotifyIntervalSeconds = 7 * 24 * 60 * 60;
    public const int MaxRetryTimes = 10;
    public const int MinRetryIntervalSeconds = 1;
    public const int MaxRetryIntervalSeconds = 24 * 60 * 60;
    public const int MaxTimeoutSeconds = 24 * 60 * 60;

    /// <summary>The longest wait before the first notice (<c>executeConfig.delay</c>): 1 day.</summary>
    public const int MaxDelaySeconds = 24 * 60 * 60;

    public const int MaxGroupNameLength = 128;
    public const int MaxTimeRanges = 10;
    public const int MaxDutyShifts = 50;
    public const int MaxHandOverTimes = 24;
    public const int MaxShiftDays = 31;

    /// <summary>One notice way sends one message, so a group holds at most as many members as a message has receivers.</summary>
    public const int MaxGroupMembers = NotifyLimits.MaxReceiversPerList;

    /// <summary>Notice runs kept in an instance's history; older ones are dropped (and counted) so the state stays bounded.</summary>
    public const int MaxRunsKept = 100;
}

namespace Notify.Grains.Abstractions.Messages;

/// <summary>BK-CI's EnumNotifyPriority values: -1 low, 0 normal, 1 high.</summary>
[GenerateSerializer, Alias("notify.NotifyPriority")]
public enum NotifyPriority
{
    Low = -1,
    Normal = 0,
    High = 1,
}

public static class NotifyPriorities
{
    /// <summary>
    /// Maps BK-CI's wire value. 2 is accepted as high because some BK-CI callers send
    /// <c>NotifyPriority.HIGH.ordinal</c> (the seed's own example does).
    /// </summary>
    public static bool TryFromWire(int value, out NotifyPriority priority)
    {
        priority = value switch
        {
            -1 => NotifyPriority.Low,
            0 => NotifyPriority.Normal,
            1 or 2 => NotifyPriority.High,
            _ => NotifyPriority.Normal,
        };
        return value is >= -1 and <= 2;
    }
}

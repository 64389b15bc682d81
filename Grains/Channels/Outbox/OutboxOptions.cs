using System.ComponentModel.DataAnnotations;

namespace Notify.Grains.Channels.Outbox;

/// <summary>Where channels with no provider configured write their deliveries (<c>Notify:Outbox</c>).</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Notify:Outbox";

    /// <summary>Folder of the outbox; one subfolder per channel. The default value is <c>./outbox</c>.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Notify:Outbox:Path must name a folder")]
    public string Path { get; set; } = "./outbox";

    /// <summary>
    /// Age (since written) past which an outbox file is deleted; each silo prunes its own folder hourly. The default
    /// value is 7 days: the outbox is for looking at what went out, the send records keep the history.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00", ErrorMessage = "Notify:Outbox:Retention must be between 1 minute and 3650 days")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
}

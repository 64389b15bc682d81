using System.ComponentModel.DataAnnotations;

namespace Notify.Grains.Channels.Outbox;

/// <summary>Where channels with no provider configured write their deliveries (<c>Notify:Outbox</c>).</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Notify:Outbox";

    /// <summary>Folder of the outbox; one subfolder per channel. The default value is <c>./outbox</c>.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Notify:Outbox:Path must name a folder")]
    public string Path { get; set; } = "./outbox";
}

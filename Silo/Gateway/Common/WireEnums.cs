using System.Text;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;

namespace Notify.Silo.Gateway.Common;

/// <summary>
/// Enum values as the wire writes them (snake_case statuses, BK-CI's upper-case formats). A value a caller wrote that
/// names nothing maps to an undefined enum value, so <see cref="NotifyMessageValidator"/>, the one authority, refuses it.
/// </summary>
public static class WireEnums
{
    public static string Name(MessageStatus status) => status.WireName();

    public static string Name(ReceiverStatus status) => status.WireName();

    public static string Name(RecipientKind kind) => SnakeCase(kind.ToString());

    public static string Name(EmailFormat format) => format.ToString().ToUpperInvariant();

    public static string Name(RobotTextType textType) => textType.ToString().ToUpperInvariant();

    /// <summary><c>partially_sent</c>, <c>PartiallySent</c> and <c>PARTIALLY_SENT</c> all name the same status.</summary>
    public static bool TryParseMessageStatus(string text, out MessageStatus status) =>
        StatusNames.TryParseMessageStatus(text.Replace("_", "", StringComparison.Ordinal), out status);

    /// <summary>BK-CI's <c>"TEXT"</c>/<c>"HTML"</c>, any case; absent means text.</summary>
    public static EmailFormat EmailFormat(string? text) => string.IsNullOrWhiteSpace(text)
        ? Grains.Abstractions.Messages.EmailFormat.Text
        : Enum.TryParse<EmailFormat>(text.Trim(), ignoreCase: true, out var format) && Enum.IsDefined(format) && !char.IsDigit(text.Trim()[0])
            ? format
            : (EmailFormat)(-1);

    /// <summary><c>"TEXT"</c>/<c>"MARKDOWN"</c>, any case; absent means text.</summary>
    public static RobotTextType TextType(string? text) => string.IsNullOrWhiteSpace(text)
        ? RobotTextType.Text
        : Enum.TryParse<RobotTextType>(text.Trim(), ignoreCase: true, out var type) && Enum.IsDefined(type) && !char.IsDigit(text.Trim()[0])
            ? type
            : (RobotTextType)(-1);

    /// <summary>BK-CI's -1/0/1, and 2 as high (<see cref="NotifyPriorities.TryFromWire"/>); absent means normal.</summary>
    public static NotifyPriority Priority(int? value) => value switch
    {
        null => NotifyPriority.Normal,
        { } wire when NotifyPriorities.TryFromWire(wire, out var priority) => priority,
        { } wire => (NotifyPriority)wire,
    };

    private static string SnakeCase(string pascal)
    {
        var text = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(pascal[i]));
        }

        return text.ToString();
    }
}

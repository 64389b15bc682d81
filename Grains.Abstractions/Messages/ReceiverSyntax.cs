using System.Net.Mail;
using System.Text.RegularExpressions;

namespace Notify.Grains.Abstractions.Messages;

/// <summary>
/// What a receiver string may look like on each channel. A receiver is either a channel address
/// (e-mail address, phone number, WeCom user id, WeChat open id, robot chat id) or a username that
/// the contact directory resolves at send time.
/// </summary>
public static partial class ReceiverSyntax
{
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex UsernamePattern();

    [GeneratedRegex(@"^\+?[0-9]{5,20}$", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();

    // WeCom user ids and WeChat open ids: letters, digits, '_', '-', '.', '@' (1-64).
    [GeneratedRegex(@"^[A-Za-z0-9_.@\-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_.@\-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex ChatIdPattern();

    public static bool IsUsername(string value) => UsernamePattern().IsMatch(value);

    public static bool IsPhone(string value) => PhonePattern().IsMatch(value);

    public static bool IsAccountId(string value) => AccountIdPattern().IsMatch(value);

    /// <summary>A bare address (no display name, no comments), as SMTP's RCPT TO takes it.</summary>
    public static bool IsEmailAddress(string value)
    {
        if (value.Length > NotifyLimits.MaxAddressLength || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '"' or ',' or ';'))
        {
            return false;
        }

        var at = value.IndexOf('@');
        if (at <= 0 || at != value.LastIndexOf('@') || at == value.Length - 1 || !value[(at + 1)..].Contains('.'))
        {
            return false;
        }

        return MailAddress.TryCreate(value, out var parsed) && parsed.Address == value && parsed.DisplayName.Length == 0;
    }

    /// <summary>Null when <paramref name="receiver"/> is acceptable on <paramref name="channel"/>, otherwise why not.</summary>
    public static string? Check(NotifyChannel channel, string receiver) => channel switch
    {
        NotifyChannel.Email when receiver.Contains('@') =>
            IsEmailAddress(receiver) ? null : "not a valid e-mail address",
        NotifyChannel.Email =>
            IsUsername(receiver) ? null : "neither an e-mail address nor a username",
        NotifyChannel.Sms or NotifyChannel.Voice =>
            IsPhone(receiver) || IsUsername(receiver) ? null : "neither a phone number (5-20 digits, optional leading +) nor a username",
        NotifyChannel.Rtx =>
            IsAccountId(receiver) ? null : "not a WeCom user id or username (1-64 of letters, digits, _ - . @)",
        NotifyChannel.Wechat =>
            IsAccountId(receiver) ? null : "not a WeChat open id or username (1-64 of letters, digits, _ - . @)",
        NotifyChannel.Wework =>
            ChatIdPattern().IsMatch(receiver) ? null : "not a robot chat id (1-128 of letters, digits, _ - . @)",
        _ => "unknown channel",
    };
}

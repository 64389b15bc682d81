namespace Notify.Grains.Abstractions.Receivers;

/// <summary>A user's address on each channel (the contact directory entry). Empty means "none on that channel".</summary>
[GenerateSerializer, Immutable, Alias("notify.Contact")]
public sealed record Contact
{
    [Id(0)] public string Username { get; init; } = "";

    [Id(1)] public string Email { get; init; } = "";

    [Id(2)] public string Phone { get; init; } = "";

    [Id(3)] public string WecomUserId { get; init; } = "";

    [Id(4)] public string WechatOpenId { get; init; } = "";

    [Id(5)] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The address for <paramref name="channel"/>, or empty. The robot has no per-user address.</summary>
    public string AddressFor(NotifyChannel channel) => channel switch
    {
        NotifyChannel.Email => Email,
        NotifyChannel.Sms or NotifyChannel.Voice => Phone,
        NotifyChannel.Rtx => WecomUserId,
        NotifyChannel.Wechat => WechatOpenId,
        _ => "",
    };

    public IEnumerable<string> Addresses() =>
        new[] { Email, Phone, WecomUserId, WechatOpenId }.Where(a => a.Length > 0);

    public IReadOnlyList<Messages.FieldError> Validate()
    {
        var errors = new List<Messages.FieldError>();
        if (!Messages.ReceiverSyntax.IsUsername(Username))
        {
            errors.Add(new("username", "must be 1-64 of letters, digits, '_', '-', '.', starting with a letter or digit"));
        }

        if (Email.Length > 0 && !Messages.ReceiverSyntax.IsEmailAddress(Email))
        {
            errors.Add(new("email", $"'{Email}' is not a valid e-mail address"));
        }

        if (Phone.Length > 0 && !Messages.ReceiverSyntax.IsPhone(Phone))
        {
            errors.Add(new("phone", $"'{Phone}' is not a phone number (5-20 digits, optional leading +)"));
        }

        if (WecomUserId.Length > 0 && !Messages.ReceiverSyntax.IsAccountId(WecomUserId))
        {
            errors.Add(new("wecomUserId", $"'{WecomUserId}' is not a WeCom user id (1-64 of letters, digits, _ - . @)"));
        }

        if (WechatOpenId.Length > 0 && !Messages.ReceiverSyntax.IsAccountId(WechatOpenId))
        {
            errors.Add(new("wechatOpenId", $"'{WechatOpenId}' is not a WeChat open id (1-64 of letters, digits, _ - . @)"));
        }

        if (errors.Count == 0 && !Addresses().Any())
        {
            errors.Add(new("email", "a contact needs at least one of email, phone, wecomUserId, wechatOpenId"));
        }

        return errors;
    }
}

/// <summary>The blacklist as every silo caches it: the users and every address the directory knows for them.</summary>
[GenerateSerializer, Immutable, Alias("notify.BlacklistSnapshot")]
public sealed record BlacklistSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<string> Users,
    [property: Id(2)] IReadOnlyList<string> Addresses)
{
    public static BlacklistSnapshot Empty { get; } = new(0, [], []);
}

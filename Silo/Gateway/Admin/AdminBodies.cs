using Notify.Grains.Abstractions.Receivers;
using Notify.Silo.Gateway.Common;

namespace Notify.Silo.Gateway.Admin;

/// <summary><c>POST</c>/<c>DELETE /op/notify/blacklist</c>: <c>{"users":["bob"]}</c>.</summary>
public sealed class BlacklistBody : RestBody
{
    public List<string>? Users { get; init; }
}

/// <summary>The blacklist as REST returns it.</summary>
public sealed record BlacklistView(IReadOnlyList<string> Users);

/// <summary><c>PUT /op/notify/contacts/{username}</c>: the user's address on each channel; absent or empty means none.</summary>
public sealed class ContactBody : RestBody
{
    public string? Email { get; init; }

    public string? Phone { get; init; }

    public string? WecomUserId { get; init; }

    public string? WechatOpenId { get; init; }

    public Contact ToContact(string username) => new()
    {
        Username = username.Trim(),
        Email = Email?.Trim() ?? "",
        Phone = Phone?.Trim() ?? "",
        WecomUserId = WecomUserId?.Trim() ?? "",
        WechatOpenId = WechatOpenId?.Trim() ?? "",
    };
}

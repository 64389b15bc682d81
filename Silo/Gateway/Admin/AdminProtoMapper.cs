using Google.Protobuf.WellKnownTypes;
using ApiContact = Notify.Api.V1.Contact;
using Contact = Notify.Grains.Abstractions.Receivers.Contact;

namespace Notify.Silo.Gateway.Admin;

/// <summary>notify.v1 admin messages ↔ the contract's types.</summary>
public static class AdminProtoMapper
{
    public static Api.V1.Blacklist ToProto(IReadOnlyList<string> users)
    {
        var blacklist = new Api.V1.Blacklist();
        blacklist.Users.Add(users);
        return blacklist;
    }

    public static Contact ToContact(Api.V1.PutContactRequest request) => new()
    {
        Username = request.Username.Trim(),
        Email = request.Email.Trim(),
        Phone = request.Phone.Trim(),
        WecomUserId = request.WecomUserId.Trim(),
        WechatOpenId = request.WechatOpenId.Trim(),
    };

    public static ApiContact ToProto(Contact contact) => new()
    {
        Username = contact.Username,
        Email = contact.Email,
        Phone = contact.Phone,
        WecomUserId = contact.WecomUserId,
        WechatOpenId = contact.WechatOpenId,
        UpdatedAt = Timestamp.FromDateTimeOffset(contact.UpdatedAt),
    };
}

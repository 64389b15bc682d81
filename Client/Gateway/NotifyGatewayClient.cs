using Grpc.Core;
using Grpc.Net.Client;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Receivers;
using Notify.Grains.Abstractions.Records;
using Proto = Notify.Api.V1;

namespace Notify.Client.Gateway;

/// <summary>
/// The notification cluster over its gRPC gateway (<c>notify.v1</c>), for callers that cannot reach the Orleans
/// gateway. Same checks and errors as <see cref="NotifyClient"/>: the gateway's statuses become
/// <see cref="NotifyRequestException"/>s with the fields the server named. A gateway with keys configured needs
/// <paramref name="apiKey"/> (sent as <c>x-api-key</c> metadata); its refusals stay <see cref="RpcException"/>s
/// (<c>UNAUTHENTICATED</c>, <c>PERMISSION_DENIED</c>, <c>RESOURCE_EXHAUSTED</c> with <c>grpc-retry-pushback-ms</c>).
/// </summary>
public sealed partial class NotifyGatewayClient(GrpcChannel channel, string? apiKey = null) : INotifyClient
{
    public const string ApiKeyHeader = "x-api-key";

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly Proto.NotifyService.NotifyServiceClient _notify = new(channel);
    private readonly Proto.AdminService.AdminServiceClient _admin = new(channel);

    public Task<SubmitResult> SendAsync(NotifyMessage message, string? requestId = null)
    {
        NotifyMessageValidator.EnsureValid(message);
        var options = Options();
        var requestIdText = requestId ?? "";
        return CallAsync(async () => GatewayProtoMapper.FromProto(message.Channel switch
        {
            NotifyChannel.Email => await _notify.SendEmailAsync(GatewayProtoMapper.ToEmail(message, requestIdText), options),
            NotifyChannel.Rtx => await _notify.SendRtxAsync(GatewayProtoMapper.ToRtx(message, requestIdText), options),
            NotifyChannel.Wechat => await _notify.SendWechatAsync(GatewayProtoMapper.ToWechat(message, requestIdText), options),
            NotifyChannel.Sms => await _notify.SendSmsAsync(GatewayProtoMapper.ToSms(message, requestIdText), options),
            NotifyChannel.Voice => await _notify.SendVoiceAsync(GatewayProtoMapper.ToVoice(message, requestIdText), options),
            NotifyChannel.Wework => await _notify.SendWeworkAsync(GatewayProtoMapper.ToWework(message, requestIdText), options),
            _ => throw NotifyRequestException.Invalid("channel", $"unknown channel {(int)message.Channel}"),
        }));
    }

    public Task<IReadOnlyList<BatchSubmitResult>> SendBatchAsync(IReadOnlyList<BatchSubmitEntry> entries)
    {
        NotifyMessageValidator.EnsureValidBatchSize(entries.Count);
        var request = new Proto.SendBatchRequest();
        request.Messages.Add(entries.Select(GatewayProtoMapper.ToBatchMessage));
        return CallAsync(async () => GatewayProtoMapper.FromProto(await _notify.SendBatchAsync(request, Options())));
    }

    public Task<MessageRecord?> GetMessageAsync(string messageId) =>
        OrNullWhenNotFound(async () => GatewayProtoMapper.FromProto(await _notify.GetMessageAsync(new Proto.GetMessageRequest { Id = messageId }, Options())));

    public Task<MessagePage> ListMessagesAsync(MessageQuery query)
    {
        var errors = query.Validate();
        return errors.Count > 0
            ? throw NotifyRequestException.Invalid(errors)
            : CallAsync(async () => GatewayProtoMapper.FromProto(await _notify.ListMessagesAsync(GatewayProtoMapper.ToProto(query), Options())));
    }

    public Task<IReadOnlyList<ReceiverHistoryEntry>> WhyNotAsync(string receiver, NotifyChannel? channel = null, DateTimeOffset? from = null, DateTimeOffset? to = null, int limit = NotifyClient.DefaultWhyNotLimit) =>
        CallAsync(async () => GatewayProtoMapper.FromProto(await _notify.WhyNotAsync(GatewayProtoMapper.ToWhyNot(receiver, channel, from, to, limit), Options())));

    public Task<IReadOnlyList<string>> GetBlacklistAsync() =>
        CallAsync(async () => Users(await _admin.GetBlacklistAsync(new Proto.GetBlacklistRequest(), Options())));

    public Task<IReadOnlyList<string>> AddToBlacklistAsync(IReadOnlyList<string> users) =>
        CallAsync(async () => Users(await _admin.AddToBlacklistAsync(Change(users), Options())));

    public Task<IReadOnlyList<string>> RemoveFromBlacklistAsync(IReadOnlyList<string> users) =>
        CallAsync(async () => Users(await _admin.RemoveFromBlacklistAsync(Change(users), Options())));

    public Task<Contact?> GetContactAsync(string username) =>
        OrNullWhenNotFound(async () => GatewayProtoMapper.FromProto(await _admin.GetContactAsync(new Proto.GetContactRequest { Username = username }, Options())));

    public Task<Contact> PutContactAsync(Contact contact)
    {
        var errors = contact.Validate();
        return errors.Count > 0
            ? throw NotifyRequestException.Invalid(errors)
            : CallAsync(async () => GatewayProtoMapper.FromProto(await _admin.PutContactAsync(GatewayProtoMapper.ToProto(contact), Options())));
    }

    public async Task<bool> DeleteContactAsync(string username) =>
        await OrNullWhenNotFound<object>(async () => await _admin.DeleteContactAsync(new Proto.DeleteContactRequest { Username = username }, Options())) is not null;

    private CallOptions Options() => new(apiKey is null ? null : new Metadata { { ApiKeyHeader, apiKey } }, DateTime.UtcNow + CallTimeout);

    private static Proto.BlacklistChangeRequest Change(IReadOnlyList<string> users)
    {
        var request = new Proto.BlacklistChangeRequest();
        request.Users.Add(users);
        return request;
    }

    private static IReadOnlyList<string> Users(Proto.Blacklist blacklist) => [.. blacklist.Users];

    private static async Task<T?> OrNullWhenNotFound<T>(Func<Task<T>> call) where T : class
    {
        try
        {
            return await CallAsync(call);
        }
        catch (NotifyRequestException exception) when (exception.Kind == RequestErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <summary>The one translation of the gateway's statuses back into request errors.</summary>
    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException exception) when (GatewayProtoMapper.ToRequestError(exception) is { } requestError)
        {
            throw requestError;
        }
    }
}

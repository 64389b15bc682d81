using Notify.Grains.Abstractions.Records;
using Proto = Notify.Api.V1;

namespace Notify.Client.Gateway;

/// <summary>Operator actions over the gRPC gateway (<c>OperationsService</c>, admin key): the record names the key as operator.</summary>
public sealed partial class NotifyGatewayClient
{
    private Proto.OperationsService.OperationsServiceClient Operations => new(channel);

    public Task<MessageRecord> RetryMessageAsync(string messageId, string? receiver = null, string? note = null) =>
        CallAsync(async () => GatewayProtoMapper.FromProto(await Operations.RetryMessageAsync(
            new Proto.RetryMessageRequest { MessageId = messageId, Receiver = receiver ?? "", Note = note ?? "" }, Options())));

    public Task<MessageRecord> CancelMessageAsync(string messageId, string? note = null) =>
        CallAsync(async () => GatewayProtoMapper.FromProto(await Operations.CancelMessageAsync(
            new Proto.CancelMessageRequest { MessageId = messageId, Note = note ?? "" }, Options())));
}

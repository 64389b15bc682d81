using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Notify.Api.V1;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Records;
using Notify.Silo.Gateway.Actions;
using Notify.Silo.Gateway.Admin;
using Notify.Silo.Gateway.Notify;
using Notify.Silo.Gateway.Security;
using ActionStatus = Notify.Grains.Abstractions.Actions.ActionStatus;
using AlertStatus = Notify.Grains.Abstractions.Actions.AlertStatus;
using MessageRecord = Notify.Api.V1.MessageRecord;

namespace Notify.Silo.Gateway.Operations;

/// <summary>notify.v1.OperationsService: operator actions and lists; errors are mapped by <c>GrpcErrorInterceptor</c>.</summary>
public sealed class OperationsGrpcService(OperationsApplication operations, ListingApplication listing) : OperationsService.OperationsServiceBase
{
    public override async Task<MessageRecord> RetryMessage(RetryMessageRequest request, ServerCallContext context) =>
        NotifyProtoMapper.ToProto(await operations.RetryAsync(request.MessageId, request.Receiver, request.Note, Caller(context)));

    public override async Task<MessageRecord> CancelMessage(CancelMessageRequest request, ServerCallContext context) =>
        NotifyProtoMapper.ToProto(await operations.CancelAsync(request.MessageId, request.Note, Caller(context)));

    public override async Task<ListActionsResponse> ListActions(ListActionsRequest request, ServerCallContext context)
    {
        var page = await listing.ListActionsAsync(new ActionListQuery
        {
            Status = request.Status == Api.V1.ActionStatus.Unspecified ? null : (ActionStatus)((int)request.Status - 1),
            AlertId = request.AlertId.Length == 0 ? null : request.AlertId,
            Source = request.Source.Length == 0 ? null : request.Source,
            After = request.After,
            PageSize = request.PageSize == 0 ? KeysetCursor.DefaultPageSize : request.PageSize,
        });
        var response = new ListActionsResponse { NextCursor = page.NextCursor ?? "" };
        response.Items.Add(page.Items.Select(ToProto));
        return response;
    }

    public override async Task<ListContactsResponse> ListContacts(ListPageRequest request, ServerCallContext context)
    {
        var page = await listing.ListContactsAsync(request.After, PageSize(request));
        var response = new ListContactsResponse { NextCursor = page.NextCursor ?? "" };
        response.Items.Add(page.Items.Select(AdminProtoMapper.ToProto));
        return response;
    }

    public override async Task<ListUserGroupsResponse> ListUserGroups(ListPageRequest request, ServerCallContext context)
    {
        var page = await listing.ListUserGroupsAsync(request.After, PageSize(request));
        var response = new ListUserGroupsResponse { NextCursor = page.NextCursor ?? "" };
        response.Items.Add(page.Items.Select(UserGroupProtoMapper.ToProto));
        return response;
    }

    private static int PageSize(ListPageRequest request) => request.PageSize == 0 ? KeysetCursor.DefaultPageSize : request.PageSize;

    private static ActionSummary ToProto(ActionListEntry entry) => new()
    {
        ActionId = entry.ActionId,
        Status = (Api.V1.ActionStatus)((int)entry.Status + 1),
        AlertId = entry.AlertId,
        AlertName = entry.AlertName,
        Level = entry.Level,
        AlertStatus = entry.AlertStatus switch
        {
            AlertStatus.Recovered => Api.V1.AlertStatus.Recovered,
            AlertStatus.Closed => Api.V1.AlertStatus.Closed,
            _ => Api.V1.AlertStatus.Abnormal,
        },
        ExecuteTimes = entry.ExecuteTimes,
        NextNotifyTime = entry.NextNotifyTime is { } next ? Timestamp.FromDateTimeOffset(next) : null,
        CreatedAt = Timestamp.FromDateTimeOffset(entry.CreatedAt),
        UpdatedAt = Timestamp.FromDateTimeOffset(entry.UpdatedAt),
        Source = entry.Source,
    };

    private static GatewayCaller Caller(ServerCallContext context) => GatewayCaller.From(context.GetHttpContext().User);
}

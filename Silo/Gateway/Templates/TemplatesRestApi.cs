using Notify.Grains.Abstractions.Templates;
using Notify.Silo.Gateway.Common;

using Notify.Silo.Gateway.Security;

namespace Notify.Silo.Gateway.Templates;

/// <summary>
/// BK-CI's template paths: the operator API (<c>/op/notify/templates</c>), the template send
/// (<c>/service/notify/template/send</c>) and the build notify (<c>/build/notify/…/send</c>).
/// </summary>
public static class TemplatesRestApi
{
    public const string TemplatesPath = "/op/notify/templates";

    public static IEndpointRouteBuilder MapTemplatesApi(this IEndpointRouteBuilder endpoints)
    {
        var templates = endpoints.MapRestGroup(TemplatesPath);
        templates.MapGet("/", async (HttpRequest request, TemplatesApplication app) =>
        {
            QueryParameters.Read(request);
            return Ok((await app.ListAsync()).Select(TemplateViewMapper.ToView).ToArray());
        }).WithName("ListTemplates");
        templates.MapPost("/", CreateAsync).WithName("CreateTemplate");
        templates.MapGet("/{code}", async (string code, HttpRequest request, TemplatesApplication app) =>
        {
            QueryParameters.Read(request);
            return Ok(TemplateViewMapper.ToView(await app.GetAsync(code)));
        }).WithName("GetTemplate");
        templates.MapPut("/{code}", UpdateAsync).WithName("UpdateTemplate");
        templates.MapDelete("/{code}", async (string code, HttpRequest request, TemplatesApplication app) =>
        {
            QueryParameters.Read(request);
            await app.DeleteAsync(code);
            return Ok(true);
        }).WithName("DeleteTemplate");
        templates.MapPost("/{code}/preview", PreviewAsync).WithName("PreviewTemplate");

        endpoints.MapRestGroup("/service/notify/template").MapPost("/send", SendAsync).WithName("SendByTemplate");
        endpoints.MapRestGroup("/build/notify/projects/{projectId}/pipelines/{pipelineId}/builds/{buildId}")
            .MapPost("/send", SendBuildNotifyAsync).WithName("SendBuildNotify");
        return endpoints;
    }

    /// <summary>Answers the stored record, with <c>Location</c> pointing at it.</summary>
    private static async Task<IResult> CreateAsync(HttpContext http, TemplatesApplication app)
    {
        var body = await RestBodyReader.ReadAsync<TemplateBody>(http.Request, http.RequestAborted);
        var record = await app.CreateAsync(TemplateBodyMapper.ToTemplate(body));
        http.Response.Headers.Location = $"{TemplatesPath}/{Uri.EscapeDataString(record.Template.TemplateCode)}";
        return Ok(TemplateViewMapper.ToView(record));
    }

    private static async Task<IResult> UpdateAsync(string code, HttpContext http, TemplatesApplication app)
    {
        var body = await RestBodyReader.ReadAsync<TemplateBody>(http.Request, http.RequestAborted);
        return Ok(TemplateViewMapper.ToView(await app.UpdateAsync(code, TemplateBodyMapper.ToTemplate(body, code), body.Version)));
    }

    private static async Task<IResult> PreviewAsync(string code, HttpContext http, TemplatesApplication app)
    {
        var body = await RestBodyReader.ReadAsync<TemplatePreviewBody>(http.Request, http.RequestAborted);
        var (titleParams, bodyParams, channels) = TemplateBodyMapper.ToPreview(body);
        return Ok(TemplateViewMapper.ToView(await app.PreviewAsync(code, titleParams, bodyParams, channels)));
    }

    private static async Task<IResult> SendAsync(HttpContext http, TemplatesApplication app)
    {
        var body = await RestBodyReader.ReadAsync<TemplateSendBody>(http.Request, http.RequestAborted);
        var request = TemplateBodyMapper.ToRequest(body) with { RequestId = IdempotencyKeys.Read(http.Request, body.RequestId) };
        return Results.Json(TemplateViewMapper.ToApiResult(await app.SendAsync(request, GatewayCaller.From(http.User))), GatewayJson.Options);
    }

    private static async Task<IResult> SendBuildNotifyAsync(string projectId, string pipelineId, string buildId, HttpContext http, TemplatesApplication app)
    {
        var body = await RestBodyReader.ReadAsync<BuildNotifyBody>(http.Request, http.RequestAborted);
        var request = TemplateBodyMapper.ToRequest(body) with { RequestId = IdempotencyKeys.Read(http.Request, body.RequestId) };
        var result = await app.SendBuildNotifyAsync(new BuildRef(projectId, pipelineId, buildId), request, GatewayCaller.From(http.User));
        return Results.Json(TemplateViewMapper.ToApiResult(result), GatewayJson.Options);
    }

    private static IResult Ok<T>(T data) => Results.Json(ApiResult<T>.Ok(data), GatewayJson.Options);
}

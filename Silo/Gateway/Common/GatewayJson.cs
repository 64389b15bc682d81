using System.Text.Json;

namespace Notify.Silo.Gateway.Common;

/// <summary>The gateway's JSON: camelCase names, numbers also read from strings (BK-CI callers send both), nulls written.</summary>
public static class GatewayJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}

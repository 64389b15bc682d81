using System.Text.Encodings.Web;
using System.Text.Json;

namespace Notify.Silo.Gateway.Common;

/// <summary>
/// The gateway's JSON: camelCase names, numbers also read from strings (BK-CI callers send both), nulls written, and
/// non-ASCII text (Chinese titles) written as UTF-8 rather than \u escapes; answers are JSON, never embedded in HTML.
/// </summary>
public static class GatewayJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

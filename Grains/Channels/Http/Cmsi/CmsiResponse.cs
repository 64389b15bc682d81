using System.Text.Json;
using System.Text.Json.Serialization;

namespace Notify.Grains.Channels.Http.Cmsi;

/// <summary>A CMSI answer: <c>{"result":true,"code":0,"message":"OK"}</c>. Gateways write the code as a number or a string.</summary>
internal sealed record CmsiResponse(
    [property: JsonPropertyName("result")] bool? Result,
    [property: JsonPropertyName("code")] JsonElement Code,
    [property: JsonPropertyName("message")] string? Message)
{
    public string CodeText => Code.ValueKind switch
    {
        JsonValueKind.String => Code.GetString() ?? "",
        JsonValueKind.Undefined or JsonValueKind.Null => "unknown",
        _ => Code.GetRawText(),
    };
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Notify.Grains.Channels.Http;
using Xunit;

namespace Notify.UnitTests.Channels.Http;

/// <summary>Serializes a payload the way the transports do and compares it to the expected JSON, order-insensitively.</summary>
internal static class PayloadJson
{
    public static void AssertSerializesTo<T>(string expected, T payload)
    {
        var actual = JsonSerializer.SerializeToNode(payload, ProviderJson.Options);
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(expected), actual),
            $"JSON differs.\nExpected: {JsonNode.Parse(expected)?.ToJsonString()}\nActual:   {actual?.ToJsonString()}");
    }
}

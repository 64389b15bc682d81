using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Notify.Grains.Abstractions.Records;

namespace Notify.Silo.Persistence;

/// <summary>
/// The JSON form of a <see cref="MessageRecord"/> in <c>notify_message.record</c>: camelCase, enums by name, so
/// operators can read and filter it with psql.
/// </summary>
internal static class MessageRecordJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // Non-ASCII text (most bodies here are Chinese) goes over the wire as UTF-8, not as \u escapes; jsonb
        // stores the same characters either way, and the value is never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
        TypeInfoResolver = MessageRecordJsonContext.Default,
    };

    public static JsonTypeInfo<MessageRecord> TypeInfo { get; } =
        (JsonTypeInfo<MessageRecord>)Options.GetTypeInfo(typeof(MessageRecord));

    public static string Serialize(MessageRecord record) => JsonSerializer.Serialize(record, TypeInfo);

    public static MessageRecord Deserialize(string json) =>
        JsonSerializer.Deserialize(json, TypeInfo) ?? throw new JsonException("notify_message.record is JSON null");
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(MessageRecord))]
internal sealed partial class MessageRecordJsonContext : JsonSerializerContext;

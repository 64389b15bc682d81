using System.Text.Json;
using System.Text.Json.Serialization;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Silo.Gateway.Common;

/// <summary>A JSON request body. Fields it does not declare are collected here and refused, so a typo is never silently ignored.</summary>
public abstract class RestBody
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }
}

/// <summary>
/// Reads request bodies strictly: a Content-Type other than JSON (<see cref="JsonContentType"/>), malformed JSON, a value of the wrong type and an unknown field are each refused
/// with the field named (<c>priority: expected an integer</c>). What the values mean is the validator's business.
/// </summary>
public static class RestBodyReader
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : RestBody
    {
        var body = await ReadTolerantAsync<T>(request, cancellationToken);
        RefuseUnknownFields(body);
        return body;
    }

    /// <summary>Refuses every field <paramref name="body"/> does not declare, each named.</summary>
    public static void RefuseUnknownFields(RestBody body)
    {
        if (body.UnknownFields is { Count: > 0 } unknown)
        {
            throw NotifyRequestException.Invalid(unknown.Keys.Select(name => new FieldError(name, $"unknown field '{name}'")).ToArray());
        }
    }

    /// <summary>
    /// As <see cref="ReadAsync{T}"/>, but fields the body does not declare are left in <see cref="RestBody.UnknownFields"/>
    /// for the caller: BK-CI's paths take what BK-CI's Jackson writes and count what this cluster does not use.
    /// </summary>
    public static async Task<T> ReadTolerantAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : RestBody
    {
        using (var document = await ParseAsync(request, cancellationToken))
        {
            return BindTolerant<T>(document.RootElement, "body");
        }
    }

    /// <summary>Parses the request as JSON, for bodies that hold other bodies (a batch); the caller disposes it.</summary>
    public static async Task<JsonDocument> ParseAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonContentType.Require(request);
        try
        {
            return await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
        }
        catch (JsonException exception)
        {
            throw NotifyRequestException.Invalid("body", $"is empty or not valid JSON (line {(exception.LineNumber ?? 0) + 1}, byte {(exception.BytePositionInLine ?? 0) + 1})");
        }
    }

    /// <summary>
    /// One JSON object as <typeparamref name="T"/>, with the same refusals as a whole body; field names are relative
    /// to <paramref name="element"/>, which <paramref name="name"/> names when it is not an object.
    /// </summary>
    public static T BindTolerant<T>(JsonElement element, string name) where T : RestBody
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw NotifyRequestException.Invalid(name, "must be a JSON object");
        }

        try
        {
            return element.Deserialize<T>(GatewayJson.Options)!;
        }
        catch (JsonException exception)
        {
            // The document parsed, so this is a value of the wrong type at exception.Path.
            var field = FieldName(exception.Path, name);
            throw NotifyRequestException.Invalid(field, $"expected {Describe(ExpectedType(typeof(T), field))}");
        }
    }

    /// <summary><c>$.receivers[0]</c> → <c>receivers[0]</c>, <c>$['a.b']</c> → <c>a.b</c>.</summary>
    private static string FieldName(string? path, string rootName)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return rootName;
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path[1..];
        return field.StartsWith("['", StringComparison.Ordinal) && field.EndsWith("']", StringComparison.Ordinal) ? field[2..^2] : field;
    }

    /// <summary>The declared type at <paramref name="field"/>, following nested objects (<c>alert.level</c>), list entries and dictionary values.</summary>
    private static Type? ExpectedType(Type bodyType, string field)
    {
        var type = bodyType;
        foreach (var segment in field.Split('.'))
        {
            var bracket = segment.IndexOf('[');
            var member = MemberType(type, bracket < 0 ? segment : segment[..bracket]);
            if (member is not null && bracket >= 0)
            {
                member = ElementType(member);
            }

            if (member is null)
            {
                return null;
            }

            type = member;
        }

        return type;
    }

    /// <summary>A property of an object, or the value type of a dictionary (its keys are the caller's names).</summary>
    private static Type? MemberType(Type type, string name)
    {
        var dictionary = type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>));
        if (dictionary is not null)
        {
            return dictionary.GetGenericArguments()[1];
        }

        return GatewayJson.Options.GetTypeInfo(type).Properties
            .FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.PropertyType;
    }

    private static string Describe(Type? type) =>
        type is not null && type != typeof(string) && ElementType(type) is { } element ? $"an array of {Plural(element)}" : Singular(type);

    private static string Singular(Type? type) => (type is null ? null : Nullable.GetUnderlyingType(type) ?? type) switch
    {
        null => "a different value",
        var t when t == typeof(string) => "a string",
        var t when t == typeof(int) || t == typeof(long) => "an integer",
        var t when t == typeof(bool) => "true or false",
        _ => "an object",
    };

    private static string Plural(Type type) => Singular(type) switch
    {
        "a string" => "strings",
        "an integer" => "integers",
        _ => "values",
    };

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericArguments() is [var element] && typeof(IEnumerable<>).MakeGenericType(element).IsAssignableFrom(type) ? element
        : null;
}

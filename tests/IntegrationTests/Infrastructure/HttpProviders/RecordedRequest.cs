using System.Text.Json.Nodes;

namespace Notify.IntegrationTests.Infrastructure.HttpProviders;

/// <summary>One request <see cref="HttpProviderTestServer"/> received, recorded before it was answered.</summary>
/// <param name="Sequence">Arrival order across all paths, from 1.</param>
/// <param name="Query">The query string, decoded, secrets included (tests check them).</param>
/// <param name="Body">The body parsed as JSON, shared by every reader: use <see cref="Json"/> to change a copy. Null when empty or not JSON.</param>
public sealed record RecordedRequest(
    long Sequence,
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    JsonNode? Body,
    string RawBody)
{
    /// <summary>A fresh copy of the body as a JSON object (safe to modify); fails the test when the body is not one.</summary>
    public JsonObject Json => Body?.DeepClone() as JsonObject ?? throw new InvalidOperationException($"{Method} {Path} #{Sequence} has no JSON object body: '{RawBody}'");
}

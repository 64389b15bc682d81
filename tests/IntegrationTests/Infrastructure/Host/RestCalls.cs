using System.Net;
using System.Text;
using System.Text.Json;

namespace Notify.IntegrationTests.Infrastructure.Host;

/// <summary>A REST answer: status code, the parsed JSON body and the headers.</summary>
public sealed record RestResponse(HttpStatusCode StatusCode, JsonElement Body, HttpResponseMessage Raw)
{
    /// <summary>BK-CI's Result.status.</summary>
    public int Status => Body.GetProperty("status").GetInt32();

    public JsonElement Data => Body.GetProperty("data");

    public string? Message => Body.GetProperty("message").GetString();

    /// <summary>The fields named in <c>errors</c>.</summary>
    public IReadOnlyList<string> ErrorFields =>
        Body.TryGetProperty("errors", out var errors) ? errors.EnumerateArray().Select(e => e.GetProperty("field").GetString()!).ToArray() : [];

    public override string ToString() => $"{(int)StatusCode} {Body}";
}

/// <summary>Raw JSON over a real <see cref="HttpClient"/>, so tests see exactly what a BK-CI caller sends and gets.</summary>
public static class RestCalls
{
    public static Task<RestResponse> PostJsonAsync(this HttpClient http, string path, string json) =>
        http.SendJsonAsync(HttpMethod.Post, path, json);

    public static Task<RestResponse> PutJsonAsync(this HttpClient http, string path, string json) =>
        http.SendJsonAsync(HttpMethod.Put, path, json);

    public static Task<RestResponse> DeleteJsonAsync(this HttpClient http, string path, string json) =>
        http.SendJsonAsync(HttpMethod.Delete, path, json);

    public static async Task<RestResponse> SendJsonAsync(this HttpClient http, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await ReadAsync(await http.SendAsync(request));
    }

    /// <summary>Sends a prepared request (headers such as <c>x-api-key</c> set by the test) and reads the answer.</summary>
    public static async Task<RestResponse> SendRestAsync(this HttpClient http, HttpRequestMessage request)
    {
        using (request)
        {
            return await ReadAsync(await http.SendAsync(request));
        }
    }

    public static async Task<RestResponse> GetJsonAsync(this HttpClient http, string path) =>
        await ReadAsync(await http.GetAsync(path));

    private static async Task<RestResponse> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new RestResponse(response.StatusCode, body, response);
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Notify.IntegrationTests.Operations;

/// <summary>
/// A real headless Chromium (Debian's <c>chromium</c>, or <c>CHROMIUM_PATH</c>) driven over the DevTools protocol:
/// navigate, read what the page's JavaScript rendered, fill a form, set a header. Each instance has its own
/// throwaway profile, so cookies never leak between tests. When the browser cannot start, the test fails saying why.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _page;
    private int _lastId;

    private HeadlessChromium(Process process, string profile, ClientWebSocket page)
    {
        _process = process;
        _profile = profile;
        _page = page;
    }

    public static async Task<HeadlessChromium> StartAsync(CancellationToken cancellationToken)
    {
        var executable = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? FindOnPath("chromium") ?? FindOnPath("chromium-browser")
            ?? throw new InvalidOperationException("Chromium was not found on PATH (nor CHROMIUM_PATH): install Debian's package with 'apt-get install -y chromium'; the dashboard tests need a real browser");
        var profile = Path.Combine(Path.GetTempPath(), "notify-chromium-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-breakpad", "--disable-crash-reporter", "--disable-dev-shm-usage", $"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start");
        // Drained so a chatty browser never blocks on a full pipe; the copy ends with the process.
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
        var stderr = new StringBuilder();
        try
        {
            var browserUrl = await ReadDevToolsUrlAsync(process, stderr, cancellationToken);
            using var http = new HttpClient { BaseAddress = new Uri($"http://{browserUrl.Authority}") };
            var targets = await http.GetFromJsonAsync<JsonArray>("/json/list", cancellationToken) ?? [];
            var pageUrl = targets.Select(t => t!.AsObject()).First(t => (string?)t["type"] == "page")["webSocketDebuggerUrl"]!.GetValue<string>();
            var page = new ClientWebSocket();
            await page.ConnectAsync(new Uri(pageUrl), cancellationToken);
            return new HeadlessChromium(process, profile, page);
        }
        catch (Exception exception)
        {
            Kill(process);
            throw new InvalidOperationException($"Chromium ({executable}) could not be driven: {exception.Message}\nits stderr:\n{stderr}", exception);
        }
    }

    public Task NavigateAsync(string url, CancellationToken cancellationToken) => SendAsync("Page.navigate", new JsonObject { ["url"] = url }, cancellationToken);

    /// <summary>Sends <paramref name="name"/> on every request of this browser, as a script or proxy would.</summary>
    public async Task SetHeaderAsync(string name, string value, CancellationToken cancellationToken)
    {
        await SendAsync("Network.enable", [], cancellationToken);
        await SendAsync("Network.setExtraHTTPHeaders", new JsonObject { ["headers"] = new JsonObject { [name] = value } }, cancellationToken);
    }

    /// <summary>Lays the page out as a window of <paramref name="width"/> × <paramref name="height"/> CSS pixels would.</summary>
    public Task SetViewportAsync(int width, int height, CancellationToken cancellationToken) =>
        SendAsync("Emulation.setDeviceMetricsOverride",
            new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false }, cancellationToken);

    /// <summary>The viewport as a PNG, written to <paramref name="path"/> (its folder is made when missing).</summary>
    public async Task ScreenshotAsync(string path, CancellationToken cancellationToken)
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" }, cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(result["data"]!.GetValue<string>()), cancellationToken);
    }

    /// <summary>Runs <paramref name="expression"/> in the page and returns its value as text ("" when it has none).</summary>
    public async Task<string> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true }, cancellationToken);
        return result["result"]?["value"]?.ToString() ?? "";
    }

    /// <summary>The page's rendered text (<c>document.body.innerText</c>) once it satisfies <paramref name="rendered"/>, or a failure showing what was there.</summary>
    public async Task<string> WaitForTextAsync(Func<string, bool> rendered, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var text = "";
        while (DateTime.UtcNow < deadline)
        {
            text = await EvaluateAsync("document.body ? document.location.href + '\\n' + document.body.innerText : ''", cancellationToken);
            if (rendered(text))
            {
                return text;
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new Xunit.Sdk.XunitException($"the page never showed {what}; it showed:\n{text}");
    }

    public async ValueTask DisposeAsync()
    {
        _page.Dispose();
        Kill(_process);
        // Bounded: a helper Chromium re-parented out of the process tree keeps the output pipes open, and an unbounded
        // wait for their end would hang the whole run.
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(bounded.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium's helpers may still hold a file for a moment; the folder is in the temp directory.
        }
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject parameters, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _lastId);
        var request = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        await _page.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var message = JsonNode.Parse(await ReceiveAsync(timeout.Token))!.AsObject();
            if ((int?)message["id"] != id)
            {
                continue; // an event, or the answer to an earlier call
            }

            if (message["error"] is { } error)
            {
                throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}");
            }

            return message["result"]?.AsObject() ?? [];
        }
    }

    private async Task<string> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await _page.ReceiveAsync(buffer, cancellationToken);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return Encoding.UTF8.GetString(message.ToArray());
    }

    private static async Task<Uri> ReadDevToolsUrlAsync(Process process, StringBuilder stderr, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            stderr.AppendLine(line);
            const string marker = "DevTools listening on ";
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                return new Uri(line[(at + marker.Length)..].Trim());
            }
        }

        throw new InvalidOperationException($"Chromium exited (code {(process.HasExited ? process.ExitCode : -1)}) before it opened its DevTools port");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);

    private static void Kill(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
    }
}

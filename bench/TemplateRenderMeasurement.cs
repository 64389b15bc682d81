using System.Diagnostics;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Templates;
using Notify.Grains.Templates;

namespace Notify.Bench;

/// <summary>Renders per second of a template parsed once and cached, against parsing it for every render.</summary>
public sealed record TemplateBenchmarkResult(int Iterations, double CachedRendersPerSecond, double ParseAndRenderPerSecond)
{
    public double Speedup => CachedRendersPerSecond / ParseAndRenderPerSecond;

    public override string ToString() =>
        $"template render: cached {CachedRendersPerSecond:N0}/s, parse+render {ParseAndRenderPerSecond:N0}/s ({Speedup:N1}x), {Iterations} iterations";
}

/// <summary>A measurement a bench program calls: BUILD_SUCCESS's HTML e-mail, title and body, with realistic parameters.</summary>
public static class TemplateRenderBenchmark
{
    public static TemplateBenchmarkResult Measure(int iterations = 5_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var template = BuiltInTemplates.All.Single(t => t.TemplateCode == "BUILD_SUCCESS");
        var record = new TemplateRecord(template, 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, BuiltIn: true);
        var parameters = new Dictionary<string, string>
        {
            ["projectName"] = "demo-project",
            ["pipelineName"] = "release <main>",
            ["userName"] = "alice",
            ["buildNum"] = "1024",
            ["triggerUser"] = "bob",
            ["duration"] = "5分钟",
        };
        var email = template.ContentFor(NotifyChannel.Email)!;
        var renderer = new TemplateRenderer();
        renderer.RenderChannel(record, NotifyChannel.Email, parameters, parameters);

        var cached = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            renderer.RenderChannel(record, NotifyChannel.Email, parameters, parameters);
        }

        cached.Stop();
        var uncached = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            TemplateRenderer.Render(TemplateRenderer.CompileUncached(email.Title), parameters, htmlEscape: false, "title");
            TemplateRenderer.Render(TemplateRenderer.CompileUncached(email.Body), parameters, htmlEscape: true, "body");
        }

        uncached.Stop();
        return new TemplateBenchmarkResult(iterations, iterations / cached.Elapsed.TotalSeconds, iterations / uncached.Elapsed.TotalSeconds);
    }
}

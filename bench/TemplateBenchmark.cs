using System.CommandLine;

namespace Notify.Bench;

/// <summary>
/// Template rendering: renders per second of a template parsed once and cached (what a silo does) against parsing it for
/// every render, over a few runs, with the conditions they ran under.
/// </summary>
public static class TemplateBenchmark
{
    public static Command Command()
    {
        var iterations = new Option<int>("--iterations") { Description = "Renders per measured run", DefaultValueFactory = _ => 50_000 };
        var runs = new Option<int>("--runs") { Description = "Measured runs (the median is reported)", DefaultValueFactory = _ => 5 };
        var command = new Command("templates", "Template rendering: cached parse versus parse on every render (BUILD_SUCCESS, HTML e-mail)") { iterations, runs };
        command.SetAction(parse =>
        {
            var count = parse.GetValue(iterations);
            var runCount = parse.GetValue(runs);
            if (count < 1 || runCount < 1)
            {
                Console.Error.WriteLine("error: --iterations and --runs must be at least 1");
                return 2;
            }

            Console.WriteLine($"template render, BUILD_SUCCESS e-mail (title + HTML body): {count:N0} renders per run, {runCount} runs; {Conditions()}");
            // The first run also pays for JIT and the engine's first-use setup: reported, not counted.
            Console.WriteLine($"warm-up: {TemplateRenderBenchmark.Measure(count)}");
            var results = new List<TemplateBenchmarkResult>();
            for (var run = 1; run <= runCount; run++)
            {
                var result = TemplateRenderBenchmark.Measure(count);
                results.Add(result);
                Console.WriteLine($"run {run}: {result}");
            }

            var cached = Median(results.Select(r => r.CachedRendersPerSecond));
            var uncached = Median(results.Select(r => r.ParseAndRenderPerSecond));
            Console.WriteLine($"median: cached {cached:N0} renders/s, parse+render {uncached:N0} renders/s ({cached / uncached:N1}x)");
            return 0;
        });
        return command;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Cores, and the load average where the OS tells it: figures from a busy machine are not comparable with an idle one's.</summary>
    private static string Conditions()
    {
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ').Take(3).ToArray() : [];
        var text = $"{Environment.ProcessorCount} cores";
        return load.Length == 3
            ? $"{text}, load average {load[0]} {load[1]} {load[2]} at start"
            : text;
    }
}
